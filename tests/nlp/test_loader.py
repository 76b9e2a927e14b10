"""Rule-file errors: rejected at load with file, line and reason; old rules stay."""

from collections.abc import Callable
from pathlib import Path

import pytest

import nlp
from nlp.loader import DEFAULT_DIR, RuleError, load_rules

GOOD = "topics:\n  电梯:\n    department: 城乡建设\n    keywords:\n      电梯: 4\n"


def problems(rules_dir: Callable[..., Path], files: dict[str, str]) -> list[str]:
    with pytest.raises(RuleError) as err:
        load_rules(rules_dir(files))
    return [str(p) for p in err.value.problems]


@pytest.mark.parametrize("text,where,reason", [
    ("topics:\n  电梯: [\n", "bad.yaml:3", "not valid YAML"),
    ("topics:\n  电梯:\n    department: 城乡建设\n    keywords: {电梯: 1}\n  电梯:\n    department: 城乡建设\n",
     "bad.yaml:5", "duplicate key"),
    ("topcs: {}\n", "bad.yaml:1", "unknown section 'topcs'"),
    ("topics:\n  电梯:\n    department: 城建\n    keywords: {电梯: 1}\n", "bad.yaml:3", "department '城建'"),
    ("topics:\n  电梯:\n    department: 城乡建设\n    kind: 中事\n    keywords: {电梯: 1}\n", "bad.yaml:4",
     "kind '中事'"),
    ("topics:\n  电梯:\n    department: 城乡建设\n    keywords:\n      电梯: 很高\n", "bad.yaml:5", "must be a number"),
    ("topics:\n  电梯:\n    department: 城乡建设\n    keywords:\n      电梯|: 1\n", "bad.yaml:5", "empty '|'"),
    ("topics:\n  电梯:\n    department: 城乡建设\n    colour: red\n    keywords: {电梯: 1}\n", "bad.yaml:4",
     "unknown field 'colour'"),
    ("topics:\n  新话题:\n    keywords: {词: 1}\n", "bad.yaml:2", "no department"),
    ("kind_rules:\n  - id: x\n    kind: 大事\n    topics: [不存在]\n", "bad.yaml:4", "unknown topic '不存在'"),
    ("kind_rules:\n  - kind: 大事\n", "bad.yaml:2", "needs an id"),
    ("kind_rules:\n  - id: x\n    kind: 大事\n    urgent: 是\n", "bad.yaml:4", "urgent must be true or false"),
    ("urgency:\n  hyperbole: 要疯了\n", "bad.yaml:2", "must be a list"),
    ("urgency:\n  window: 0\n", "bad.yaml:2", "window"),
    ("urgency:\n  negations_before: 没有\n", "bad.yaml:2", "must be a list"),
    ("other_kind: 急事\n", "bad.yaml:1", "other_kind"),
    ("topics:\n  新话题:\n    department: 其他\n    keywords:\n      $无此类 坏: 1\n", "bad.yaml:5",
     "undefined class $无此类"),
    ("classes:\n  人: 老人\n", "bad.yaml:2", "class '人'"),
])
def test_each_error_names_file_line_and_reason(rules_dir: Callable[..., Path], text: str, where: str,
                                              reason: str) -> None:
    found = problems(rules_dir, {"a.yaml": GOOD, "bad.yaml": text})
    assert any(p.startswith(where + ":") and reason in p for p in found), found


def test_bad_dictionary_line(rules_dir: Callable[..., Path]) -> None:
    found = problems(rules_dir, {"a.yaml": GOOD, "dict.txt": "楼道灯 很多 n\n"})
    assert found == ["dict.txt:1: dictionary line must be 'word [frequency] [tag]', got '楼道灯 很多 n'"]


def test_all_problems_are_reported_at_once(rules_dir: Callable[..., Path]) -> None:
    found = problems(rules_dir, {"a.yaml": "topics:\n  电梯:\n    department: 城建\n    kind: 中事\n"
                                           "    keywords: {电梯: x}\n"})
    assert {p.split(": ", 1)[0] for p in found} >= {"a.yaml:3", "a.yaml:4", "a.yaml:5"}


def test_a_file_that_does_not_parse_hides_follow_on_noise(rules_dir: Callable[..., Path]) -> None:
    files = {"a.yaml": "topics: [\n", "b.yaml": "kind_rules:\n  - {id: x, kind: 大事, topics: [电梯]}\n"}
    found = problems(rules_dir, files)
    assert len(found) == 1 and found[0].startswith("a.yaml:")


def test_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="no \\*.yaml rule files"):
        load_rules(tmp_path)


def test_a_topic_may_span_files(rules_dir: Callable[..., Path]) -> None:
    rules = load_rules(rules_dir({"a.yaml": GOOD, "b.yaml": "topics:\n  电梯:\n    keywords:\n      轿厢: 3\n"}))
    assert [k.text for k in rules.topics[0].keywords] == ["电梯", "轿厢"]


def test_shipped_rules_load() -> None:
    rules = load_rules()
    assert len(rules.topics) > 30 and rules.kind_rules and rules.urgency.cues


def test_reload_keeps_previous_rules_on_error(rules_dir: Callable[..., Path]) -> None:
    directory = rules_dir({"a.yaml": GOOD})
    try:
        nlp.load(directory)
        assert nlp.classify("电梯坏了").topic == "电梯"
        (directory / "a.yaml").write_text(GOOD.replace("城乡建设", "城建"), encoding="utf-8")
        with pytest.raises(RuleError, match="a.yaml:3"):
            nlp.reload(directory)
        assert nlp.classify("电梯坏了").department == "城乡建设"
        (directory / "a.yaml").write_text(GOOD.replace("电梯: 4", "电梯: 4\n      轿厢: 4"), encoding="utf-8")
        nlp.reload(directory)
        assert nlp.classify("轿厢晃").topic == "电梯"
    finally:
        nlp.reload(DEFAULT_DIR)

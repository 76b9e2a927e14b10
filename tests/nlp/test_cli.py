"""``linli nlp classify|eval|learn`` through the same entry the main CLI uses."""

import argparse
from pathlib import Path

import pytest

from nlp import cli
from nlp.loader import DEFAULT_DIR, load_rules

CSV = ("text,department,topic,kind,urgent,places\n"
       "3号楼楼道灯坏了,城乡建设,楼道照明,小事,0,楼3\n"
       "着火了快来人,公共安全,火灾燃爆,大事,1,\n"
       "垃圾没人收,环境保护,垃圾清运,小事,0,\n")


def test_register_adds_the_group_to_any_parser(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="linli")
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["nlp", "classify", "三栋电梯坏了"])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "电梯" in out and "楼3" in out and "why:" in out


def test_classify_prints_every_field(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["classify", "没有着火但是楼道灯坏了"]) == 0
    out = capsys.readouterr().out
    for field in ("department", "topic", "kind", "urgent", "places", "confidence", "tokens", "why:"):
        assert field in out
    assert "cancelled by 没有" in out


def test_eval_prints_metrics_and_speed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "d.csv"
    data.write_text(CSV, encoding="utf-8")
    assert cli.main(["eval", str(data), "--field", "all", "--errors", "5"]) == 0
    out = capsys.readouterr().out
    assert "== department: n=3 accuracy=1.000 macro-F1=1.000" in out
    assert "urgent: recall=1.000 precision=1.000" in out
    assert "confusion" in out and "msgs/s" in out


def test_eval_single_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "d.csv"
    data.write_text(CSV, encoding="utf-8")
    assert cli.main(["eval", str(data), "--field", "kind"]) == 0
    out = capsys.readouterr().out
    assert "== kind:" in out and "== department:" not in out


def test_bad_data_is_an_error_message_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "d.csv"
    data.write_text("msg,department\n你好,其他\n", encoding="utf-8")
    assert cli.main(["eval", str(data)]) == 2
    assert "text" in capsys.readouterr().err
    assert cli.main(["eval", str(tmp_path / "missing.csv")]) == 2


def test_propose_writes_a_rule_file_that_loads(labelled_csv, config_copy: Path) -> None:
    data = labelled_csv("text,department,topic,kind,urgent,places",
                        [f"楼顶的鸽子笼{i}号又脏又吵,环境保护,宠物动物,小事,0," for i in range(4)]
                        + [f"电梯坏了第{i}次,城乡建设,电梯,小事,0," for i in range(4)])
    out = config_copy / "learned.yaml"
    assert cli.main(["propose", str(data), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "REVIEW" in text and "鸽子笼: " in text and "宠物动物:" in text
    rules = load_rules(config_copy)
    assert any(k.text == "鸽子笼" for t in rules.topics if t.name == "宠物动物" for k in t.keywords)
    assert load_rules(DEFAULT_DIR)  # the shipped rules are untouched

"""Read and check the rule files under config/nlp/, or say exactly what is wrong.

Every ``*.yaml`` file in the directory is read in name order; each top-level key is a
section (classes, topics, kind_rules, urgency, other_kind, typos, estates). ``classes``
name groups of words ("人: [老人, 我妈, 孩子]") that any keyword may use as ``$人``, so a
rule says "a person + not answering" once instead of listing every pair. A topic may be
spread over several files (a reviewed ``learned.yaml`` adds keywords to topics defined
in ``topics.yaml``). ``dict.txt`` holds extra jieba words; ``weights.tsv`` the learned
department weights (``nlp.weights``), optional. Any problem raises
``RuleError`` listing every problem as file:line: reason, so one edit pass fixes all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nlp import yamlines
from nlp import intent
from nlp import weights as learned
from nlp.rules import DEPARTMENTS, KINDS, OTHER, Keyword, KindRule, RuleSet, Topic, Urgency

SECTIONS = ("classes", "topics", "kind_rules", "urgency", "other_kind", "typos", "estates", "intents", "answers")
# Marks a class name inside a keyword ("$人"); "@" would need quoting in YAML.
CLASS_MARK = "$"
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "config" / "nlp"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class RuleError(ValueError):
    """The rule files are invalid; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("invalid rule files:\n" + "\n".join(map(str, problems)))


@dataclass
class _Draft:
    """Sections gathered across files before they are checked as a whole."""

    problems: list[Problem] = field(default_factory=list)
    sections: dict[str, tuple[str, int, Any]] = field(default_factory=dict)
    topics: dict[str, dict[str, Any]] = field(default_factory=dict)
    kind_rules: list[tuple[str, int, Any]] = field(default_factory=list)
    cues: list[Keyword] = field(default_factory=list)
    maybe: list[Keyword] = field(default_factory=list)
    negations_before: list[str] = field(default_factory=list)
    negations_after: list[str] = field(default_factory=list)
    past_markers: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)
    present_markers: list[str] = field(default_factory=list)
    habitual: list[str] = field(default_factory=list)
    hyperbole: list[str] = field(default_factory=list)
    emotive: list[str] = field(default_factory=list)
    window: int = 6
    other_kind: str = "私事"
    typos: dict[str, str] = field(default_factory=dict)
    estates: list[str] = field(default_factory=list)
    classes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def fail(self, file: str, line: int, reason: str) -> None:
        self.problems.append(Problem(file, line, reason))


def _words(draft: _Draft, file: str, value: Any, line: int, what: str) -> list[str]:
    """A list of non-empty strings, or problems reported."""
    if not isinstance(value, list):
        draft.fail(file, line, f"{what} must be a list of words")
        return []
    out = []
    for i, item in enumerate(value):
        if isinstance(item, (str, int)) and str(item).strip():
            out.append(str(item).strip())
        else:
            draft.fail(file, yamlines.line_of(value, i, line), f"{what}: empty or non-text item {item!r}")
    return out


def _keyword(draft: _Draft, file: str, line: int, text: Any, weight: Any) -> Keyword | None:
    chunks = str(text).split() if isinstance(text, (str, int)) else []
    parts = tuple(tuple(chunk.split("|")) for chunk in chunks)
    if not parts or not all(all(alternatives) for alternatives in parts):
        draft.fail(file, line, f"keyword {text!r} is empty, not text, or has an empty '|' alternative")
        return None
    unknown = [a for alts in parts for a in alts if a.startswith(CLASS_MARK) and a[1:] not in draft.classes]
    if unknown:
        draft.fail(file, line, f"keyword {text!r} uses undefined class {unknown[0]} (define it under classes:)")
        return None
    parts = tuple(tuple(dict.fromkeys(w for a in alts
                                      for w in (draft.classes[a[1:]] if a.startswith(CLASS_MARK) else (a,))))
                  for alts in parts)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)):
        draft.fail(file, line, f"weight of {text!r} must be a number, not {weight!r}")
        return None
    return Keyword(parts, float(weight), f"{file}:{line}", " ".join(chunks))


def _keyword_map(draft: _Draft, file: str, value: Any, line: int, what: str) -> list[Keyword]:
    """``{word: weight}``, or a plain list of words each weighing 1."""
    if isinstance(value, list):
        pairs = [(w, 1, yamlines.line_of(value, i, line)) for i, w in enumerate(value)]
    elif isinstance(value, dict):
        pairs = [(k, v, yamlines.line_of(value, k, line)) for k, v in value.items()]
    else:
        draft.fail(file, line, f"{what} must be a mapping word: weight or a list of words")
        return []
    return [k for w, v, ln in pairs if (k := _keyword(draft, file, ln, w, v)) is not None]


def _read_topics(draft: _Draft, file: str, section: Any, line: int) -> None:
    if not isinstance(section, dict):
        draft.fail(file, line, "topics must be a mapping of topic name to its rules")
        return
    for name, body in section.items():
        at = yamlines.line_of(section, name, line)
        if not isinstance(body, dict):
            draft.fail(file, at, f"topic {name!r} must be a mapping with department/kind/keywords")
            continue
        topic = draft.topics.setdefault(str(name), {"keywords": [], "source": f"{file}:{at}"})
        for key, value in body.items():
            key_line = yamlines.line_of(body, key, at)
            if key in ("department", "kind"):
                if key in topic:
                    draft.fail(file, key_line, f"topic {name!r}: {key} already set at {topic[key][1]}")
                topic[key] = (value, f"{file}:{key_line}")
                if key == "department":  # the file that defines the topic is where staff look
                    topic["source"] = f"{file}:{at}"
            elif key == "negatable":
                if isinstance(value, bool):
                    topic["negatable"] = value
                else:
                    draft.fail(file, key_line, f"topic {name!r}: negatable must be true or false")
            elif key == "keywords":
                topic["keywords"] += _keyword_map(draft, file, value, key_line, f"topic {name!r} keywords")
            else:
                draft.fail(file, key_line,
                           f"topic {name!r}: unknown field {key!r} (department, kind, negatable, keywords)")


_URGENCY_LISTS = ("negations_before", "negations_after", "past_markers", "present_markers", "resolved",
                  "habitual", "hyperbole", "emotive")


def _read_urgency(draft: _Draft, file: str, section: Any, line: int) -> None:
    if not isinstance(section, dict):
        draft.fail(file, line, "urgency must be a mapping (cues, maybe, negations_before, negations_after, past_markers, "
                               "present_markers, habitual, resolved, hyperbole, emotive, window)")
        return
    for key, value in section.items():
        at = yamlines.line_of(section, key, line)
        if key == "cues":
            draft.cues += _keyword_map(draft, file, value, at, "urgency cues")
        elif key == "maybe":
            draft.maybe += _keyword_map(draft, file, value, at, "urgency maybe")
        elif key in _URGENCY_LISTS:
            getattr(draft, key).extend(_words(draft, file, value, at, f"urgency {key}"))
        elif key == "window":
            if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 50:
                draft.window = value
            else:
                draft.fail(file, at, f"urgency window must be a whole number 1..50, not {value!r}")
        else:
            draft.fail(file, at, f"urgency: unknown field {key!r}")


def _parse(draft: _Draft, path: Path) -> dict[str, Any] | None:
    """One rule file as a LineDict, or None with the problem recorded."""
    file = path.name
    try:
        doc = yamlines.load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        draft.fail(file, mark.line + 1 if mark else 0, f"not valid YAML: {exc.problem or exc.context}")
        return None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        draft.fail(file, 0, f"not readable: {exc}")
        return None
    if doc is not None and not isinstance(doc, dict):
        draft.fail(file, 1, "a rule file must be a mapping of sections")
        return None
    return doc


def _read_classes(draft: _Draft, file: str, section: Any, line: int) -> None:
    if not isinstance(section, dict):
        draft.fail(file, line, "classes must map a class name to a list of words")
        return
    for name, words in section.items():
        at = yamlines.line_of(section, name, line)
        if name in draft.classes:
            draft.fail(file, at, f"class {name!r} is defined twice")
        draft.classes[str(name)] = tuple(_words(draft, file, words, at, f"class {name!r}"))


def _read_sections(draft: _Draft, file: str, doc: dict[str, Any]) -> None:
    for key, value in doc.items():
        at = yamlines.line_of(doc, key)
        if key == "classes":
            continue  # read before every other section, see load_rules
        if key == "topics":
            _read_topics(draft, file, value, at)
        elif key == "kind_rules":
            if isinstance(value, list):
                draft.kind_rules += [(file, yamlines.line_of(value, i, at), r) for i, r in enumerate(value)]
            else:
                draft.fail(file, at, "kind_rules must be a list of rules")
        elif key == "urgency":
            _read_urgency(draft, file, value, at)
        elif key == "other_kind":
            if value in KINDS:
                draft.other_kind = value
            else:
                draft.fail(file, at, f"other_kind must be one of {', '.join(KINDS)}")
        elif key == "typos":
            if isinstance(value, dict) and all(str(k).strip() and isinstance(v, str) for k, v in value.items()):
                draft.typos.update({str(k): v for k, v in value.items()})
            else:
                draft.fail(file, at, "typos must map each misspelling to its correct text")
        elif key == "estates":
            draft.estates += _words(draft, file, value, at, "estates")
        elif key in ("intents", "answers"):
            draft.sections[key] = (file, at, value)  # checked as a whole by nlp.intent.read
        else:
            draft.fail(file, at, f"unknown section {key!r} (expected one of {', '.join(SECTIONS)})")


def _build_topics(draft: _Draft) -> list[Topic]:
    topics = []
    for name, t in draft.topics.items():
        file, line = t["source"].rsplit(":", 1)
        if "department" not in t:
            draft.fail(file, int(line), f"topic {name!r} has no department")
            continue
        (department, dep_src), (kind, kind_src) = t["department"], t.get("kind", ("小事", t["source"]))
        if department not in DEPARTMENTS:
            draft.fail(*_split(dep_src),
                       f"topic {name!r}: department {department!r} is not one of {', '.join(DEPARTMENTS)}")
        if kind not in KINDS:
            draft.fail(*_split(kind_src), f"topic {name!r}: kind {kind!r} is not one of {', '.join(KINDS)}")
        if not t["keywords"]:
            draft.fail(file, int(line), f"topic {name!r} has no keywords")
        topics.append(Topic(name, department, kind, tuple(t["keywords"]), t["source"], t.get("negatable", False)))
    return topics


def _split(source: str) -> tuple[str, int]:
    file, line = source.rsplit(":", 1)
    return file, int(line)


def _build_kind_rule(draft: _Draft, file: str, line: int, raw: Any, topics: set[str]) -> KindRule | None:
    if not isinstance(raw, dict):
        draft.fail(file, line, "a kind rule must be a mapping with id, kind and any/none/topics")
        return None
    unknown = set(raw) - {"id", "kind", "topics", "any", "none", "urgent"}
    for key in sorted(unknown, key=str):
        draft.fail(file, yamlines.line_of(raw, key, line),
                   f"kind rule: unknown field {key!r} (id, kind, topics, any, none, urgent)")
    urgent = raw.get("urgent")
    if urgent is not None and not isinstance(urgent, bool):
        draft.fail(file, yamlines.line_of(raw, "urgent", line), f"kind rule urgent must be true or false, not {urgent!r}")
    rule_id, kind = raw.get("id"), raw.get("kind")
    if not isinstance(rule_id, str) or not rule_id:
        draft.fail(file, line, "kind rule needs an id")
    if kind not in KINDS:
        draft.fail(file, yamlines.line_of(raw, "kind", line),
                   f"kind rule {rule_id}: kind {kind!r} is not one of {', '.join(KINDS)}")
    names = _words(draft, file, raw.get("topics", []), yamlines.line_of(raw, "topics", line), "kind rule topics")
    for n in names:
        if n not in topics and n != OTHER:
            draft.fail(file, yamlines.line_of(raw, "topics", line), f"kind rule {rule_id}: unknown topic {n!r}")
    any_of = _keyword_map(draft, file, raw.get("any", []), yamlines.line_of(raw, "any", line), "kind rule any")
    none_of = _keyword_map(draft, file, raw.get("none", []), yamlines.line_of(raw, "none", line), "kind rule none")
    return KindRule(str(rule_id), str(kind), frozenset(names), tuple(any_of), tuple(none_of), f"{file}:{line}",
                    urgent if isinstance(urgent, bool) else None)


def _read_dictionary(draft: _Draft, path: Path) -> list[str]:
    """jieba user dictionary lines: ``word [freq] [tag]``; only the word is used."""
    words = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) > 3 or (len(parts) > 1 and not parts[1].isdigit()):
            draft.fail(path.name, n, f"dictionary line must be 'word [frequency] [tag]', got {raw!r}")
            continue
        words.append(parts[0])
    return words


def _read_weights(draft: _Draft, path: Path) -> learned.Weights | None:
    try:
        weights = learned.read(path)
    except learned.WeightsError as exc:
        draft.fail(path.name, exc.line, exc.reason)
        return None
    unknown = sorted(set(weights.classes) - set(DEPARTMENTS))
    if unknown:
        draft.fail(path.name, 0, f"unknown departments in the header: {', '.join(unknown)}")
    return weights


def _read_intents(draft: _Draft) -> intent.IntentRules | None:
    if "intents" not in draft.sections:
        return None
    file, line, value = draft.sections["intents"]
    rules, problems = intent.read(value, draft.sections.get("answers", ("", 0, {}))[2])
    for reason in problems:
        draft.fail(file, line, reason)
    return rules


def load_rules(directory: Path | str | None = None) -> RuleSet:
    """Read every rule file in ``directory`` (default config/nlp/) into one checked RuleSet."""
    directory = Path(directory) if directory else DEFAULT_DIR
    draft = _Draft()
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise RuleError([Problem(str(directory), 0, "no *.yaml rule files found")])
    docs = [(path.name, doc) for path in files if (doc := _parse(draft, path))]
    if draft.problems:  # a file that does not parse would make every later check noise
        raise RuleError(draft.problems)
    for file, doc in docs:
        if "classes" in doc:
            _read_classes(draft, file, doc["classes"], yamlines.line_of(doc, "classes"))
    for file, doc in docs:
        _read_sections(draft, file, doc)
    words = _read_dictionary(draft, directory / "dict.txt") if (directory / "dict.txt").exists() else []
    weights = _read_weights(draft, directory / learned.FILE) if (directory / learned.FILE).exists() else None
    intents = _read_intents(draft)
    topics = _build_topics(draft)
    names = {t.name for t in topics}
    kind_rules = [r for f, ln, raw in draft.kind_rules if (r := _build_kind_rule(draft, f, ln, raw, names))]
    if not topics:
        draft.fail(str(directory), 0, "no topics defined")
    if draft.problems:
        raise RuleError(draft.problems)
    urgency = Urgency(tuple(draft.cues), tuple(draft.negations_before), tuple(draft.negations_after),
                      tuple(draft.past_markers), draft.window, tuple(draft.resolved),
                      tuple(draft.present_markers), tuple(draft.habitual), tuple(draft.hyperbole),
                      tuple(draft.emotive), tuple(draft.maybe))
    return RuleSet(tuple(topics), tuple(kind_rules), urgency, draft.other_kind, draft.typos,
                   tuple(draft.estates), tuple(words), weights, intents)

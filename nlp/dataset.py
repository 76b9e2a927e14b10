"""Labelled messages in CSV: the format of tests/data/ and of ``linli nlp eval/learn``.

Header row, UTF-8 (a BOM from Excel is accepted). Columns: ``text`` (required),
``department``, ``topic``, ``kind``, ``urgent`` (1/0, true/false, 是/否) and
``places`` (normalised values separated by ``;``, e.g. ``楼3;2单元``), ``is_request``
(1/0: 0 for small talk, tests/data/smalltalk.csv). A column that is missing or empty in a
row means "not labelled" for that field.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

FIELDS = ("department", "topic", "kind", "urgent", "places", "is_request")
#: Scored against the ``urgent`` labels: urgent or maybe urgent, i.e. a person is alerted.
DERIVED = {"alerted": "urgent"}
_TRUE = {"1", "true", "yes", "y", "是", "紧急", "t"}
_FALSE = {"0", "false", "no", "n", "否", "f", ""}


@dataclass(frozen=True)
class Example:
    text: str
    labels: dict[str, str]  # field -> label as text; urgent is "True"/"False"
    line: int


def _urgent(raw: str, path: Path, line: int) -> str:
    value = raw.strip().lower()
    if value in _TRUE:
        return "True"
    if value in _FALSE:
        return "False"
    raise ValueError(f"{path}:{line}: urgent must be 1/0 or true/false, got {raw!r}")


def _places(raw: str) -> str:
    return ";".join(sorted(p.strip() for p in raw.split(";") if p.strip()))


def read(path: Path | str) -> list[Example]:
    """Every row with text; raises ValueError naming file and line on a bad row."""
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise ValueError(f"{path}: the header must name a 'text' column")
        out = []
        for row in reader:
            text = (row.get("text") or "").strip()
            if not text:
                continue
            labels = {}
            for field in FIELDS:
                raw = row.get(field)
                if raw is None or (field != "places" and not raw.strip()):
                    continue
                if field in ("urgent", "is_request"):
                    labels[field] = _urgent(raw, path, reader.line_num)
                elif field == "places":
                    labels[field] = _places(raw)
                else:
                    labels[field] = raw.strip()
            out.append(Example(text, labels, reader.line_num))
        return out

"""Metrics and the labelled-data reader."""

from pathlib import Path

import pytest

from nlp import dataset
from nlp.metrics import report


def test_accuracy_macro_f1_per_class_and_confusion() -> None:
    rep = report("kind", ["大事", "大事", "小事", "私事"], ["大事", "小事", "小事", "小事"])
    assert rep.accuracy == 0.5
    big, small, private = rep.stats("大事"), rep.stats("小事"), rep.stats("私事")
    assert (big.precision, big.recall) == (1.0, 0.5)
    assert (small.precision, small.recall) == (pytest.approx(1 / 3), 1.0)
    assert (private.precision, private.recall, private.f1) == (0.0, 0.0, 0.0)
    assert rep.macro_f1 == pytest.approx((2 / 3 + 0.5 + 0.0) / 3)
    assert rep.confusion[("大事", "小事")] == 1
    assert "confusion" in rep.format()


def test_reader_normalises_labels(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("\ufefftext,urgent,places,kind\n着火了,是,楼3; 2单元,\n你好,0,,私事\n,1,,\n", encoding="utf-8")
    first, second = dataset.read(path)
    assert first.labels == {"urgent": "True", "places": "2单元;楼3"}
    assert second.labels == {"urgent": "False", "places": "", "kind": "私事"}


def test_reader_rejects_bad_urgent(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("text,urgent\n着火了,maybe\n", encoding="utf-8")
    with pytest.raises(ValueError, match="d.csv:2: urgent"):
        dataset.read(path)

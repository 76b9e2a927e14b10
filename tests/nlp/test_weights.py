"""Learned department weights: the file format, scoring without scikit-learn, `why`."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from nlp import cli
from nlp.engine import Engine
from nlp.loader import RuleError, load_rules
from nlp.tokenizer import Tokenizer
from nlp.weights import WeightsError, parse

SMALL = """# two departments, three features
feature\tidf\t城乡建设\t环境保护
(intercept)\t0\t-0.5\t-0.5
楼道灯\t2.0\t1.5\t-1.0
垃圾\t2.0\t-1.0\t1.5
楼道灯 坏\t3.0\t0.5\t0
"""


def test_score_is_intercept_plus_unit_length_tfidf_times_weight() -> None:
    weights = parse(SMALL, "weights.tsv")
    score = weights.score(["楼道灯", "坏", "了", "垃圾", "垃圾"])
    # present: 楼道灯 (tf 1), 垃圾 (tf 2), 楼道灯 坏 (tf 1)
    raw = {"楼道灯": 2.0, "垃圾": (1 + math.log(2)) * 2.0, "楼道灯 坏": 3.0}
    norm = math.sqrt(sum(v * v for v in raw.values()))
    expected = -0.5 + (raw["楼道灯"] * 1.5 + raw["垃圾"] * -1.0 + raw["楼道灯 坏"] * 0.5) / norm
    assert score.scores["城乡建设"] == pytest.approx(expected)
    assert [f for f, _ in score.reasons("城乡建设")] == ["楼道灯", "楼道灯 坏"]
    assert score.best() == "环境保护"  # 垃圾 twice outweighs 楼道灯 once


def test_a_broken_file_names_its_line(config_copy: Path) -> None:
    with pytest.raises(WeightsError, match="line 4"):
        parse(SMALL.replace("1.5\t-1.0", "1.5"), "weights.tsv")
    (config_copy / "weights.tsv").write_text(SMALL.replace("环境保护", "环保局"), encoding="utf-8")
    with pytest.raises(RuleError, match="weights.tsv:0: unknown departments"):
        load_rules(config_copy)


def test_why_names_the_learned_words(tokenizer: Tokenizer, config_copy: Path) -> None:
    (config_copy / "weights.tsv").write_text(SMALL, encoding="utf-8")
    result = Engine(load_rules(config_copy), tokenizer).classify("门口一堆垃圾没人收")
    assert result.department == "环境保护"
    assert any("learned 环境保护=" in line and "垃圾+" in line for line in result.why)


def test_learn_writes_weights_that_load(labelled_csv, config_copy: Path) -> None:
    pytest.importorskip("sklearn")
    data = labelled_csv("text,department", [f"楼道灯坏了第{i}回 没人修,城乡建设" for i in range(6)]
                        + [f"门口的垃圾堆了{i}天 臭死了,环境保护" for i in range(6)])
    out = config_copy / "weights.tsv"
    assert cli.main(["learn", "--messages", str(data), "-o", str(out)]) == 0
    weights = load_rules(config_copy).weights
    assert weights is not None and set(weights.classes) == {"城乡建设", "环境保护"}
    assert weights.score(["垃圾", "臭"]).best() == "环境保护"

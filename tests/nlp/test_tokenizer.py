"""jieba with the community dictionary: the tokens a grid worker would read."""

import logging
import subprocess
import sys
from pathlib import Path

import nlp
from nlp.tokenizer import Tokenizer

ROOT = Path(__file__).resolve().parents[2]


def test_building_unit_and_corridor_light() -> None:
    tokens = nlp.classify("3号楼2单元楼道灯坏了").tokens
    assert "楼道灯" in tokens
    assert "单元楼" not in tokens and "灯坏" not in tokens
    assert "单元" in tokens


def test_domain_words_stay_whole() -> None:
    for text, word in [("化粪池满了", "化粪池"), ("单元门坏了", "单元门"), ("找网格员", "网格员"),
                       ("申请低保", "低保")]:
        assert word in nlp.classify(text).tokens


def test_added_words_are_idempotent(tokenizer: Tokenizer) -> None:
    tokenizer.add_words(["邻里通", "邻里通"])
    assert "邻里通" in tokenizer.cut("我用邻里通报修")


def test_jieba_is_quiet() -> None:
    assert logging.getLogger("jieba").level >= logging.WARNING
    code = "import nlp; nlp.load(); print(nlp.classify('楼道灯坏了').topic)"
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "楼道照明"
    assert run.stderr == ""


def test_loaded_once_per_process() -> None:
    assert nlp.load() is nlp.load()

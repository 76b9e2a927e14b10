"""Shared fixtures for nlp tests: one jieba tokenizer, and throw-away rule directories."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from nlp.engine import Engine
from nlp.loader import DEFAULT_DIR, load_rules
from nlp.tokenizer import Tokenizer


@pytest.fixture(scope="session")
def tokenizer() -> Tokenizer:
    tok = Tokenizer()
    tok.warm()
    return tok


@pytest.fixture
def rules_dir(tmp_path: Path) -> Callable[..., Path]:
    """Write rule files ({file name: text}) into a fresh directory and return it."""

    def make(files: dict[str, str]) -> Path:
        directory = tmp_path / "rules"
        directory.mkdir(exist_ok=True)
        for name, text in files.items():
            (directory / name).write_text(text, encoding="utf-8")
        return directory

    return make


@pytest.fixture
def engine_for(tokenizer: Tokenizer, rules_dir: Callable[..., Path]) -> Callable[..., Engine]:
    """An Engine over the given rule files ({file name: text})."""

    def make(files: dict[str, str]) -> Engine:
        return Engine(load_rules(rules_dir(files)), tokenizer)

    return make


@pytest.fixture
def config_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the shipped config/nlp/ rules."""
    target = tmp_path / "config-nlp"
    shutil.copytree(DEFAULT_DIR, target)
    yield target


@pytest.fixture
def labelled_csv(tmp_path: Path) -> Callable[[str, list[str]], Path]:
    """Write a small labelled CSV (a header and rows) and return its path."""

    def make(header: str, rows: list[str]) -> Path:
        path = tmp_path / "labelled.csv"
        path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        return path

    return make

"""The public entry point: ``classify(text)`` with rules loaded once per process.

``load`` warms jieba and reads the rules (call it at start-up so the first resident
does not wait); ``classify`` calls it lazily otherwise. ``reload`` re-reads the rule
files and keeps the rules in force when the new ones are invalid.
"""

from __future__ import annotations

import threading
from pathlib import Path

from nlp.engine import Classification, Engine
from nlp.loader import load_rules
from nlp.places import Place
from nlp.tokenizer import Tokenizer

__all__ = ["Classification", "Place", "answer_bank_fallback", "classify", "load", "reload", "rules_dir"]

_lock = threading.Lock()
_tokenizer: Tokenizer | None = None
_engine: Engine | None = None
_dir: Path | None = None


def _build(directory: Path | str | None) -> Engine:
    global _tokenizer
    if _tokenizer is None:
        _tokenizer = Tokenizer()
        _tokenizer.warm()
    return Engine(load_rules(directory), _tokenizer)


def load(directory: Path | str | None = None) -> Engine:
    """Load rules (default config/nlp/) once; later calls return the loaded engine.

    Passing a different ``directory`` than the loaded one loads it instead (tests do).
    Raises ``nlp.loader.RuleError`` when the files are invalid and nothing is loaded.
    """
    global _engine, _dir
    wanted = Path(directory) if directory else None
    with _lock:
        if _engine is None or (wanted is not None and wanted != _dir):
            _engine, _dir = _build(wanted), wanted
        return _engine


def reload(directory: Path | str | None = None) -> Engine:
    """Re-read the rule files; on ``RuleError`` the previous rules stay in force.

    The error is re-raised so the caller (staff console, CLI) can show file:line:reason.
    """
    global _engine, _dir
    wanted = Path(directory) if directory else _dir
    with _lock:
        engine = _build(wanted)  # raises before anything is replaced
        _engine, _dir = engine, wanted
        return engine


def rules_dir() -> Path | None:
    """The directory the loaded rules came from (None: the default)."""
    return _dir


def classify(text: str) -> Classification:
    """Sort one resident message; see ``Classification`` for the fields."""
    engine = _engine or load()
    return engine.classify(text)


def answer_bank_fallback() -> str:
    """The answer bank's reply for a question none of its entries covers."""
    intents = (_engine or load()).rules.intents
    return intents.fallback_answer if intents else ""

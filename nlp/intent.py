"""Is a message a request at all? Small talk, an information-only question, or a request.

Runs before sorting so "谢谢你们！" or "在吗" never opens a ticket and "居住证怎么办理" is
answered from the answer bank instead of being told to call the property company.
Small talk: nothing is left once the chat words (intents.yaml: greetings, thanks,
acknowledgements, 转人工, openers, chit-chat) and filler are removed; or thanks/"never
mind" for something already resolved, asking for nothing more. A question: a question
word and, once the question words are blanked out, no word asking anyone to act. A
danger cue always makes a request. Every list is in config/nlp/intents.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

CHAT, QUESTION, REQUEST = "chat", "question", "request"
NOT_A_REQUEST = "非诉求"  # the kind of a message that is no request (tests/data labels)
CHAT_TOPIC = "闲聊"

# WeChat's own emoticon codes ([微笑], /:rose) and whatever carries no words.
_CODES = re.compile(r"\[[^\[\]]{1,8}\]|/:[a-z!@#$%^&*()<>\-]+", re.I)
_NOT_WORDS = re.compile(r"[^\w]|_", re.U)
#: Small talk is short; a longer message is a question or a request, whatever it opens with.
CHAT_CHARS = 60


@dataclass(frozen=True)
class Answer:
    """One entry of the answer bank: the words that ask about it and what Linli replies."""

    name: str
    words: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class IntentRules:
    chat: Mapping[str, tuple[str, ...]]  # category -> phrases
    filler: tuple[str, ...]
    resolved: tuple[str, ...]
    question: tuple[str, ...]
    action: tuple[str, ...]
    answers: tuple[Answer, ...] = ()
    fallback_answer: str = ""


@dataclass(frozen=True)
class IntentResult:
    intent: str
    category: str  # for chat: greeting, thanks, ack, staff, opener, bot, emoji
    answer: Answer | None
    why: str


def _remove(text: str, words: tuple[str, ...]) -> tuple[str, list[str]]:
    found = []
    for word in words:  # longest first, see _sorted
        if word in text:
            found.append(word)
            text = text.replace(word, " ")
    return text, found


_UNDONE = ("没", "没有", "还没", "未", "能", "不", "没能")


def _starts(text: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(word), text)]


def _sorted(words: Any) -> tuple[str, ...]:
    return tuple(sorted({str(w).lower() for w in words or ()}, key=len, reverse=True))


class IntentDetector:
    def __init__(self, rules: IntentRules):
        self.rules = rules
        self._chat = {c: _sorted(ws) for c, ws in rules.chat.items()}
        self._all_chat = _sorted(w for ws in rules.chat.values() for w in ws)
        self._filler, self._resolved = _sorted(rules.filler), _sorted(rules.resolved)
        self._question, self._action = _sorted(rules.question), _sorted(rules.action)

    def _chat_category(self, text: str) -> str | None:
        """The category whose words cover most of ``text``, when nothing else is said."""
        rest, found = _remove(text, self._all_chat)
        rest, _ = _remove(rest, self._filler)
        if len(_NOT_WORDS.sub("", rest)) >= 2 or not found:
            return None
        return max(self._chat, key=lambda c: sum(len(w) for w in found if w in self._chat[c]))

    def _resolved_thanks(self, text: str, strong_topic: bool) -> list[str] | None:
        """Thanks, for something resolved or with no topic named, asking for nothing more."""
        rest, thanks = _remove(text, self._chat.get("thanks", ()))
        if not thanks:
            return None
        resolved = [w for w in self._resolved if any(not text[:i].endswith(_UNDONE) for i in _starts(text, w))]
        rest, _ = _remove(rest, tuple(resolved))
        if (not resolved and strong_topic) or any(w in rest for w in self._action):
            return None
        return thanks + resolved

    def detect(self, clean: str, urgent: bool, strong_topic: bool) -> IntentResult:
        """``clean`` is the normalised text; ``strong_topic``: a hand topic scored 3 or more."""
        text = _CODES.sub(" ", clean).lower()
        if urgent:
            return IntentResult(REQUEST, "", None, "intent request: a danger cue")
        if not _NOT_WORDS.sub("", text):
            return IntentResult(CHAT, "emoji", None, "intent chat: no words (emoji or punctuation only)")
        category = self._chat_category(text) if len(text) <= CHAT_CHARS else None
        if category:
            return IntentResult(CHAT, category, None, f"intent chat ({category}): nothing else said")
        words = self._resolved_thanks(text, strong_topic) if len(text) <= CHAT_CHARS else None
        if words:
            return IntentResult(CHAT, "thanks", None, f"intent chat (thanks): [{', '.join(words)}], nothing asked")
        rest, asked = _remove(text, self._question)
        acting = [w for w in self._action if w in rest]
        if asked and not acting:
            answer = self.answer(text)
            return IntentResult(QUESTION, "", answer, f"intent question: [{', '.join(asked[:3])}], no request to act"
                                + (f"; answer {answer.name}" if answer else "; no answer in the bank"))
        return IntentResult(REQUEST, "", None, "intent request" + (f": [{', '.join(acting[:3])}]" if acting else ""))

    def answer(self, text: str) -> Answer | None:
        """The bank entry whose words match most characters of ``text``."""
        scored = [(sum(len(w) for w in a.words if w in text), -i, a) for i, a in enumerate(self.rules.answers)]
        best = max(scored, default=(0, 0, None), key=lambda s: s[:2])
        return best[2] if best[0] else None


def read(intents: Any, answers: Any) -> tuple[IntentRules | None, list[str]]:
    """Build the rules from the ``intents`` and ``answers`` sections; problems as text."""
    problems: list[str] = []
    if not isinstance(intents, dict) or not isinstance(intents.get("chat"), dict):
        return None, ["intents must have a 'chat' map of category -> words"]
    lists = {}
    for key in ("filler", "resolved", "question", "action"):
        value = intents.get(key, [])
        if not isinstance(value, list):
            problems.append(f"intents.{key} must be a list of words")
        lists[key] = tuple(str(w) for w in value) if isinstance(value, list) else ()
    bank, fallback = [], ""
    for name, entry in (answers or {}).items():
        if name == "其他":
            fallback = str(entry.get("answer", "")) if isinstance(entry, dict) else ""
            continue
        if not isinstance(entry, dict) or not entry.get("words") or not entry.get("answer"):
            problems.append(f"answer {name!r} needs 'words' and 'answer'")
            continue
        bank.append(Answer(str(name), tuple(str(w) for w in entry["words"]), str(entry["answer"]).strip()))
    chat = {str(c): tuple(str(w) for w in ws or ()) for c, ws in intents["chat"].items()}
    return IntentRules(chat, lists["filler"], lists["resolved"], lists["question"], lists["action"],
                       tuple(bank), fallback), problems

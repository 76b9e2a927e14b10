"""Why a request was sorted as it was, in words staff read: "按关键词 楼道灯 归为 楼道照明".

The classifier stores its reasons as debug lines (rule names, scores, file:line). This reads
what it can recognise of them, keeps only what still agrees with the ticket's fields (staff
may have corrected them since), and otherwise says it from those fields. An unrecognised
line is left out, never shown raw.
"""
from __future__ import annotations

import re

from handlers.texts import console as texts
from models.tickets import Ticket

_TOPIC = re.compile(r"^topic (?P<topic>[^=:\s]+)=[-+\d.]+ \[(?P<terms>[^\]]*)\]")
_DEPARTMENT_LEARNED = re.compile(r"^department (?P<department>\S+?)=[-+\d.]+: learned [^\[]*\[(?P<terms>[^\]]*)\]")
_KIND_RULE = re.compile(r"^kind (?P<kind>\S+): rule \S+ \[(?P<terms>[^\]]*)\]")
_KIND_USUAL = re.compile(r"^kind (?P<kind>\S+): usual kind of topic (?P<topic>\S+)")
_URGENT = re.compile(r"^urgent: (?P<terms>.+?)(?: \([^)]*\))?$")
_WEIGHT = re.compile(r"[-+]\d+(?:\.\d+)?$")


def reasons(ticket: Ticket) -> list[str]:
    """The sentences for the ticket page's 分类依据, never empty."""
    found: list[str] = []
    lines = [part.strip() for part in ticket.why.split(";")]
    for line in lines:
        sentence = _sentence(line, ticket)
        if sentence and sentence not in found:
            found.append(sentence)
    cues = [match["terms"] for match in map(_URGENT.match, lines) if match]
    if cues and ticket.urgent:
        found.append(texts.REASON_URGENT.format(words=_words(", ".join(cues), ticket.text)))
    fallback = texts.REASON_FIELDS.format(topic=ticket.topic, department=ticket.department, kind=ticket.kind,
                                          urgent=texts.REASON_URGENT_MARK if ticket.urgent else "")
    return found + [fallback]


def _sentence(line: str, ticket: Ticket) -> str | None:
    if (match := _TOPIC.match(line)) and match["topic"] == ticket.topic:
        return texts.REASON_TOPIC.format(words=_words(match["terms"], ticket.text), topic=ticket.topic)
    if (match := _DEPARTMENT_LEARNED.match(line)) and match["department"] == ticket.department:
        return texts.REASON_LEARNED.format(words=_words(match["terms"], ticket.text, 3), department=ticket.department)
    if (match := _KIND_RULE.match(line)) and match["kind"] == ticket.kind:
        return texts.REASON_KIND.format(words=_words(match["terms"], ticket.text), kind=ticket.kind)
    if (match := _KIND_USUAL.match(line)) and match["kind"] == ticket.kind:
        return texts.REASON_KIND_USUAL.format(topic=match["topic"], kind=ticket.kind)
    return None


def _words(terms: str, text: str, limit: int = 2) -> str:
    """The rule's words that are in the resident's text (a rule lists alternatives: 起火了|着火了)."""
    chosen: list[str] = []
    for term in (t.strip() for t in terms.split(",")):
        alternatives = [_WEIGHT.sub("", a).strip() for a in term.split("|") if a.strip()]
        present = [a for a in alternatives if a and a in text]
        word = (present or alternatives or [""])[0]
        if word and word not in chosen:
            chosen.append(word)
    return "、".join(chosen[:limit]) or texts.REASON_NO_WORD

"""Messages that are not requests: small talk gets a kind reply and no ticket; an
information-only question gets its answer from config/nlp/answers.yaml and is recorded as
a 私事 ticket, so `需要帮助 N` can still bring the community in."""
from __future__ import annotations

from handlers.texts import intents as texts
from handlers.types import Reply
from models.tickets import Ticket
from nlp import Classification, answer_bank_fallback


def small_talk(result: Classification) -> Reply:
    line = texts.SMALL_TALK.get(result.chat, texts.SMALL_TALK["greeting"])
    return Reply(f"{line}\n{texts.SMALL_TALK_FOOTER}")


def answered(ticket: Ticket, result: Classification) -> Reply:
    answer = result.answer.text if result.answer else answer_bank_fallback()
    return Reply(texts.ANSWERED.format(answer=answer, id=ticket.id))

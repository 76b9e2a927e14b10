"""How a ticket reads in a reply at every door: its status name and a short, masked excerpt."""
from __future__ import annotations

from handlers.masking import mask_text
from handlers.texts.requests import STATUS_NAMES
from models.tickets import TicketStatus


def status_name(status: str) -> str:
    return STATUS_NAMES.get(TicketStatus(status), status)


def short(text: str, limit: int = 16) -> str:
    """The start of a resident's text, phone numbers masked, short enough for one phone line."""
    text = mask_text(" ".join(text.split()))
    return text if len(text) <= limit else text[:limit] + "…"

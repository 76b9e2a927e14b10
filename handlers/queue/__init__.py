"""The queue around the members: placing a new ticket, triage (待分派/分派), reassign, escalate
(督办) and close in `actions`; the grid heads' chat commands in `chat`, named here for the
route table."""
from handlers.queue.chat import assign, waiting

__all__ = ["assign", "waiting"]

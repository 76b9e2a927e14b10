"""Staff notices: `actions` for every door, `chat` the text grammar (named here for the route table)."""
from handlers.notices.chat import cancel, compose, confirm, status, status_text

__all__ = ["cancel", "compose", "confirm", "status", "status_text"]

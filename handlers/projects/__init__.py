"""为民项目: `actions` holds each operation once for every door; `chat` is the text grammar.
The chat handlers are named here too, so the route table reads `projects.claim_seat`."""
from handlers.projects.chat import claim_seat, claim_whole, list_open, project_line, publish, published_text

__all__ = ["claim_seat", "claim_whole", "list_open", "project_line", "publish", "published_text"]

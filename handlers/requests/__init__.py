"""Residents' requests: intake (classify, place in a grid, store) in `actions`, the chat side
(any text becomes a request; 查询) in `chat`, named here for the route table."""
from handlers.requests.chat import create, created_reply, status

__all__ = ["create", "created_reply", "status"]

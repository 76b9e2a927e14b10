"""Members: 报到 (registration), staff's decision, 绑定 (a resident's home grid).

`actions` holds each operation once for every door; `chat` is the text grammar over them.
The chat handlers are named here too, so the route table reads `members.register`.
"""
from handlers.members.chat import (KIND_DIALOG, approve, bind, choose_kind, decided_text, pending, register,
                                   reject)

__all__ = ["KIND_DIALOG", "approve", "bind", "choose_kind", "decided_text", "pending", "register", "reject"]

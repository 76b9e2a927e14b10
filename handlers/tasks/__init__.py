"""Party members and the claiming queue: 任务, 认领, 进展, 完成, 放弃, 我的任务.

`actions` holds each operation once for every door; `chat` is the text grammar over them.
The chat handlers are named here too, so the route table reads `tasks.claim`.
"""
from handlers.tasks.chat import claim, finish, give_up, list_tasks, more_tasks, my_tasks, progress

__all__ = ["claim", "finish", "give_up", "list_tasks", "more_tasks", "my_tasks", "progress"]

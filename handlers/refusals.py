"""The chat door's translation of an action's outcome: the result's sentence, or the refusal's."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from handlers.types import Refusal, Reply

Result = TypeVar("Result")


async def spoken(action: Awaitable[Result], say: Callable[[Result], str]) -> Reply:
    try:
        return Reply(say(await action))
    except Refusal as refusal:
        return Reply(refusal.sentence)

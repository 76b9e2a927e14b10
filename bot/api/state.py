"""What the API keeps for the life of the process, and how a request finds it."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from aiohttp import web

from bot.api.tokens import Tokens
from bot.api.wxa import MiniProgram
from bot.wechat.ratelimit import RateLimiter
from bot.storage import Storage
from config.settings import Settings
from handlers.types import AfterReply


@dataclass
class ApiState:
    storage: Storage
    settings: Settings
    tokens: Tokens
    wxa: MiniProgram
    limiter: RateLimiter
    background: set[asyncio.Task] = field(default_factory=set)

    def spawn(self, job: AfterReply) -> None:
        """Run a handler's after-reply work without holding up the response."""
        task = asyncio.ensure_future(job())
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    async def drain(self) -> None:
        if self.background:
            await asyncio.gather(*list(self.background), return_exceptions=True)


STATE = web.AppKey("api_state", ApiState)


def state_of(request: web.Request) -> ApiState:
    return request.app[STATE]

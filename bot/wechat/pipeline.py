"""Around every handler, once: dedup, rate limit, the user, the transaction, the 5-second budget.

Every channel (official account, mini program, console) hands an `Incoming` to
`Conversation.handle` and gets a `Reply`; the route table decides which handler runs.
"""
from __future__ import annotations

import asyncio
import logging

from bot.wechat.dedup import Dedup
from handlers.masking import mask_openid
from bot.wechat.ratelimit import RateLimiter
from bot.storage import Storage
from config.settings import Settings
from handlers import router
from handlers.texts import common as texts
from handlers.types import Context, Incoming, Reply
from models.clock import utcnow
from models.users import get_or_create_user

log = logging.getLogger(__name__)

# WeChat gives up after 5 s; keep a margin for rendering and the network.
REPLY_BUDGET_S = 4.3


class Conversation:
    def __init__(self, storage: Storage, settings: Settings) -> None:
        self.storage, self.settings = storage, settings
        self.dedup = Dedup(storage.redis, storage.keys, settings.dedup_ttl_s)
        self.limiter = RateLimiter(storage.redis, storage.keys, settings.rate_limit_per_minute)
        self._background: set[asyncio.Task] = set()

    async def handle(self, msg: Incoming) -> Reply | None:
        """The reply for `msg`; None when a retry of it is still being handled elsewhere."""
        if msg.dedup_key:
            claim = await self.dedup.claim(msg.dedup_key)
            if claim is None or isinstance(claim, Reply):
                return claim
        if msg.type != "event" and not await self.limiter.allow(msg.openid):
            if msg.dedup_key:  # WeChat's retries of it get the same answer, not silence
                await self.dedup.remember(msg.dedup_key, Reply(texts.RATE_LIMITED))
            return Reply(texts.RATE_LIMITED)
        work = asyncio.ensure_future(self._handle_and_remember(msg))
        self._keep(work)
        try:
            # shield: a slow message still finishes and stores its reply for WeChat's retry
            return await asyncio.wait_for(asyncio.shield(work), REPLY_BUDGET_S)
        except TimeoutError:
            log.warning("reply budget exceeded for %s", mask_openid(msg.openid))
            return Reply(texts.BUSY)

    async def _handle_and_remember(self, msg: Incoming) -> Reply:
        try:
            reply, after = await self._run(msg)
        except Exception:
            log.exception("handler failed for %s (%s)", mask_openid(msg.openid), msg.type)
            if msg.dedup_key:
                await self.dedup.release(msg.dedup_key)
            return Reply(texts.ERROR)
        if msg.dedup_key:
            await self.dedup.remember(msg.dedup_key, reply)
        for job in after:
            self._keep(asyncio.ensure_future(job()))
        return reply

    async def _run(self, msg: Incoming) -> tuple[Reply, list]:
        now = utcnow()
        async with self.storage.sessions() as session:
            async with session.begin():
                user = await get_or_create_user(session, msg.openid, now)
                ctx = Context(session=session, redis=self.storage.redis, keys=self.storage.keys,
                              settings=self.settings, user=user, now=now)
                reply = await router.route(msg, ctx)
        return reply, ctx.after_reply

    def _keep(self, task: asyncio.Task) -> None:
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def drain(self) -> None:
        """Wait for work still running after its reply (graceful shutdown)."""
        if self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

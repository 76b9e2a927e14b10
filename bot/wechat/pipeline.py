"""Around every handler, once: the guards, the user, the transaction, the 5-second budget.

The gateway hands an `Incoming` to `Conversation.handle` and gets a `Reply`, or `Unanswered`
when WeChat must not take the message as delivered: the guards or the stores could not
answer, another delivery of it is still running, or the budget ran out (WeChat retries and
meets the stored reply). Nothing is answered "done" that was not stored.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from enum import Enum

from redis.exceptions import RedisError
from sqlalchemy import exc as sql_errors

from bot.storage import Storage
from bot.wechat.dedup import Dedup, new_lease
from bot.wechat.guards import Admission, GuardUnavailable, Guards, SignedUrl, Verdict
from bot.wechat.replay import url_key
from config.settings import Settings
from handlers import router
from handlers.masking import mask_openid
from handlers.texts import common as texts
from handlers.types import Context, Incoming, Reply
from models.callbacks import first_use
from models.clock import utcnow
from models.users import get_or_create_user

log = logging.getLogger(__name__)

# WeChat gives up after 5 s; keep a margin for rendering and the network.
REPLY_BUDGET_S = 4.3


class Unanswered(Enum):
    RETRY = "retry"  # answer so that WeChat asks again (a 503)
    REPLAYED = "replayed"  # a signed URL used again with another body (a 403)


class _Replayed(Exception):
    """The SQL record of the signed URL holds another body: roll the transaction back."""


class Conversation:
    def __init__(self, storage: Storage, settings: Settings) -> None:
        self.storage, self.settings = storage, settings
        self.replay_window = timedelta(seconds=2 * settings.max_timestamp_skew_s)
        self.guards = Guards(storage.redis, storage.keys, seen_ttl_s=int(self.replay_window.total_seconds()),
                             dedup_ttl_s=settings.dedup_ttl_s, lease_s=settings.dedup_lease_s,
                             per_minute=settings.rate_limit_per_minute, limited_reply=Reply(texts.RATE_LIMITED))
        self.dedup = Dedup(storage.redis, storage.keys, settings.dedup_ttl_s, settings.dedup_lease_s)
        self._background: set[asyncio.Task] = set()

    async def handle(self, msg: Incoming, url: SignedUrl | None = None) -> Reply | Unanswered:
        """The reply for `msg`; `url` is the signed URL of a plaintext callback (replay guard)."""
        lease = new_lease()
        try:
            admission = await self.guards.admit(msg, url, lease)
            if admission.verdict is Verdict.PENDING:
                admission = await self._wait_for_other(msg, lease)
        except (GuardUnavailable, RedisError, OSError) as exc:
            log.warning("guards unavailable, asking WeChat to retry: %s", exc)
            return Unanswered.RETRY
        if admission.verdict is Verdict.REPLAYED:
            return Unanswered.REPLAYED
        if admission.verdict is Verdict.PENDING:
            return Unanswered.RETRY
        if admission.reply is not None:  # handled before, or over the rate limit
            return admission.reply
        work = asyncio.ensure_future(self._handle_and_remember(msg, lease, url))
        self._keep(work)
        try:
            # shield: a slow message still finishes and stores its reply for WeChat's retry
            return await asyncio.wait_for(asyncio.shield(work), REPLY_BUDGET_S)
        except TimeoutError:
            log.warning("reply budget exceeded for %s; WeChat's retry gets the reply", mask_openid(msg.openid))
            return Unanswered.RETRY

    async def _wait_for_other(self, msg: Incoming, lease: str) -> Admission:
        outcome = await self.dedup.wait_for_reply(msg.dedup_key or "", lease)
        if isinstance(outcome, Reply):
            return Admission(Verdict.DONE, reply=outcome)
        return Admission(Verdict.CLAIMED if outcome else Verdict.PENDING)

    async def _handle_and_remember(self, msg: Incoming, lease: str, url: SignedUrl | None) -> Reply | Unanswered:
        try:
            async with self.dedup.held(msg.dedup_key, lease):
                reply, after = await self._run(msg, url)
        except Exception as exc:
            if msg.dedup_key:
                await self.dedup.release(msg.dedup_key, lease)
            if isinstance(exc, _Replayed):
                return Unanswered.REPLAYED
            if transient(exc):
                log.warning("storage unavailable for %s, asking WeChat to retry: %s", mask_openid(msg.openid), exc)
                return Unanswered.RETRY
            log.exception("handler failed for %s (%s)", mask_openid(msg.openid), msg.type)
            return Reply(texts.ERROR)
        if msg.dedup_key:
            await self.dedup.remember(msg.dedup_key, reply)
        for job in after:
            self._keep(asyncio.ensure_future(job()))
        return reply

    async def _run(self, msg: Incoming, url: SignedUrl | None) -> tuple[Reply, list]:
        now = utcnow()
        async with self.storage.sessions() as session:
            async with session.begin():
                if url is not None and not await first_use(session, url_key(url), url.digest, now, self.replay_window):
                    raise _Replayed()
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


def transient(exc: BaseException) -> bool:
    """A store that could not answer now (down, locked, timed out): a retry may well succeed."""
    if isinstance(exc, sql_errors.DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, (RedisError, OSError, TimeoutError, sql_errors.OperationalError,
                            sql_errors.InterfaceError, sql_errors.TimeoutError))

"""Deliver one batch of queue entries: hold the rows, decide, send, record, acknowledge.

The order matters for "never lost, never twice": a row is sent only while this worker
holds its lock and the row is still `pending`; the outcome is committed before the
entries are acknowledged, so a worker killed at any point leaves its entries pending in
the consumer group for another worker to take over (and that worker re-reads the rows).
"""
from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Row, update
from sqlmodel import select

from handlers.masking import mask_openid
from bot.outbound.ratelimit import GlobalRateLimit
from bot.outbound.sender import Delivery, Outcome, Result, Sender
from bot.outbound.stream import Entry, OutboundStream
from bot.storage import Storage
from config.settings import Settings
from models.clock import utcnow
from models.notices import parse_quiet_hours, quiet_until
from models.outbound import OutboundMessage
from models.users import User

log = logging.getLogger(__name__)

# Customer-service messages only while WeChat's 48-hour window is surely still open.
WINDOW = timedelta(hours=48) - timedelta(minutes=10)
RATE_LIMIT_PAUSE_S = 1.0


_ROW_COLUMNS = (OutboundMessage.id, OutboundMessage.openid, OutboundMessage.kind, OutboundMessage.title,
                OutboundMessage.body, OutboundMessage.idempotency_key, OutboundMessage.urgent,
                OutboundMessage.attempts, OutboundMessage.next_attempt_at)


@dataclass
class Plan:
    deliveries: list[Delivery] = field(default_factory=list)
    later: dict[int, datetime] = field(default_factory=dict)  # row → when to try (quiet hours, early)
    moved: set[int] = field(default_factory=set)  # rows in `later` whose due time changes in SQL
    unfollowed: set[int] = field(default_factory=set)  # user already unfollowed: skip


class BatchDelivery:
    def __init__(self, storage: Storage, settings: Settings, stream: OutboundStream, limiter: GlobalRateLimit,
                 sender: Sender, consumer: str) -> None:
        self.storage, self.settings, self.stream = storage, settings, stream
        self.limiter, self.sender, self.consumer = limiter, sender, consumer
        self.quiet = parse_quiet_hours(settings.quiet_hours)
        self.lock_ms = int(settings.outbound_lease_s * 1000 / 2)

    async def deliver(self, entries: list[Entry]) -> None:
        row_ids = sorted({row_id for _, row_id in entries})
        held = await self.stream.lock(row_ids, self.consumer, self.lock_ms)
        try:
            if held:
                await self._deliver_rows(held)
            await self.stream.ack([entry_id for entry_id, _ in entries])
        finally:
            await self.stream.unlock(held)

    async def _deliver_rows(self, row_ids: list[int]) -> None:
        now = utcnow()
        async with self.storage.sessions() as session:  # plain rows, not ORM objects: this is the hot path
            rows = (await session.exec(select(*_ROW_COLUMNS).where(
                OutboundMessage.id.in_(row_ids), OutboundMessage.status == "pending"))).all()
            openids = {row.openid for row in rows}
            users = {user.openid: user for user in (await session.exec(
                select(User.openid, User.subscribed, User.last_message_at).where(User.openid.in_(openids)))).all()
                     } if openids else {}
        plan = self._plan(list(rows), users, now)
        answers = await asyncio.gather(*(self.sender.send(delivery) for delivery in plan.deliveries),
                                       return_exceptions=True)
        outcomes = [_outcome(delivery, answer) for delivery, answer in zip(plan.deliveries, answers)]
        retries = await self._record({row.id: row for row in rows}, outcomes, plan, now)
        await self.stream.delay({row_id: at.timestamp() for row_id, at in {**plan.later, **retries}.items()})
        if any(outcome.rate_limited for outcome in outcomes):
            await self.limiter.pause(RATE_LIMIT_PAUSE_S)

    def _plan(self, rows: list[Row], users: dict[str, Row], now: datetime) -> Plan:
        plan = Plan()
        quiet_end = quiet_until(now, *self.quiet)
        for row in rows:
            user = users.get(row.openid)
            if user is None or not user.subscribed:
                plan.unfollowed.add(row.id)
            elif row.next_attempt_at > now + timedelta(seconds=1):
                plan.later[row.id] = row.next_attempt_at
            elif row.kind == "notice" and not row.urgent and quiet_end:
                plan.later[row.id] = quiet_end
                plan.moved.add(row.id)
            else:
                plan.deliveries.append(self._delivery(row, user, now))
        return plan

    def _delivery(self, row: Row, user: Row, now: datetime) -> Delivery:
        notice = row.kind == "notice"
        in_window = user.last_message_at is not None and now - user.last_message_at < WINDOW
        return Delivery(row_id=row.id, openid=row.openid, key=row.idempotency_key, title=row.title,
                        body=row.body, as_custom=not notice and in_window,
                        template_id=self.settings.notice_template_id if notice else self.settings.ticket_template_id)

    async def _record(self, rows: dict[int, Row], outcomes: list[Outcome], plan: Plan,
                      now: datetime) -> dict[int, datetime]:
        """Commit every outcome in one transaction; the retries to schedule."""
        by_result: dict[Result, list[Outcome]] = {result: [] for result in Result}
        for outcome in outcomes:
            by_result[outcome.result].append(outcome)
        retries: dict[int, datetime] = {}
        async with self.storage.sessions() as session, session.begin():
            await _set(session, [o.row_id for o in by_result[Result.sent]], status="sent", sent_at=now,
                       attempts=OutboundMessage.attempts + 1, last_error=None)
            await _set(session, plan.unfollowed, status="skipped", last_error="unfollowed")
            for row_id in plan.moved:
                await _set(session, [row_id], next_attempt_at=plan.later[row_id])
            await self._unfollowed(session, rows, by_result[Result.unfollowed], now)
            for outcome in by_result[Result.failed]:
                await _set(session, [outcome.row_id], status="failed", last_error=outcome.error,
                           attempts=OutboundMessage.attempts + 1)
            for outcome in by_result[Result.retry]:
                retries.update(await self._retry(session, rows[outcome.row_id], outcome, now))
        return retries

    async def _unfollowed(self, session, rows: dict[int, Row], outcomes: list[Outcome],
                          now: datetime) -> None:
        """43004: WeChat says the user unfollowed; stop this row and every later push to them."""
        if not outcomes:
            return
        await _set(session, [o.row_id for o in outcomes], status="skipped", last_error=outcomes[0].error,
                   attempts=OutboundMessage.attempts + 1)
        openids = {rows[o.row_id].openid for o in outcomes}
        await session.exec(update(User).where(User.openid.in_(openids), User.subscribed == True)  # noqa: E712
                              .values(subscribed=False, unsubscribed_at=now))
        log.info("%d users unfollowed, e.g. %s", len(openids), mask_openid(next(iter(openids))))

    async def _retry(self, session, row: Row, outcome: Outcome, now: datetime) -> dict[int, datetime]:
        attempts = row.attempts + 1
        if attempts >= self.settings.outbound_max_attempts:
            await _set(session, [row.id], status="failed", attempts=attempts, last_error=outcome.error)
            return {}
        due = now + timedelta(seconds=self.backoff(attempts))
        await _set(session, [row.id], attempts=attempts, last_error=outcome.error, next_attempt_at=due)
        return {row.id: due}

    def backoff(self, attempts: int) -> float:
        """Exponential, capped, with jitter so retries of a burst do not return together."""
        base = min(self.settings.outbound_backoff_cap_s, self.settings.outbound_backoff_s * 2 ** (attempts - 1))
        return base * random.uniform(0.5, 1.5)


def _outcome(delivery: Delivery, answer: Outcome | BaseException) -> Outcome:
    """A send that raised is retried later; the others' outcomes are recorded all the same, or
    rows WeChat already accepted would be sent again. Only the exception's type is kept: its text
    may quote a URL with the AppSecret in it."""
    if isinstance(answer, BaseException):
        log.warning("send of row %d raised %s; retrying later", delivery.row_id, type(answer).__name__)
        return Outcome(delivery.row_id, Result.retry, f"error: {type(answer).__name__}")
    return answer


async def _set(session, row_ids, **values) -> None:
    """Update pending rows only: a row another worker finished meanwhile keeps its outcome."""
    ids = list(row_ids)
    if ids:
        await session.exec(update(OutboundMessage).where(
            OutboundMessage.id.in_(ids), OutboundMessage.status == "pending").values(**values))

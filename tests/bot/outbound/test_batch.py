"""One batch over real storage and the fake WeChat server: every outcome is recorded."""
from __future__ import annotations

from sqlmodel import select

from bot.outbound.batch import BatchDelivery
from bot.outbound.ratelimit import GlobalRateLimit
from bot.outbound.sender import Delivery, Outcome, Sender
from bot.outbound.stream import OutboundStream
from bot.storage import redis_url
from models.outbound import OutboundMessage, enqueue
from tests.bot.outbound.conftest import add_residents


class BrokenForOne(Sender):
    """The real sender, except that sending to one user raises (a bug, or an error nobody foresaw)."""

    def __init__(self, *args, broken: str) -> None:
        super().__init__(*args)
        self.broken = broken

    async def send(self, delivery: Delivery) -> Outcome:
        if delivery.openid == self.broken:
            raise RuntimeError("unforeseen")
        return await super().send(delivery)


async def test_one_failing_send_does_not_lose_the_others_outcomes(out_settings, seeded, fake):
    openids = await add_residents(seeded, 3, prefix="o_b")
    async with seeded.sessions() as session, session.begin():
        for openid in openids:
            await enqueue(session, key=f"notice:9:{openid}", openid=openid, kind="notice", title="通知", body="正文")
    async with seeded.sessions() as session:
        rows = {row.openid: row.id for row in (await session.exec(select(OutboundMessage))).all()}
    sender = BrokenForOne(out_settings, seeded.keys, redis_url(out_settings), broken=openids[1])
    stream = OutboundStream(seeded.redis, seeded.keys)
    batch = BatchDelivery(seeded, out_settings, stream, GlobalRateLimit(seeded.redis, seeded.keys, 0),
                          sender, "test")
    try:
        await batch.deliver([(f"0-{n}", row_id) for n, row_id in enumerate(rows.values())])
    finally:
        await sender.close()
    async with seeded.sessions() as session:
        stored = {row.openid: row for row in (await session.exec(select(OutboundMessage))).all()}
    assert {openid: stored[openid].status for openid in openids} == {
        openids[0]: "sent", openids[1]: "pending", openids[2]: "sent"}
    broken = stored[openids[1]]
    assert broken.attempts == 1 and broken.last_error == "error: RuntimeError"  # retried later, with backoff
    assert sorted(entry["touser"] for entry in fake.delivered("template")) == [openids[0], openids[2]]

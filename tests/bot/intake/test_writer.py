"""The intake writer over real storage, both backends: grouped, exactly once, nothing "done" unstored."""
from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import asyncpg
import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.intake.drivers import APPLICATION_NAME
from bot.intake.records import Intake, PushValues, TicketValues
from bot.intake.writer import IntakeWriter
from models.clock import utcnow
from models.org import OrgUnit
from models.outbound import OutboundMessage
from models.tickets import Ticket, TicketEvent
from models.users import User


def _ticket(source: str | None, grid_id: int | None = None, text: str = "3号楼楼道灯坏了") -> TicketValues:
    return TicketValues(text=text, department="物业", topic="照明", kind="小事", urgent=False, confidence=0.8,
                        places="楼3", why="灯; 坏", status="queued" if grid_id else "triage", grid_id=grid_id,
                        community_id=None, source_msg_id=source)


@pytest.fixture
async def writer(settings, seeded):
    built = IntakeWriter.for_url(settings.resolved_database_url())
    yield built
    await built.close()


async def _count(storage, model) -> int:
    async with storage.sessions() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def test_300_messages_each_sent_3_times_at_once_make_300_tickets(writer, seeded):
    now = utcnow()
    intakes = [Intake(f"o_w{n % 40:03d}", now, _ticket(f"msg-{n}")) for n in range(300)]
    results = await asyncio.gather(*(writer.store(intake) for intake in intakes * 3))
    assert await _count(seeded, Ticket) == 300
    assert await _count(seeded, TicketEvent) == 300
    assert await _count(seeded, User) == 40
    by_source = {}
    for intake, stored in zip(intakes * 3, results):
        by_source.setdefault(intake.ticket.source_msg_id, []).append(stored)
    for copies in by_source.values():  # the three copies name one ticket; exactly one of them made it
        assert len({stored.ticket.id for stored in copies}) == 1
        assert [stored.duplicate for stored in copies].count(False) == 1
    async with seeded.sessions() as session:
        events = Counter((await session.exec(select(TicketEvent.ticket_id))).all())
    assert set(events.values()) == {1}


async def test_rows_read_back_through_the_orm_as_the_orm_path_writes_them(writer, seeded):
    async with seeded.sessions() as session:
        grid = (await session.exec(select(OrgUnit).where(OrgUnit.code == "S01-C01-G01"))).one()
    now = utcnow()
    push = PushValues(key="ticket:x:created", openid="o_orm", kind="ticket_update", body="已收到", for_ticket=True)
    stored = await writer.store(Intake("o_orm", now, _ticket("msg-orm", grid.id), (push,)))
    again = await writer.store(Intake("o_orm", now + timedelta(seconds=5)))
    assert again.user.id == stored.user.id and again.ticket is None
    async with seeded.sessions() as session:
        ticket = await session.get(Ticket, stored.ticket.id)
        user = await session.get(User, stored.user.id)
        event = (await session.exec(select(TicketEvent))).one()
        row = (await session.exec(select(OutboundMessage))).one()
    assert (ticket.user_id, ticket.grid_id, ticket.status, ticket.text, ticket.escalation_level) == (
        user.id, grid.id, "queued", "3号楼楼道灯坏了", 0)
    assert ticket.created_at == now and ticket.updated_at == now and ticket.urgent is False
    assert (user.openid, user.subscribed, user.created_at) == ("o_orm", True, now)
    assert user.last_message_at == now + timedelta(seconds=5)  # touched by the second message
    assert (event.ticket_id, event.actor_id, event.action, event.to_status, event.note, event.at) == (
        ticket.id, user.id, "created", "queued", "照明", now)
    assert (row.ticket_id, row.status, row.attempts, row.kind) == (ticket.id, "pending", 0, "ticket_update")
    assert stored.push_ids == [row.id]


async def test_a_failed_group_fails_every_waiter_and_stores_none_of_it(writer, seeded):
    now = utcnow()
    good = [Intake(f"o_g{n}", now, _ticket(f"good-{n}")) for n in range(9)]
    poison = Intake("o_poison", now, _ticket("poison", grid_id=999_999))  # no such grid: the database refuses
    results = await asyncio.gather(*(writer.store(intake) for intake in [*good[:4], poison, *good[4:]]),
                                   return_exceptions=True)
    assert all(isinstance(result, Exception) for result in results)  # one group: nobody is told "stored"
    assert await _count(seeded, Ticket) == 0 and await _count(seeded, User) == 0
    retried = await asyncio.gather(*(writer.store(intake) for intake in good))  # WeChat retries them
    assert [stored.duplicate for stored in retried] == [False] * 9
    assert await _count(seeded, Ticket) == 9


async def test_waiting_messages_are_committed_before_close(settings, seeded):
    writer = IntakeWriter.for_url(settings.resolved_database_url())
    pending = [asyncio.create_task(writer.store(Intake(f"o_c{n}", utcnow(), _ticket(f"close-{n}"))))
               for n in range(20)]
    await asyncio.sleep(0)
    await writer.close()
    assert all(task.done() and not task.cancelled() for task in pending)
    assert await _count(seeded, Ticket) == 20


def _admin_dsn(backend) -> str:
    return backend.database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def test_a_dropped_connection_is_replaced_and_the_group_tried_once_more(backend, writer, seeded):
    if backend.name != "postgres":
        pytest.skip("a PostgreSQL connection")
    await writer.store(Intake("o_d", utcnow(), _ticket("before-drop")))
    admin = await asyncpg.connect(_admin_dsn(backend))
    try:
        killed = await admin.fetchval("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                      "WHERE application_name = $1 AND datname = current_database()",
                                      APPLICATION_NAME)
    finally:
        await admin.close()
    assert killed == 1
    await asyncio.sleep(0.2)
    stored = await writer.store(Intake("o_d", utcnow(), _ticket("after-drop")))
    assert not stored.duplicate and await _count(seeded, Ticket) == 2


async def test_a_failed_commit_fails_every_waiter(backend, writer, seeded):
    """A check the database makes only at COMMIT (a deferred constraint trigger) refuses one row."""
    if backend.name != "postgres":
        pytest.skip("deferred constraint triggers are PostgreSQL's")
    admin = await asyncpg.connect(_admin_dsn(backend))
    try:
        await admin.execute("""
            CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.text = 'boom' THEN RAISE EXCEPTION 'refused at commit'; END IF; RETURN NULL; END $$;
            CREATE CONSTRAINT TRIGGER refuse_boom AFTER INSERT ON ticket DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION refuse_boom();""")
        now = utcnow()
        group = [Intake(f"o_b{n}", now, _ticket(f"b-{n}", text="boom" if n == 3 else "灯坏了")) for n in range(8)]
        results = await asyncio.gather(*(writer.store(intake) for intake in group), return_exceptions=True)
    finally:
        await admin.execute("DROP TRIGGER IF EXISTS refuse_boom ON ticket; DROP FUNCTION IF EXISTS refuse_boom()")
        await admin.close()
    assert all(isinstance(result, asyncpg.RaiseError) for result in results)
    assert await _count(seeded, Ticket) == 0

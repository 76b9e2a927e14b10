"""The demo month: real classifier, approved members, a consistent audit trail, added once."""
from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from bot.console.demo import REQUESTS, demo_activity
from models.members import MemberProfile
from models.tickets import Ticket, TicketEvent


async def test_demo_month_is_consistent_and_added_once(seeded):
    assert await demo_activity(seeded) == REQUESTS
    assert await demo_activity(seeded) == 0
    async with seeded.sessions() as session:
        tickets = (await session.exec(select(Ticket))).all()
        events = (await session.exec(select(TicketEvent).order_by(TicketEvent.id))).all()
        approved = (await session.exec(select(func.count()).select_from(MemberProfile)
                                       .where(MemberProfile.status == "approved"))).one()
    assert len(tickets) == REQUESTS and approved == 8
    trail: dict[int, list[TicketEvent]] = {}
    for event in events:
        trail.setdefault(event.ticket_id, []).append(event)
    for ticket in tickets:
        steps = trail[ticket.id]
        assert steps[0].action == "created" and steps[-1].to_status == ticket.status
        assert [e.at for e in steps] == sorted(e.at for e in steps)
        assert all(a.to_status == b.from_status for a, b in zip(steps, steps[1:]))
    assert {t.status for t in tickets} >= {"queued", "claimed", "done", "closed"}


async def test_a_first_supervise_run_leaves_the_demo_as_it_is(seeded, settings):
    from bot.supervise import run_once
    from models.outbound import OutboundMessage
    from models.rooms import Room
    from tests.helpers import count

    await demo_activity(seeded)
    async with seeded.sessions() as session:
        claimed = (await session.exec(select(func.count()).select_from(Ticket)
                                      .where(Ticket.status == "claimed"))).one()
    pushes = await count(seeded, OutboundMessage)
    assert claimed > 0  # the demo has open claims for supervise to judge
    result = await run_once(seeded, settings)
    assert (result.escalated, result.expired) == (0, 0)
    assert await count(seeded, OutboundMessage) == pushes
    assert await count(seeded, Room) >= 2  # each seeded centre has rooms to book

"""The dashboard's numbers on known data, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models import stats
from models.db import transaction
from models.access import Scope, grant, scope_of
from models.tickets import TicketEvent
from models.users import Role, User
from tests.bot.console.tickets import add_ticket, unit_id
from tests.loop_support import department

START = datetime(2026, 3, 1, tzinfo=UTC) - timedelta(hours=8)  # 2026-03-01 00:00 China time
PERIOD = stats.Period(START, START + timedelta(days=7))
HOUR = 3600


async def _scope(storage, role: Role, unit_code: str | None) -> Scope:
    wanted = await unit_id(storage, unit_code) if unit_code else None
    async with transaction(storage.sessions) as session:
        user = User(openid=f"console:{role}:{unit_code}", subscribed=False)
        session.add(user)
        await session.flush()
        await grant(session, user.id, role, wanted)
        return await scope_of(session, user.id)


async def _member(storage, openid: str, name: str) -> User:
    async with transaction(storage.sessions) as session:
        user = User(openid=openid, name=name)
        session.add(user)
    return user


async def _event(storage, ticket, actor: int | None, action: str, after: timedelta) -> None:
    async with transaction(storage.sessions) as session:
        session.add(TicketEvent(ticket_id=ticket.id, actor_id=actor, action=action, at=ticket.created_at + after))


async def _scenario(storage) -> User:
    member = await _member(storage, "o_member", "李党员")
    day = timedelta(days=1)
    t1 = await add_ticket(storage, "S01-C01-G01", at=START + day, status="done", rating=5)
    await _event(storage, t1, member.id, "claimed", timedelta(hours=1))
    t2 = await add_ticket(storage, "S01-C01-G01", at=START + day, status="claimed", urgent=True)
    await _event(storage, t2, member.id, "claimed", timedelta(hours=3))  # urgent limit is 2 h
    t3 = await add_ticket(storage, "S01-C01-G01", at=START + 2 * day)
    await _event(storage, t3, None, "escalated", timedelta(minutes=5))  # the system is not a response
    t4 = await add_ticket(storage, "S01-C01-G02", at=START + 3 * day, status="closed", rating=2)
    await _event(storage, t4, member.id, "claimed", timedelta(minutes=30))
    await add_ticket(storage, "S01-C02-G03", at=START + day, kind="私事", status="advised")
    own = await add_ticket(storage, "S01-C02-G03", at=START + day, openid="o_other")
    await _event(storage, own, own.user_id, "progress", timedelta(minutes=1))  # the resident's own note
    await add_ticket(storage, "S01-C01-G01", at=START - day)  # before the period
    return member


def _by_name(rows):
    return {row.name: (row.total, row.responded, row.resolved, row.rated, row.satisfied) for row in rows}


async def test_rates_per_grid_and_community(seeded):
    await _scenario(seeded)
    scope = await _scope(seeded, Role.admin, None)
    async with seeded.sessions() as session:
        grids = await stats.rates(session, scope, PERIOD, "grid", 24 * HOUR, 2 * HOUR)
        communities = await stats.rates(session, scope, PERIOD, "community", 24 * HOUR, 2 * HOUR)
    assert _by_name(grids) == {"阳光第一网格": (3, 1, 1, 1, 1), "阳光第二网格": (1, 1, 1, 1, 0),
                               "和平第一网格": (1, 0, 0, 0, 0), "合计": (5, 2, 2, 2, 1)}
    assert _by_name(communities) == {"阳光社区": (4, 2, 2, 2, 1), "和平社区": (1, 0, 0, 0, 0), "合计": (5, 2, 2, 2, 1)}
    total = grids[-1]
    assert (total.response_rate, total.resolution_rate, total.satisfaction_rate) == (0.4, 0.4, 0.5)


async def test_a_grid_head_counts_only_their_grid(seeded):
    await _scenario(seeded)
    scope = await _scope(seeded, Role.grid_head, "S01-C01-G01")
    async with seeded.sessions() as session:
        rows = await stats.rates(session, scope, PERIOD, "grid", 24 * HOUR, 2 * HOUR)
    assert _by_name(rows) == {"阳光第一网格": (3, 1, 1, 1, 1), "合计": (3, 1, 1, 1, 1)}


async def test_empty_period_has_no_rates(seeded):
    scope = await _scope(seeded, Role.admin, None)
    async with seeded.sessions() as session:
        [total] = await stats.rates(session, scope, PERIOD, "grid", 24 * HOUR, 2 * HOUR)
    assert total.total == 0 and total.response_rate is None and total.satisfaction_rate is None


async def test_counts_are_bucketed_by_china_day(seeded):
    late_evening_utc = datetime(2026, 3, 2, 17, 30, tzinfo=UTC)  # 2026-03-03 01:30 in China
    await add_ticket(seeded, "S01-C01-G01", at=late_evening_utc)
    await add_ticket(seeded, "S01-C01-G01", at=late_evening_utc, department="城管", kind="大事")
    await add_ticket(seeded, "S01-C01-G02", at=START + timedelta(minutes=1))
    scope = await _scope(seeded, Role.admin, None)
    async with seeded.sessions() as session:
        by_category = await stats.counts_over_time(session, scope, PERIOD, "department")
        by_kind = await stats.counts_over_time(session, scope, PERIOD, "kind")
        months = await stats.counts_over_time(session, scope, stats.Period(START, START + timedelta(days=120)), "kind")
    assert by_category == [("2026-03-01", "物业", 1), ("2026-03-03", "城管", 1), ("2026-03-03", "物业", 1)]
    assert by_kind == [("2026-03-01", "小事", 1), ("2026-03-03", "大事", 1), ("2026-03-03", "小事", 1)]
    assert months == [("2026-03", "大事", 1), ("2026-03", "小事", 2)]


@pytest.fixture
def limits():
    return {"unclaimed": {True: 120, False: 24 * 60}, "no_progress": {True: 6 * 60, False: 72 * 60}}


async def test_overdue_tasks(seeded, limits):
    now = START + timedelta(days=5)
    late = await add_ticket(seeded, "S01-C01-G01", "等了两天", at=now - timedelta(days=2))
    urgent = await add_ticket(seeded, "S01-C01-G01", "紧急等了三小时", at=now - timedelta(hours=3), urgent=True)
    await add_ticket(seeded, "S01-C01-G01", "刚登记", at=now - timedelta(hours=1))
    stalled = await add_ticket(seeded, "S01-C01-G02", "认领后没动静", at=now - timedelta(days=5), status="claimed",
                               claimed_at=now - timedelta(days=4), last_progress_at=now - timedelta(days=4))
    await add_ticket(seeded, "S01-C01-G02", "办理中", at=now - timedelta(days=5), status="claimed",
                     claimed_at=now - timedelta(days=4), last_progress_at=now - timedelta(days=1))
    await add_ticket(seeded, "S01-C01-G02", "早办完了", at=now - timedelta(days=5), status="done")
    scope = await _scope(seeded, Role.admin, None)
    async with seeded.sessions() as session:
        found = await stats.overdue(session, scope, now, **limits)
    assert [t.id for t in found] == [urgent.id, stalled.id, late.id]


async def test_member_ranking(seeded):
    first = await _member(seeded, "o_a", "张党员")
    second = await _member(seeded, "o_b", "赵党员")
    for who, rating, offset in ((first, 5, 1), (first, 4, 2), (second, 2, 1), (first, 5, 20)):
        ticket = await add_ticket(seeded, "S01-C01-G01", at=START + timedelta(days=offset), status="done",
                                  rating=rating)
        await _event(seeded, ticket, who.id, "done", timedelta(hours=2))
    scope = await _scope(seeded, Role.admin, None)
    async with seeded.sessions() as session:
        ranking = await stats.member_ranking(session, scope, PERIOD)
    assert [(m.name, m.finished, m.rated, m.satisfied, m.average_rating) for m in ranking] == [
        ("张党员", 2, 2, 2, 4.5), ("赵党员", 1, 1, 0, 2.0)]


async def test_rates_by_department_count_the_liaisons_answers(seeded):
    build = await department(seeded, "城乡建设")
    liaison = await _member(seeded, "o_stats_liaison", "联络员")
    day = timedelta(days=1)
    fast = await add_ticket(seeded, "S01-C01-G01", at=START + day, kind="大事", status="closed", rating=5,
                            department_id=build)
    await _event(seeded, fast, liaison.id, "acknowledged", timedelta(hours=2))
    await add_ticket(seeded, "S01-C01-G01", at=START + day, kind="大事", status="forwarded", department_id=build)
    await add_ticket(seeded, "S01-C01-G01", at=START + day)  # a 小事: no department
    scope = await _scope(seeded, Role.admin, None)
    async with seeded.sessions() as session:
        by_name = {r.name: r for r in await stats.rates(session, scope, PERIOD, "department", 24 * HOUR, 2 * HOUR)}
    assert (by_name["城乡建设"].total, by_name["城乡建设"].responded, by_name["城乡建设"].resolved) == (2, 1, 1)
    assert by_name["城乡建设"].satisfaction_rate == 1.0 and by_name["非大事"].total == 1
    assert by_name["合计"].total == 3

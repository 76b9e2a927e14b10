"""Quiet hours, who may send where, and a fan-out that happens once."""
from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlmodel import select

from models.clock import utcnow
from models.access import holds
from models.notices import (create_notice, delivery_counts, fan_out, parse_quiet_hours,
                            quiet_until)
from models.org import find_unit
from models.outbound import OutboundMessage
from models.users import Role, User, UserRole

QUIET = parse_quiet_hours("22:00-07:00")


def _utc(hour: int, minute: int = 0, day: int = 24) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize("moment, expected", [
    (_utc(13, 59), None),  # 21:59 China time
    (_utc(14, 0), _utc(23, 0)),  # 22:00 → 07:00 next morning (23:00 UTC)
    (_utc(17, 30), _utc(23, 0)),  # 01:30 → 07:00 the same morning
    (_utc(23, 0), None),  # 07:00 sharp
])
def test_quiet_hours_in_china_time(moment, expected):
    assert quiet_until(moment, *QUIET) == expected


def test_quiet_hours_that_do_not_wrap_midnight():
    assert quiet_until(_utc(5), time(12), time(14)) == _utc(6)
    assert quiet_until(_utc(7), time(12), time(14)) is None


async def test_only_staff_of_the_unit_or_above_may_send_there(seeded):
    async with seeded.sessions() as session, session.begin():
        users = [User(openid=name) for name in ("o_staff", "o_street", "o_member", "o_admin")]
        session.add_all(users)
        await session.flush()
        c01, c02, street = [await find_unit(session, code) for code in ("S01-C01", "S01-C02", "S01")]
        grid = await find_unit(session, "S01-C01-G01")
        session.add_all([UserRole(user_id=users[0].id, role=Role.staff, unit_id=c01.id),
                         UserRole(user_id=users[1].id, role=Role.staff, unit_id=street.id),
                         UserRole(user_id=users[2].id, role=Role.member, unit_id=c01.id),
                         UserRole(user_id=users[3].id, role=Role.admin, unit_id=None)])
        await session.flush()
        assert await holds(session, users[0].id, Role.staff, c01.id) and await holds(session, users[0].id, Role.staff, grid.id)
        assert not await holds(session, users[0].id, Role.staff, c02.id) and not await holds(session, users[0].id, Role.staff, street.id)
        assert await holds(session, users[1].id, Role.staff, c02.id)
        assert not await holds(session, users[2].id, Role.staff, c01.id)
        assert await holds(session, users[3].id, Role.staff, street.id)


async def test_a_notice_asked_for_at_night_waits_unless_urgent(seeded):
    async with seeded.sessions() as session, session.begin():
        unit = await find_unit(session, "S01-C01")
        calm = await create_notice(session, unit=unit, title="t", body="b", tags=[], urgent=False,
                                   send_at=_utc(15), created_by=None, quiet_hours=QUIET)
        urgent = await create_notice(session, unit=unit, title="t", body="b", tags=[], urgent=True,
                                     send_at=_utc(15), created_by=None, quiet_hours=QUIET)
    assert calm.send_at == _utc(23) and urgent.send_at == _utc(15)


async def test_fan_out_writes_one_row_per_recipient_once(seeded):
    async with seeded.sessions() as session, session.begin():
        grid = await find_unit(session, "S01-C01-G01")
        session.add_all([User(openid=f"o_{n}", grid_id=grid.id) for n in range(5)])
        notice = await create_notice(session, unit=grid, title="停电", body="b", tags=["停水停电"], urgent=True,
                                     send_at=utcnow(), created_by=None, quiet_hours=QUIET)
        now = utcnow()
        first = await fan_out(session, notice.id, now, now)
        again = await fan_out(session, notice.id, now, now)
    assert len(first) == 5 and again == []
    async with seeded.sessions() as session:
        rows = (await session.exec(select(OutboundMessage))).all()
        assert {row.idempotency_key for row in rows} == {f"notice:{notice.id}:o_{n}" for n in range(5)}
        assert all(row.urgent and row.kind == "notice" for row in rows)
        assert await delivery_counts(session, notice.id) == {"sent": 0, "pending": 5, "failed": 0, "skipped": 0}

"""Room booking as an action on a real session: opening hours, slot limits, overlap, cancelling."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from handlers.centres import actions
from handlers.types import Refusal
from models.centres import ServiceCentre
from models.clock import CHINA
from models.db import transaction
from models.opening_hours import parse_hours
from models.rooms import Room
from models.users import get_or_create_user

NOW = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)  # Wednesday 09:00 in China
LIMITS = actions.Limits(max_hours=8, horizon_days=60)


def _at(day: int, hour: int) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=CHINA).astimezone(UTC)


async def _room(storage, centre_code: str = "CTR-C02") -> int:
    async with transaction(storage.sessions) as session:
        centre = (await session.exec(select(ServiceCentre).where(ServiceCentre.code == centre_code))).one()
        room = Room(centre_id=centre.id, name="活动室一", capacity=20)
        session.add(room)
        await session.flush()
        return room.id


async def _book(storage, openid: str, room_id: int, start: datetime, end: datetime):
    async with transaction(storage.sessions) as session:
        user = await get_or_create_user(session, openid)
        return await actions.book_room(session, user, room_id, starts_at=start, ends_at=end, purpose="学习",
                                       now=NOW, limits=LIMITS)


async def _code(storage, openid: str, room_id: int, start: datetime, end: datetime) -> str:
    with pytest.raises(Refusal) as refused:
        await _book(storage, openid, room_id, start, end)
    return refused.value.code


def test_opening_hours_are_read_from_the_text():
    hours = parse_hours("周一至周六 9:00-18:00")
    assert hours.admits(_at(3, 9), _at(3, 18)) and not hours.admits(_at(3, 8), _at(3, 10))
    assert not hours.admits(_at(6, 10), _at(6, 11))  # Sunday
    assert parse_hours("请电话咨询") is None and parse_hours("22:00-02:00") is None


async def test_booking_only_within_opening_hours(seeded):
    room_id = await _room(seeded)
    assert await _code(seeded, "o_a", room_id, _at(3, 23), _at(4, 2)) == "invalid"  # 23:00-02:00
    assert await _code(seeded, "o_a", room_id, _at(6, 10), _at(6, 12)) == "invalid"  # closed on Sunday
    booked = await _book(seeded, "o_a", room_id, _at(3, 9), _at(3, 11))
    assert booked.booking.room_id == room_id and "预约成功" in booked.sentence


async def test_slot_limits_overlap_and_cancel(seeded):
    room_id = await _room(seeded)
    assert await _code(seeded, "o_a", room_id, _at(3, 11), _at(3, 10)) == "invalid"
    assert await _code(seeded, "o_a", room_id, _at(1, 10), _at(1, 11)) == "invalid"  # past
    assert await _code(seeded, "o_a", 99999, _at(3, 10), _at(3, 11)) == "not_found"
    first = await _book(seeded, "o_a", room_id, _at(3, 10), _at(3, 12))
    with pytest.raises(actions.SlotTaken) as taken:
        await _book(seeded, "o_b", room_id, _at(3, 11), _at(3, 13))
    assert taken.value.code == "conflict" and "10:00–12:00" in taken.value.sentence
    async with transaction(seeded.sessions) as session:
        other = await get_or_create_user(session, "o_b")
        with pytest.raises(Refusal) as refused:
            await actions.cancel_booking(session, other, first.booking.id, NOW)
        assert refused.value.code == "not_found"
        owner = await get_or_create_user(session, "o_a")
        await actions.cancel_booking(session, owner, first.booking.id, NOW)
        with pytest.raises(Refusal) as refused:
            await actions.cancel_booking(session, owner, first.booking.id, NOW)
        assert refused.value.code == "conflict"
    assert (await _book(seeded, "o_b", room_id, _at(3, 11), _at(3, 13))).booking.user_id != first.booking.user_id

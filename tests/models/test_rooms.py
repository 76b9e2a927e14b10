"""Room bookings: no two active bookings of a room overlap, even when they race; cancelling frees the slot."""
from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlmodel import select

from models.centres import ServiceCentre
from models.clock import utcnow
from models.db import transaction
from models.rooms import BookingOutcome, Room, RoomBooking, book, bookings_of_room, cancel
from models.users import get_or_create_user

HOUR = timedelta(hours=1)


async def _room_and_users(storage, users: int = 2) -> tuple[int, list[int]]:
    async with transaction(storage.sessions) as session:
        centre = (await session.exec(select(ServiceCentre))).first()
        room = Room(centre_id=centre.id, name="多功能厅", capacity=40)
        session.add(room)
        ids = [(await get_or_create_user(session, f"o_booker_{n}")).id for n in range(users)]
        await session.flush()
        return room.id, ids


async def _book(storage, room_id: int, user_id: int, start, end) -> BookingOutcome:
    async with transaction(storage.sessions) as session:
        outcome, _ = await book(session, room_id=room_id, user_id=user_id, starts_at=start, ends_at=end,
                                purpose="党员活动")
        return outcome


async def test_overlapping_slot_is_refused_and_adjacent_slot_is_fine(seeded):
    room_id, (alice, bob) = await _room_and_users(seeded)
    start = utcnow().replace(microsecond=0) + timedelta(days=1)
    assert await _book(seeded, room_id, alice, start, start + 2 * HOUR) == BookingOutcome.booked
    assert await _book(seeded, room_id, bob, start + HOUR, start + 3 * HOUR) == BookingOutcome.overlap
    assert await _book(seeded, room_id, bob, start - HOUR, start) == BookingOutcome.booked
    assert await _book(seeded, room_id, bob, start + 2 * HOUR, start + 3 * HOUR) == BookingOutcome.booked
    async with seeded.sessions() as session:
        rows = await bookings_of_room(session, room_id, start - 2 * HOUR, start + 4 * HOUR)
    assert [(row.user_id, row.ends_at - row.starts_at) for row in rows] == [
        (bob, HOUR), (alice, 2 * HOUR), (bob, HOUR)]


async def test_unknown_room_is_not_booked(seeded):
    _, (alice, _bob) = await _room_and_users(seeded)
    start = utcnow() + timedelta(days=1)
    assert await _book(seeded, 999_999, alice, start, start + HOUR) == BookingOutcome.no_room


async def test_concurrent_bookings_of_one_slot_yield_exactly_one(seeded):
    room_id, users = await _room_and_users(seeded, users=8)
    start = utcnow().replace(microsecond=0) + timedelta(days=2)
    # every racer wants a slot overlapping every other's: at most one may win
    outcomes = await asyncio.gather(*(
        _book(seeded, room_id, user, start + timedelta(minutes=5 * n), start + HOUR + timedelta(minutes=5 * n))
        for n, user in enumerate(users)))
    assert outcomes.count(BookingOutcome.booked) == 1
    assert outcomes.count(BookingOutcome.overlap) == len(users) - 1
    async with seeded.sessions() as session:
        stored = (await session.exec(select(RoomBooking).where(RoomBooking.room_id == room_id))).all()
    assert len(stored) == 1


async def test_cancelling_frees_the_slot(seeded):
    room_id, (alice, bob) = await _room_and_users(seeded)
    start = utcnow().replace(microsecond=0) + timedelta(days=3)
    async with transaction(seeded.sessions) as session:
        _, booking = await book(session, room_id=room_id, user_id=alice, starts_at=start, ends_at=start + HOUR,
                                purpose="读书会")
    assert await _book(seeded, room_id, bob, start, start + HOUR) == BookingOutcome.overlap
    async with transaction(seeded.sessions) as session:
        booking = await session.get(RoomBooking, booking.id)
        assert await cancel(session, booking, utcnow()) is True
        assert await cancel(session, booking, utcnow()) is False  # cancelling twice changes nothing
    assert await _book(seeded, room_id, bob, start, start + HOUR) == BookingOutcome.booked

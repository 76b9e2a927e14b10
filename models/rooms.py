"""Rooms of the service centres (阵地) and their bookings (预约) for time slots.

Two active bookings of one room never overlap. `book` first bumps the room's
`lock_version`: that UPDATE takes the room's row lock on PostgreSQL and SQLite's single
write lock, so concurrent bookings of the same room check for a clash and insert one after
another, each seeing what the previous one committed. Cancelling frees the slot at once.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, UniqueConstraint, update
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.clock import utcnow


class Room(SQLModel, table=True):
    """A bookable room of a centre (活动室, 会议室 …); `capacity` in people."""

    __tablename__ = "centre_room"
    __table_args__ = (UniqueConstraint("centre_id", "name", name="uq_centre_room_name"),)
    id: int | None = Field(default=None, primary_key=True)
    centre_id: int = Field(foreign_key="service_centre.id", index=True)
    name: str = Field(max_length=50)
    capacity: int = 0
    facilities: str = Field(default="", max_length=200)
    active: bool = True
    lock_version: int = 0


class BookingStatus(StrEnum):
    active = "active"
    cancelled = "cancelled"


class RoomBooking(SQLModel, table=True):
    """One booking of a room from `starts_at` to `ends_at` (UTC, end exclusive)."""

    __tablename__ = "room_booking"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ck_room_booking_order"),)
    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="centre_room.id", index=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    starts_at: datetime = Field(index=True)
    ends_at: datetime
    purpose: str = Field(max_length=100)
    status: str = Field(default=BookingStatus.active, max_length=16, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    cancelled_at: datetime | None = None


class BookingOutcome(StrEnum):
    booked = "booked"
    overlap = "overlap"
    no_room = "no_room"


async def rooms_of(session: AsyncSession, centre_id: int) -> list[Room]:
    query = select(Room).where(Room.centre_id == centre_id, Room.active).order_by(Room.id)
    return list((await session.exec(query)).all())


async def book(session: AsyncSession, *, room_id: int, user_id: int, starts_at: datetime, ends_at: datetime,
               purpose: str) -> tuple[BookingOutcome, RoomBooking | None]:
    """Book the slot, or say why not: (overlap, the booking in the way) or (no_room, None)."""
    locked = await session.exec(update(Room).where(Room.id == room_id, Room.active)
                                   .values(lock_version=Room.lock_version + 1))
    if locked.rowcount == 0:
        return BookingOutcome.no_room, None
    clash = (await session.exec(select(RoomBooking).where(
        RoomBooking.room_id == room_id, RoomBooking.status == BookingStatus.active,
        RoomBooking.starts_at < ends_at, RoomBooking.ends_at > starts_at).limit(1))).first()
    if clash is not None:
        return BookingOutcome.overlap, clash
    booking = RoomBooking(room_id=room_id, user_id=user_id, starts_at=starts_at, ends_at=ends_at, purpose=purpose)
    session.add(booking)
    await session.flush()
    return BookingOutcome.booked, booking


async def cancel(session: AsyncSession, booking: RoomBooking, now: datetime) -> bool:
    """Cancel an active booking (the slot is free for others at once); False if it was not active."""
    result = await session.exec(update(RoomBooking).where(
        RoomBooking.id == booking.id, RoomBooking.status == BookingStatus.active)
        .values(status=BookingStatus.cancelled, cancelled_at=now))
    if result.rowcount:
        booking.status, booking.cancelled_at = BookingStatus.cancelled, now
    return bool(result.rowcount)


async def bookings_of_room(session: AsyncSession, room_id: int, start: datetime, end: datetime) -> list[RoomBooking]:
    """Active bookings of a room that touch [start, end), earliest first."""
    query = select(RoomBooking).where(RoomBooking.room_id == room_id, RoomBooking.status == BookingStatus.active,
                                      RoomBooking.starts_at < end, RoomBooking.ends_at > start)
    return list((await session.exec(query.order_by(RoomBooking.starts_at))).all())


async def bookings_of_user(session: AsyncSession, user_id: int, before_id: int | None, limit: int) -> list[RoomBooking]:
    query = select(RoomBooking).where(RoomBooking.user_id == user_id)
    if before_id is not None:
        query = query.where(RoomBooking.id < before_id)
    return list((await session.exec(query.order_by(RoomBooking.id.desc()).limit(limit))).all())

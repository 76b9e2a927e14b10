"""Room booking (阵地预约) as actions: book a slot, cancel one's own booking.

A slot must be in order, ahead, not too long or too far off, and within the centre's
opening hours (models/opening_hours.py); `models.rooms.book` keeps bookings of one room
from overlapping under concurrency.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.texts import centres as texts
from handlers.types import Refusal
from models.centres import ServiceCentre
from models.clock import local_text
from models.opening_hours import parse_hours
from models.rooms import BookingOutcome, Room, RoomBooking, book, cancel
from models.users import User


@dataclass(frozen=True)
class Limits:
    max_hours: int
    horizon_days: int


@dataclass(frozen=True)
class Booked:
    booking: RoomBooking
    room: Room

    @property
    def sentence(self) -> str:
        return texts.BOOKED.format(room=self.room.name, start=local_text(self.booking.starts_at),
                                   end=local_text(self.booking.ends_at)[-5:])


class SlotTaken(Refusal):
    """The slot overlaps another booking (named in the sentence): a conflict the mini program
    tells apart (its code slot_taken)."""

    def __init__(self, booking: RoomBooking) -> None:
        super().__init__("conflict", texts.BOOKING_TAKEN.format(start=local_text(booking.starts_at),
                                                                end=local_text(booking.ends_at)[-5:]))


async def book_room(session: AsyncSession, actor: User, room_id: int, *, starts_at: datetime, ends_at: datetime,
                    purpose: str, now: datetime, limits: Limits) -> Booked:
    """Book [starts_at, ends_at) (UTC) of the room for the actor."""
    _check_slot(starts_at, ends_at, now, limits)
    room = await session.get(Room, room_id)
    if room is None or not room.active:
        raise Refusal("not_found", texts.NO_ROOM)
    centre = await session.get(ServiceCentre, room.centre_id)
    hours = parse_hours(centre.hours)
    if hours is not None and not hours.admits(starts_at, ends_at):
        raise Refusal("invalid", texts.BOOKING_CLOSED.format(centre=centre.name, hours=centre.hours))
    outcome, booking = await book(session, room_id=room_id, user_id=actor.id, starts_at=starts_at, ends_at=ends_at,
                                  purpose=purpose.strip())
    if outcome == BookingOutcome.no_room:
        raise Refusal("not_found", texts.NO_ROOM)
    if outcome == BookingOutcome.overlap:
        raise SlotTaken(booking)
    return Booked(booking, room)


def _check_slot(starts_at: datetime, ends_at: datetime, now: datetime, limits: Limits) -> None:
    if ends_at <= starts_at:
        raise Refusal("invalid", texts.BOOKING_ORDER)
    if starts_at < now:
        raise Refusal("invalid", texts.BOOKING_PAST)
    if ends_at - starts_at > timedelta(hours=limits.max_hours):
        raise Refusal("invalid", texts.BOOKING_TOO_LONG.format(hours=limits.max_hours))
    if ends_at > now + timedelta(days=limits.horizon_days):
        raise Refusal("invalid", texts.BOOKING_TOO_FAR.format(days=limits.horizon_days))


async def cancel_booking(session: AsyncSession, actor: User, booking_id: int, now: datetime) -> RoomBooking:
    """Cancel the actor's own booking; the slot is free for others at once."""
    booking = await session.get(RoomBooking, booking_id)
    if booking is None or booking.user_id != actor.id:
        raise Refusal("not_found", texts.NO_BOOKING)
    if not await cancel(session, booking, now):
        raise Refusal("conflict", texts.ALREADY_CANCELLED)
    return booking

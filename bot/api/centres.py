"""The red map and room booking (阵地预约) for the mini program.

Nearest centres use the same query as the LOCATION message in chat; booking and cancelling
are the centres' actions (handlers/centres/actions.py): slot limits, opening hours, no overlap.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from pydantic import BaseModel, Field, model_validator
from sqlmodel import select

from bot.api import texts
from bot.api.domain import domain
from bot.api.errors import conflict, invalid, not_found
from bot.api.paging import PageQuery, decode_cursor, next_cursor
from bot.api.registry import API, Call, RowId
from bot.api.state import state_of
from handlers.centres import actions
from handlers.texts import centres as centre_texts
from models.centres import ServiceCentre, nearest
from models.clock import CHINA
from models.rooms import Room, RoomBooking, bookings_of_room, bookings_of_user, rooms_of


class NearQuery(BaseModel):
    lat: float | None = Field(default=None, ge=-90, le=90, description="纬度（WGS-84）")
    lng: float | None = Field(default=None, ge=-180, le=180, description="经度（WGS-84）")
    limit: int = Field(default=5, ge=1, le=50)

    @model_validator(mode="after")
    def both_or_neither(self) -> NearQuery:
        if (self.lat is None) != (self.lng is None):
            raise invalid(texts.LOCATION_PAIR)
        return self


class CentreOut(BaseModel):
    id: int
    code: str
    name: str
    address: str
    lat: float
    lng: float
    hours: str
    phone: str
    services: list[str]
    distance_m: int | None = Field(description="与查询位置的直线距离（米），未给位置时为空")


class CentreList(BaseModel):
    items: list[CentreOut]


class CentreId(BaseModel):
    centre_id: RowId


class RoomId(BaseModel):
    room_id: RowId


class BookingId(BaseModel):
    booking_id: RowId


class RoomOut(BaseModel):
    id: int
    centre_id: int
    name: str
    capacity: int
    facilities: str


class RoomList(BaseModel):
    items: list[RoomOut]


class DayQuery(BaseModel):
    day: date | None = Field(default=None, description="哪一天（北京时间），默认今天")


class BookingIn(BaseModel):
    starts_at: datetime = Field(description="开始时间；不带时区时按北京时间")
    ends_at: datetime
    purpose: str = Field(min_length=1, max_length=100, description="用途，例如：党小组学习")


class BookingOut(BaseModel):
    id: int
    room_id: int
    starts_at: datetime
    ends_at: datetime
    purpose: str = Field(description="用途；他人的预约只显示“已预约”")
    status: str
    mine: bool


class BookingList(BaseModel):
    items: list[BookingOut]
    next_cursor: str | None = None


class Booked(BaseModel):
    message: str
    booking: BookingOut


def centre_out(centre: ServiceCentre, metres: float | None) -> CentreOut:
    return CentreOut(id=centre.id, code=centre.code, name=centre.name, address=centre.address, lat=centre.lat,
                     lng=centre.lng, hours=centre.hours, phone=centre.phone,
                     services=[s for s in centre.services.split("、") if s],
                     distance_m=None if metres is None else round(metres))


def booking_out(booking: RoomBooking, user_id: int) -> BookingOut:
    """A booking as `user_id` may see it: the free-text purpose is its owner's alone (residents write names in it)."""
    mine = booking.user_id == user_id
    return BookingOut(id=booking.id, room_id=booking.room_id, starts_at=booking.starts_at, ends_at=booking.ends_at,
                      purpose=booking.purpose if mine else texts.PURPOSE_HIDDEN, status=booking.status, mine=mine)


@API.route("GET", "/centres", summary="党群服务中心/站；给出 lat、lng 时按距离由近到远", response=CentreList,
           query=NearQuery, tag="centres")
async def centres(call: Call) -> CentreList:
    async with state_of(call.request).storage.sessions() as session:
        if call.query.lat is None:
            rows = (await session.exec(select(ServiceCentre).order_by(ServiceCentre.id).limit(call.query.limit))).all()
            return CentreList(items=[centre_out(centre, None) for centre in rows])
        ranked = await nearest(session, call.query.lat, call.query.lng, call.query.limit)
        return CentreList(items=[centre_out(centre, metres) for centre, metres in ranked])


@API.route("GET", "/centres/{centre_id}/rooms", summary="服务中心可预约的活动室", response=RoomList,
           path_model=CentreId, errors=(404,), tag="centres")
async def rooms(call: Call) -> RoomList:
    async with state_of(call.request).storage.sessions() as session:
        if await session.get(ServiceCentre, call.path.centre_id) is None:
            raise not_found(texts.CENTRE)
        return RoomList(items=[RoomOut(**room.model_dump(include=set(RoomOut.model_fields)))
                               for room in await rooms_of(session, call.path.centre_id)])


@API.route("GET", "/rooms/{room_id}/bookings", summary="活动室某一天已被预约的时段", response=BookingList,
           path_model=RoomId, query=DayQuery, errors=(404,), tag="centres")
async def room_bookings(call: Call) -> BookingList:
    day = call.query.day or datetime.now(CHINA).date()
    start = datetime.combine(day, time(), CHINA).astimezone(UTC)
    async with state_of(call.request).storage.sessions() as session:
        if await session.get(Room, call.path.room_id) is None:
            raise not_found(texts.ROOM)
        rows = await bookings_of_room(session, call.path.room_id, start, start + timedelta(days=1))
        return BookingList(items=[booking_out(row, call.me.id) for row in rows])


@API.route("POST", "/rooms/{room_id}/bookings", summary="预约活动室的一个时段（不会与他人重叠）", response=Booked,
           path_model=RoomId, body=BookingIn, status=201, errors=(404, 409, 422), tag="centres")
async def book_room(call: Call) -> Booked:
    limits = actions.Limits(state_of(call.request).settings.booking_max_hours,
                            state_of(call.request).settings.booking_horizon_days)
    async with domain(call.request, call.me) as ctx:
        try:
            booked = await actions.book_room(ctx.session, ctx.user, call.path.room_id,
                                             starts_at=_utc(call.body.starts_at), ends_at=_utc(call.body.ends_at),
                                             purpose=call.body.purpose, now=ctx.now, limits=limits)
        except actions.SlotTaken as taken:
            raise conflict(taken.sentence, code="slot_taken") from None
        return Booked(message=booked.sentence, booking=booking_out(booked.booking, ctx.user.id))


@API.route("DELETE", "/bookings/{booking_id}", summary="取消我的预约，时段立即释放", response=Booked,
           path_model=BookingId, errors=(404, 409), tag="centres")
async def cancel_booking(call: Call) -> Booked:
    async with domain(call.request, call.me) as ctx:
        booking = await actions.cancel_booking(ctx.session, ctx.user, call.path.booking_id, ctx.now)
        return Booked(message=centre_texts.CANCELLED, booking=booking_out(booking, ctx.user.id))


@API.route("GET", "/bookings/mine", summary="我的预约（新的在前）", response=BookingList, query=PageQuery,
           errors=(400,), tag="centres")
async def my_bookings(call: Call) -> BookingList:
    async with state_of(call.request).storage.sessions() as session:
        rows = await bookings_of_user(session, call.me.id, decode_cursor(call.query.cursor), call.query.limit)
        return BookingList(items=[booking_out(row, call.me.id) for row in rows],
                           next_cursor=next_cursor(rows, call.query.limit))


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:  # the mini program's pickers give local wall-clock time
        moment = moment.replace(tzinfo=CHINA)
    try:
        return moment.astimezone(UTC).replace(microsecond=0)
    except OverflowError:  # year 1 or 9999 with an offset: outside any bookable range anyway
        raise invalid(centre_texts.BOOKING_TOO_FAR.format(days=0)) from None

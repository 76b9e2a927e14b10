"""A resident's requests: submit (text and up to 3 photos), list, one with its history, rate, photos."""
from __future__ import annotations

import uuid
from pathlib import Path

from aiohttp import web
from pydantic import BaseModel, Field
from sqlmodel import select

from bot.api import texts
from bot.api.domain import domain
from bot.api.errors import ApiError, not_found
from bot.api.paging import PageQuery, decode_cursor, next_cursor
from bot.api.photos import MAX_PHOTOS, media_root, read_submission, store
from bot.api.registry import API, Call, RowId
from bot.api.state import state_of
from bot.api.tickets import TicketDetail, TicketOut, events_out, ticket_out, tickets_out
from handlers.requests.actions import submit as submit_request
from handlers.requests.chat import created_reply
from handlers.feedback import actions as feedback
from handlers.feedback.chat import rated_text
from models.access import may_read_ticket
from models.media import TicketPhoto, photos_of
from models.tickets import Ticket, history_of
from models.users import User

SUBMIT_JSON = {"type": "object", "required": ["text"], "properties": {
    "text": {"type": "string", "minLength": 1, "maxLength": 1000, "description": "问题描述"}}}
SUBMIT_FORM = {
    "type": "object", "required": ["text"],
    "properties": {
        "text": {"type": "string", "minLength": 1, "maxLength": 1000, "description": "问题描述"},
        "photos": {"type": "array", "maxItems": MAX_PHOTOS, "items": {"type": "string", "format": "binary"},
                   "description": "JPEG/PNG/WebP，每张不超过 photo_max_bytes"},
    },
}


class TicketId(BaseModel):
    ticket_id: RowId


class PhotoId(BaseModel):
    photo_id: RowId


class Submitted(BaseModel):
    message: str
    ticket: TicketOut


class TicketPage(BaseModel):
    items: list[TicketOut]
    next_cursor: str | None


class RatingIn(BaseModel):
    score: int = Field(description="1-5 的整数分，1-2 分会重新办理；其他数值由评价规则拒绝（422）")
    note: str = Field(default="", max_length=200)


class Rated(BaseModel):
    message: str
    ticket: TicketOut


@API.route("POST", "/requests", summary="提交诉求：文字加最多 3 张照片（multipart/form-data），或只有文字（JSON）",
           response=Submitted, form={"multipart/form-data": SUBMIT_FORM, "application/json": SUBMIT_JSON}, status=201, errors=(413, 415), tag="requests")
async def submit(call: Call) -> Submitted:
    state = state_of(call.request)
    text, photos = await read_submission(call.request, state.settings)
    if not text:
        raise ApiError(422, "text_required", texts.TEXT_REQUIRED, ["text"])
    # a retried submission (same Idempotency-Key) finds the first ticket instead of making a second
    key = call.request.headers.get("Idempotency-Key", "")[:60] or uuid.uuid4().hex
    async with domain(call.request, call.me) as ctx:
        source = f"wxa:{ctx.user.id}:{key}"
        submitted = await submit_request(ctx.session, state.settings, ctx.user, text, source, ctx.now)
        ticket = submitted.ticket
        if not (await photos_of(ctx.session, [ticket.id]))[ticket.id]:  # a retry keeps the first upload's photos
            for photo in photos:
                ctx.session.add(TicketPhoto(ticket_id=ticket.id, path=store(state.settings, photo),
                                            mime=photo.mime, size=len(photo.data)))
            await ctx.session.flush()
        return Submitted(message=created_reply(submitted).text, ticket=await ticket_out(ctx.session, ticket, ctx.user.id))


@API.route("GET", "/requests", summary="我的诉求（新的在前）", response=TicketPage, query=PageQuery,
           errors=(400,), tag="requests")
async def my_requests(call: Call) -> TicketPage:
    before = decode_cursor(call.query.cursor)
    query = select(Ticket).where(Ticket.user_id == call.me.id)
    if before is not None:
        query = query.where(Ticket.id < before)
    async with state_of(call.request).storage.sessions() as session:
        rows = list((await session.exec(query.order_by(Ticket.id.desc()).limit(call.query.limit))).all())
        return TicketPage(items=await tickets_out(session, rows, call.me.id), next_cursor=next_cursor(rows, call.query.limit))


@API.route("GET", "/requests/{ticket_id}", summary="一条诉求的状态和办理经过", response=TicketDetail,
           path_model=TicketId, errors=(404,), tag="requests")
async def request_detail(call: Call) -> TicketDetail:
    async with state_of(call.request).storage.sessions() as session:
        ticket = await _visible(session, call.me, call.path.ticket_id)
        out = await ticket_out(session, ticket, call.me.id)
        return TicketDetail(**out.model_dump(), history=events_out(await history_of(session, ticket.id)))


@API.route("POST", "/requests/{ticket_id}/rating", summary="评价已办结的诉求", response=Rated, path_model=TicketId,
           body=RatingIn, errors=(404, 409, 422), tag="requests")
async def rate(call: Call) -> Rated:
    async with domain(call.request, call.me) as ctx:
        rated = await feedback.rate(ctx.session, ctx.user, call.path.ticket_id, call.body.score, call.body.note,
                                    ctx.now, ctx.settings)
        ticket = await ctx.session.get(Ticket, rated.id, populate_existing=True)
        return Rated(message=rated_text(rated), ticket=await ticket_out(ctx.session, ticket, ctx.user.id))


@API.route("GET", "/photos/{photo_id}", summary="诉求照片（本人或工作人员可看）", response=BaseModel,
           path_model=PhotoId, errors=(404,), binary="image/*", tag="requests")
async def photo(call: Call) -> web.StreamResponse:
    state = state_of(call.request)
    async with state.storage.sessions() as session:
        found = await session.get(TicketPhoto, call.path.photo_id)
        if found is None:
            raise not_found(texts.THING)
        await _visible(session, call.me, found.ticket_id)
    path = media_root(state.settings) / Path(found.path)
    if not path.is_file():
        raise not_found(texts.THING)
    return web.FileResponse(path, headers={"Content-Type": found.mime, "Cache-Control": "private, max-age=86400"})


async def _visible(session, user: User, ticket_id: int) -> Ticket:
    """The ticket when `user` may read it (the chat's rule); 404 otherwise (its existence stays private)."""
    ticket = await session.get(Ticket, ticket_id)
    if ticket is not None and await may_read_ticket(session, user.id, ticket):
        return ticket
    raise not_found(texts.TICKET)

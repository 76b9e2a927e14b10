"""Login with a `wx.login` code, who am I, and binding the phone number WeChat vouches for."""
from __future__ import annotations

import logging

from aiohttp import web
from pydantic import BaseModel, Field

from bot.api import texts
from bot.api.errors import ApiError
from bot.api.registry import API, Call
from bot.api.state import state_of
from bot.api.tokens import revoked
from bot.api.wxa import WxaError
from handlers.masking import mask_name, mask_openid, mask_phone
from models.db import transaction
from models.users import User, get_or_create_user, roles_of

log = logging.getLogger(__name__)


class CodeIn(BaseModel):
    code: str = Field(min_length=1, max_length=128, description="wx.login() 或 getPhoneNumber 返回的 code")


class Me(BaseModel):
    id: int
    name: str | None = Field(description="打码后的姓名")
    phone: str | None = Field(description="打码后的手机号")
    grid_id: int | None
    roles: list[str]
    subscribed: bool


class LoginOut(BaseModel):
    token: str
    expires_in: int
    user: Me


async def authenticate(request: web.Request) -> User:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "no_token", texts.NO_TOKEN)
    claims = state_of(request).tokens.read(token.strip())
    async with state_of(request).storage.sessions() as session:
        user = await session.get(User, claims.user_id)
    if user is None or user.openid != claims.openid:
        raise ApiError(401, "bad_token", texts.BAD_TOKEN)
    if revoked(claims, user.unsubscribed_at):
        raise ApiError(401, "token_revoked", texts.REVOKED_TOKEN)
    return user


async def rate_guard(request: web.Request, user: User | None) -> None:
    """Per user once signed in, per address before (login itself is limited too)."""
    who = f"u{user.id}" if user else f"ip{request.remote}"
    if not await state_of(request).limiter.allow(who, scope="api"):
        raise ApiError(429, "rate_limited", texts.RATE_LIMITED)


async def me_of(session, user: User) -> Me:
    roles = sorted({role.role for role in await roles_of(session, user.id)} | {"resident"})
    return Me(id=user.id, name=mask_name(user.name) or None, phone=mask_phone(user.phone) or None,
              grid_id=user.grid_id, roles=roles, subscribed=user.subscribed)


@API.route("POST", "/login", summary="用 wx.login 的 code 登录，换取本系统的会话 token", response=LoginOut,
           body=CodeIn, auth=False, errors=(401, 502), tag="account")
async def login(call: Call) -> LoginOut:
    state = state_of(call.request)
    try:
        wx = await state.wxa.code_to_session(call.body.code)
    except WxaError as error:
        log.info("login refused by WeChat: %s", error.errcode)
        if error.bad_input:
            raise ApiError(401, "login_failed", texts.LOGIN_FAILED) from None
        raise ApiError(502, "wechat_unavailable", texts.WECHAT_DOWN) from None
    # the session key is WeChat's secret with this user: it stays in Redis, never in a response
    await state.storage.redis.set(state.storage.keys.wxa_session_key(wx.openid), wx.session_key,
                                  ex=state.settings.api_token_ttl_s)
    async with transaction(state.storage.sessions) as session:
        user = await get_or_create_user(session, wx.openid)
        await session.flush()
        me = await me_of(session, user)
    log.info("mini-program login %s", mask_openid(wx.openid))
    return LoginOut(token=state.tokens.issue(user.id, user.openid), expires_in=state.tokens.ttl_s, user=me)


@API.route("GET", "/me", summary="当前用户（姓名、手机号已打码）", response=Me, tag="account")
async def me(call: Call) -> Me:
    async with state_of(call.request).storage.sessions() as session:
        return await me_of(session, call.me)


@API.route("POST", "/me/phone", summary="用 getPhoneNumber 的 code 绑定手机号", response=Me, body=CodeIn,
           errors=(502,), tag="account")
async def bind_phone(call: Call) -> Me:
    state = state_of(call.request)
    try:
        phone = await state.wxa.phone_number(call.body.code)
    except WxaError as error:
        if error.bad_input:
            raise ApiError(422, "phone_failed", texts.PHONE_FAILED) from None
        raise ApiError(502, "wechat_unavailable", texts.WECHAT_DOWN) from None
    async with transaction(state.storage.sessions) as session:
        user = await session.get(User, call.me.id)
        user.phone = phone[:20]
        session.add(user)
        me = await me_of(session, user)
    log.info("phone bound for %s: %s", mask_openid(user.openid), mask_phone(phone))
    return me

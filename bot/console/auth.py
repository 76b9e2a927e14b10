"""Console login: signed session cookie over a Redis session, CSRF on every POST, lockout.

The cookie holds only a random session id and its HMAC; the session itself (account,
CSRF token, when it began, a stamp of the credentials) lives in Redis, so logging out ends
it at once. Every request re-reads the account: a disabled account, or one whose username
or password was reset (the stamp differs), has no sessions any more. Use extends a session
by `console_session_hours`, but never past `console_session_max_hours` after the login.
Wrong passwords lock the account for a while (bot/console/lockout.py).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from urllib.parse import urlsplit

from aiohttp import web

from bot.console import lockout
from bot.console.common import (FLASH, LOGIN_CSRF, SECRET, SETTINGS, STAFF, STORAGE, StaffSession, redirect,
                                 render)
from config.settings import Settings
from models.db import transaction
from models.access import scope_of
from models.staff import StaffAccount, authenticate

COOKIE = "linli_console"
LOGIN_COOKIE = "linli_login_csrf"
PUBLIC = ("/console/login", "/console/static/")


def sign(secret: bytes, value: str) -> str:
    return value + "." + hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()


def unsign(secret: bytes, signed: str | None) -> str | None:
    value, _, signature = (signed or "").rpartition(".")
    return value if value and hmac.compare_digest(sign(secret, value), signed or "") else None


def _cookie_options(request: web.Request) -> dict:
    secure = request.app[SETTINGS].console_secure_cookie
    if secure is None:
        secure = request.secure or request.headers.get("X-Forwarded-Proto") == "https"
    return {"httponly": True, "samesite": "Strict", "secure": secure, "path": "/console"}


@web.middleware
async def require_staff(request: web.Request, handler) -> web.StreamResponse:
    """Every console page except login needs a session; every POST needs its CSRF token."""
    if request.method == "POST" and not _same_origin(request):
        raise web.HTTPForbidden(text="请求来源不符，请刷新页面后重试。")
    if request.path.startswith(PUBLIC):
        return await handler(request)
    staff = await _load_session(request)
    if staff is None:
        if request.method == "GET":
            raise web.HTTPSeeOther(f"/console/login?next={request.rel_url}")
        raise web.HTTPForbidden(text="登录已过期，请重新登录。")
    request[STAFF] = staff
    if request.method == "POST" and not await _csrf_ok(request, staff.csrf):
        raise web.HTTPForbidden(text="页面已过期（安全校验失败），请刷新页面后重试。")
    request[FLASH] = await _pop_flash(request, staff.sid)
    return await handler(request)


def _same_origin(request: web.Request) -> bool:
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


async def _csrf_ok(request: web.Request, expected: str) -> bool:
    supplied = request.headers.get("X-CSRF-Token") or (await request.post()).get("csrf", "")
    return isinstance(supplied, str) and hmac.compare_digest(supplied, expected)


def _session_key(request: web.Request, sid: str) -> str:
    return request.app[STORAGE].keys.console_session(sid)


async def _load_session(request: web.Request) -> StaffSession | None:
    sid = unsign(request.app[SECRET], request.cookies.get(COOKIE))
    if sid is None:
        return None
    storage, key = request.app[STORAGE], _session_key(request, sid)
    data = await storage.redis.hgetall(key)
    if not data:
        return None
    left_s = _seconds_left(request.app[SETTINGS], data)
    async with storage.sessions() as session:
        account = await session.get(StaffAccount, int(data["account_id"]))
        valid = (left_s > 0 and account is not None and not account.disabled
                 and credential_stamp(account) == data.get("stamp"))
        scope = await scope_of(session, account.user_id) if valid else None
    if not valid:
        await storage.redis.delete(key)
        return None
    await storage.redis.expire(key, min(request.app[SETTINGS].console_session_hours * 3600, left_s))
    return StaffSession(sid, account.id, account.user_id, account.username, data["csrf"], scope)


def _seconds_left(settings: Settings, data: dict[str, str]) -> int:
    """Until the absolute limit; a session stored without its start (older code) has none left."""
    started = float(data.get("started") or 0)
    return int(started + settings.console_session_max_hours * 3600 - time.time())


def credential_stamp(account: StaffAccount) -> str:
    """Changes whenever set_login resets the username or password (a fresh salt even for the same
    password), so sessions begun with the old credentials stop working without any step to forget."""
    return hashlib.sha256(f"{account.username}\n{account.password_hash}".encode()).hexdigest()[:32]


async def flash(request: web.Request, message: str) -> None:
    """A one-line message shown on the next page (after a POST's redirect)."""
    key = _session_key(request, request[STAFF].sid)
    await request.app[STORAGE].redis.hset(key, "flash", message)


async def _pop_flash(request: web.Request, sid: str) -> str:
    key = _session_key(request, sid)
    message = await request.app[STORAGE].redis.hget(key, "flash")
    if message:
        await request.app[STORAGE].redis.hdel(key, "flash")
    return message or ""


async def login_page(request: web.Request) -> web.Response:
    return _login_form(request, "")


def _login_form(request: web.Request, error: str, status: int = 200) -> web.Response:
    token = secrets.token_urlsafe(24)
    request[LOGIN_CSRF] = token
    response = render(request, "login.html", error=error, next=request.query.get("next", ""))
    response.set_status(status)
    response.set_cookie(LOGIN_COOKIE, token, max_age=3600, **_cookie_options(request))
    return response


async def login(request: web.Request) -> web.Response:
    form = await request.post()
    cookie_token = request.cookies.get(LOGIN_COOKIE, "")
    if not cookie_token or not hmac.compare_digest(str(form.get("csrf", "")), cookie_token):
        return _login_form(request, "页面已过期，请重新输入用户名和密码。", 403)
    username, password = str(form.get("username", "")).strip().lower(), str(form.get("password", ""))
    if not username or not password:
        return _login_form(request, "请输入用户名和密码。", 400)
    if not await lockout.take_attempt(request, username):
        minutes = request.app[SETTINGS].console_lockout_minutes
        return _login_form(request, f"密码错误次数过多，账号已临时锁定，请 {minutes} 分钟后再试或联系管理员。", 429)
    async with transaction(request.app[STORAGE].sessions) as session:
        account = await authenticate(session, username, password)
    if account is None:
        await lockout.failed(request, username)
        return _login_form(request, "用户名或密码不正确，请重新输入。", 401)
    await lockout.succeeded(request, username)
    response = redirect(_safe_next(str(form.get("next", ""))))
    await _start_session(request, response, account)
    return response


def _safe_next(target: str) -> str:
    """Only a console path: an open redirect would let a phishing link borrow our login page."""
    return target if target.startswith("/console/") and not target.startswith("/console//") else "/console/"


async def _start_session(request: web.Request, response: web.StreamResponse, account: StaffAccount) -> None:
    sid = secrets.token_urlsafe(32)
    key, ttl = _session_key(request, sid), request.app[SETTINGS].console_session_hours * 3600
    redis = request.app[STORAGE].redis
    await redis.hset(key, mapping={"account_id": account.id, "csrf": secrets.token_urlsafe(32),
                                   "started": str(time.time()), "stamp": credential_stamp(account)})
    await redis.expire(key, ttl)
    response.set_cookie(COOKIE, sign(request.app[SECRET], sid), max_age=ttl, **_cookie_options(request))
    response.del_cookie(LOGIN_COOKIE, path="/console")


async def logout(request: web.Request) -> web.Response:
    await request.app[STORAGE].redis.delete(_session_key(request, request[STAFF].sid))
    response = redirect("/console/login")
    response.del_cookie(COOKIE, path="/console")
    return response

"""Console login lockout: wrong passwords count against the username *from one address*.

Every attempt is counted *before* the password is checked (one atomic INCR), so guesses sent
in parallel cannot all pass a check made before any of them failed: the attempt that takes
the count past `console_max_failures` is refused unverified. Counting per account and address
together means a guesser locks out only themselves: twenty wrong logins from one address do
not lock every account, and nobody elsewhere can lock a colleague out of theirs. A right
password clears the pair's count. The lock lasts `console_lockout_minutes` after the last
wrong password.
"""
from __future__ import annotations

from aiohttp import web

from bot.console.common import SETTINGS, STORAGE
from bot.storage import Storage


def client_address(request: web.Request) -> str:
    """Behind our own reverse proxy (`console_trusted_proxy`), the last X-Forwarded-For entry:
    the one the proxy appended. Entries left of it came from the client and could be anything,
    and without a trusted proxy the whole header could be."""
    if request.app[SETTINGS].console_trusted_proxy:
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.remote or ""


def _key(request: web.Request, username: str) -> str:
    return request.app[STORAGE].keys.login_failures(username, client_address(request))


async def take_attempt(request: web.Request, username: str) -> bool:
    """Count this attempt; False when this username has used up its attempts from this address."""
    settings = request.app[SETTINGS]
    key = _key(request, username)
    async with request.app[STORAGE].redis.pipeline(transaction=True) as pipe:
        pipe.set(key, 0, ex=settings.console_lockout_minutes * 60, nx=True)  # a new count expires too
        pipe.incr(key)
        _, count = await pipe.execute()
    return count <= settings.console_max_failures


async def failed(request: web.Request, username: str) -> None:
    """A wrong password: the lock, if reached, runs from now."""
    await request.app[STORAGE].redis.expire(_key(request, username), request.app[SETTINGS].console_lockout_minutes * 60)


async def succeeded(request: web.Request, username: str) -> None:
    await request.app[STORAGE].redis.delete(_key(request, username))


async def clear_failures(storage: Storage, username: str) -> None:
    """Lift a lockout from every address (an administrator reset the password)."""
    pattern = storage.keys.login_failures(_glob_escape(username), "*")
    keys = [key async for key in storage.redis.scan_iter(match=pattern, count=1000)]
    if keys:
        await storage.redis.delete(*keys)


def _glob_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "*?[]\\" else ch for ch in text)

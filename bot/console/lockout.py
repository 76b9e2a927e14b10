"""Console login lockout: wrong passwords count against the username and the client address.

Every attempt is counted *before* the password is checked (one atomic INCR each), so guesses
sent in parallel cannot all pass a check made before any of them failed: the attempt that
takes the count past `console_max_failures` is refused unverified. A right password clears
the username's count and gives the address its attempt back. The lock lasts
`console_lockout_minutes` after the last wrong password.
"""
from __future__ import annotations

from aiohttp import web

from bot.console.common import SETTINGS, STORAGE
from bot.storage import Storage

IP_FAILURE_FACTOR = 4  # one address may try a few usernames, not hundreds
# DECR only a count that still exists: a new key at -1 with no expiry would be free guesses forever.
_GIVE_BACK = "if redis.call('exists', KEYS[1]) == 1 then return redis.call('decr', KEYS[1]) end return 0"


def client_address(request: web.Request) -> str:
    """Behind our own reverse proxy (`console_trusted_proxy`), the last X-Forwarded-For entry:
    the one the proxy appended. Entries left of it came from the client and could be anything,
    and without a trusted proxy the whole header could be."""
    if request.app[SETTINGS].console_trusted_proxy:
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.remote or ""


def _keys(request: web.Request, username: str) -> tuple[str, str]:
    keys = request.app[STORAGE].keys
    return keys.console_failures_user(username), keys.console_failures_ip(client_address(request))


async def take_attempt(request: web.Request, username: str) -> bool:
    """Count this attempt; False when the username or the address has used up its attempts."""
    settings = request.app[SETTINGS]
    async with request.app[STORAGE].redis.pipeline(transaction=True) as pipe:
        for key in _keys(request, username):
            pipe.set(key, 0, ex=settings.console_lockout_minutes * 60, nx=True)  # a new count expires too
            pipe.incr(key)
        _, user_count, _, ip_count = await pipe.execute()
    return user_count <= settings.console_max_failures and ip_count <= settings.console_max_failures * IP_FAILURE_FACTOR


async def failed(request: web.Request, username: str) -> None:
    """A wrong password: the lock, if reached, runs from now."""
    ttl = request.app[SETTINGS].console_lockout_minutes * 60
    async with request.app[STORAGE].redis.pipeline(transaction=True) as pipe:
        for key in _keys(request, username):
            pipe.expire(key, ttl)
        await pipe.execute()


async def succeeded(request: web.Request, username: str) -> None:
    user_key, ip_key = _keys(request, username)
    redis = request.app[STORAGE].redis
    await redis.delete(user_key)
    await redis.eval(_GIVE_BACK, 1, ip_key)


async def clear_failures(storage: Storage, username: str) -> None:
    """Lift a lockout (an administrator reset the password)."""
    await storage.redis.delete(storage.keys.console_failures_user(username))

"""The mini-program JSON API under /api/v1: one sub-application, its routes declared in the area modules."""
from __future__ import annotations

from aiohttp import web

from bot.api import account, centres, community, requests, tasks  # noqa: F401  (each registers its endpoints)
from bot.api.errors import json_errors
from bot.api.openapi import document
from bot.api.registry import API
from bot.api.state import STATE, ApiState
from bot.api.tokens import Tokens
from bot.api.wxa import MiniProgram
from bot.wechat.ratelimit import RateLimiter
from bot.storage import Storage
from config.settings import Settings

PREFIX = "/api/v1"


def setup(app: web.Application, settings: Settings, storage: Storage) -> None:
    """Mount the API on `app` (one call from bot/app.py)."""
    api = web.Application(middlewares=[json_errors])
    api[STATE] = ApiState(storage=storage, settings=settings,
                          tokens=Tokens(settings.api_secret.get_secret_value(), settings.api_token_ttl_s),
                          wxa=MiniProgram(settings, storage.keys),
                          limiter=RateLimiter(storage.redis, storage.keys, settings.api_rate_limit_per_minute))
    API.attach(api, account.authenticate, account.rate_guard)
    spec = document(API, "邻里 Linli 小程序接口", "1.0")

    async def openapi(request: web.Request) -> web.Response:
        return web.json_response(spec)

    api.router.add_get("/openapi.json", openapi)
    api.on_cleanup.append(_drain)
    app.add_subapp(PREFIX, api)


async def _drain(api: web.Application) -> None:
    await api[STATE].drain()

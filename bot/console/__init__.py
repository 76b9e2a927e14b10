"""The staff console: server-rendered pages under /console, served by the same aiohttp app.

`setup(app, settings, storage)` is the one call bot/app.py makes. Each page module owns
its routes (`routes(router)`); auth.py guards them all.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from aiohttp import web

from bot.console import auth, broadcasts, centres, corrections, dashboard, intake, members, projects, queue, talk
from bot.console.common import SECRET, SETTINGS, STORAGE, TEMPLATES, template_environment
from bot.storage import Storage
from config.settings import Settings

STATIC = Path(__file__).parent / "static"


def setup(app: web.Application, settings: Settings, storage: Storage) -> None:
    console = web.Application(middlewares=[auth.require_staff])
    console[STORAGE], console[SETTINGS] = storage, settings
    console[SECRET], console[TEMPLATES] = cookie_secret(settings), template_environment()
    console.router.add_get("/login", auth.login_page)
    console.router.add_post("/login", auth.login)
    console.router.add_post("/logout", auth.logout)
    console.router.add_get("/", dashboard.page)
    console.router.add_static("/static/", STATIC)
    for module in (dashboard, queue, corrections, members, projects, broadcasts, centres, talk, intake):
        module.routes(console.router)
    app.router.add_get("/console", _to_index)
    app.add_subapp("/console", console)


async def _to_index(request: web.Request) -> web.Response:
    raise web.HTTPFound("/console/")


def cookie_secret(settings: Settings) -> bytes:
    """The configured secret, else one kept in data_dir so every local process shares it."""
    if settings.console_secret:
        return settings.console_secret.get_secret_value().encode()
    path = settings.data_dir / "console.secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"console.secret.{secrets.token_hex(4)}")
        draft.write_text(secrets.token_urlsafe(48), encoding="ascii")
        draft.chmod(0o600)
        try:  # link is atomic and refuses to overwrite: two processes starting together agree
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text(encoding="ascii").strip().encode()

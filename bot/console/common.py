"""What every console page shares: the app keys, the template environment, CSV and redirects."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import jinja2
from aiohttp import web

from bot.console.reasons import reasons
from bot.storage import Storage
from config.settings import Settings
from handlers.texts.requests import ACTION_NAMES, STATUS_NAMES
from models.clock import local_text, to_local
from models.access import Scope
from nlp.rules import DEPARTMENTS, KINDS

STORAGE = web.AppKey("console_storage", Storage)
SETTINGS = web.AppKey("console_settings", Settings)
SECRET = web.AppKey("console_secret", bytes)
TEMPLATES = web.AppKey("console_templates", jinja2.Environment)
STAFF = web.RequestKey("console_staff", object)
FLASH = web.RequestKey("console_flash", str)
LOGIN_CSRF = web.RequestKey("console_login_csrf", str)

NAV = (("dashboard", "数据看板"), ("queue", "诉求队列"), ("members", "党员报到"), ("projects", "为民项目"),
       ("broadcasts", "通知推送"), ("centres", "服务中心"))


@dataclass(frozen=True)
class StaffSession:
    """The logged-in person for one request: who, their CSRF token and what they may see."""

    sid: str
    account_id: int
    user_id: int
    username: str
    csrf: str
    scope: Scope


def template_environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["when"] = lambda moment: local_text(moment) if moment else "—"
    env.filters["day"] = lambda moment: to_local(moment).strftime("%Y-%m-%d") if moment else "—"
    env.filters["status"] = lambda status: STATUS_NAMES.get(status, status)
    env.filters["action"] = lambda action: ACTION_NAMES.get(action, action)
    env.filters["pct"] = lambda rate: "—" if rate is None else f"{rate * 100:.0f}%"
    env.filters["reasons"] = reasons
    env.globals["nav"] = NAV
    env.globals["label_departments"], env.globals["label_kinds"] = DEPARTMENTS, KINDS
    return env


def staff_of(request: web.Request) -> StaffSession:
    return request[STAFF]


def render(request: web.Request, template: str, **values) -> web.Response:
    staff = request.get(STAFF)
    page = request.app[TEMPLATES].get_template(template).render(
        staff=staff, csrf=staff.csrf if staff else request.get(LOGIN_CSRF, ""),
        flash=request.get(FLASH, ""), path=request.path, **values)
    return web.Response(text=page, content_type="text/html", charset="utf-8",
                        headers={"Cache-Control": "no-store"})


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> web.Response:
    """A UTF-8 CSV with a byte-order mark, so Excel shows the Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([_csv_cell(cell) for cell in row] for row in rows)
    return web.Response(body=("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv",
                        charset="utf-8",
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})


def _csv_cell(value: object) -> object:
    if isinstance(value, datetime):  # stored in UTC; people read China time, as on the screen
        return to_local(value).strftime("%Y-%m-%d %H:%M")
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection);
    # Excel also skips a leading tab or carriage return and runs what follows.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def wants_csv(request: web.Request) -> bool:
    return request.query.get("format") == "csv"


def redirect(location: str) -> web.Response:
    """303 to a page, as a response that can still carry cookies (login, logout)."""
    return web.Response(status=303, headers={"Location": location})


def int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdecimal() else None

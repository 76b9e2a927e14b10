"""为民项目: the projects published in the staff member's area, their seats, and publishing one.

Publishing is the projects' action (handlers/projects/actions.py), the one chat and
`linli projects publish` call: only staff on the chosen unit (or above it) may publish
there; seeing a unit (a grid head's scope) is not enough.
"""
from __future__ import annotations

from aiohttp import web
from sqlmodel import select

from bot.console.auth import flash
from bot.console.common import STORAGE, csv_response, render, staff_of, wants_csv
from handlers.projects import actions
from handlers.texts import console as texts
from handlers.types import Refusal
from models.clock import utcnow
from models.db import transaction
from models.org import OrgLevel, OrgUnit
from models.projects import Project
from models.users import Role, User

CSV_HEADER = ("编号", "项目", "范围", "名额", "已认领", "截止", "状态", "发布时间")
STATUS_NAMES = {"open": "认领中", "full": "已满员", "closed": "已结束"}


def routes(router: web.UrlDispatcher) -> None:
    router.add_get("/projects", page)
    router.add_post("/projects", publish)


async def page(request: web.Request) -> web.Response:
    scope = staff_of(request).scope
    async with request.app[STORAGE].sessions() as session:
        projects = (await session.exec(select(Project).where(Project.unit_id.in_(scope.unit_ids))
                                       .order_by(Project.id.desc()).limit(500))).all()
        units = {unit.id: unit for unit in (await session.exec(select(OrgUnit))).all()}
    if wants_csv(request):
        return csv_response("为民项目.csv", CSV_HEADER, [
            (p.id, p.title, units[p.unit_id].name, p.capacity, p.seats_taken,
             p.deadline if p.deadline else "", STATUS_NAMES.get(p.status, p.status),
             p.created_at) for p in projects])
    targets = sorted((u for u in units.values() if u.id in scope.unit_ids
                      and u.level in (OrgLevel.community, OrgLevel.grid)), key=lambda u: u.code)
    return render(request, "projects.html", projects=projects, units=units, targets=targets,
                  statuses=STATUS_NAMES, may_publish=bool(scope.reach[Role.staff]))


async def publish(request: web.Request) -> web.Response:
    staff, form = staff_of(request), await request.post()
    unit = str(form.get("unit", ""))
    try:
        async with transaction(request.app[STORAGE].sessions) as session:
            project = await actions.publish(
                session, await session.get(User, staff.user_id), title=str(form.get("title", "")),
                description=str(form.get("description", "")), unit=int(unit) if unit.isdecimal() and len(unit) < 10
                else unit, capacity=str(form.get("capacity", "")), deadline=str(form.get("deadline", "")),
                now=utcnow())
        message = texts.PROJECT_PUBLISHED.format(id=project.id)
    except Refusal as refusal:
        message = refusal.sentence
    await flash(request, message)
    raise web.HTTPSeeOther("/console/projects")

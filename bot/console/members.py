"""Member approvals (报到审核): staff approve or reject applications from their communities.

The decision is the members' action (handlers/members/actions.py), the same one chat and
`linli members` call; this page shows what the staff member may see and flashes the
action's sentence, or its refusal.
"""
from __future__ import annotations

from aiohttp import web
from sqlmodel import select

from bot.console.auth import flash
from bot.console.common import STORAGE, csv_response, int_or_none, render, staff_of, wants_csv
from handlers.masking import mask_phone
from handlers.members import actions, decided_text
from handlers.texts import console as texts
from handlers.texts.members import STATUS_NAMES
from handlers.types import Refusal
from models.db import transaction
from models.members import MemberProfile, MemberStatus, listing
from models.org import OrgUnit
from models.users import Role, User

CSV_HEADER = ("编号", "姓名", "手机", "类别", "社区", "网格", "状态", "申请时间", "备注")


def routes(router: web.UrlDispatcher) -> None:
    router.add_get("/members", page)
    router.add_post("/members/{id:\\d+}/approve", approve)
    router.add_post("/members/{id:\\d+}/reject", reject)


async def page(request: web.Request) -> web.Response:
    scope = staff_of(request).scope
    status = request.query.get("status") if request.query.get("status") in STATUS_NAMES else MemberStatus.pending
    async with request.app[STORAGE].sessions() as session:
        profiles = await listing(session, status, sorted(scope.unit_ids), limit=1000)
        units = {unit.id: unit for unit in (await session.exec(select(OrgUnit))).all()}
    if wants_csv(request):
        return csv_response("党员报到.csv", CSV_HEADER, [
            (p.id, p.name, mask_phone(p.phone), p.kind, units[p.community_id].name,
             units[p.grid_id].name if p.grid_id else "", STATUS_NAMES[p.status],
             p.applied_at, p.note) for p in profiles])
    grids = {cid: [u for u in units.values() if u.parent_id == cid and u.level == "grid"]
             for cid in {p.community_id for p in profiles}}
    decidable = {p.id for p in profiles if scope.holds(Role.staff, p.community_id)}
    return render(request, "members.html", profiles=profiles, status=status, statuses=STATUS_NAMES, units=units,
                  grids=grids, decidable=decidable, phone=mask_phone)


async def _decide(request: web.Request, approve: bool) -> web.Response:
    staff, profile_id = staff_of(request), int(request.match_info["id"])
    form = await request.post()
    note = str(form.get("note", ""))[:200]
    try:
        async with transaction(request.app[STORAGE].sessions) as session:
            profile = await session.get(MemberProfile, profile_id)
            if profile is None or not staff.scope.covers(profile.community_id):  # not shown to them at all
                raise web.HTTPNotFound(text=texts.NO_APPLICATION.format(id=profile_id))
            actor = await session.get(User, staff.user_id)
            decision = (await actions.approve(session, actor, profile_id, int_or_none(str(form.get("grid", ""))),
                                              note) if approve else await actions.reject(session, actor, profile_id,
                                                                                         note))
            message = decided_text(decision)
    except Refusal as refusal:
        message = refusal.sentence
    await flash(request, message)
    raise web.HTTPSeeOther("/console/members")


async def approve(request: web.Request) -> web.Response:
    return await _decide(request, True)


async def reject(request: web.Request) -> web.Response:
    return await _decide(request, False)

"""Member approvals (报到审核): staff approve or reject applications from their communities.

The decision and the applicant's push are the members area's own `decide_and_tell`, the
same function the chat commands and `linli members` use.
"""
from __future__ import annotations

from aiohttp import web
from sqlmodel import select

from bot.console.auth import flash
from bot.console.common import STORAGE, csv_response, int_or_none, render, staff_of, wants_csv
from handlers.masking import mask_phone
from handlers.members import decide_and_tell
from handlers.texts import console as texts
from handlers.texts.members import STATUS_NAMES
from models.db import transaction
from models.members import MemberProfile, MemberStatus, listing
from models.org import OrgUnit
from models.staff import Scope
from models.users import Role

CSV_HEADER = ("编号", "姓名", "手机", "类别", "社区", "网格", "状态", "申请时间", "备注")


def routes(router: web.UrlDispatcher) -> None:
    router.add_get("/members", page)
    router.add_post("/members/{id:\\d+}/approve", approve)
    router.add_post("/members/{id:\\d+}/reject", reject)


def may_decide(scope: Scope) -> bool:
    return bool(scope.roles & {Role.staff, Role.admin})


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
    return render(request, "members.html", profiles=profiles, status=status, statuses=STATUS_NAMES, units=units,
                  grids=grids, may_decide=may_decide(scope), phone=mask_phone)


async def _decide(request: web.Request, approve: bool) -> web.Response:
    staff, profile_id = staff_of(request), int(request.match_info["id"])
    form = await request.post()
    if not may_decide(staff.scope):
        await flash(request, texts.STAFF_ONLY)
        raise web.HTTPSeeOther("/console/members")
    async with transaction(request.app[STORAGE].sessions) as session:
        profile = await session.get(MemberProfile, profile_id)
        if profile is None or not staff.scope.covers(profile.community_id):
            raise web.HTTPNotFound(text=texts.NO_APPLICATION.format(id=profile_id))
        if profile.status != MemberStatus.pending:
            message = texts.ALREADY_DECIDED.format(id=profile_id)
        else:
            grid_id = int_or_none(str(form.get("grid", "")))
            grid = await session.get(OrgUnit, grid_id) if grid_id else None
            if grid is not None and grid.parent_id != profile.community_id:
                grid_id = None
            message = await decide_and_tell(session, profile, approve, staff.user_id,
                                            str(form.get("note", ""))[:200], grid_id if approve else None)
    await flash(request, message)
    raise web.HTTPSeeOther("/console/members")


async def approve(request: web.Request) -> web.Response:
    return await _decide(request, True)


async def reject(request: web.Request) -> web.Response:
    return await _decide(request, False)

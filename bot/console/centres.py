"""Service centres (党群服务中心/站) in the staff member's area: where, when open, what they offer."""
from __future__ import annotations

from aiohttp import web
from sqlalchemy import or_
from sqlmodel import select

from bot.console.common import STORAGE, csv_response, render, staff_of, wants_csv
from models.centres import ServiceCentre
from models.org import OrgUnit

CSV_HEADER = ("编号", "名称", "所属单位", "地址", "纬度", "经度", "开放时间", "电话", "服务")


def routes(router: web.UrlDispatcher) -> None:
    router.add_get("/centres", page)


async def page(request: web.Request) -> web.Response:
    scope = staff_of(request).scope
    # A centre with no unit serves the whole district, so everyone sees it.
    query = (select(ServiceCentre).where(or_(ServiceCentre.unit_id.in_(scope.unit_ids),
                                             ServiceCentre.unit_id.is_(None)))
             .order_by(ServiceCentre.code))
    async with request.app[STORAGE].sessions() as session:
        centres = (await session.exec(query)).all()
        units = {unit.id: unit.name for unit in (await session.exec(select(OrgUnit))).all()}
    if wants_csv(request):
        return csv_response("服务中心.csv", CSV_HEADER,
                            [(c.code, c.name, units.get(c.unit_id, "全区"), c.address, c.lat, c.lng, c.hours,
                              c.phone, c.services) for c in centres])
    return render(request, "centres.html", centres=centres, units=units)

"""The console's 代录 form: a request logged for a resident by phone; a refused form keeps what was typed."""
from __future__ import annotations

from sqlmodel import select

from models.tickets import Ticket


async def test_intake_form_logs_for_a_resident_and_keeps_a_refused_form(admin, seeded):
    assert 'href="/console/intake"' in await (await admin.get("/console/queue")).text()
    await admin.get("/console/intake")
    refused = await admin.post("/console/intake", {"phone": "123", "text": "楼道灯坏了", "channel": "phone"})
    shown = await refused.text()
    assert refused.status == 200 and "11 位手机号码" in shown and "楼道灯坏了" in shown
    response = await admin.post("/console/intake", {"phone": "13812345678", "text": "阳光花园3号楼楼道灯坏了",
                                                     "channel": "walk-in"})
    assert response.status == 303
    assert "已登记诉求" in await (await admin.get("/console/intake")).text()
    async with seeded.sessions() as session:
        [logged] = (await session.exec(select(Ticket))).all()
    assert logged.channel == "walk-in" and logged.status == "queued"

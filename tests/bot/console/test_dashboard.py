"""The dashboard page over HTTP: charts drawn, period chosen, tables exported."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from models.clock import utcnow
from tests.bot.console.tickets import add_ticket


async def test_dashboard_draws_charts_for_the_chosen_period(admin, seeded):
    await add_ticket(seeded, "S01-C01-G01", at=utcnow() - timedelta(days=2))
    await add_ticket(seeded, "S01-C02-G03", at=utcnow() - timedelta(days=40), department="城管")
    page = await (await admin.get("/console/dashboard?days=7")).text()
    assert page.count("<svg class=\"chart\"") == 3
    assert "阳光第一网格" in page and "城管" not in page  # the older request is outside 7 days
    page = await (await admin.get("/console/dashboard?days=90&by=community")).text()
    assert "阳光社区" in page and "和平社区" in page and "城管" in page


async def test_explicit_dates_and_bad_dates(admin, seeded):
    response = await admin.get("/console/dashboard?from=2026-02-01&to=2026-02-28")
    assert response.status == 200 and "2026-02-01 至 2026-02-28" in await response.text()
    response = await admin.get("/console/dashboard?from=yesterday&to=2026-13-40")
    assert response.status == 200  # falls back to the last 30 days


async def test_every_dashboard_table_exports_csv(admin, seeded):
    await add_ticket(seeded, "S01-C01-G01", at=utcnow() - timedelta(days=3))
    expected = {"rates": "单位,诉求数", "counts": "日期,类别,数量", "overdue": "编号,状态", "ranking": "名次,党员"}
    for table, header in expected.items():
        response = await admin.client.get(f"/console/dashboard?format=csv&table={table}")
        assert response.content_type == "text/csv"
        assert (await response.read()).decode("utf-8").lstrip("\ufeff").startswith(header)
    rates = (await (await admin.client.get("/console/dashboard?format=csv&table=rates")).read()).decode()
    assert "阳光第一网格,1,0,0,0,0,0.0%,0.0%," in rates
    overdue = (await (await admin.client.get("/console/dashboard?format=csv&table=overdue")).read()).decode()
    assert "3号楼楼道灯坏了" in overdue  # three days unclaimed is past the 24-hour limit


async def test_centres_page_and_csv(admin, seeded):
    page = await (await admin.get("/console/centres")).text()
    assert "阳光社区党群服务中心" in page and "和平社区党群服务站" in page
    body = (await (await admin.client.get("/console/centres?format=csv")).read()).decode()
    assert "CTR-C01,阳光社区党群服务中心,阳光社区" in body


async def test_the_category_chart_counts_other_once(admin, seeded):
    """其他 is a department too: with more departments than fit, it is one series holding both."""
    departments = ["其他", "其他", "其他", "城乡建设", "环境保护", "交通运输", "商贸旅游", "卫生计生", "教育文体",
                   "公共安全", "劳动和社会保障"]
    for department in departments:
        await add_ticket(seeded, "S01-C01-G01", at=utcnow() - timedelta(days=1), department=department)
    page = await (await admin.get("/console/dashboard?days=7")).text()
    chart = page.split("诉求数量（按类别）")[1].split("三事分流")[0]
    legend = re.findall(r'class="l">([^<]+)</text>', chart)
    assert legend.count("其他") == 1 and legend[-1] == "其他" and len(legend) == 7
    counted = sum(int(n) for n in re.findall(r"：(\d+)</title>", chart))
    assert counted == len(departments)  # every request once, none twice


async def test_csv_exports_are_in_china_time(admin, seeded):
    registered = datetime(2026, 11, 30, 17, 5, tzinfo=UTC)  # 01:05 on 1 December in Beijing
    ticket = await add_ticket(seeded, "S01-C01-G01", at=registered)
    queue = (await (await admin.client.get("/console/queue?format=csv")).read()).decode()
    [row] = [line for line in queue.splitlines() if line.startswith(f"{ticket.id},")]
    assert row.endswith("2026-12-01 01:05") and "17:05" not in row
    overdue = (await (await admin.client.get("/console/dashboard?format=csv&table=overdue")).read()).decode()
    assert "2026-12-01 01:05" in overdue


async def test_rates_by_department(admin, seeded):
    from tests.loop_support import department
    build = await department(seeded, "城乡建设")
    await add_ticket(seeded, "S01-C01-G01", "小区停电了", kind="大事", status="forwarded", department_id=build)
    shown = await (await admin.get("/console/dashboard?days=30&by=department")).text()
    assert "三率（按职能部门）" in shown and "城乡建设" in shown

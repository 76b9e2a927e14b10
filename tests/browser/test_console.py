"""A person at the console in a real browser: log in, filter, reassign, broadcast, read the dashboard."""
from __future__ import annotations

import os
from pathlib import Path

from playwright.async_api import Page, expect
from sqlmodel import select

from bot.console.demo import demo_activity
from models.org import OrgUnit
from models.tickets import Ticket
from tests.bot.console.conftest import PASSWORD, make_login

# Screenshots land in the test's temporary folder; `LINLI_SCREENSHOT_DIR=docs make test`
# refreshes the README's pictures on purpose instead of on every run.
SCREENSHOT_DIR = os.environ.get("LINLI_SCREENSHOT_DIR")


async def _log_in(page: Page, url: str) -> None:
    await page.goto(f"{url}/console/queue")
    await expect(page).to_have_url(f"{url}/console/login?next=/console/queue")
    await page.fill("input[name=username]", "admin")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await expect(page).to_have_url(f"{url}/console/queue")


async def test_staff_day_in_the_browser(browser, console_site, seeded, tmp_path):
    await make_login(seeded, "admin")
    await demo_activity(seeded)
    page = await browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    url = console_site.url
    await _log_in(page, url)

    await page.select_option("select[name=grid]", label="和平第一网格")
    await page.select_option("select[name=status]", value="queued")
    await page.click("#queue-filter button[type=submit]")
    rows = page.locator("#queue tbody tr")
    await expect(rows.first).to_be_visible()
    for text in await rows.all_inner_texts():
        assert "和平第一网格" in text and "待认领" in text

    async with seeded.sessions() as session:
        grid = (await session.exec(select(OrgUnit).where(OrgUnit.code == "S01-C02-G04"))).one()
    await rows.first.locator("a").first.click()
    ticket_id = int(page.url.rsplit("/", 1)[-1])
    await page.select_option("#reassign select[name=grid]", value=str(grid.id))
    await page.fill("#reassign input[name=note]", "位置在锦绣家园")
    await page.click("#reassign button[type=submit]")
    await expect(page.locator(".flash")).to_contain_text(f"诉求 {ticket_id} 已改派")
    await expect(page.locator("#history li").last).to_contain_text("和平第二网格")
    async with seeded.sessions() as session:
        assert (await session.get(Ticket, ticket_id)).grid_id == grid.id

    await page.click("nav >> text=通知推送")
    await page.select_option("#compose select[name=unit]", label="和平社区")
    await page.fill("#compose input[name=title]", "周六义诊")
    await page.fill("#compose textarea[name=body]", "本周六上午 9 点在和平社区党群服务站义诊，欢迎参加。")
    await page.click("#compose button[type=submit]")
    count = int(await page.locator("#recipient-count").inner_text())
    assert count >= 24  # the demo's residents and members of the community's two grids
    await page.click("#preview button[type=submit]")
    progress = page.locator("#progress")
    await expect(progress).to_have_attribute("data-state", "finished", timeout=30_000)
    await expect(progress.locator("[data-progress-text]")).to_contain_text(f"已送达 {count}")

    await page.click("nav >> text=数据看板")
    await expect(page.locator("svg.chart")).to_have_count(3)
    shots = Path(SCREENSHOT_DIR) if SCREENSHOT_DIR else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(shots / "dashboard.png"), full_page=True)
    await page.set_viewport_size({"width": 390, "height": 844})
    await page.screenshot(path=str(shots / "dashboard-phone.png"), full_page=False)
    assert (shots / "dashboard.png").stat().st_size > 10_000

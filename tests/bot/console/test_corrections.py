"""The ticket page in plain Chinese, staff correcting a request's labels, and the corrections as labelled data."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import nlp
from models.corrections import TicketCorrection
from models.tickets import Ticket, history_of
from models.users import Role
from nlp import dataset
from tests.bot.console.conftest import Console, log_in, make_login
from tests.bot.console.tickets import add_ticket
from tests.helpers import count

LAMP = "阳光花园3号楼楼道灯坏了，电话139-1234-5678"


async def _classified(storage, text: str = LAMP) -> Ticket:
    """A ticket stored as intake stores it: the classifier's fields and its reasons."""
    result = nlp.classify(text)
    return await add_ticket(storage, "S01-C01-G01", text, department=result.department, topic=result.topic,
                            kind=result.kind, urgent=result.urgent, why="; ".join(result.why),
                            places=",".join(place.value for place in result.places))


async def _stored(storage, ticket_id: int) -> Ticket:
    async with storage.sessions() as session:
        return await session.get(Ticket, ticket_id)


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


async def test_the_ticket_page_says_who_what_and_why_in_chinese(admin, seeded):
    ticket = await _classified(seeded)
    page = _plain(await (await admin.get(f"/console/tickets/{ticket.id}")).text())
    assert "按关键词 楼道灯 归为 楼道照明" in page
    assert "None" not in page and "yaml" not in page and "topic " not in page and "runner-up" not in page
    assert "已登记 居民 待认领" in page


async def test_staff_correct_department_kind_and_urgency_with_an_audit_row(admin, seeded):
    ticket = await _classified(seeded)
    await admin.get(f"/console/tickets/{ticket.id}")
    response = await admin.post(f"/console/tickets/{ticket.id}/correct", {
        "department": "公共安全", "kind": "大事", "urgent": "1",
        "seen_department": ticket.department, "seen_kind": ticket.kind, "seen_urgent": "0"})
    assert response.status == 303
    stored = await _stored(seeded, ticket.id)
    assert (stored.department, stored.kind, stored.urgent) == ("公共安全", "大事", True)
    async with seeded.sessions() as session:
        [created, corrected] = await history_of(session, ticket.id)
    assert corrected.action == "corrected" and corrected.actor_id == admin.user.id
    assert corrected.note == "类别 城乡建设 → 公共安全；三事 小事 → 大事；紧急 否 → 是"
    assert await count(seeded, TicketCorrection) == 1
    page = _plain(await (await admin.get(f"/console/tickets/{ticket.id}")).text())
    assert "更正分类" in page and "已更正" in page and "现为：楼道照明（公共安全），大事，紧急" in page
    assert "按关键词 楼道灯 归为 大事" not in page  # reasons that no longer agree are left out

    stale = await admin.post(f"/console/tickets/{ticket.id}/correct", {
        "department": "其他", "kind": "小事", "seen_department": "城乡建设", "seen_kind": "小事", "seen_urgent": "0"})
    assert stale.status == 303
    assert (await _stored(seeded, ticket.id)).department == "公共安全"  # changed meanwhile: refused
    page = _plain(await (await admin.get(f"/console/tickets/{ticket.id}")).text())
    assert "刚刚被其他人处理过" in page
    assert await count(seeded, TicketCorrection) == 1


async def _try_correcting(client, seeded, ticket_id: int, username: str, role: Role, unit: str,
                          labels: dict[str, str]) -> str:
    """Log in as someone new, send a correction, and return the ticket page they see after it."""
    await make_login(seeded, username, role, unit)
    assert (await log_in(client, username)).status == 303
    console = Console(client, None)
    await console.get(f"/console/tickets/{ticket_id}")
    await console.post(f"/console/tickets/{ticket_id}/correct", labels)
    return _plain(await (await console.get(f"/console/tickets/{ticket_id}")).text())


async def test_a_grid_head_may_not_correct_and_unknown_labels_are_refused(client, seeded):
    ticket = await _classified(seeded)
    page = await _try_correcting(client, seeded, ticket.id, "wangge1", Role.grid_head, "S01-C01-G01",
                                 {"department": "公共安全", "kind": "大事"})
    assert "只有负责这里的社区工作人员可以更正分类" in page
    page = await _try_correcting(client, seeded, ticket.id, "shequ1", Role.staff, "S01-C01",
                                 {"department": "火星部", "kind": "大事"})
    assert "请从列表中选择" in page
    assert (await _stored(seeded, ticket.id)).department == "城乡建设" and await count(seeded, TicketCorrection) == 0


async def test_corrections_export_as_labelled_data_nlp_reads(admin, seeded, backend, tmp_path):
    lamp, other = await _classified(seeded), await _classified(seeded, "3号楼门口井盖丢了，小孩差点掉下去")
    await admin.get(f"/console/tickets/{lamp.id}")
    await admin.post(f"/console/tickets/{lamp.id}/correct", {"department": lamp.department, "kind": "大事"})
    await admin.post(f"/console/tickets/{other.id}/correct", {"department": "公共安全", "kind": "大事", "urgent": "1"})
    csv_text = (await (await admin.client.get("/console/corrections.csv")).read()).decode("utf-8")
    assert csv_text.splitlines()[0] == "text,department,topic,kind,urgent,places"
    path = tmp_path / "corrections.csv"
    env = {**os.environ, **backend.env()}
    result = subprocess.run([sys.executable, "-m", "bot.cli.main", "tickets", "export-labels", "-o", str(path)],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert path.read_text(encoding="utf-8") == csv_text and "已导出 2 条" in result.stderr
    rows = {row.text: row.labels for row in dataset.read(path)}
    assert rows["阳光花园3号楼楼道灯坏了，电话139****5678"] == {
        "department": "城乡建设", "topic": "楼道照明", "kind": "大事", "urgent": "False", "places": "楼3;阳光花园"}
    moved = rows["3号楼门口井盖丢了，小孩差点掉下去"]
    assert moved["department"] == "公共安全" and "topic" not in moved and moved["urgent"] == "True"
    # `nlp propose` reads the tests/data format without the [train] extra; `nlp learn --messages` reads the same
    learn = subprocess.run([sys.executable, "-m", "bot.cli.main", "nlp", "propose", str(path), "--by", "department",
                            "--min-count", "1"], env=env, capture_output=True, text=True, timeout=120)
    assert learn.returncode == 0, learn.stderr

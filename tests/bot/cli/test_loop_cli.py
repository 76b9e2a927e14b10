"""`linli departments add|list`, `linli users grant … department`, `linli tickets add` as operators run them."""
from __future__ import annotations

import os
import subprocess
import sys

from sqlmodel import select

from models.tickets import Ticket, TicketStatus
from models.users import User
from tests.queue_support import events, pushes, say


def _linli(backend, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.cli.main", *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **backend.env()})


def test_departments_and_liaisons(backend, seeded):
    assert _linli(backend, "departments", "add", "城乡建设").returncode == 0
    added = _linli(backend, "departments", "add", "城乡建设", "--unit", "幸福街道")
    assert added.returncode == 0 and "城乡建设（幸福街道）" in added.stdout
    again = _linli(backend, "departments", "add", "城乡建设")
    assert again.returncode == 2 and "已经登记过了" in again.stderr
    ambiguous = _linli(backend, "users", "grant", "o_cli_li", "department", "城乡建设")
    assert ambiguous.returncode == 2 and "请写明街道" in ambiguous.stderr
    granted = _linli(backend, "users", "grant", "o_cli_li", "department", "城乡建设/幸福街道")
    assert granted.returncode == 0 and "已授予 department @ 城乡建设（幸福街道）" in granted.stdout
    assert "联络员 1 人" in _linli(backend, "departments", "list").stdout
    assert "已收回" in _linli(backend, "users", "revoke", "o_cli_li", "department", "城乡建设/幸福街道").stdout


async def test_tickets_add_logs_for_a_resident_by_phone(backend, seeded, client, sender):
    await say(sender, client.session, "o_cli_res", "报到 阳光社区 张三 13812345678 1")  # stores the phone
    logged = _linli(backend, "tickets", "add", "--phone", "138 1234 5678", "--text", "阳光花园3号楼楼道灯坏了",
                    "--channel", "phone")
    assert logged.returncode == 0, logged.stderr
    assert "小事，queued" in logged.stdout and "138****5678" in logged.stdout and "新登记" not in logged.stdout
    fresh = _linli(backend, "tickets", "add", "--phone", "13900001111", "--text", "小区停电了", "--channel", "visit")
    assert fresh.returncode == 0 and "新登记" in fresh.stdout
    refused = _linli(backend, "tickets", "add", "--phone", "123", "--text", "x", "--channel", "phone")
    assert refused.returncode == 2 and "11 位手机号码" in refused.stderr
    async with seeded.sessions() as session:
        rows = (await session.exec(select(Ticket).order_by(Ticket.id))).all()
        assert [(t.channel, t.status) for t in rows] == [("phone", TicketStatus.queued),
                                                         ("visit", TicketStatus.forwarded)]
        owner = await session.get(User, rows[1].user_id)
        assert owner.phone == "13900001111" and not owner.subscribed
    [told] = await pushes(seeded, "o_cli_res")
    assert f"编号 {rows[0].id}" in told.body and "电话" in told.body
    assert [e.action for e in await events(seeded, rows[0].id)] == ["created"]

"""`linli tickets escalate|close|reassign` as operators run it: the console's actions, the same
refusals (one line on stderr, exit status 2, nothing changed)."""
from __future__ import annotations

import os
import subprocess
import sys

from handlers.texts import console as texts
from models.users import Role
from tests.queue_support import events, role, submitted, ticket


def _linli(backend, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.cli.main", *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **backend.env()})


async def test_tickets_act_as_the_named_person_and_refuse_like_the_console(backend, seeded):
    await role(seeded, "o_cli_staff", Role.staff, "S01-C01")
    await role(seeded, "o_cli_far", Role.grid_head, "S01-C02-G03")
    task = await submitted(seeded, "o_cli_resident")
    far = _linli(backend, "tickets", "escalate", str(task), "--as", "o_cli_far")
    assert far.returncode == 2 and far.stderr.strip() == f"error: {texts.NOT_FOUND.format(id=task)}"
    no_note = _linli(backend, "tickets", "close", str(task), "--as", "o_cli_staff")
    assert no_note.returncode == 2 and texts.CLOSE_NEEDS_NOTE in no_note.stderr
    elsewhere = _linli(backend, "tickets", "reassign", str(task), "--as", "o_cli_staff", "--grid", "和平第一网格")
    assert elsewhere.returncode == 2 and texts.GRID_OUT_OF_SCOPE in elsewhere.stderr
    assert [e.action for e in await events(seeded, task)] == ["created"]
    done = _linli(backend, "tickets", "escalate", str(task), "--as", "o_cli_staff", "--note", "今天内")
    assert done.returncode == 0, done.stderr
    assert (await ticket(seeded, task)).escalation_level == 1
    closed = _linli(backend, "tickets", "close", str(task), "--as", "o_cli_staff", "--note", "已更换灯泡")
    assert closed.returncode == 0 and (await ticket(seeded, task)).status == "closed"

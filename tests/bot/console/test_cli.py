"""`linli staff …` as operators run it: a separate process over the same storage."""
from __future__ import annotations

import os
import re
import subprocess
import sys

from tests.bot.console.conftest import log_in


def _linli(backend, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, **backend.env()}
    return subprocess.run([sys.executable, "-m", "bot.cli.main", *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=60)


async def test_demo_prints_logins_that_work(backend, client, seeded):
    done = _linli(backend, "staff", "demo")
    assert done.returncode == 0, done.stderr
    logins = dict(re.findall(r"用户名 (\S+)\s+密码 (\S+)", done.stdout))
    assert set(logins) == {"admin", "wangge1"}
    assert (await log_in(client, "admin", logins["admin"])).status == 303
    again = dict(re.findall(r"用户名 (\S+)\s+密码 (\S+)", _linli(backend, "staff", "demo").stdout))
    assert again["admin"] != logins["admin"]  # each run prints a fresh password; the old one stops working
    assert (await log_in(client, "admin", logins["admin"])).status == 401


async def test_create_login_with_a_unit_and_a_password_from_stdin(backend, client, seeded):
    done = _linli(backend, "staff", "create-login", "Zhou", "--role", "staff", "--unit", "和平社区",
                  "--name", "周干事", "--password-stdin", stdin="a-long-secret-42\n")
    assert done.returncode == 0 and "a-long-secret-42" not in done.stdout
    assert (await log_in(client, "zhou", "a-long-secret-42")).status == 303
    queue = await (await client.get("/console/queue")).text()
    assert "和平第一网格" in queue and "阳光第一网格" not in queue  # the grid filter lists only their grids


def test_create_login_refuses_a_short_password_or_an_unknown_unit(backend, seeded):
    short = _linli(backend, "staff", "create-login", "wu", "--password-stdin", stdin="short\n")
    assert short.returncode == 2 and "至少" in short.stderr
    unknown = _linli(backend, "staff", "create-login", "wu", "--unit", "火星社区")
    assert unknown.returncode == 2 and "没有找到单位" in unknown.stderr

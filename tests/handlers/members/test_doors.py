"""The two drifts of issue 13, refused at every door with the same sentence.

(a) Staff of 阳光社区 who is also grid head of 和平社区 may not approve a 和平社区 报到;
(b) approving into a grid of another community is refused, never silently dropped.
"""
from __future__ import annotations

import subprocess
import sys

from handlers.texts import members as texts
from models.db import transaction
from models.members import MemberKind, MemberProfile, MemberStatus, apply
from models.access import grant
from models.org import find_unit
from models.users import Role, get_or_create_user
from tests.bot.console.conftest import Console, log_in, make_login
from tests.queue_support import role, say, unit_id

NOT_YOURS = texts.NOT_YOUR_UNIT
OTHER_GRID = texts.GRID_OTHER_COMMUNITY.format(name="和平第一网格", community="阳光社区")


async def _application(storage, openid: str, community: str) -> int:
    async with transaction(storage.sessions) as session:
        user = await get_or_create_user(session, openid)
        unit = await find_unit(session, community)
        return (await apply(session, user, unit.id, "王芳", "13812340000", MemberKind.resident, None)).id


async def _status(storage, profile_id: int) -> str:
    async with storage.sessions() as session:
        profile = await session.get(MemberProfile, profile_id)
        return profile.status, profile.grid_id


async def _mixed(storage, openid: str):
    """Staff in 阳光社区 and grid head of 和平社区 (the community itself)."""
    await role(storage, openid, Role.staff, "S01-C01")
    return await role(storage, openid, Role.grid_head, "S01-C02")


async def test_chat_refuses_both(client, sender, seeded):
    peace, sunshine = await _application(seeded, "o_p", "S01-C02"), await _application(seeded, "o_s", "S01-C01")
    await _mixed(seeded, "o_mixed")
    assert await say(sender, client.session, "o_mixed", f"通过 {peace}") == NOT_YOURS.format(id=peace)
    assert await say(sender, client.session, "o_mixed", f"通过 {sunshine} 和平第一网格") == OTHER_GRID
    assert await _status(seeded, peace) == (MemberStatus.pending, None)
    assert await _status(seeded, sunshine) == (MemberStatus.pending, None)


async def test_console_refuses_both(client, seeded):
    peace, sunshine = await _application(seeded, "o_p", "S01-C02"), await _application(seeded, "o_s", "S01-C01")
    user = await make_login(seeded, "mixed", Role.staff, "S01-C01")
    async with transaction(seeded.sessions) as session:
        await grant(session, user.id, Role.grid_head, await unit_id(seeded, "S01-C02"))
    assert (await log_in(client, "mixed")).status == 303
    console = Console(client, user)
    listing = await (await console.get("/console/members")).text()
    assert f"/console/members/{sunshine}/approve" in listing and f"/console/members/{peace}/approve" not in listing
    assert (await console.post(f"/console/members/{peace}/approve", {})).status == 303
    assert NOT_YOURS.format(id=peace) in await (await console.get("/console/members")).text()
    grid = await unit_id(seeded, "S01-C02-G03")
    assert (await console.post(f"/console/members/{sunshine}/approve", {"grid": grid})).status == 303
    assert OTHER_GRID in await (await console.get("/console/members")).text()
    assert await _status(seeded, peace) == (MemberStatus.pending, None)
    assert await _status(seeded, sunshine) == (MemberStatus.pending, None)


async def test_cli_refuses_a_grid_of_another_community(seeded, backend):
    sunshine = await _application(seeded, "o_s", "S01-C01")
    done = subprocess.run([sys.executable, "-m", "bot.cli.main", "members", "approve", str(sunshine),
                           "--grid", "S01-C02-G03"], env={**backend.env(), "PATH": ""}, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2 and OTHER_GRID in done.stderr
    assert await _status(seeded, sunshine) == (MemberStatus.pending, None)

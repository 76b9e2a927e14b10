"""An urgent request reaches the grid head's phone within seconds, through the real worker and the fake WeChat API."""
from __future__ import annotations

import time

from models.users import Role
from tests.bot.outbound.conftest import wait_until
from tests.loop_support import number_of
from tests.queue_support import role, say

GAS = "阳光花园3号楼厨房里闻到很大的煤气味"


async def test_grid_head_receives_the_gas_alert_within_ten_seconds(client, sender, seeded, fake, worker):
    await role(seeded, "o_deliv_grid", Role.grid_head, "S01-C01-G01")
    started = time.monotonic()
    case = number_of(await say(sender, client.session, "o_deliv_res", GAS))

    async def arrived() -> bool:
        return any(entry["touser"] == "o_deliv_grid" for entry in fake.delivered())
    await wait_until(arrived, timeout=10)
    assert time.monotonic() - started < 10
    [entry] = [e for e in fake.delivered() if e["touser"] == "o_deliv_grid"]
    assert f"签收 {case}" in str(entry["body"]) and "煤气味" in str(entry["body"])

"""订阅 / 退订 actions on a real session: scopes relative to the resident, nothing changed is a conflict."""
from __future__ import annotations

import pytest

from handlers.subscriptions import actions
from handlers.types import Refusal
from models.db import transaction
from models.subscriptions import subscriptions_of
from models.users import get_or_create_user
from tests.queue_support import unit_id


async def test_subscribe_and_unsubscribe(seeded):
    grid = await unit_id(seeded, "S01-C01-G01")
    async with transaction(seeded.sessions) as session:
        user = await get_or_create_user(session, "o_sub")
        for scope, topic, code in (("网格", "", "invalid"), ("火星", "", "invalid"), ("全区", "不存在", "invalid")):
            with pytest.raises(Refusal) as refused:
                await actions.subscribe(session, user, scope, topic)
            assert refused.value.code == code
        user.grid_id = grid
        assert (await actions.subscribe(session, user, "网格")).unit.code == "S01-C01-G01"
        change = await actions.subscribe(session, user, "全区", "防汛")
        assert change.topic == "防汛" and "防汛" in change.sentence
        with pytest.raises(Refusal) as refused:
            await actions.subscribe(session, user, "全区", "防汛")
        assert refused.value.code == "conflict"
        await actions.unsubscribe(session, user, topic="防汛")
        # the community followed by default stays, now as an explicit choice
        assert {(unit.code, topic) for unit, topic in await subscriptions_of(session, user)} == {
            ("S01-C01", ""), ("S01-C01-G01", "")}
        assert (await actions.unsubscribe(session, user)).unit is None
        assert await subscriptions_of(session, user) == []
        with pytest.raises(Refusal) as refused:
            await actions.unsubscribe(session, user)
        assert refused.value.code == "conflict"

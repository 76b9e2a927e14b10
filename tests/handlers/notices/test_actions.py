"""Notice actions on a real session: one check of a draft for every door, the right to send, the wake."""
from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from handlers.notices import actions
from handlers.permission import OPERATOR
from handlers.types import Refusal
from models.db import transaction
from models.notices import Notice
from models.users import Role, User, get_or_create_user
from tests.helpers import count
from tests.queue_support import role

NOON = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)  # 12:00 in China, outside quiet hours
QUIET = (time(22), time(7))


async def test_a_draft_is_checked_the_same_for_everyone(seeded):
    await role(seeded, "o_staff", Role.staff, "S01-C01")
    async with seeded.sessions() as session:
        staff, resident = await get_or_create_user(session, "o_staff"), await get_or_create_user(session, "o_res")
        cases = ((resident, "S01-C01", "停水", "正文", (), "forbidden"),
                 (staff, "S01-C02", "停水", "正文", (), "forbidden"),
                 (staff, "火星", "停水", "正文", (), "not_found"),
                 (staff, "S01-C01", "", "正文", (), "invalid"),
                 (staff, "S01-C01", "停" * 41, "正文", (), "invalid"),
                 (OPERATOR, "全区", "停水", "长" * 601, (), "invalid"),
                 (OPERATOR, "全区", "停水", "正文", ("火星",), "invalid"))
        for actor, scope, title, body, tags, code in cases:
            with pytest.raises(Refusal) as refused:
                await actions.draft(session, actor, scope=scope, title=title, body=body, tags=tags)
            assert refused.value.code == code, (scope, title[:3])
        preview = await actions.draft(session, staff, scope="S01-C01-G01", title="停水", body="明天停水",
                                      tags=("停水停电",))
        assert preview.unit.code == "S01-C01-G01" and preview.draft.tags == ("停水停电",)


async def test_send_asks_again_and_wakes_the_worker_after_the_commit(seeded):
    staff_id = await role(seeded, "o_staff", Role.staff, "S01-C01")
    wake = seeded.keys.outbound_wake
    async with transaction(seeded.sessions) as session:
        staff = await session.get(User, staff_id)
        preview = await actions.draft(session, staff, scope="S01-C01", title="停水", body="明天停水")
        sent = await actions.send(session, staff, preview.draft, send_at=NOON, quiet_hours=QUIET)
        assert sent.notice.created_by == staff_id and await seeded.redis.llen(wake) == 0
    await seeded.publisher.drain()
    assert await seeded.redis.llen(wake) == 1
    with pytest.raises(Refusal) as refused:
        async with transaction(seeded.sessions) as session:
            other = await get_or_create_user(session, "o_other_staff")
            await actions.send(session, other, preview.draft, send_at=NOON, quiet_hours=QUIET)
    assert refused.value.code == "forbidden" and await count(seeded, Notice) == 1

"""Staff intake as an action: who may log for a resident, and what is refused."""
from __future__ import annotations

import pytest

from handlers.intake.actions import log_request
from handlers.types import Refusal
from models.clock import utcnow
from models.db import transaction
from models.users import Role, User
from tests.queue_support import role


async def test_only_staff_log_and_bad_input_is_refused(seeded, settings):
    staff_id = await role(seeded, "o_in_staff", Role.staff, "S01-C01")
    head_id = await role(seeded, "o_in_head", Role.grid_head, "S01-C01-G01")
    async with transaction(seeded.sessions) as session:
        staff, head = await session.get(User, staff_id), await session.get(User, head_id)
        for actor, phone, text, channel, code in ((head, "13812345678", "灯坏了", "phone", "forbidden"),
                                                  (staff, "13812345678", "灯坏了", "fax", "invalid"),
                                                  (staff, "1234", "灯坏了", "phone", "invalid"),
                                                  (staff, "13812345678", " ", "visit", "invalid")):
            with pytest.raises(Refusal) as refused:
                await log_request(session, actor, phone, text, channel, settings, utcnow())
            assert refused.value.code == code
        logged = await log_request(session, staff, "13812345678", "阳光花园3号楼楼道灯坏了", "walk-in", settings, utcnow())
        assert logged.new_resident and logged.ticket.channel == "walk-in" and logged.ticket.grid_id is not None
        again = await log_request(session, staff, "13812345678", "阳光花园路灯不亮", "visit", settings, utcnow())
        assert not again.new_resident and again.resident.id == logged.resident.id

"""Registration (报到) as stored: applying again takes away the rights of the old approval."""
from __future__ import annotations

from models import members
from models.access import holds
from models.db import transaction
from models.org import find_unit
from models.users import Role, get_or_create_user


async def test_applying_again_revokes_the_member_role_until_decided(seeded):
    async with transaction(seeded.sessions) as session:
        sunshine, peace = await find_unit(session, "S01-C01"), await find_unit(session, "S01-C02")
        user = await get_or_create_user(session, "o_mover")
        kind = list(members.MemberKind)[0]
        profile = await members.apply(session, user, sunshine.id, "李四", "13912345678", kind, None)
        await members.decide(session, profile, True, None)
        assert await holds(session, user.id, Role.member, sunshine.id)
        await members.apply(session, user, peace.id, "李四", "13912345678", kind, None)
        assert not await holds(session, user.id, Role.member, sunshine.id)
        assert not await holds(session, user.id, Role.member, peace.id)

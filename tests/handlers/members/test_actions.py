"""The members' actions called directly with a real session: refusal codes, rows, the push."""
from __future__ import annotations

import pytest

from handlers.members import actions
from handlers.permission import OPERATOR
from handlers.types import Refusal
from models.db import transaction
from models.members import MemberKind, MemberProfile, MemberStatus
from models.users import Role, User, get_or_create_user
from tests.queue_support import pushes, role, unit_id


async def _applied(storage, openid: str, community: str = "阳光社区") -> int:
    async with transaction(storage.sessions) as session:
        user = await get_or_create_user(session, openid)
        application = await actions.check_application(session, user, community, "王芳", "138-1234-0000")
        return (await actions.apply(session, user, application, MemberKind.resident)).id


async def _refused(storage, call) -> str:
    """The refusal's code; the transaction is rolled back, as every door does."""
    with pytest.raises(Refusal) as refused:
        async with transaction(storage.sessions) as session:
            await call(session)
    return refused.value.code


async def _user(session, openid: str) -> User:
    return await get_or_create_user(session, openid)


async def _profile(storage, profile_id: int) -> MemberProfile:
    async with storage.sessions() as session:
        return await session.get(MemberProfile, profile_id)


async def test_application_is_checked(seeded):
    async with transaction(seeded.sessions) as session:
        user = await _user(session, "o_a")
        for community, name, phone, code in (("火星社区", "王芳", "13812340000", "not_found"),
                                             ("阳光社区", "王1", "13812340000", "invalid"),
                                             ("阳光社区", "王芳", "12345", "invalid")):
            with pytest.raises(Refusal) as refused:
                await actions.check_application(session, user, community, name, phone)
            assert refused.value.code == code


async def test_approve_with_a_grid_and_the_applicant_is_told(seeded):
    profile_id = await _applied(seeded, "o_app")
    await role(seeded, "o_staff", Role.staff, "S01-C01")
    async with transaction(seeded.sessions) as session:
        decision = await actions.approve(session, await _user(session, "o_staff"), profile_id, "阳光第二网格")
        assert decision.approved and decision.grid.code == "S01-C01-G02"
    stored = await _profile(seeded, profile_id)
    assert stored.status == MemberStatus.approved and stored.grid_id == await unit_id(seeded, "S01-C01-G02")
    [told] = await pushes(seeded, "o_app")
    assert "审核通过" in told.body


async def test_refusal_codes_of_a_decision(seeded):
    profile_id = await _applied(seeded, "o_app")
    await role(seeded, "o_staff_c2", Role.staff, "S01-C02")
    await role(seeded, "o_staff", Role.staff, "S01-C01")

    async def as_(openid, call):
        return await _refused(seeded, lambda session: _as(session, openid, call))

    async def _as(session, openid, call):
        return await call(session, await _user(session, openid))

    assert await as_("o_resident", lambda s, u: actions.approve(s, u, profile_id)) == "forbidden"
    assert await as_("o_staff_c2", lambda s, u: actions.approve(s, u, profile_id)) == "forbidden"
    assert await as_("o_staff", lambda s, u: actions.approve(s, u, 999)) == "not_found"
    assert await as_("o_staff", lambda s, u: actions.approve(s, u, profile_id, "火星网格")) == "not_found"
    assert await as_("o_staff", lambda s, u: actions.approve(s, u, profile_id, "和平第一网格")) == "invalid"
    assert (await _profile(seeded, profile_id)).status == MemberStatus.pending
    async with transaction(seeded.sessions) as session:
        await actions.reject(session, await _user(session, "o_staff"), profile_id, "信息不符")
    assert await as_("o_staff", lambda s, u: actions.approve(s, u, profile_id)) == "conflict"
    assert (await _profile(seeded, profile_id)).note == "信息不符"


async def test_the_operator_needs_no_role_but_the_grid_must_still_fit(seeded):
    profile_id = await _applied(seeded, "o_app")
    assert await _refused(seeded, lambda s: actions.approve(s, OPERATOR, profile_id, "S01-C02-G03")) == "invalid"
    async with transaction(seeded.sessions) as session:
        decision = await actions.approve(session, OPERATOR, profile_id, "S01-C01-G01")
    assert decision.profile.decided_by is None and decision.grid.code == "S01-C01-G01"


async def test_pending_lists_only_the_staff_members_communities(seeded):
    mine, other = await _applied(seeded, "o_one"), await _applied(seeded, "o_two", "和平社区")
    await role(seeded, "o_staff", Role.staff, "S01-C01")
    await role(seeded, "o_head", Role.grid_head, "S01-C01")
    async with seeded.sessions() as session:
        assert [p.id for p in await actions.pending(session, await _user(session, "o_staff"))] == [mine]
        with pytest.raises(Refusal) as refused:
            await actions.pending(session, await _user(session, "o_head"))
    assert refused.value.code == "forbidden" and other != mine


async def test_bind_refuses_an_unknown_estate_and_names_the_real_ones(seeded):
    async with transaction(seeded.sessions) as session:
        user = await _user(session, "o_binder")
        with pytest.raises(Refusal) as refused:
            await actions.bind(session, user, "不存在小区 1号楼")
        assert refused.value.code == "not_found"
        assert "不存在小区" in refused.value.sentence and "阳光花园" in refused.value.sentence
        assert "翠竹苑" in refused.value.sentence and user.grid_id is None
        for place, grid in (("阳光花园 3号楼", "S01-C01-G01"), ("9号楼", "S01-C01-G02"), ("和平里", "S01-C02-G03")):
            assert (await actions.bind(session, user, place)).grid.code == grid
        with pytest.raises(Refusal) as refused:
            await actions.bind(session, user, "")
        assert refused.value.code == "invalid"

"""为民项目 actions on a real session: who may publish where, seats, a unit taking one whole."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers.permission import OPERATOR
from handlers.projects import actions
from handlers.types import Refusal
from models.db import transaction
from models.org import find_unit
from models.projects import ClaimOutcome, CoopUnit, Project
from models.users import Role, get_or_create_user
from tests.queue_support import member, role

NOW = datetime(2026, 12, 2, tzinfo=UTC)


async def _publish(storage, actor_openid: str | None, unit: str, capacity: str = "2", deadline: str = "") -> Project:
    async with transaction(storage.sessions) as session:
        actor = await get_or_create_user(session, actor_openid) if actor_openid else OPERATOR
        return await actions.publish(session, actor, title="助老理发日", description="每月一次", unit=unit,
                                     capacity=capacity, deadline=deadline, now=NOW)


async def _refused(call) -> str:
    with pytest.raises(Refusal) as refused:
        await call
    return refused.value.code


async def test_publishing_needs_staff_on_that_unit_and_good_arguments(seeded):
    await role(seeded, "o_staff", Role.staff, "S01-C02")
    await role(seeded, "o_head", Role.grid_head, "S01-C01")
    assert await _refused(_publish(seeded, "o_resident", "S01-C02")) == "forbidden"
    assert await _refused(_publish(seeded, "o_head", "S01-C01")) == "forbidden"
    assert await _refused(_publish(seeded, "o_staff", "S01-C01-G01")) == "forbidden"
    assert await _refused(_publish(seeded, "o_staff", "火星")) == "not_found"
    assert await _refused(_publish(seeded, "o_staff", "S01-C02", capacity="0")) == "invalid"
    assert await _refused(_publish(seeded, "o_staff", "S01-C02", deadline="2020-01-01")) == "invalid"
    project = await _publish(seeded, "o_staff", "S01-C02-G03", deadline="2026-12-31")
    assert project.capacity == 2 and project.deadline > NOW
    assert (await _publish(seeded, None, "S01-C01")).created_by is None  # the operator at a terminal


async def test_seats_are_claimed_once_each_and_never_beyond_capacity(seeded):
    project = await _publish(seeded, None, "S01-C01", capacity="1")
    for openid in ("o_m1", "o_m2"):
        await member(seeded, openid)
    await member(seeded, "o_far", community="S01-C02", grid=None)
    async with transaction(seeded.sessions) as session:
        m1, m2, far = [await get_or_create_user(session, o) for o in ("o_m1", "o_m2", "o_far")]
        resident = await get_or_create_user(session, "o_resident")
        assert (await actions.claim_seat(session, m1, project.id, NOW)).outcome == ClaimOutcome.taken
        assert (await actions.claim_seat(session, m1, project.id, NOW)).outcome == ClaimOutcome.already
        for who, project_id, code in ((m2, project.id, "conflict"), (far, project.id, "forbidden"),
                                      (resident, project.id, "forbidden"), (m2, 999, "not_found")):
            with pytest.raises(Refusal) as refused:
                await actions.claim_seat(session, who, project_id, NOW)
            assert refused.value.code == code


async def test_a_unit_takes_a_project_whole_only_while_no_seat_is_taken(seeded):
    whole, partly = await _publish(seeded, None, "S01-C01", "5"), await _publish(seeded, None, "S01-C01", "5")
    contact = await member(seeded, "o_contact")
    await member(seeded, "o_m1")
    async with transaction(seeded.sessions) as session:
        community = await find_unit(session, "S01-C01")
        session.add(CoopUnit(name="区供电公司", community_id=community.id, contact_user_id=contact))
        m1, unit_contact = await get_or_create_user(session, "o_m1"), await get_or_create_user(session, "o_contact")
        with pytest.raises(Refusal) as refused:
            await actions.claim_whole(session, m1, whole.id, NOW)
        assert refused.value.code == "forbidden"
        await actions.claim_seat(session, m1, partly.id, NOW)
        claim = await actions.claim_whole(session, unit_contact, whole.id, NOW)
        assert claim.unit.name == "区供电公司" and claim.project.seats_taken == 5
        with pytest.raises(Refusal) as refused:
            await actions.claim_whole(session, unit_contact, partly.id, NOW)
        assert refused.value.code == "conflict"

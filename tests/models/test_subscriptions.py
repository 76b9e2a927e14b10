"""Who a notice reaches: scope along the tree, topics, the community default, unfollowing."""
from __future__ import annotations

from sqlmodel import select

from models.notices import related_unit_ids
from models.org import OrgUnit, find_unit
from models.subscriptions import add, recipients, remove, subscriptions_of
from models.users import User


async def _user(session, openid: str, grid: str | None = None, subscribed: bool = True) -> User:
    grid_id = (await find_unit(session, grid)).id if grid else None
    user = User(openid=openid, grid_id=grid_id, subscribed=subscribed)
    session.add(user)
    await session.flush()
    return user


async def _reach(session, scope: str, tags: list[str] | None = None) -> set[str]:
    unit = await find_unit(session, scope)
    return set((await recipients(session, await related_unit_ids(session, unit.id), tags or [])).values())


async def test_a_known_grid_means_its_community_by_default(seeded):
    async with seeded.sessions() as session, session.begin():
        await _user(session, "o_g1", "S01-C01-G01")
        await _user(session, "o_g2", "S01-C01-G02")
        await _user(session, "o_other", "S01-C02-G03")
        await _user(session, "o_nowhere")
        await _user(session, "o_gone", "S01-C01-G01", subscribed=False)
        assert await _reach(session, "S01-C01") == {"o_g1", "o_g2"}
        assert await _reach(session, "S01-C01-G01") == {"o_g1", "o_g2"}  # a grid's notice concerns its community
        assert await _reach(session, "S01") == {"o_g1", "o_g2", "o_other"}
        assert await _reach(session, "D") == {"o_g1", "o_g2", "o_other"}


async def test_explicit_choices_replace_the_default(seeded):
    async with seeded.sessions() as session, session.begin():
        user = await _user(session, "o_c", "S01-C01-G01")
        grid = await find_unit(session, "S01-C01-G01")
        district = await find_unit(session, "D")
        assert await add(session, user, grid)  # the default is written down first, then the grid added
        assert not await add(session, user, grid)
        assert [unit.code for unit, _ in await subscriptions_of(session, user)] == ["S01-C01", "S01-C01-G01"]
        community = await find_unit(session, "S01-C01")
        assert await remove(session, user, community) == 1
        assert await _reach(session, "S01-C01-G02") == set()  # only grid G01 now
        assert await _reach(session, "S01-C01-G01") == {"o_c"}
        await add(session, user, district, "防汛")
        assert await _reach(session, "S01-C02", ["防汛"]) == {"o_c"}  # floods district-wide
        assert await _reach(session, "S01-C02", ["活动"]) == set()
        assert await remove(session, user) == 2
        assert await _reach(session, "S01-C01") == set()


async def test_no_grid_no_default(seeded):
    async with seeded.sessions() as session, session.begin():
        user = await _user(session, "o_x")
        assert await subscriptions_of(session, user) == []


async def test_related_units_are_the_path_up_and_the_subtree_down(seeded):
    async with seeded.sessions() as session:
        community = await find_unit(session, "S01-C01")
        related = await related_unit_ids(session, community.id)
        codes = set((await session.exec(select(OrgUnit.code).where(OrgUnit.id.in_(related)))).all())
    assert {"D", "S01", "S01-C01", "S01-C01-G01", "S01-C01-G02"} <= codes
    assert "S01-C02" not in codes and "S01-C02-G03" not in codes

"""Who wants which notices: a unit of the organisation tree, optionally narrowed to one topic.

A subscription to unit S covers every notice aimed at S, above S (a district-wide notice
concerns everyone in it) or below S (a grid's notice concerns its community's
subscribers). `topic` '' takes every notice there; a topic row ('防汛') adds the notices
tagged with it, so a resident can follow floods district-wide but the rest only at home.

Until a follower makes a choice of their own, they are subscribed by default to the
community of their grid, as soon as a grid is known (nothing to store, nothing to miss
when another area binds the grid later). The first 订阅/退订 turns the default into rows
and records a `SubscriptionChoice`, after which only the rows count.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.clock import utcnow
from models.org import OrgUnit, community_of
from models.users import User

ALL_TOPICS = ""
# Topics staff tag notices with and residents may follow (DOMAIN.md: services and recurring needs).
TOPICS = ("停水停电", "活动", "党员", "防汛", "养老", "安全", "政策", "就业", "环境", "交通")


class Subscription(SQLModel, table=True):
    __tablename__ = "subscription"
    __table_args__ = (UniqueConstraint("user_id", "unit_id", "topic", name="uq_subscription"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    unit_id: int = Field(foreign_key="org_unit.id", index=True)
    topic: str = Field(default=ALL_TOPICS, max_length=16)
    created_at: datetime = Field(default_factory=utcnow)


class SubscriptionChoice(SQLModel, table=True):
    """Present once the user has chosen for themselves: the community default no longer applies."""

    __tablename__ = "subscription_choice"
    user_id: int = Field(foreign_key="app_user.id", primary_key=True)
    chosen_at: datetime = Field(default_factory=utcnow)


async def subscriptions_of(session: AsyncSession, user: User) -> list[tuple[OrgUnit, str]]:
    """(unit, topic) pairs in force for the user, including the implicit community default."""
    if not await has_chosen(session, user.id):
        default = await _default_unit(session, user)
        return [(default, ALL_TOPICS)] if default else []
    rows = (await session.exec(select(Subscription, OrgUnit).join(OrgUnit, OrgUnit.id == Subscription.unit_id)
                               .where(Subscription.user_id == user.id).order_by(Subscription.id))).all()
    return [(unit, row.topic) for row, unit in rows]


async def add(session: AsyncSession, user: User, unit: OrgUnit, topic: str = ALL_TOPICS) -> bool:
    """Subscribe; False when the user already had exactly this subscription."""
    await _make_explicit(session, user)
    exists = (await session.exec(select(Subscription).where(
        Subscription.user_id == user.id, Subscription.unit_id == unit.id, Subscription.topic == topic))).first()
    if exists:
        return False
    try:
        async with session.begin_nested():
            session.add(Subscription(user_id=user.id, unit_id=unit.id, topic=topic))
    except IntegrityError:  # the same command twice at once
        return False
    return True


async def remove(session: AsyncSession, user: User, unit: OrgUnit | None = None,
                 topic: str | None = None) -> int:
    """Unsubscribe from `unit` (None: every unit) and `topic` (None: every topic); rows removed."""
    await _make_explicit(session, user)
    query = delete(Subscription).where(Subscription.user_id == user.id)
    if unit is not None:
        query = query.where(Subscription.unit_id == unit.id)
    if topic is not None:
        query = query.where(Subscription.topic == topic)
    return (await session.exec(query)).rowcount


async def recipients(session: AsyncSession, related_unit_ids: list[int], tags: list[str]) -> dict[int, str]:
    """{user id: openid} of every follower a notice reaches, given the units on its path."""
    topics = [ALL_TOPICS, *tags]
    explicit = (await session.exec(
        select(User.id, User.openid).join(Subscription, Subscription.user_id == User.id)
        .where(Subscription.unit_id.in_(related_unit_ids), Subscription.topic.in_(topics),
               User.subscribed == True))).all()  # noqa: E712  (SQL comparison)
    chosen = select(SubscriptionChoice.user_id)
    grid = OrgUnit.__table__.alias("grid")
    implicit = (await session.exec(
        select(User.id, User.openid).join(grid, grid.c.id == User.grid_id)
        .where(grid.c.parent_id.in_(related_unit_ids), User.subscribed == True,  # noqa: E712
               User.id.not_in(chosen)))).all()
    return {user_id: openid for user_id, openid in [*explicit, *implicit]}


async def district_unit(session: AsyncSession) -> OrgUnit | None:
    """The root of the tree: what 全区 means."""
    return (await session.exec(select(OrgUnit).where(OrgUnit.parent_id == None))).first()  # noqa: E711


async def has_chosen(session: AsyncSession, user_id: int) -> bool:
    return await session.get(SubscriptionChoice, user_id) is not None


async def _default_unit(session: AsyncSession, user: User) -> OrgUnit | None:
    return await community_of(session, user.grid_id) if user.grid_id else None


async def _make_explicit(session: AsyncSession, user: User) -> None:
    """Before the first choice, write the implicit default down so the choice starts from it."""
    if await has_chosen(session, user.id):
        return
    default = await _default_unit(session, user)
    try:
        async with session.begin_nested():
            session.add(SubscriptionChoice(user_id=user.id))
            if default is not None:
                session.add(Subscription(user_id=user.id, unit_id=default.id, topic=ALL_TOPICS))
    except IntegrityError:
        pass  # a concurrent command made the same choice first

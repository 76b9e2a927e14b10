"""Members' actions, one per operation, for every door: 报到 (apply), approve, reject, 绑定 (bind).

Each takes a session, the acting user (None: the operator at a terminal) and typed
arguments, asks models/access, and returns a value or raises `Refusal`. The chat grammar,
the console, `linli members` and the API only translate.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

import nlp
from handlers.audience import approved_member
from handlers.masking import mask_phone
from handlers.permission import require, require_anywhere
from handlers.pushes import push_to
from handlers.routing import grid_for
from handlers.texts import members as texts
from handlers.types import Refusal
from models import access, members
from models.members import MemberKind, MemberProfile, MemberStatus
from models.org import OrgLevel, OrgUnit, community_of, find_unit
from models.org_index import org_index
from models.users import Role, User

GridRef = int | str | None  # a grid by id (console form), by name or code (chat, CLI), or none


@dataclass(frozen=True)
class Application:
    """A checked 报到, before the member kind is chosen."""

    community: OrgUnit
    name: str
    phone: str


@dataclass(frozen=True)
class Decision:
    profile: MemberProfile
    community: OrgUnit
    grid: OrgUnit | None

    @property
    def approved(self) -> bool:
        return self.profile.status == MemberStatus.approved


@dataclass(frozen=True)
class Binding:
    grid: OrgUnit
    community: OrgUnit | None


async def check_application(session: AsyncSession, user: User, community_text: str, name: str,
                            phone_text: str) -> Application:
    community = await find_unit(session, community_text, OrgLevel.community)
    if community is None:
        raise Refusal("not_found", texts.UNKNOWN_COMMUNITY.format(name=community_text))
    phone = members.normalise_phone(phone_text)
    if not 2 <= len(name) <= 20 or any(ch.isdigit() for ch in name):
        raise Refusal("invalid", texts.BAD_NAME)
    if phone is None:
        raise Refusal("invalid", texts.BAD_PHONE.format(phone=mask_phone(phone_text)))
    existing = await members.approved_member(session, user.id)
    if existing and existing.community_id == community.id:
        raise Refusal("conflict", texts.ALREADY_MEMBER.format(community=community.name))
    return Application(community, name, phone)


async def apply(session: AsyncSession, user: User, application: Application, kind: MemberKind) -> MemberProfile:
    """Record the application (pending); the applicant's bound grid is kept when it is in that community."""
    grid_id = user.grid_id if user.grid_id and await _in_community(session, user.grid_id,
                                                                   application.community.id) else None
    return await members.apply(session, user, application.community.id, application.name, application.phone,
                               kind, grid_id)


async def member_of(session: AsyncSession, user: User) -> MemberProfile:
    """The user's approved registration, or why they may not act as a member (`forbidden`)."""
    return await approved_member(session, user.id)


async def ensure_staff(session: AsyncSession, actor: User | None) -> None:
    """Refuse anyone who is staff nowhere: they may not decide on any application."""
    await require_anywhere(session, actor, Role.staff, texts.STAFF_ONLY)


async def pending(session: AsyncSession, actor: User, limit: int = 20) -> list[MemberProfile]:
    """The applications waiting in the communities the actor is staff of."""
    await ensure_staff(session, actor)
    waiting = await members.listing(session, MemberStatus.pending, None, limit=200)
    return [p for p in waiting if await access.holds(session, actor.id, Role.staff, p.community_id)][:limit]


async def approve(session: AsyncSession, actor: User | None, profile_id: int, grid: GridRef = None,
                  note: str = "") -> Decision:
    """Approve a pending application, optionally into a grid of its own community; the applicant is told."""
    profile = await _decidable(session, actor, profile_id)
    chosen = await _grid_of(session, grid, profile) if grid not in (None, "") else None
    return await _decide(session, actor, profile, True, note, chosen)


async def reject(session: AsyncSession, actor: User | None, profile_id: int, reason: str = "") -> Decision:
    profile = await _decidable(session, actor, profile_id)
    return await _decide(session, actor, profile, False, reason, None)


async def _decidable(session: AsyncSession, actor: User | None, profile_id: int) -> MemberProfile:
    await ensure_staff(session, actor)
    profile = await session.get(MemberProfile, profile_id)
    if profile is None:
        raise Refusal("not_found", texts.NO_APPLICATION.format(id=profile_id))
    await require(session, actor, Role.staff, profile.community_id, texts.NOT_YOUR_UNIT.format(id=profile.id))
    if profile.status != MemberStatus.pending:
        raise Refusal("conflict", texts.ALREADY_DECIDED.format(id=profile.id,
                                                               status=texts.STATUS_NAMES[profile.status]))
    return profile


async def _grid_of(session: AsyncSession, grid: int | str, profile: MemberProfile) -> OrgUnit:
    unit = await session.get(OrgUnit, grid) if isinstance(grid, int) else await find_unit(session, grid,
                                                                                          OrgLevel.grid)
    if unit is None or unit.level != OrgLevel.grid:
        raise Refusal("not_found", texts.UNKNOWN_GRID.format(name=grid))
    if not await _in_community(session, unit.id, profile.community_id):
        community = await session.get(OrgUnit, profile.community_id)
        raise Refusal("invalid", texts.GRID_OTHER_COMMUNITY.format(name=unit.name, community=community.name))
    return unit


async def _decide(session: AsyncSession, actor: User | None, profile: MemberProfile, approved: bool, note: str,
                  grid: OrgUnit | None) -> Decision:
    by = actor.id if actor else None
    if not await members.decide(session, profile, approved, by, note, grid.id if grid else None):
        await session.refresh(profile)  # decided by someone else since it was read
        raise Refusal("conflict", texts.ALREADY_DECIDED.format(id=profile.id,
                                                               status=texts.STATUS_NAMES[profile.status]))
    community = await session.get(OrgUnit, profile.community_id)
    body = (texts.APPROVED_PUSH.format(community=community.name) if approved else
            texts.REJECTED_PUSH.format(community=community.name, reason=f"（{note}）" if note else ""))
    await push_to(session, profile.user_id, f"member:{profile.id}:{profile.status}:{profile.decided_at.isoformat()}",
                  body, title="报到审核结果")
    placed = await session.get(OrgUnit, profile.grid_id) if profile.grid_id else None
    return Decision(profile, community, placed)


async def _in_community(session: AsyncSession, grid_id: int, community_id: int) -> bool:
    community = await community_of(session, grid_id)
    return community is not None and community.id == community_id


async def bind(session: AsyncSession, user: User, place: str) -> Binding:
    """绑定: the resident's home grid. A named estate must exist: an unknown one is refused with
    the estates that do exist, rather than binding by the building number alone to another grid."""
    place = place.strip()
    if not place:
        raise Refusal("invalid", texts.BIND_USAGE)
    grid = await find_unit(session, place, OrgLevel.grid)
    estate = _estate_words(place)
    if grid is None and estate:
        grid = await find_unit(session, estate, OrgLevel.grid) or await _grid_by_estate(session, estate)
        if grid is None:
            raise await _unknown_estate(session, user, place, estate)
    if grid is None:
        grid_id = await grid_for(session, None, nlp.classify(place).places)
        grid = await session.get(OrgUnit, grid_id) if grid_id else None
    if grid is None:
        raise Refusal("not_found", texts.BIND_UNKNOWN.format(place=place))
    user.grid_id = grid.id
    session.add(user)
    return Binding(grid, await community_of(session, grid.id))


def _estate_words(place: str) -> str:
    """What comes before the first digit (阳光花园 of “阳光花园 3号楼”): the estate, if any."""
    return re.split(r"\d", place, maxsplit=1)[0].strip()


async def _grid_by_estate(session: AsyncSession, estate: str) -> OrgUnit | None:
    names = {p.value for p in nlp.classify(estate).places if p.kind == "estate"}
    index = await org_index(session)
    grids = set().union(*(index.estates.get(name, set()) for name in names))
    return await session.get(OrgUnit, next(iter(grids))) if len(grids) == 1 else None


async def _unknown_estate(session: AsyncSession, user: User, place: str, estate: str) -> Refusal:
    """The refusal naming the unknown estate and listing those of the community meant: the one the
    building number points to, else the resident's own, else every estate."""
    near = await grid_for(session, None, nlp.classify(place).places) or user.grid_id
    community = await community_of(session, near) if near else None
    query = select(OrgUnit).where(OrgUnit.level == OrgLevel.grid).order_by(OrgUnit.code)
    if community is not None:
        query = query.where(OrgUnit.parent_id == community.id)
    estates = [_estate_name(grid) for grid in (await session.exec(query)).all()]
    return Refusal("not_found", texts.BIND_UNKNOWN_ESTATE.format(
        estate=estate, community=community.name if community else "本区", estates="、".join(estates),
        example=estates[0] if estates else "阳光花园"))


def _estate_name(grid: OrgUnit) -> str:
    return next((alias for alias in grid.aliases.split(",") if alias), grid.name)

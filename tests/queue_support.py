"""Building blocks for the claiming-queue tests: talk over HTTP, and set people up in real storage."""
from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from bot.wechat.simulator import WeChatSender
from bot.storage import Storage
from models.access import grant
from models.db import transaction
from models.members import MemberKind, MemberProfile, MemberStatus
from models.org import OrgUnit
from models.outbound import OutboundMessage
from models.tickets import Ticket, TicketEvent
from models.users import Role, get_or_create_user

LAMP = "阳光花园3号楼楼道灯坏了"  # 小事 in S01-C01-G01


async def say(sender: WeChatSender, http, openid: str, text: str) -> str:
    status, shown = await sender.post(http, sender.text_xml(openid, text))
    assert status == 200, shown
    return shown


async def unit_id(storage: Storage, code: str) -> int:
    async with storage.sessions() as session:
        return (await session.exec(select(OrgUnit.id).where(OrgUnit.code == code))).one()


async def member(storage: Storage, openid: str, community: str = "S01-C01", grid: str | None = "S01-C01-G01",
                 status: MemberStatus = MemberStatus.approved, name: str = "李四") -> int:
    """A registered member as staff would have approved them; returns the user id."""
    community_id = await unit_id(storage, community)
    grid_id = await unit_id(storage, grid) if grid else None
    async with transaction(storage.sessions) as session:
        user = await get_or_create_user(session, openid)
        session.add(MemberProfile(user_id=user.id, community_id=community_id, grid_id=grid_id,
                                  kind=MemberKind.in_service, status=status, name=name, phone="13812345678"))
        if status == MemberStatus.approved:
            await grant(session, user.id, Role.member, community_id)
        return user.id


async def role(storage: Storage, openid: str, granted: Role, unit_code: str | None) -> int:
    unit = await unit_id(storage, unit_code) if unit_code else None
    async with transaction(storage.sessions) as session:
        user = await get_or_create_user(session, openid)
        await grant(session, user.id, granted, unit)
        return user.id


async def ticket(storage: Storage, ticket_id: int) -> Ticket:
    async with storage.sessions() as session:
        return await session.get(Ticket, ticket_id)


async def events(storage: Storage, ticket_id: int) -> list[TicketEvent]:
    async with storage.sessions() as session:
        query = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id)
        return list((await session.exec(query)).all())


async def pushes(storage: Storage, openid: str) -> list[OutboundMessage]:
    async with storage.sessions() as session:
        query = select(OutboundMessage).where(OutboundMessage.openid == openid).order_by(OutboundMessage.id)
        return list((await session.exec(query)).all())


async def backdate(storage: Storage, ticket_id: int, **moments: datetime) -> None:
    """Move a ticket's clocks into the past, as if hours had gone by."""
    async with transaction(storage.sessions) as session:
        row = await session.get(Ticket, ticket_id)
        for column, moment in moments.items():
            setattr(row, column, moment)
        session.add(row)


async def submitted(storage: Storage, openid: str, text: str = LAMP) -> int:
    """A resident's request stored by the intake action itself (no HTTP); its ticket number."""
    from config.settings import Settings
    from handlers.requests.actions import submit
    from models.clock import utcnow
    async with transaction(storage.sessions) as session:
        user = await get_or_create_user(session, openid)
        return (await submit(session, Settings(), user, text, None, utcnow())).ticket.id


async def profile(storage: Storage, openid: str) -> MemberProfile:
    async with storage.sessions() as session:
        user = await get_or_create_user(session, openid)
        return (await session.exec(select(MemberProfile).where(MemberProfile.user_id == user.id))).one()


async def user(storage: Storage, openid: str):
    async with transaction(storage.sessions) as session:
        return await get_or_create_user(session, openid)


async def act(storage: Storage, action, *args):
    """Run one action in its own transaction, as a door would."""
    async with transaction(storage.sessions) as session:
        return await action(session, *args)


async def refusal_code(storage: Storage, action, *args) -> str:
    """The code of the Refusal the action raises (the test fails when it does not refuse)."""
    from handlers.types import Refusal
    try:
        await act(storage, action, *args)
    except Refusal as refusal:
        return refusal.code
    raise AssertionError(f"{action.__name__} did not refuse")

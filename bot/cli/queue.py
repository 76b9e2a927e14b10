"""`linli members|users|units|projects|points|supervise`: the claiming queue from a terminal.

Staff approve members and publish projects here as in chat (the same functions decide),
operators grant roles, and the worker runs `linli supervise --loop`.
"""
from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.masking import mask_name, mask_phone
from config.settings import Settings

Job = Callable[[AsyncSession, argparse.Namespace], Awaitable[int]]


def register(commands: argparse._SubParsersAction) -> None:
    members = commands.add_parser("members", help="party members' registrations (报到)").add_subparsers(
        dest="members_command", required=True)
    listing = members.add_parser("list", help="list registrations")
    listing.add_argument("--status", choices=["pending", "approved", "rejected"], default="pending")
    listing.set_defaults(run=_in_session(_members_list))
    approve = members.add_parser("approve", help="approve an application (the member is told)")
    approve.add_argument("id", type=int)
    approve.add_argument("--grid", help="the grid whose tasks the member sees first (name or code)")
    approve.set_defaults(run=_in_session(_members_approve))
    reject = members.add_parser("reject", help="reject an application (the member is told)")
    reject.add_argument("id", type=int)
    reject.add_argument("--reason", default="")
    reject.set_defaults(run=_in_session(_members_reject))

    users = commands.add_parser("users", help="roles per unit").add_subparsers(dest="users_command", required=True)
    for name, job in (("grant", _users_grant), ("revoke", _users_revoke)):
        parser = users.add_parser(name, help=f"{name} a role on a unit (and everything below it)")
        parser.add_argument("who", help="openid or phone number")
        parser.add_argument("role", choices=["grid_head", "staff", "admin", "member", "department", "department_head"])
        parser.add_argument("unit", help="unit code or name; 'all' for the whole district; "
                                         "for department roles the department (城乡建设, or 城乡建设/幸福街道)")
        parser.set_defaults(run=_in_session(job))

    from bot.cli.projects import register as register_projects
    register_projects(commands)


def _in_session(job: Job) -> Callable[[argparse.Namespace, Settings], int]:
    """Run `job` in one transaction on the configured database; its return is the exit code."""
    def run(args: argparse.Namespace, settings: Settings) -> int:
        from models.db import make_engine, make_sessionmaker, transaction

        async def go() -> int:
            engine = make_engine(settings.resolved_database_url())
            try:
                async with transaction(make_sessionmaker(engine)) as session:
                    args.settings = settings
                    return await job(session, args)
            finally:
                await engine.dispose()
        return asyncio.run(go())
    return run


async def _members_list(session: AsyncSession, args: argparse.Namespace) -> int:
    from models.members import listing
    from models.org import OrgUnit
    rows = await listing(session, args.status, None, limit=500)
    for profile in rows:
        community = await session.get(OrgUnit, profile.community_id)
        print(f"{profile.id}\t{mask_name(profile.name)}\t{mask_phone(profile.phone)}\t{profile.kind}\t"
              f"{community.name}\t{profile.status}")
    if not rows:
        print(f"没有{args.status}状态的报到 (no {args.status} registrations)")
    return 0


async def _members_approve(session: AsyncSession, args: argparse.Namespace) -> int:
    return await _decide(session, args, approve=True)


async def _members_reject(session: AsyncSession, args: argparse.Namespace) -> int:
    return await _decide(session, args, approve=False)


async def _decide(session: AsyncSession, args: argparse.Namespace, approve: bool) -> int:
    from handlers.members import decide_and_tell
    from models.members import MemberProfile, MemberStatus
    from models.org import OrgLevel, find_unit
    profile = await session.get(MemberProfile, args.id)
    if profile is None or profile.status != MemberStatus.pending:
        print(f"error: 申请 {args.id} 不存在或已处理 (no pending application {args.id})")
        return 2
    grid = await find_unit(session, args.grid, OrgLevel.grid) if approve and args.grid else None
    if approve and args.grid and grid is None:
        print(f"error: 没有找到网格 {args.grid} (unknown grid)")
        return 2
    print(await decide_and_tell(session, profile, approve, None, "" if approve else args.reason,
                                grid.id if grid else None))
    return 0


async def find_user(session: AsyncSession, who: str):
    """A user by openid or by phone number (as stored at 报到)."""
    from models.members import normalise_phone
    from models.users import User
    phone = normalise_phone(who)
    column = User.phone if phone else User.openid
    return (await session.exec(select(User).where(column == (phone or who)))).first()


async def _user_for_role(session: AsyncSession, who: str):
    from models.users import get_or_create_user
    user = await find_user(session, who)
    if user is None and not who.isdigit():
        user = await get_or_create_user(session, who)  # staff granted before their first message
    return user


async def _role_target(session: AsyncSession, args: argparse.Namespace):
    from models.org import find_unit
    user = await _user_for_role(session, args.who)
    unit = None if args.unit == "all" else await find_unit(session, args.unit)
    if user is None or (unit is None and args.unit != "all"):
        print(f"error: 找不到用户或单位 (unknown user {mask_phone(args.who)} or unit {args.unit})")
        return None
    return user, unit


async def _department_role(session: AsyncSession, args: argparse.Namespace, revoke: bool) -> int | None:
    """Department roles name a department, not a unit (bot/cli/departments.py)."""
    from bot.cli.departments import grant_department, is_department_role
    if not is_department_role(args.role):
        return None
    user = await _user_for_role(session, args.who)
    if user is None:
        print(f"error: 找不到用户 (unknown user {mask_phone(args.who)})")
        return 2
    return await grant_department(session, user, args.role, args.unit, revoke)


async def _users_grant(session: AsyncSession, args: argparse.Namespace) -> int:
    from models.access import grant
    if (done := await _department_role(session, args, revoke=False)) is not None:
        return done
    target = await _role_target(session, args)
    if target is None:
        return 2
    user, unit = target
    added = await grant(session, user.id, args.role, unit.id if unit else None)
    print(f"{'已授予' if added else '已有'} {args.role} @ {unit.name if unit else '全区'} ({user.openid})")
    return 0


async def _users_revoke(session: AsyncSession, args: argparse.Namespace) -> int:
    from models.access import revoke
    if (done := await _department_role(session, args, revoke=True)) is not None:
        return done
    target = await _role_target(session, args)
    if target is None:
        return 2
    user, unit = target
    removed = await revoke(session, user.id, args.role, unit.id if unit else None)
    print(f"{'已收回' if removed else '本无此角色'} {args.role} @ {unit.name if unit else '全区'}")
    return 0

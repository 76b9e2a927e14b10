"""`linli members|users`: registrations (报到) and roles per unit from a terminal.

Staff approve and reject members here with the same actions chat and the console call
(handlers/members/actions.py); operators grant roles.
"""
from __future__ import annotations

import argparse

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cli.session import find_user, in_session
from handlers.masking import mask_name, mask_phone


def register(commands: argparse._SubParsersAction) -> None:
    members = commands.add_parser("members", help="party members' registrations (报到)").add_subparsers(
        dest="members_command", required=True)
    listing = members.add_parser("list", help="list registrations")
    listing.add_argument("--status", choices=["pending", "approved", "rejected"], default="pending")
    listing.set_defaults(run=in_session(_members_list))
    approve = members.add_parser("approve", help="approve an application (the member is told)")
    approve.add_argument("id", type=int)
    approve.add_argument("--grid", help="the grid whose tasks the member sees first (name or code)")
    approve.set_defaults(run=in_session(_members_approve))
    reject = members.add_parser("reject", help="reject an application (the member is told)")
    reject.add_argument("id", type=int)
    reject.add_argument("--reason", default="")
    reject.set_defaults(run=in_session(_members_reject))

    users = commands.add_parser("users", help="roles per unit").add_subparsers(dest="users_command", required=True)
    for name, job in (("grant", _users_grant), ("revoke", _users_revoke)):
        parser = users.add_parser(name, help=f"{name} a role on a unit (and everything below it)")
        parser.add_argument("who", help="openid or phone number")
        parser.add_argument("role", choices=["grid_head", "staff", "admin", "member", "department", "department_head"])
        parser.add_argument("unit", help="unit code or name; 'all' for the whole district; "
                                         "for department roles the department (城乡建设, or 城乡建设/幸福街道)")
        parser.set_defaults(run=in_session(job))


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
    from handlers.members import actions, decided_text
    from handlers.permission import OPERATOR
    decision = (await actions.approve(session, OPERATOR, args.id, args.grid) if approve
                else await actions.reject(session, OPERATOR, args.id, args.reason))
    print(decided_text(decision))
    return 0


async def _user_for_role(session: AsyncSession, who: str):
    from models.users import get_or_create_user
    user = await find_user(session, who)
    if user is None and not who.isdecimal():
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
    return await _users_change(session, args, revoking=False)


async def _users_revoke(session: AsyncSession, args: argparse.Namespace) -> int:
    return await _users_change(session, args, revoking=True)


async def _users_change(session: AsyncSession, args: argparse.Namespace, revoking: bool) -> int:
    from models.access import grant, revoke
    if (done := await _department_role(session, args, revoke=revoking)) is not None:
        return done
    target = await _role_target(session, args)
    if target is None:
        return 2
    user, unit = target
    where = unit.name if unit else "全区"
    if revoking:
        removed = await revoke(session, user.id, args.role, unit.id if unit else None)
        print(f"{'已收回' if removed else '本无此角色'} {args.role} @ {where}")
    else:
        added = await grant(session, user.id, args.role, unit.id if unit else None)
        print(f"{'已授予' if added else '已有'} {args.role} @ {where} ({user.openid})")
    return 0

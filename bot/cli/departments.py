"""`linli departments add|list`, and department roles for `linli users grant|revoke`.

The CLI door over handlers.departments.actions: a refusal prints its sentence and exits 2
(bot/cli/session.py).
"""
from __future__ import annotations

import argparse

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cli.session import in_session
from handlers.departments import actions
from models.departments import DEPARTMENT_ROLES, Department, department_label, people_of
from models.users import Role, User


def register(commands: argparse._SubParsersAction) -> None:
    departments = commands.add_parser("departments", help="government departments that handle 大事").add_subparsers(
        dest="departments_command", required=True)
    add = departments.add_parser("add", help="register a department (one per category, optionally per street)")
    add.add_argument("name", help="the department category, as the classifier names it (城乡建设 …)")
    add.add_argument("--unit", help="the street it serves (name or code); none: the whole district")
    add.set_defaults(run=in_session(_add))
    departments.add_parser("list", help="departments and their liaisons").set_defaults(run=in_session(_list))


async def _add(session: AsyncSession, args: argparse.Namespace) -> int:
    department = await actions.add_department(session, args.name, args.unit)
    print(f"已登记部门 {await department_label(session, department)} (id {department.id})")
    return 0


async def _list(session: AsyncSession, args: argparse.Namespace) -> int:
    rows = (await session.exec(select(Department).order_by(Department.name, Department.id))).all()
    for department in rows:
        liaisons = await people_of(session, department.id, Role.department)
        print(f"{department.id}\t{await department_label(session, department)}\t联络员 {len(liaisons)} 人")
    if not rows:
        print("还没有登记任何部门 (no departments): linli departments add 城乡建设")
    return 0


def is_department_role(role: str) -> bool:
    return role in DEPARTMENT_ROLES


async def grant_department(session: AsyncSession, user: User, role: str, department: str, revoke: bool) -> int:
    """`linli users grant <who> department 城乡建设` (or department_head, or revoke)."""
    changed, found = await actions.grant_department_role(session, user, Role(role), department, revoke)
    label = await department_label(session, found)
    verb = ("已收回" if changed else "本无此角色") if revoke else ("已授予" if changed else "已有")
    print(f"{verb} {role} @ {label} ({user.openid})")
    return 0

"""`linli staff …`: console logins for staff and grid heads, and the demo logins `make run` prints."""
from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
from dataclasses import dataclass

from sqlmodel import select

from bot.console.lockout import clear_failures
from bot.console.demo import demo_activity
from bot.storage import Storage, open_storage
from config.settings import Settings
from models.db import transaction
from models.org import find_unit
from models.access import CONSOLE_ROLES, grant
from models.staff import set_login
from models.users import Role, User

MIN_PASSWORD = 10


@dataclass(frozen=True)
class LoginSpec:
    username: str
    role: Role
    unit: str | None  # an org unit's code, name or id; None: the whole district
    name: str
    openid: str | None = None


DEMO_LOGINS = (LoginSpec("admin", Role.admin, None, "区管理员"),
               LoginSpec("wangge1", Role.grid_head, "S01-C01-G01", "阳光一网格长"))


def register(commands: argparse._SubParsersAction) -> None:
    staff = commands.add_parser("staff", help="staff console logins").add_subparsers(dest="staff_command",
                                                                                    required=True)
    create = staff.add_parser("create-login", help="create a console login, or reset its password")
    create.add_argument("username")
    create.add_argument("--role", choices=[str(role) for role in CONSOLE_ROLES], default=str(Role.staff))
    create.add_argument("--unit", help="unit code or name the role covers (default: the whole district)")
    create.add_argument("--name", default="", help="the person's name as colleagues read it")
    create.add_argument("--openid", help="link to this WeChat user instead of a console-only user")
    create.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    create.set_defaults(run=_create_login)
    demo = staff.add_parser("demo", help="(re)create the demo logins with fresh passwords and print them")
    demo.add_argument("--activity", action="store_true", help="also add a month of demo requests (once)")
    demo.set_defaults(run=_demo)


def _create_login(args: argparse.Namespace, settings: Settings) -> int:
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else secrets.token_urlsafe(9)
    if len(password) < MIN_PASSWORD:
        print(f"密码至少 {MIN_PASSWORD} 位，请换一个更长的密码。", file=sys.stderr)
        return 2
    spec = LoginSpec(args.username, Role(args.role), args.unit, args.name or args.username, args.openid)
    try:
        asyncio.run(_with_storage(settings, [(spec, password)]))
    except LookupError as missing:
        print(f"没有找到单位“{missing}”，请用 linli db seed 载入组织或核对单位编码。", file=sys.stderr)
        return 2
    print(f"登录已就绪：用户名 {spec.username}" + ("" if args.password_stdin else f"  密码 {password}"))
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    logins = [(spec, secrets.token_urlsafe(9)) for spec in DEMO_LOGINS]
    added = asyncio.run(_with_storage(settings, logins, args.activity))
    if added:
        print(f"已添加演示数据：近 30 天 {added} 条诉求 (demo requests added)")
    print("工作台演示账号 (staff console demo logins at /console/, new passwords each run):")
    for spec, password in logins:
        print(f"  {spec.name}: 用户名 {spec.username}  密码 {password}")
    return 0


async def _with_storage(settings: Settings, logins: list[tuple[LoginSpec, str]], activity: bool = False) -> int:
    storage = open_storage(settings)
    try:
        for spec, password in logins:
            await create_login(storage, spec, password)
        return await demo_activity(storage) if activity else 0
    finally:
        await storage.close()


async def create_login(storage: Storage, spec: LoginSpec, password: str) -> User:
    """The user behind the login (created when needed), its role, and the login itself."""
    async with transaction(storage.sessions) as session:
        unit = None
        if spec.unit:
            unit = await find_unit(session, spec.unit)
            if unit is None:
                raise LookupError(spec.unit)
        openid = spec.openid or f"console:{spec.username}"
        user = (await session.exec(select(User).where(User.openid == openid))).first()
        if user is None:
            # A console-only person never follows the account, so never receives pushes.
            user = User(openid=openid, name=spec.name, subscribed=False)
            session.add(user)
            await session.flush()
        await grant(session, user.id, spec.role, unit.id if unit else None)
        await set_login(session, user, spec.username, password)
    await clear_failures(storage, spec.username)
    return user

"""`linli projects|units|points|supervise`: projects, co-building units, the monthly ranking, 督办."""
from __future__ import annotations

import argparse
import asyncio

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cli.session import find_user, in_session
from handlers.masking import mask_name
from config.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    projects = commands.add_parser("projects", help="为民项目").add_subparsers(dest="projects_command", required=True)
    publish = projects.add_parser("publish", help="publish a project members can claim")
    publish.add_argument("--title", required=True)
    publish.add_argument("--description", default="")
    publish.add_argument("--unit", required=True, help="grid or community (name or code)")
    publish.add_argument("--capacity", required=True)
    publish.add_argument("--deadline", default="", help="YYYY-MM-DD (China time, end of day)")
    publish.set_defaults(run=in_session(_publish))
    projects.add_parser("list", help="open projects").set_defaults(run=in_session(_list))

    units = commands.add_parser("units", help="共建单位").add_subparsers(dest="units_command", required=True)
    add = units.add_parser("add", help="register a co-building unit and its contact member")
    add.add_argument("name")
    add.add_argument("--community", required=True)
    add.add_argument("--contact", required=True, help="the contact's openid or phone")
    add.set_defaults(run=in_session(_add_unit))

    ranking = commands.add_parser("points", help="monthly points ranking")
    ranking.add_argument("--unit", required=True, help="grid or community (name or code)")
    ranking.add_argument("--month", help="YYYY-MM (default: this month)")
    ranking.set_defaults(run=in_session(_ranking))

    outbox = commands.add_parser("outbox", help="the pushes queued for one user (what they were or will be told)")
    outbox.add_argument("--to", required=True, help="openid")
    outbox.set_defaults(run=in_session(_outbox))

    supervise = commands.add_parser("supervise", help="督办: escalate late tasks, return stale claims")
    supervise.add_argument("--loop", action="store_true", help="keep running every supervise_interval_s")
    supervise.set_defaults(run=_supervise)


async def _publish(session: AsyncSession, args: argparse.Namespace) -> int:
    from handlers.permission import OPERATOR
    from handlers.projects import actions, published_text
    from models.clock import utcnow
    project = await actions.publish(session, OPERATOR, title=args.title, description=args.description,
                                    unit=args.unit, capacity=args.capacity, deadline=args.deadline, now=utcnow())
    print(await published_text(session, project))
    return 0


async def _list(session: AsyncSession, args: argparse.Namespace) -> int:
    from handlers.projects import project_line
    from models.projects import open_projects
    for project in await open_projects(session, None, limit=200):
        print(project_line(project))
    return 0


async def _add_unit(session: AsyncSession, args: argparse.Namespace) -> int:
    from models.org import OrgLevel, find_unit
    from models.projects import CoopUnit
    community = await find_unit(session, args.community, OrgLevel.community)
    contact = await find_user(session, args.contact)
    if community is None or contact is None:
        print("error: 找不到社区或联系人 (unknown community or contact)")
        return 2
    unit = CoopUnit(name=args.name, community_id=community.id, contact_user_id=contact.id)
    session.add(unit)
    await session.flush()
    print(f"已登记共建单位 {unit.id} {unit.name}（{community.name}）")
    return 0


async def _ranking(session: AsyncSession, args: argparse.Namespace) -> int:
    from handlers.points import names_by_user
    from models.clock import utcnow
    from models.org import OrgLevel, find_unit
    from models.points import month_of, ranking
    unit = await find_unit(session, args.unit)
    if unit is None or unit.level not in (OrgLevel.grid, OrgLevel.community):
        print(f"error: 没有找到网格或社区 {args.unit}")
        return 2
    month = args.month or month_of(utcnow())
    scope = {"grid_id": unit.id} if unit.level == OrgLevel.grid else {"community_id": unit.id}
    rows = await ranking(session, month, **scope)
    names = await names_by_user(session, [user_id for user_id, _ in rows])
    print(f"{unit.name} {month} 积分排行")
    for rank, (user_id, total) in enumerate(rows, start=1):
        print(f"{rank}\t{mask_name(names.get(user_id, '')) or user_id}\t{total}")
    return 0


async def _outbox(session: AsyncSession, args: argparse.Namespace) -> int:
    from sqlmodel import select

    from models.clock import local_text
    from models.outbound import OutboundMessage
    rows = (await session.exec(select(OutboundMessage).where(OutboundMessage.openid == args.to)
                               .order_by(OutboundMessage.id))).all()
    for row in rows:
        print(f"{local_text(row.created_at)} [{row.status}] {row.body}")
    if not rows:
        print(f"没有发给 {args.to} 的消息 (nothing queued for this user)")
    return 0


def _supervise(args: argparse.Namespace, settings: Settings) -> int:
    from bot.storage import open_storage
    from bot.supervise import run_forever, run_once

    async def go() -> int:
        storage = open_storage(settings)
        try:
            if args.loop:
                await run_forever(storage, settings)
            result = await run_once(storage, settings)
            print(f"督办完成：升级 {result.escalated} 件，退回超时认领 {result.expired} 件，"
                  f"部门督办与紧急升级 {result.climbed} 件")
            return 0
        finally:
            await storage.close()
    return asyncio.run(go())

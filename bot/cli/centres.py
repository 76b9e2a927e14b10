"""`linli centres import FILE` and `linli centres list`: staff maintain the red map from a CSV."""
from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from config.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    centres = commands.add_parser("centres", help="party-mass service centres (红色地图) and their rooms")
    actions = centres.add_subparsers(dest="centres_command", required=True)
    load = actions.add_parser("import", help="load centres from a CSV file: all rows or none")
    load.add_argument("file", type=Path)
    load.set_defaults(run=_import)
    actions.add_parser("list", help="list the centres and their rooms").set_defaults(run=_list)


def _import(args: argparse.Namespace, settings: Settings) -> int:
    from models.centre_import import ImportRefused, load, parse

    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"无法读取文件 {args.file}：{error}")
        return 2

    async def run(session) -> str:
        result = await load(session, parse(text))
        return f"已导入：新增 {result.created} 个，更新 {result.updated} 个，新增活动室 {result.rooms_added} 间"

    try:
        print(asyncio.run(_in_transaction(settings, run)))
    except ImportRefused as refused:
        print(f"文件有 {len(refused.errors)} 处错误，未导入任何数据：")
        for error in refused.errors:
            print(f"  第 {error.line} 行：{error.message}")
        return 1
    return 0


def _list(args: argparse.Namespace, settings: Settings) -> int:
    from sqlmodel import select

    from models.centres import ServiceCentre
    from models.rooms import rooms_of

    async def run(session) -> str:
        lines = []
        for centre in (await session.exec(select(ServiceCentre).order_by(ServiceCentre.code))).all():
            rooms = "、".join(f"{room.name}({room.capacity}人)" for room in await rooms_of(session, centre.id))
            lines.append(f"{centre.code}\t{centre.name}\t{centre.lat:.4f},{centre.lng:.4f}\t{rooms or '-'}")
        return "\n".join(lines) or "还没有服务中心"

    print(asyncio.run(_in_transaction(settings, run)))
    return 0


async def _in_transaction(settings: Settings, job):
    from models.db import make_engine, make_sessionmaker, transaction

    engine = make_engine(settings.resolved_database_url())
    try:
        async with transaction(make_sessionmaker(engine)) as session:
            return await job(session)
    finally:
        await engine.dispose()

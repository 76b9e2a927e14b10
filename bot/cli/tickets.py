"""`linli tickets …`: what staff do to requests from a terminal.

`escalate|close|reassign ID --as OPENID` are the console's ticket actions
(handlers/queue/actions.py), acting as the named staff member or grid head, so the same
permission decides; a Refusal is one line on stderr and exit status 2, nothing changed.
`export-labels` writes staff corrections as labelled CSV for `linli nlp learn`.
`add --phone --text --channel` logs a resident's phone call, walk-in or home visit (代录) as a
request (handlers/intake/actions.py).
"""
from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cli.session import in_session
from config.settings import Settings

REFUSED = 2


def register(commands: argparse._SubParsersAction) -> None:
    tickets = commands.add_parser("tickets", help="what staff do to requests (督办, close, reassign, export corrections, 代录 add)").add_subparsers(
        dest="tickets_command", required=True)
    escalate = tickets.add_parser("escalate", help="督办: raise the request's level")
    close = tickets.add_parser("close", help="close with a note the resident reads")
    reassign = tickets.add_parser("reassign", help="move to a grid's queue, or hand to one member")
    for parser in (escalate, close, reassign):
        parser.add_argument("id", type=int)
        parser.add_argument("--as", dest="actor", required=True, help="the acting staff member's or grid head's openid")
        parser.add_argument("--note", default="")
    reassign.add_argument("--grid", required=True, help="the grid (name or code)")
    reassign.add_argument("--member", type=int, help="the user id of an approved member to hand it to")
    escalate.set_defaults(run=_run("escalate"))
    close.set_defaults(run=_run("close"))
    reassign.set_defaults(run=_run("reassign"))
    export = tickets.add_parser("export-labels", help="corrected requests as text,department,topic,kind,urgent,"
                                                       "places (the tests/data format)")
    export.add_argument("-o", "--output", type=Path, help="write here instead of standard output")
    export.set_defaults(run=_export_labels)
    from handlers.texts.intake import CHANNELS
    add = tickets.add_parser("add", help="log a request for a resident (found or created by phone number)")
    add.add_argument("--phone", required=True, help="the resident's mobile number")
    add.add_argument("--text", required=True, help="the request in the resident's words")
    add.add_argument("--channel", required=True, choices=tuple(CHANNELS), help="how it reached us")
    add.set_defaults(run=in_session(_add))


def _run(name: str):
    def run(args: argparse.Namespace, settings: Settings) -> int:
        return asyncio.run(_act(name, args, settings))
    return run


async def _act(name: str, args: argparse.Namespace, settings: Settings) -> int:
    from sqlmodel import select

    from handlers.queue import actions
    from handlers.texts import console as texts
    from handlers.types import Refusal
    from models.clock import utcnow
    from models.db import make_engine, make_sessionmaker, transaction
    from models.org import OrgLevel, find_unit
    from models.users import User

    engine = make_engine(settings.resolved_database_url())
    try:
        async with transaction(make_sessionmaker(engine)) as session:
            actor = (await session.exec(select(User).where(User.openid == args.actor))).first()
            if actor is None:
                raise Refusal("not_found", f"没有找到用户 {args.actor}，请核对 openid。")
            now = utcnow()
            if name == "escalate":
                await actions.escalate(session, actor, args.id, args.note, now)
                done = texts.ESCALATED
            elif name == "close":
                await actions.close(session, actor, args.id, args.note, now)
                done = texts.CLOSED
            else:
                grid = await find_unit(session, args.grid, OrgLevel.grid)
                await actions.reassign(session, actor, args.id, grid.id if grid else None, args.member, args.note, now)
                done = texts.REASSIGNED
        print(done.format(id=args.id))
        return 0
    except Refusal as refusal:
        print(f"error: {refusal.sentence}", file=sys.stderr)
        return REFUSED
    finally:
        await engine.dispose()


def _export_labels(args: argparse.Namespace, settings: Settings) -> int:
    from handlers.corrections import labelled_csv
    from models.db import make_engine, make_sessionmaker

    async def run() -> str:
        engine = make_engine(settings.resolved_database_url())
        try:
            async with make_sessionmaker(engine)() as session:
                return await labelled_csv(session)
        finally:
            await engine.dispose()

    body = asyncio.run(run())
    rows = body.count("\n") - 1
    if args.output:
        args.output.write_text(body, encoding="utf-8")
    else:
        sys.stdout.write(body)
    print(f"已导出 {rows} 条更正过的诉求（linli nlp learn 可直接读取）", file=sys.stderr)
    return 0


async def _add(session: AsyncSession, args: argparse.Namespace) -> int:
    from handlers.intake.actions import log_request
    from handlers.masking import mask_phone
    from models.clock import utcnow

    logged = await log_request(session, None, args.phone, args.text, args.channel, args.settings, utcnow())
    ticket = logged.ticket
    who = f"{mask_phone(logged.resident.phone)}{'（新登记）' if logged.new_resident else ''}"
    print(f"已登记诉求 {ticket.id}（{ticket.department}·{ticket.topic}·{ticket.kind}，{ticket.status}）居民 {who}")
    return 0

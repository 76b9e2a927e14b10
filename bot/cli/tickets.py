"""`linli tickets export-labels`: staff corrections as labelled CSV for `linli nlp learn`."""
from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from config.settings import Settings


def register(commands: argparse._SubParsersAction) -> None:
    tickets = commands.add_parser("tickets", help="requests (诉求)").add_subparsers(dest="tickets_command",
                                                                                   required=True)
    export = tickets.add_parser("export-labels", help="corrected requests as text,department,topic,kind,urgent,"
                                                       "places (the tests/data format)")
    export.add_argument("-o", "--output", type=Path, help="write here instead of standard output")
    export.set_defaults(run=_export_labels)


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

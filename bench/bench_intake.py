"""The intake's SQL in-process: the grouped raw-driver writer against today's ORM path.

    python bench/bench_intake.py                          # both backends, 5,000 messages each
    python bench/bench_intake.py --backend embedded --messages 2000 --concurrency 64

For each backend (a fresh SQLite file; a throwaway PostgreSQL database) and each path,
`--concurrency` coroutines store `--messages` requests: the user upsert, the ticket and
its audit row, as `bot/wechat/pipeline.py` + `handlers/requests.py` do today (one session
and transaction per message, `get_or_create_user`, a SQLModel `Ticket`, `insert_ticket`)
or as one `IntakeWriter.store()` each. Prints CPU µs per message (this process, every
thread: the writer's SQLite thread and aiosqlite's count too), messages/s and the rows
stored (which must equal the messages). No HTTP, Redis or classifier: only the SQL part.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sqlalchemy import func  # noqa: E402
from sqlmodel import select  # noqa: E402

from bot.intake.records import Intake, TicketValues  # noqa: E402
from bot.intake.writer import IntakeWriter  # noqa: E402
from models.clock import utcnow  # noqa: E402
from models.db import make_engine, make_sessionmaker  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.tickets import Ticket, insert_ticket  # noqa: E402
from models.users import get_or_create_user  # noqa: E402
from tests import backends  # noqa: E402

TEXT = "3号楼2单元楼道灯坏了一周了"


def _values(n: int, run: str) -> TicketValues:
    return TicketValues(text=TEXT, department="物业", topic="照明", kind="小事", urgent=False, confidence=0.8,
                        places="楼3,2单元", why="灯; 坏", status="triage", grid_id=None, community_id=None,
                        source_msg_id=f"{run}-{n}")


async def orm_path(url: str, messages: int, concurrency: int) -> None:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    numbers = iter(range(messages))

    async def one_client() -> None:
        for n in numbers:
            now = utcnow()
            async with sessions() as session, session.begin():
                user = await get_or_create_user(session, f"o_bench_{n % 500:03d}", now)
                values = _values(n, "orm")
                ticket = Ticket(user_id=user.id, text=values.text, department=values.department, topic=values.topic,
                                kind=values.kind, urgent=values.urgent, confidence=values.confidence,
                                places=values.places, why=values.why, status=values.status, grid_id=None,
                                community_id=None, source_msg_id=values.source_msg_id, created_at=now, updated_at=now)
                await insert_ticket(session, ticket, user.id)
    try:
        await asyncio.gather(*(one_client() for _ in range(concurrency)))
    finally:
        await engine.dispose()


async def writer_path(url: str, messages: int, concurrency: int) -> None:
    writer = IntakeWriter.for_url(url)
    numbers = iter(range(messages))

    async def one_client() -> None:
        for n in numbers:
            await writer.store(Intake(f"o_bench_{n % 500:03d}", utcnow(), _values(n, "writer")))
    try:
        await asyncio.gather(*(one_client() for _ in range(concurrency)))
    finally:
        await writer.close()


async def stored(url: str, prefix: str) -> int:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session:
            return (await session.exec(select(func.count()).select_from(Ticket).where(
                Ticket.source_msg_id.startswith(prefix)))).one()
    finally:
        await engine.dispose()


def measure(name: str, url: str, path, prefix: str, args: argparse.Namespace) -> None:
    cpu, wall = time.process_time(), time.perf_counter()
    asyncio.run(path(url, args.messages, args.concurrency))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    rows = asyncio.run(stored(url, prefix))
    print(f"{name:22s} {cpu / args.messages * 1e6:7.0f} µs CPU/message  {args.messages / wall:7.0f} messages/s  "
          f"tickets {rows}/{args.messages}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["embedded", "postgres", "both"], default="both")
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    print(f"messages={args.messages} concurrency={args.concurrency}")
    for backend in (["embedded", "postgres"] if args.backend == "both" else [args.backend]):
        with tempfile.TemporaryDirectory(prefix="linli-bench-intake-") as data_dir:
            postgres = backends.create_postgres(Path(data_dir)) if backend == "postgres" else None
            url = postgres.database_url if postgres else f"sqlite+aiosqlite:///{Path(data_dir) / 'linli.sqlite3'}"
            try:
                upgrade(url)
                measure(f"{backend}: ORM path", url, orm_path, "orm-", args)
                measure(f"{backend}: writer", url, writer_path, "writer-", args)
            finally:
                if postgres:
                    backends.drop_postgres(postgres)


if __name__ == "__main__":
    main()

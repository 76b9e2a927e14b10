"""How fast the staff console answers over a realistic amount of data.

    python bench/bench_console.py                    # 5,000 requests over 30 days, embedded default
    python bench/bench_console.py --requests 20000 --backend postgres

Builds a fresh data dir (SQLite + embedded Redis, or a throwaway PostgreSQL database),
loads the sample organisation and the demo month scaled to --requests, logs in as the
district admin (the widest scope) and fetches each page --rounds times, one at a time.
Prints p50 / p95 latency per page in milliseconds.
"""
from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.cli.staff import LoginSpec, create_login  # noqa: E402
from bot.console.demo import demo_activity  # noqa: E402
from bot.storage import open_storage  # noqa: E402
from config.settings import Settings  # noqa: E402
from models.db import transaction  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.seed import seed  # noqa: E402
from models.users import Role  # noqa: E402
from tests import backends  # noqa: E402

PAGES = ("/console/dashboard?days=30", "/console/dashboard?days=365&by=community", "/console/queue",
         "/console/queue?status=queued&urgent=0", "/console/queue?format=csv", "/console/tickets/1")
PASSWORD = "bench-password-123"


async def run(args: argparse.Namespace, backend: backends.Backend, data_dir: Path) -> None:
    settings = Settings(database_url=backend.database_url, redis_url=backend.redis_url,
                        redis_prefix=backend.redis_prefix, data_dir=data_dir)
    storage = open_storage(settings)
    async with transaction(storage.sessions) as session:
        await seed(session)
    started = time.perf_counter()
    await demo_activity(storage, requests=args.requests)
    print(f"loaded {args.requests} requests in {time.perf_counter() - started:.1f} s ({args.backend})")
    await create_login(storage, LoginSpec("bench", Role.admin, None, "bench"), PASSWORD)
    await measure(create_app(settings, storage), args.rounds)


async def measure(app, rounds: int) -> None:
    client = TestClient(TestServer(app))
    await client.start_server()
    try:
        page = await client.get("/console/login")
        token = re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)
        await client.post("/console/login", data={"csrf": token, "username": "bench", "password": PASSWORD})
        for path in PAGES:
            timings = []
            for _ in range(rounds):
                started = time.perf_counter()
                response = await client.get(path)
                body = await response.read()
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status == 200, (path, response.status)
            timings.sort()
            p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
            print(f"{path:45s} p50 {statistics.median(timings):7.1f} ms  p95 {p95:7.1f} ms  {len(body) // 1024} KiB")
    finally:
        await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["embedded", "postgres"], default="embedded")
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="linli-bench-console-") as data_dir:
        path = Path(data_dir)
        backend = backends.embedded(path) if args.backend == "embedded" else backends.create_postgres(path)
        try:
            upgrade(backend.database_url)  # alembic runs its own event loop: before ours starts
            asyncio.run(run(args, backend, path))
        finally:
            backends.release(backend)


if __name__ == "__main__":
    main()

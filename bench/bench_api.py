"""How fast the mini-program API answers the red map and room booking, over real storage.

    python bench/bench_api.py                          # 500 centres, embedded default
    python bench/bench_api.py --centres 2000 --backend postgres

Builds a fresh data dir (SQLite + embedded Redis, or a throwaway PostgreSQL database),
loads the sample organisation plus --centres random centres around it, then over HTTP
(in-process server on loopback): GET /api/v1/centres?lat&lng --rounds times with
--concurrency in flight, and --racers simultaneous bookings of one slot (exactly one may win).
Prints p50 / p95 latency in milliseconds and requests per second.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from bot.api.tokens import Tokens  # noqa: E402
from bot.app import create_app  # noqa: E402
from bot.storage import open_storage  # noqa: E402
from config.settings import Settings  # noqa: E402
from models.centres import ServiceCentre  # noqa: E402
from models.db import transaction  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.rooms import Room  # noqa: E402
from models.seed import seed  # noqa: E402
from models.users import get_or_create_user  # noqa: E402
from tests import backends  # noqa: E402


async def run(args: argparse.Namespace, backend: backends.Backend) -> None:
    settings = Settings(database_url=backend.database_url, redis_url=backend.redis_url,
                        redis_prefix=backend.redis_prefix, data_dir=backend.data_dir, api_rate_limit_per_minute=0)
    storage = open_storage(settings)
    room_id, tokens = await load(storage, settings, args)
    async with TestClient(TestServer(create_app(settings, storage))) as client:
        await measure_centres(client, tokens[0], args)
        await race(client, room_id, tokens)


async def load(storage, settings: Settings, args: argparse.Namespace) -> tuple[int, list[str]]:
    rng = random.Random(6)
    issuer = Tokens(settings.api_secret.get_secret_value(), settings.api_token_ttl_s)
    async with transaction(storage.sessions) as session:
        await seed(session)
        session.add_all(ServiceCentre(code=f"B{n:05d}", name=f"服务站{n}", address="某路", lat=29.4 + rng.random() * 0.3,
                                      lng=106.4 + rng.random() * 0.3) for n in range(args.centres))
        await session.flush()
        room = Room(centre_id=1, name="bench room", capacity=10)
        session.add(room)
        users = [await get_or_create_user(session, f"o_bench_{n}") for n in range(args.racers)]
        await session.flush()
        return room.id, [issuer.issue(user.id, user.openid) for user in users]


async def measure_centres(client: TestClient, token: str, args: argparse.Namespace) -> None:
    headers, rng, latencies = {"Authorization": f"Bearer {token}"}, random.Random(7), []
    gate = asyncio.Semaphore(args.concurrency)

    async def one() -> None:
        params = {"lat": f"{29.4 + rng.random() * 0.3:.5f}", "lng": f"{106.4 + rng.random() * 0.3:.5f}"}
        async with gate:
            started = time.perf_counter()
            response = await client.get("/api/v1/centres", params=params, headers=headers)
            assert response.status == 200, await response.text()
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(args.rounds)))
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=20)
    print(f"GET /api/v1/centres?lat&lng over {args.centres + 2} centres: {args.rounds} requests, "
          f"p50 {statistics.median(latencies):.1f} ms, p95 {cuts[18]:.1f} ms, {args.rounds / elapsed:.0f} req/s")


async def race(client: TestClient, room_id: int, tokens: list[str]) -> None:
    start = (datetime.now(UTC) + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    body = {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat(), "purpose": "bench"}
    started = time.perf_counter()
    responses = await asyncio.gather(*(client.post(f"/api/v1/rooms/{room_id}/bookings", json=body,
                                                   headers={"Authorization": f"Bearer {t}"}) for t in tokens))
    elapsed = (time.perf_counter() - started) * 1000
    statuses = sorted(response.status for response in responses)
    print(f"{len(tokens)} simultaneous bookings of one slot in {elapsed:.0f} ms: "
          f"{statuses.count(201)} booked, {statuses.count(409)} refused (409), others {len(statuses) - statuses.count(201) - statuses.count(409)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--centres", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--racers", type=int, default=50)
    parser.add_argument("--backend", choices=["embedded", "postgres"], default="embedded")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="linli-bench-api-") as data_dir:
        # alembic and the throwaway database run their own event loops: before ours
        backend = backends.embedded(Path(data_dir)) if args.backend == "embedded" else \
            backends.create_postgres(Path(data_dir))
        try:
            upgrade(backend.database_url)
            asyncio.run(run(args, backend))
        finally:
            backends.release(backend)


if __name__ == "__main__":
    main()

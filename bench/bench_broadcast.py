"""How fast a broadcast leaves: `linli worker` processes sending to the fake WeChat API.

    python bench/bench_broadcast.py                               # 100,000 subscribers, embedded
    python bench/bench_broadcast.py --subscribers 20000 --backend postgres
    python bench/bench_broadcast.py --runs 1,2 --limited-rate 0    # skip the rate-limited run

Builds a fresh data dir (SQLite + embedded Redis, or a throwaway PostgreSQL database and a
Redis key prefix), loads the sample organisation and --subscribers followers bound to its
grids, and starts `linli fakewechat` as its own process. Then, per run: one notice to the
whole district is fanned out, N `linli worker` processes send it, and the fake server's
record gives the send rate (first to last delivery). Peak RSS per worker is the kernel's
high-water mark (VmHWM). The last run uses --limited-rate sends/s over --limited-subscribers
deliveries of another broadcast (then stops) and reports how close the achieved rate came.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sqlalchemy import func, insert  # noqa: E402
from sqlmodel import select  # noqa: E402

from bot.outbound.stream import OutboundStream  # noqa: E402
from bot.outbound.sweeper import fan_out_one  # noqa: E402
from bot.storage import open_storage  # noqa: E402
from config.settings import Settings  # noqa: E402
from models.clock import utcnow  # noqa: E402
from models.db import transaction  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.notices import create_notice, parse_quiet_hours  # noqa: E402
from models.org import OrgUnit  # noqa: E402
from models.outbound import OutboundMessage  # noqa: E402
from models.seed import seed  # noqa: E402
from models.users import User  # noqa: E402
from tests import backends  # noqa: E402
from tests.conftest import free_port  # noqa: E402

NO_QUIET = "00:00-00:00"  # a benchmark at night must not wait for the morning


async def prepare(settings: Settings, subscribers: int) -> None:
    storage = open_storage(settings)
    async with transaction(storage.sessions) as session:
        await seed(session)
        grids = (await session.exec(select(OrgUnit.id).where(OrgUnit.level == "grid"))).all()
        now = utcnow()
        rows = [dict(openid=f"o_bench{n:07d}", grid_id=grids[n % len(grids)], subscribed=True,
                     subscribed_at=now, created_at=now) for n in range(subscribers)]
        for start in range(0, len(rows), 5000):
            await session.exec(insert(User), params=rows[start:start + 5000])
    await storage.close()


async def broadcast(settings: Settings) -> tuple[int, int, float]:
    """A district-wide notice, fanned out and on the stream: (notice id, deliveries, seconds)."""
    storage = open_storage(settings)
    try:
        started = time.perf_counter()
        async with transaction(storage.sessions) as session:
            district = (await session.exec(select(OrgUnit).where(OrgUnit.parent_id == None))).one()  # noqa: E711
            notice = await create_notice(session, unit=district, title="压测通知", body="bench", tags=[],
                                         urgent=True, send_at=utcnow(), created_by=None,
                                         quiet_hours=parse_quiet_hours(NO_QUIET))
        stream = OutboundStream(storage.redis, storage.keys)
        # steady state, as after a worker's first sweep: else the first run's sweeper finds no
        # epoch, takes Redis for restarted and requeues every row, doubling that run's entries
        await stream.ensure_group()
        await stream.ensure_epoch()
        queued = await fan_out_one(storage, stream, notice.id)
        return notice.id, queued, time.perf_counter() - started
    finally:
        await storage.close()


async def pending(settings: Settings, notice_id: int) -> int:
    storage = open_storage(settings)
    try:
        async with storage.sessions() as session:
            return (await session.exec(select(func.count()).select_from(OutboundMessage).where(
                OutboundMessage.notice_id == notice_id, OutboundMessage.status == "pending"))).one()
    finally:
        await storage.close()


def fake_call(port: int, path: str, order: dict | None = None) -> dict:
    data = json.dumps(order).encode() if order is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _wait_for(port: int) -> None:
    for _ in range(300):
        try:
            fake_call(port, "/_fake/summary")
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("linli fakewechat did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_once(env: dict, settings: Settings, port: int, workers: int, stop_after: int | None = None) -> dict:
    """One broadcast sent by `workers` processes; with `stop_after`, measured over that many only."""
    fake_call(port, "/_fake/control", {"reset": True})
    notice_id, queued, fan_out_s = asyncio.run(broadcast(settings))
    processes = [subprocess.Popen([sys.executable, "-m", "bot.cli.main", "worker", "--consumer", f"bench-{n}"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for n in range(workers)]
    try:
        while not _finished(settings, port, notice_id, stop_after):
            time.sleep(0.5)
        rss = [peak_rss_mb(process.pid) for process in processes]
        cpu = sum(cpu_seconds(process.pid) for process in processes)
    finally:
        for process in processes:
            process.terminate()
            process.wait(30)
    summary = fake_call(port, "/_fake/summary")
    span = summary["last_delivered_at"] - summary["first_delivered_at"]
    return {"workers": workers, "deliveries": queued, "delivered": summary["delivered"],
            "duplicates": summary["users_with_duplicates"], "fan_out_s": round(fan_out_s, 1),
            "send_s": round(span, 1), "sends_per_s": round(summary["delivered"] / span) if span else None,
            "peak_rss_mb": [round(value) for value in rss],
            "worker_cpu_ms_per_send": round(1000 * cpu / max(summary["delivered"], 1), 2)}


def _finished(settings: Settings, port: int, notice_id: int, stop_after: int | None) -> bool:
    if stop_after:
        return fake_call(port, "/_fake/summary")["delivered"] >= stop_after
    return asyncio.run(pending(settings, notice_id)) == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--runs", default="1,2", help="worker counts for the unlimited runs")
    parser.add_argument("--limited-rate", type=float, default=500, help="sends/s of the limited run (0: skip)")
    parser.add_argument("--limited-subscribers", type=int, default=20_000, help="deliveries the limited run measures")
    parser.add_argument("--limited-workers", type=int, default=2)
    parser.add_argument("--backend", choices=["embedded", "postgres"], default="embedded")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="linli-bench-broadcast-"))
    backend = backends.embedded(data_dir) if args.backend == "embedded" else backends.create_postgres(data_dir)
    port = free_port()
    base = f"http://127.0.0.1:{port}/cgi-bin/"
    env = {**os.environ, **backend.env(), "LINLI_WECHAT_API_BASE": base, "LINLI_QUIET_HOURS": NO_QUIET,
           "LINLI_LOG_LEVEL": "WARNING"}
    fake = subprocess.Popen([sys.executable, "-m", "bot.cli.main", "fakewechat", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL)
    settings = Settings(database_url=backend.database_url, redis_url=backend.redis_url,
                        redis_prefix=backend.redis_prefix, data_dir=data_dir, wechat_api_base=base)
    try:
        upgrade(settings.resolved_database_url())
        asyncio.run(prepare(settings, args.subscribers))
        _wait_for(port)
        results = []
        for workers in [int(n) for n in args.runs.split(",") if n]:
            results.append(run_once({**env, "LINLI_OUTBOUND_RATE_PER_S": "0"}, settings, port, workers))
            print(json.dumps(results[-1]), flush=True)
        if args.limited_rate:
            limited = run_once({**env, "LINLI_OUTBOUND_RATE_PER_S": str(args.limited_rate)}, settings, port,
                               args.limited_workers, args.limited_subscribers)
            limited["limit_per_s"] = args.limited_rate
            limited["off_by_pct"] = round(100 * (limited["sends_per_s"] - args.limited_rate) / args.limited_rate, 1)
            print(json.dumps(limited), flush=True)
    finally:
        fake.terminate()
        fake.wait(10)
        if args.backend == "postgres":
            backends.drop_postgres(backend)
        else:  # the embedded redis-server outlives us otherwise
            redis.Redis.from_url(backend.redis_url).shutdown(nosave=True)


if __name__ == "__main__":
    main()

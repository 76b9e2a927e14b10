"""`任务` and `认领` on a big queue: 1,000,000 tickets across 500 grids on PostgreSQL.

    python bench/bench_queue.py                          # seed, serve, measure, drop
    python bench/bench_queue.py --tickets 200000 --think-ms 0

Seeds a throwaway database with COPY (125 communities × 4 grids; 5 % of tickets queued,
the rest claimed/done/closed), starts `linli serve` processes, then 64 members of one
community act at once over signed WeChat HTTP: each sends `任务` (phase 1), then all of
them `认领` the same hot task, a new one every round (phase 2). `--think-ms` is each
member's mean pause between messages (people read before they tap; 0 = saturate).
Prints p50/p99 per phase as the members saw them, and the servers' CPU per request;
then the same two queries straight against the database, one after another (no HTTP),
which is the part the million rows could make slow.
"""
from __future__ import annotations

import argparse
import asyncio
import importlib.util
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import asyncpg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.wechat.simulator import WeChatSender  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_gateway", ROOT / "bench" / "bench_gateway.py")
gateway = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gateway)

COMMUNITIES, GRIDS_PER_COMMUNITY, RESIDENTS = 125, 4, 20000
UNIT_BASE = 1000
STATUSES = [("queued", 5), ("claimed", 2), ("done", 3), ("closed", 90)]


async def seed(dsn: str, tickets: int, members: int) -> list[int]:
    """Fill the database; return the ids of community 1's queued tickets (the hot tasks)."""
    db = await asyncpg.connect(dsn)
    try:
        now = datetime.now(UTC)
        # ids above the sample organisation `db seed` loaded
        units = [(UNIT_BASE, "BD", "压测区", "district", None)]
        grid_ids: list[tuple[int, int]] = []  # (grid, community)
        next_id = UNIT_BASE + 1
        for c in range(COMMUNITIES):
            community = next_id
            units.append((community, f"C{c:03d}", f"第{c}社区", "community", UNIT_BASE))
            next_id += 1
            for g in range(GRIDS_PER_COMMUNITY):
                units.append((next_id, f"C{c:03d}-G{g}", f"第{c}社区{g}网格", "grid", community))
                grid_ids.append((next_id, community))
                next_id += 1
        await db.copy_records_to_table("org_unit", records=[(*u, "") for u in units],
                                       columns=["id", "code", "name", "level", "parent_id", "aliases"])
        users = [(i, f"o_res_{i}", grid_ids[i % len(grid_ids)][0], True, now) for i in range(1, RESIDENTS + 1)]
        users += [(RESIDENTS + m, f"o_bench_member_{m}", grid_ids[m % GRIDS_PER_COMMUNITY][0], True, now)
                  for m in range(1, members + 1)]
        await db.copy_records_to_table("app_user", records=users,
                                       columns=["id", "openid", "grid_id", "subscribed", "created_at"])
        await db.copy_records_to_table("member_profile", records=[
            (RESIDENTS + m, grid_ids[0][1], grid_ids[m % GRIDS_PER_COMMUNITY][0], "在职", "approved", f"党员{m}",
             "13800000000", now, "") for m in range(1, members + 1)],
            columns=["user_id", "community_id", "grid_id", "kind", "status", "name", "phone", "applied_at", "note"])
        await db.copy_records_to_table("user_role", records=[
            (RESIDENTS + m, "member", grid_ids[0][1], now) for m in range(1, members + 1)],
            columns=["user_id", "role", "unit_id", "granted_at"])
        await db.copy_records_to_table("ticket", records=_tickets(tickets, grid_ids, members, now), columns=[
            "user_id", "text", "department", "topic", "kind", "urgent", "places", "confidence", "why", "status",
            "grid_id", "community_id", "claimed_by", "claimed_at", "escalation_level", "created_at", "updated_at"])
        for table in ("org_unit", "app_user", "ticket"):
            await db.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        await db.execute("ANALYZE")
        rows = await db.fetch("SELECT id FROM ticket WHERE status = 'queued' AND community_id = $1 ORDER BY id",
                              grid_ids[0][1])
        return [row["id"] for row in rows]
    finally:
        await db.close()


def _tickets(count: int, grids: list[tuple[int, int]], members: int, now: datetime):
    weights = [w for _, w in STATUSES]
    names = [s for s, _ in STATUSES]
    rng = random.Random(7)
    for i in range(count):
        grid, community = grids[i % len(grids)]
        status = rng.choices(names, weights)[0]
        created = now - timedelta(minutes=rng.randint(1, 60 * 24 * 365))
        claimer = RESIDENTS + rng.randint(1, members) if status != "queued" else None
        yield (rng.randint(1, RESIDENTS), f"{i % 24 + 1}号楼楼道灯坏了", "城乡建设", "楼道照明", "小事",
               rng.random() < 0.03, "", 0.9, "", status, grid, community, claimer,
               created if claimer else None, 0, created, created)


async def phase(url: str, members: int, messages: list[list[str]], think_ms: float) -> list[float]:
    """Every member sends their list of messages, pausing ~think_ms between them; latencies in s."""
    sender = WeChatSender(url, gateway.TOKEN)
    latencies: list[float] = []

    async def member(http: aiohttp.ClientSession, m: int) -> None:
        for text in messages[m - 1]:
            if think_ms:
                await asyncio.sleep(random.expovariate(1000 / think_ms))
            query, body = sender.sign(sender.text_xml(f"o_bench_member_{m}", text))  # a nonce each, as WeChat
            started = time.perf_counter()
            async with http.post(url, params=query, data=body.encode()) as response:
                shown = await response.text()
                assert response.status == 200 and "系统" not in shown, shown
            latencies.append(time.perf_counter() - started)

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=members)) as http:
        await asyncio.gather(*(member(http, m) for m in range(1, members + 1)))
    return latencies


def summary(name: str, latencies: list[float], elapsed: float, cpu: float) -> str:
    latencies = sorted(latencies)
    n = len(latencies)
    return (f"{name}: {n} requests in {elapsed:.1f} s ({n / elapsed:,.0f}/s); p50 {latencies[n // 2] * 1000:.1f} ms,"
            f" p99 {latencies[int(n * 0.99)] * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms;"
            f" server CPU {cpu / n * 1000:.2f} ms/request")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--members", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=30, help="messages per member per phase")
    parser.add_argument("--think-ms", type=float, default=1000)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="linli-bench-queue-") as data_dir:
        env, cleanup = gateway.prepare("postgres", Path(data_dir))
        try:
            dsn = env["LINLI_DATABASE_URL"].replace("+asyncpg", "")
            started = time.perf_counter()
            hot = asyncio.run(seed(dsn, args.tickets, args.members))
            print(f"seeded {args.tickets:,} tickets in {time.perf_counter() - started:.0f} s;"
                  f" {len(hot)} queued in the members' community")
            servers, url = gateway.start_servers(env, args.processes, Path(data_dir))
            try:
                run(args, url, [s.pid for s in servers], hot)
                started = time.perf_counter()
                timings = asyncio.run(sql_only(env["LINLI_DATABASE_URL"], args.members, args.rounds, hot))
                for name, latencies in timings.items():
                    print(summary(name, latencies, time.perf_counter() - started, 0.0).split("; server")[0])
            finally:
                for server in servers:
                    server.terminate()
                    server.wait(10)
        finally:
            cleanup()


async def sql_only(database_url: str, members: int, rounds: int, hot: list[int]) -> dict[str, list[float]]:
    """The same queries without HTTP, Python handlers or the WeChat envelope: what the database costs."""
    from models.db import make_engine, make_sessionmaker, transaction
    from models.clock import utcnow
    from models.tasks import move, open_tasks, ticket_state
    engine = make_engine(database_url, pool_size=2)
    sessions = make_sessionmaker(engine)
    timings: dict[str, list[float]] = {"任务 SQL": [], "认领 SQL": []}
    grid, community = 1002, 1001  # the members' community and its first grid

    async def member(m: int) -> None:
        for r in range(rounds):
            started = time.perf_counter()
            async with sessions() as session:
                await open_tasks(session, grid + m % GRIDS_PER_COMMUNITY, community, 0, 6)
            timings["任务 SQL"].append(time.perf_counter() - started)
            started = time.perf_counter()
            async with transaction(sessions) as session:
                seen = await ticket_state(session, hot[rounds + r])  # as handlers/tasks/actions.claim
                if seen.status == "queued":
                    await move(session, seen.id, "claimed", None, from_status="queued", to_status="claimed",
                               at=utcnow(), expect={"claimed_by": None}, values={"claimed_by": RESIDENTS + m})
            timings["认领 SQL"].append(time.perf_counter() - started)

    try:  # one after another: the database's own cost, without client-side queueing
        for m in range(1, members + 1):
            await member(m)
    finally:
        await engine.dispose()
    return timings


def run(args: argparse.Namespace, url: str, pids: list[int], hot: list[int]) -> None:
    print(f"{args.members} members, {args.processes} serve processes, think time {args.think_ms:.0f} ms")
    plans = {"任务": [["任务"] * args.rounds for _ in range(args.members)],
             "认领 (hot task)": [[f"认领 {hot[r]}" for r in range(args.rounds)] for _ in range(args.members)]}
    for name, messages in plans.items():
        cpu_before, started = gateway.cpu_seconds(pids), time.perf_counter()
        latencies = asyncio.run(phase(url, args.members, messages, args.think_ms))
        print(summary(name, latencies, time.perf_counter() - started, gateway.cpu_seconds(pids) - cpu_before))


if __name__ == "__main__":
    main()

"""Load the full ticket path (verify, parse, dedup, classify, store, reply) over HTTP.

    python bench/bench_gateway.py                       # 1 process, embedded default
    python bench/bench_gateway.py --backend postgres --processes 2
    python bench/bench_gateway.py --url http://127.0.0.1:8080/wechat   # a server you started

Every request is a signed text message with its own MsgId from one of many openids, so
each one creates a ticket. Prints requests/s, p50/p99 latency, errors and the servers'
CPU time per request. Starts (and stops) its own servers on a fresh data dir unless --url.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.embedded_redis import stop_embedded_redis  # noqa: E402
from bot.wechat.simulator import WeChatSender  # noqa: E402

TOKEN = "linli-bench-token"
TEXTS = ["{b}号楼楼道灯坏了一周了", "{b}号楼电梯又停了，老人下不了楼", "小区门口垃圾没人清，{b}号楼旁边臭得很",
         "{b}号楼楼上天天半夜装修太吵了", "{b}号楼2单元下水道堵了", "{b}号楼门口的车乱停，消防通道堵死了"]
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["embedded", "postgres"], default="embedded")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--url", help="bench a server already running at this /wechat URL (its token must be the bench's)")
    args = parser.parse_args()
    if args.url:
        asyncio.run(report(args, args.url, pids=[]))
        return
    with tempfile.TemporaryDirectory(prefix="linli-bench-") as data_dir:
        env, cleanup = prepare(args.backend, Path(data_dir))
        servers, url = start_servers(env, args.processes, Path(data_dir))
        try:
            asyncio.run(report(args, url, [server.pid for server in servers]))
        finally:
            for server in servers:
                server.terminate()
                server.wait(10)
            cleanup()
            stop_embedded_redis(Path(data_dir))


def prepare(backend: str, data_dir: Path) -> tuple[dict[str, str], callable]:
    env = {**os.environ, "LINLI_DATA_DIR": str(data_dir), "LINLI_WECHAT_TOKEN": TOKEN, "LINLI_LOG_LEVEL": "WARNING",
           "LINLI_RATE_LIMIT_PER_MINUTE": "0", "LINLI_REDIS_PREFIX": f"linli-bench-{secrets.token_hex(3)}:"}
    cleanup = lambda: None  # noqa: E731
    if backend == "postgres":
        name = f"linli_bench_{secrets.token_hex(4)}"
        asyncio.run(_pg(f'CREATE DATABASE "{name}"'))
        env["LINLI_DATABASE_URL"] = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
        env["LINLI_REDIS_URL"] = "redis://127.0.0.1:6379/0"
        cleanup = lambda: asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))  # noqa: E731
    for command in (["db", "upgrade"], ["db", "seed"]):
        subprocess.run([sys.executable, "-m", "bot.cli.main", *command], env=env, check=True, capture_output=True)
    return env, cleanup


async def _pg(sql: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def start_servers(env: dict[str, str], processes: int, data_dir: Path) -> tuple[list[subprocess.Popen], str]:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    servers = [subprocess.Popen([sys.executable, "-m", "bot.cli.main", "serve", "--port", str(port), "--reuse-port"],
                                env=env, stdout=open(data_dir / f"serve{i}.log", "w"), stderr=subprocess.STDOUT)
               for i in range(processes)]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        logs = [(data_dir / f"serve{i}.log").read_text() for i in range(processes)]
        if all("Running on" in log for log in logs):
            return servers, f"http://127.0.0.1:{port}/wechat"
        time.sleep(0.2)
    raise RuntimeError("servers did not start")


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / ticks


async def report(args: argparse.Namespace, url: str, pids: list[int]) -> None:
    sender = WeChatSender(url, TOKEN)
    # signed before timing; each request has its own nonce, as WeChat's do (a signed URL
    # reused with another body is refused as a replay)
    requests = [sender.sign(sender.text_xml(f"o_bench_{i % 5000:04d}",
                                            random.choice(TEXTS).format(b=random.randint(1, 24))))
                for i in range(args.requests)]
    latencies: list[float] = []
    errors = 0
    queue = iter(requests)
    connector = aiohttp.TCPConnector(limit=args.concurrency)

    async def client(http: aiohttp.ClientSession) -> None:
        nonlocal errors
        for query, body in queue:
            started = time.perf_counter()
            try:
                async with http.post(url, params=query, data=body.encode()) as response:
                    text = await response.text()
                    if response.status != 200 or "编号" not in text:
                        errors += 1
            except aiohttp.ClientError:
                errors += 1
            latencies.append(time.perf_counter() - started)

    async with aiohttp.ClientSession(connector=connector) as http:
        cpu_before, started = cpu_seconds(pids), time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(args.concurrency)))
        elapsed, cpu_used = time.perf_counter() - started, cpu_seconds(pids) - cpu_before
    latencies.sort()
    n = len(latencies)
    print(f"backend={args.backend} processes={args.processes} concurrency={args.concurrency} requests={n}")
    print(f"throughput: {n / elapsed:,.0f} requests/s over {elapsed:.1f} s")
    print(f"latency: p50 {latencies[n // 2] * 1000:.1f} ms, p99 {latencies[int(n * 0.99)] * 1000:.1f} ms, "
          f"max {latencies[-1] * 1000:.1f} ms")
    print(f"errors: {errors}")
    if pids:
        print(f"server CPU: {cpu_used:.1f} s in all, {cpu_used / n * 1000:.2f} ms per request")


if __name__ == "__main__":
    main()

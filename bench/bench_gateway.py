"""Load the full ticket path (verify, parse, dedup, classify, store, reply) over HTTP.

    python bench/bench_gateway.py                       # 1 process, embedded default
    python bench/bench_gateway.py --backend postgres --processes 2
    python bench/bench_gateway.py --url http://127.0.0.1:8080/wechat   # a server you started
    python bench/bench_gateway.py --requests 5000 --werobot   # then the same load on a WeRoBot echo bot

Every request is a signed text message with its own MsgId from one of many openids, so
each one creates a ticket. Prints requests/s, p50/p99 latency, errors and the servers'
CPU time per request. Starts (and stops) its own servers on a fresh data dir unless --url.

--werobot: afterwards, the same signed requests go to a WeRoBot echo bot (gunicorn, 2 sync
workers, loopback) installed from PyPI into a throwaway venv (`--werobot-venv`, made once
and reused), and the ratios ours / theirs are printed. The echo bot does no work beyond
the signature, the XML and the reply: the ratio is what our ticket path costs over that.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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
WEROBOT_PACKAGES = ["werobot==1.13.1", "gunicorn"]
ECHO_BOT = f"""import werobot

robot = werobot.WeRoBot(token={TOKEN!r})


@robot.text
def echo(message):
    return message.content


application = robot.wsgi
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["embedded", "postgres"], default="embedded")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--url", help="bench a server already running at this /wechat URL (its token must be the bench's)")
    parser.add_argument("--werobot", action="store_true", help="then the same load on a WeRoBot echo bot, and the ratio")
    parser.add_argument("--werobot-venv", type=Path, default=Path(tempfile.gettempdir()) / "linli-bench-werobot-venv")
    args = parser.parse_args()
    requests = signed_requests(args.requests)
    if args.url:
        print_figures(args, "ours", asyncio.run(load(args, args.url, requests, [], _ticket_reply)))
        return
    with tempfile.TemporaryDirectory(prefix="linli-bench-") as data_dir:
        env, cleanup = prepare(args.backend, Path(data_dir))
        servers, url = start_servers(env, args.processes, Path(data_dir))
        try:
            ours = asyncio.run(load(args, url, requests, [server.pid for server in servers], _ticket_reply))
        finally:
            for server in servers:
                server.terminate()
                server.wait(10)
            cleanup()
            stop_embedded_redis(Path(data_dir))
        print_figures(args, "ours", ours)
        if args.werobot:
            theirs = against_werobot(args, requests)
            print_figures(args, "WeRoBot echo (gunicorn, 2 sync workers)", theirs)
            print_ratio(ours, theirs)


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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_servers(env: dict[str, str], processes: int, data_dir: Path) -> tuple[list[subprocess.Popen], str]:
    port = _free_port()
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


def against_werobot(args: argparse.Namespace, requests: list[tuple[dict, str]]) -> dict:
    """The same signed requests against a WeRoBot echo bot on loopback."""
    python = _werobot_python(args.werobot_venv)
    with tempfile.TemporaryDirectory(prefix="linli-bench-werobot-") as work:
        work_dir = Path(work)
        (work_dir / "echo_bot.py").write_text(ECHO_BOT)
        port = _free_port()
        master = subprocess.Popen([str(python), "-m", "gunicorn", "--workers", "2", "--worker-class", "sync",
                                   "--bind", f"127.0.0.1:{port}", "--chdir", work, "echo_bot:application"],
                                  stdout=open(work_dir / "werobot.log", "w"), stderr=subprocess.STDOUT)
        try:
            pids = _gunicorn_pids(master, work_dir / "werobot.log", workers=2)
            return asyncio.run(load(args, f"http://127.0.0.1:{port}/", requests, pids, _echo_reply))
        finally:
            master.terminate()
            master.wait(10)


def _werobot_python(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if not (venv / ".ready").exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *WEROBOT_PACKAGES], check=True)
        (venv / ".ready").touch()
    return python


def _gunicorn_pids(master: subprocess.Popen, log: Path, workers: int) -> list[int]:
    """The master and its workers, once every worker has booted."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if master.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log.read_text()[-2000:]}")
        if log.read_text().count("Booting worker") >= workers:
            time.sleep(0.5)
            children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
            return [master.pid, *map(int, children)]
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / ticks


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def signed_requests(count: int) -> list[tuple[dict, str]]:
    """Signed before timing; each has its own nonce, as WeChat's do (a signed URL reused with
    another body is refused as a replay)."""
    sender = WeChatSender("", TOKEN)
    return [sender.sign(sender.text_xml(f"o_bench_{i % 5000:04d}", random.choice(TEXTS).format(b=random.randint(1, 24))))
            for i in range(count)]


def _ticket_reply(status: int, text: str) -> bool:
    return status == 200 and "编号" in text


def _echo_reply(status: int, text: str) -> bool:
    return status == 200 and "<MsgType><![CDATA[text]]></MsgType>" in text


async def load(args: argparse.Namespace, url: str, requests: list[tuple[dict, str]], pids: list[int],
               answered: Callable[[int, str], bool]) -> dict:
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
                    if not answered(response.status, await response.text()):
                        errors += 1
            except aiohttp.ClientError:
                errors += 1
            latencies.append(time.perf_counter() - started)

    rss_before = [rss_mb(pid) for pid in pids]
    async with aiohttp.ClientSession(connector=connector) as http:
        cpu_before, started = cpu_seconds(pids), time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(args.concurrency)))
        elapsed, cpu_used = time.perf_counter() - started, cpu_seconds(pids) - cpu_before
    latencies.sort()
    n = len(latencies)
    return {"requests": n, "per_s": n / elapsed, "elapsed_s": elapsed, "p50_ms": latencies[n // 2] * 1000,
            "p99_ms": latencies[int(n * 0.99)] * 1000, "max_ms": latencies[-1] * 1000, "errors": errors,
            "cpu_ms": cpu_used / n * 1000 if pids else None, "cpu_s": cpu_used,
            "rss_mb": list(zip(rss_before, [rss_mb(pid) for pid in pids]))}


def print_figures(args: argparse.Namespace, who: str, figures: dict) -> None:
    print(f"{who}: backend={args.backend} processes={args.processes} concurrency={args.concurrency} "
          f"requests={figures['requests']}")
    print(f"  throughput: {figures['per_s']:,.0f} requests/s over {figures['elapsed_s']:.1f} s")
    print(f"  latency: p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms, max {figures['max_ms']:.1f} ms")
    print(f"  errors: {figures['errors']}")
    if figures["cpu_ms"] is not None:
        print(f"  server CPU: {figures['cpu_s']:.1f} s in all, {figures['cpu_ms']:.2f} ms per request")
        print("  server memory (RSS, MB) before → after the load: "
              + ", ".join(f"{before:.0f} → {after:.0f}" for before, after in figures["rss_mb"]))


def print_ratio(ours: dict, theirs: dict) -> None:
    print(f"ours / theirs: throughput {ours['per_s'] / theirs['per_s']:.2f}, "
          f"server CPU per request {ours['cpu_ms'] / theirs['cpu_ms']:.2f}, p99 {ours['p99_ms'] / theirs['p99_ms']:.2f}")


if __name__ == "__main__":
    main()

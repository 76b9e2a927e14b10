"""`linli worker`, `linli notice send|status` and `linli fakewechat`: the operator's side of notices."""
from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
from datetime import datetime
from pathlib import Path

from config.settings import Settings

BAR_WIDTH = 30
POLL_S = 0.5
HEARTBEAT_WITHIN_S = 10  # a worker that beat this recently is running (it beats every 2 s)
WORKER_GONE_S = 10  # no running worker for this long: stop waiting and say so


def register(commands: argparse._SubParsersAction) -> None:
    worker = commands.add_parser("worker", help="send queued pushes (notices, ticket updates) through WeChat")
    worker.add_argument("--consumer", help="name in the consumer group (default: host-pid-random)")
    worker.set_defaults(run=_worker)

    notice = commands.add_parser("notice", help="broadcast notices").add_subparsers(dest="notice_command",
                                                                                   required=True)
    send = notice.add_parser("send", help="send a notice to a unit's subscribers, with a progress bar")
    send.add_argument("--scope", required=True, help="unit code or name (S01-C01, 阳光社区) or 全区")
    send.add_argument("--title", required=True)
    send.add_argument("--body-file", required=True, type=Path, help="UTF-8 text file with the body ('-': stdin)")
    send.add_argument("--tags", default="", help="comma-separated topics, e.g. 停水停电,防汛")
    send.add_argument("--urgent", action="store_true", help="send even during quiet hours")
    send.add_argument("--at", help="China time to start, e.g. '2026-11-25 08:00' (default: now)")
    send.add_argument("--no-wait", action="store_true", help="queue it and return without a progress bar")
    send.set_defaults(run=_notice_send)
    status = notice.add_parser("status", help="sent / pending / failed / skipped of one notice")
    status.add_argument("notice_id", type=int)
    status.set_defaults(run=_notice_status)

    fake = commands.add_parser("fakewechat", help="run the fake WeChat API on loopback (tests, demo)")
    fake.add_argument("--port", type=int, default=8081)
    fake.add_argument("--rate", type=int, default=0, help="sends/second before answering 45009 (0: no limit)")
    fake.add_argument("--token-ttl", type=float, default=7200)
    fake.add_argument("--token-grace", type=float, default=300)
    fake.set_defaults(run=_fakewechat)


def _worker(args: argparse.Namespace, settings: Settings) -> int:
    from bot.outbound.worker import Worker
    from bot.storage import open_storage

    async def run() -> None:
        storage = open_storage(settings)
        worker = Worker(settings, storage, args.consumer)
        for sig in (signal.SIGTERM, signal.SIGINT):
            asyncio.get_running_loop().add_signal_handler(sig, worker.stop)
        try:
            await worker.run()
        finally:
            await storage.close()

    asyncio.run(run())
    return 0


def _notice_send(args: argparse.Namespace, settings: Settings) -> int:
    body = sys.stdin.read() if str(args.body_file) == "-" else args.body_file.read_text(encoding="utf-8")
    tags = [tag.strip() for tag in args.tags.replace("，", ",").split(",") if tag.strip()]
    send_at = _china_time(args.at) if args.at else None
    return asyncio.run(_send(settings, args.scope, args.title.strip(), body.strip(), tags, args.urgent, send_at,
                             wait=not args.no_wait))


async def _send(settings: Settings, scope: str, title: str, body: str, tags: list[str], urgent: bool,
                send_at: datetime | None, wait: bool) -> int:
    """Check and store the notice with the action chat and the console use, then fan it out now."""
    from bot.outbound.stream import OutboundStream
    from bot.outbound.sweeper import fan_out_one
    from bot.storage import open_storage
    from handlers.notices import actions
    from handlers.permission import OPERATOR
    from handlers.types import Refusal
    from models.clock import local_text, utcnow
    from models.db import transaction
    from models.notices import parse_quiet_hours

    storage = open_storage(settings)
    try:
        try:
            async with transaction(storage.sessions) as session:
                checked = await actions.draft(session, OPERATOR, scope=scope, title=title, body=body,
                                              tags=tuple(tags), urgent=urgent)
                sent = await actions.send(session, OPERATOR, checked.draft, send_at=send_at or utcnow(),
                                          quiet_hours=parse_quiet_hours(settings.quiet_hours))
        except Refusal as refusal:
            print(refusal.sentence, file=sys.stderr)
            return 2
        notice = sent.notice
        if notice.send_at > utcnow():
            print(f"通知 {notice.id} 已定时，将于 {local_text(notice.send_at)}（北京时间）开始发送")
            return 0
        stream = OutboundStream(storage.redis, storage.keys)
        queued = await fan_out_one(storage, stream, notice.id)
        print(f"通知 {notice.id}：{sent.unit.name}，{queued} 位订阅者，已排队发送（需要 linli worker 在运行）")
        if wait and queued:
            await _progress(storage, stream, notice.id, queued)
        return 0
    finally:
        await storage.close()


async def _progress(storage, stream, notice_id: int, total: int) -> None:
    """Redraw a one-line bar on stderr until nothing of the notice is pending, or no worker is left to send it."""
    from models.notices import delivery_counts
    worker_seen = time.monotonic()
    while True:
        async with storage.sessions() as session:
            counts = await delivery_counts(session, notice_id)
        done = total - counts["pending"]
        filled = BAR_WIDTH * done // max(total, 1)
        print(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} 已送达 {counts['sent']} "
              f"失败 {counts['failed']} 跳过 {counts['skipped']}", end="", file=sys.stderr, flush=True)
        if not counts["pending"]:
            print(file=sys.stderr)
            return
        if await stream.live_workers(HEARTBEAT_WITHIN_S):
            worker_seen = time.monotonic()
        elif time.monotonic() - worker_seen > WORKER_GONE_S:
            print(f"\n没有正在运行的 linli worker：通知 {notice_id} 已排队，启动 linli worker 后才会发出；"
                  f"用 linli notice status {notice_id} 查看进度", file=sys.stderr)
            return
        await asyncio.sleep(POLL_S)


def _notice_status(args: argparse.Namespace, settings: Settings) -> int:
    from bot.storage import open_storage
    from handlers.notices import status_text
    from models.notices import Notice, delivery_counts

    async def run() -> int:
        storage = open_storage(settings)
        try:
            async with storage.sessions() as session:
                notice = await session.get(Notice, args.notice_id)
                if notice is None:
                    print(f"没有编号为 {args.notice_id} 的通知", file=sys.stderr)
                    return 1
                print(status_text(notice, await delivery_counts(session, notice.id)))
                return 0
        finally:
            await storage.close()

    return asyncio.run(run())


def _fakewechat(args: argparse.Namespace, settings: Settings) -> int:
    from aiohttp import web

    from bot.devtools.fakewechat import FakeConfig, FakeWeChat
    apps = {settings.wechat_appid: settings.wechat_secret.get_secret_value(),
            settings.wxa_appid: settings.wxa_secret.get_secret_value()}
    fake = FakeWeChat(FakeConfig(apps=apps, token_ttl_s=args.token_ttl, token_grace_s=args.token_grace,
                                 rate_per_s=args.rate))
    print(f"fake WeChat API: set LINLI_WECHAT_API_BASE=http://127.0.0.1:{args.port}/cgi-bin/", flush=True)
    from bot.devtools.fake_wxa_phone import add_phone_route
    app = fake.app()
    add_phone_route(fake, app)  # the mini program's phone binding, for the demo
    web.run_app(app, host="127.0.0.1", port=args.port, access_log=None, print=None)
    return 0


def _china_time(text: str) -> datetime:
    from models.clock import CHINA
    return datetime.fromisoformat(text).replace(tzinfo=CHINA)

"""`linli`: the one command operators use. Each area adds its subcommands through a registrar."""
from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Callable

from config.settings import Settings, get_settings

Registrar = Callable[[argparse._SubParsersAction], None]


def _register_core(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="run the HTTP server (WeChat callback, API, console)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--reuse-port", action="store_true",
                       help="let several serve processes share the port (the kernel balances them)")
    serve.set_defaults(run=_serve)

    db = commands.add_parser("db", help="database schema and sample data").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="apply every migration").set_defaults(run=_db_upgrade)
    db.add_parser("seed", help="load the sample organisation from config/").set_defaults(run=_db_seed)

    chat = commands.add_parser("chat", help="talk to a running server as a WeChat user")
    chat.add_argument("--as", dest="openid", default="o_demo_resident")
    chat.add_argument("--url", default="http://127.0.0.1:8080/wechat")
    chat.add_argument("--mode", choices=["plain", "compat", "safe"], default="plain")
    chat.set_defaults(run=_chat)


def _registrars() -> list[Registrar]:
    from bot.cli.staff import register as staff_commands
    from bot.cli.queue import register as queue_commands
    from bot.cli.projects import register as projects_commands
    from bot.cli.outbound import register as outbound_commands
    from bot.cli.centres import register as centres_commands
    from bot.cli.departments import register as departments_commands
    from bot.cli.tickets import register as tickets_commands
    from nlp.cli import register as nlp_commands
    return [_register_core, nlp_commands, staff_commands, queue_commands, projects_commands, centres_commands,
            outbound_commands, departments_commands, tickets_commands]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="linli", description="邻里 Linli: WeChat backend for a city district")
    commands = parser.add_subparsers(dest="command", required=True)
    for register in _registrars():
        register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # SIGTERM ends the process like Ctrl-C does, so exit handlers run (the embedded Redis is let go)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        return _run(args)
    except Exception as exc:
        from bot.cli.startup import one_line
        line = one_line(exc)
        if line is None:
            raise
        logging.getLogger("linli").debug("start-up error", exc_info=True)
        print(f"linli {args.command}: {line}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    settings = get_settings()
    from bot.logs import setup_logging
    setup_logging(settings.log_level)
    if args.command in ("serve", "worker"):
        if not _secrets_ok(settings):
            return 2
        from bot.cli.startup import preflight
        preflight(settings)
    if not hasattr(args, "run"):  # a subcommand group that registered its own entry point
        return int(args.func(args) or 0)
    return int(args.run(args, settings) or 0)


def _secrets_ok(settings: Settings) -> bool:
    """Development secrets let anyone forge callbacks and tokens: refused in production, warned otherwise."""
    names = settings.dev_secrets()
    if names and settings.production:
        print(f"拒绝启动：以下密钥仍是开发默认值，请设置后再启动 (refusing to start): {', '.join(names)}",
              file=sys.stderr)
        return False
    if names:
        logging.getLogger("linli").warning("development secrets in use (set them before production): %s",
                                           ", ".join(names))
    return True


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from aiohttp import web

    from bot.app import create_app
    web.run_app(create_app(settings), host=args.host, port=args.port, access_log=None,
                reuse_port=args.reuse_port or None, keepalive_timeout=settings.http_header_timeout_s,
                print=lambda line: print(line.replace("======== ", "").replace(" ========", ""), flush=True))
    return 0


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from models.migrate import upgrade
    upgrade(settings.resolved_database_url())
    print("数据库已是最新结构 (database schema is up to date)")
    return 0


def _db_seed(args: argparse.Namespace, settings: Settings) -> int:
    from models.db import make_engine, make_sessionmaker, transaction
    from models.seed import seed

    async def run() -> int:
        engine = make_engine(settings.resolved_database_url())
        try:
            async with transaction(make_sessionmaker(engine)) as session:
                return await seed(session)
        finally:
            await engine.dispose()

    print(f"示例组织已载入，新增 {asyncio.run(run())} 条 (sample organisation loaded)")
    return 0


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.chat import run_chat
    return asyncio.run(run_chat(args, settings))


if __name__ == "__main__":
    sys.exit(main())

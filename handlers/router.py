"""The one route table: every way a message can go, read top to bottom.

Commands are matched on the first word of a text (“认领 12”, also “认领12”); events by
their name; other message types by type; any other text becomes a request.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from handlers import account, centres, requests
from handlers.texts import common as texts
from handlers.types import Context, Incoming, Reply

Handler = Callable[[Incoming, Context, str], Awaitable[Reply]]


@dataclass(frozen=True)
class Command:
    words: tuple[str, ...]
    handler: Handler
    usage: str
    meaning: str


COMMANDS: list[Command] = [
    Command(("查询", "进度"), requests.status, "查询 / 查询 12", "查看您的诉求和办理进度"),
    Command(("服务中心", "红色地图"), centres.nearby, "服务中心", "找离您最近的党群服务中心/站"),
]

EVENTS: dict[str, Handler] = {
    "subscribe": account.subscribe,
    "subscribe_scan": account.subscribe,
    "unsubscribe": account.unsubscribe,
}

TYPES: dict[str, Handler] = {
    "image": account.fixed(texts.IMAGE),
    "voice": account.fixed(texts.VOICE),
    "video": account.fixed(texts.VIDEO),
    "shortvideo": account.fixed(texts.VIDEO),
    "location": centres.nearby,
    "link": account.fixed(texts.LINK),
}

HELP_WORDS = ("帮助", "help", "?", "？", "菜单")

_menu_unknown = account.fixed(texts.MENU_UNKNOWN)
_silent = account.fixed("")  # LOCATION reports, VIEW clicks …: WeChat shows nothing


async def route(msg: Incoming, ctx: Context) -> Reply:
    if msg.type == "event":
        handler = EVENTS.get(msg.event, _menu_unknown if msg.event == "click" else _silent)
        return await handler(msg, ctx, msg.event_key)
    if msg.type != "text":
        return await TYPES.get(msg.type, account.fixed(texts.UNKNOWN))(msg, ctx, "")
    text = msg.content.strip()
    if not text:
        return Reply(texts.EMPTY)
    if text.lower() in HELP_WORDS:
        return Reply(account.help_text([(c.usage, c.meaning) for c in COMMANDS]))
    match = match_command(text)
    if match:
        command, args = match
        return await command.handler(msg, ctx, args)
    return await requests.create(msg, ctx, text)


def match_command(text: str) -> tuple[Command, str] | None:
    """The command whose word starts the text, followed by a space, a digit or nothing."""
    for command in sorted(COMMANDS, key=lambda c: -max(len(w) for w in c.words)):
        for word in command.words:
            if text.startswith(word):
                rest = text[len(word):]
                if not rest or rest[0].isspace() or rest[0].isdigit():
                    return command, rest.strip()
    return None

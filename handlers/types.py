"""Plain values that cross between bot/ (the protocol) and handlers/ (the domain)."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

import redis.asyncio as aioredis
from sqlmodel.ext.asyncio.session import AsyncSession

from config.redis_keys import Keys
from config.settings import Settings
from models.members import MemberProfile
from models.users import User


@dataclass(frozen=True)
class Incoming:
    """One message from a user, whatever the channel (official account, mini program, console).

    `type`: text, event, image, voice, video, shortvideo, location, link or unknown;
    `event`: subscribe, unsubscribe, click, location, scan … when `type` is event;
    `dedup_key`: the channel's idempotency key (WeChat's MsgId, or openid+CreateTime for events).
    """

    openid: str
    type: str
    account: str = ""  # the official account's id (ToUserName), the sender of our reply
    content: str = ""
    event: str = ""
    event_key: str = ""
    dedup_key: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    label: str = ""
    media_url: str = ""


@dataclass(frozen=True)
class Article:
    title: str
    description: str
    url: str = ""
    image: str = ""


@dataclass(frozen=True)
class Reply:
    text: str = ""
    articles: tuple[Article, ...] = ()


class Refusal(Exception):
    """An action declined: `code` is for doors to map (API status, console flash, CLI exit 2),
    `sentence` is the polite simplified-Chinese line a person reads, the same at every door.

    Codes: not_found, forbidden, conflict, invalid (bad arguments), limited (rate/quota).
    """

    CODES = frozenset({"not_found", "forbidden", "conflict", "invalid", "limited"})

    def __init__(self, code: str, sentence: str) -> None:
        if code not in self.CODES:
            raise ValueError(f"unknown refusal code {code!r}")
        super().__init__(sentence)
        self.code = code
        self.sentence = sentence


AfterReply = Callable[[], Awaitable[None]]


@dataclass
class Context:
    """What a handler may use: the transaction, Redis, settings and the user.

    `member`: the sender's approved membership, set by the router for member commands.
    The caller commits `session` after the handler returns; `after_reply` holds work that
    must not delay the reply (run once the reply is on its way).
    """

    session: AsyncSession
    redis: aioredis.Redis
    keys: Keys
    settings: Settings
    user: User
    now: datetime
    after_reply: list[AfterReply] = field(default_factory=list)
    member: MemberProfile | None = None

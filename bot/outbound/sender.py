"""One push through WeChat, and what its answer means for the row.

Notices go as template messages; ticket updates as customer-service text while the
user's 48-hour window is open, else as template messages. Template sends carry WeChat's
anti-replay `client_msg_id` (the row's idempotency key): if a worker dies after WeChat
accepted a message but before the row was marked sent, the retry is not shown twice.

The sends themselves go through one aiohttp session per worker (no thread per call: the
blocking client cost half a send's CPU). wechatpy keeps what it is good at: the access
token, shared through Redis and refreshed under a lock (bot/outbound/token.py). Token
work is rare and blocking, so it runs on one thread of its own.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from enum import StrEnum

import aiohttp
import redis
import requests
from yarl import URL
from wechatpy.exceptions import WeChatClientException

from bot.outbound.token import LOCAL_REUSE_S, SharedTokenClient
from config.redis_keys import Keys
from config.settings import Settings
from models.clock import local_text, utcnow

TOKEN_ERRORS = (40001, 40014, 42001)
TRANSIENT_ERRORS = (-1, 45009)  # system busy; API frequency limit
UNFOLLOWED = 43004
OUT_OF_WINDOW = 45015
_MAX_TOKEN_RETRIES = 2
_TIMEOUT_S = 10
_JSON = {"Content-Type": "application/json; charset=utf-8"}


class Result(StrEnum):
    sent = "sent"
    retry = "retry"  # transient: back off and try again
    unfollowed = "unfollowed"  # mark the user, stop
    failed = "failed"  # permanent: record the error


@dataclass(frozen=True)
class Delivery:
    row_id: int
    openid: str
    key: str
    title: str
    body: str
    as_custom: bool  # customer-service text (window open) rather than a template message
    template_id: str


@dataclass(frozen=True)
class Outcome:
    row_id: int
    result: Result
    error: str | None = None
    rate_limited: bool = False


@dataclass(frozen=True)
class Answer:
    """What WeChat said to one call: its errcode (None when the HTTP exchange itself failed)."""
    errcode: int | None
    errmsg: str = ""
    status: int | None = None


class Sender:
    """Call `send` from the worker's event loop; `close` when done."""

    def __init__(self, settings: Settings, keys: Keys, redis_url: str) -> None:
        self.settings, self.keys = settings, keys
        self._base = settings.wechat_api_base
        # wechatpy's token storage is synchronous: its own Redis client, used on the token thread only.
        self._redis = redis.Redis.from_url(redis_url, decode_responses=True, socket_timeout=10)
        self._token_thread = ThreadPoolExecutor(1, thread_name_prefix="wechat-token")
        self._token_client: SharedTokenClient | None = None
        self._token, self._token_until = "", 0.0
        self._refreshing = asyncio.Lock()
        self._http: aiohttp.ClientSession | None = None
        self._urls: dict[tuple[str, str], URL] = {}

    async def send(self, delivery: Delivery) -> Outcome:
        """Never raises. Failures are recorded by type (and WeChat's errcode/errmsg) only: the
        token URL carries the AppSecret, the send URL the token, and errors quote URLs."""
        try:
            return await self._send(delivery)
        except WeChatClientException as exc:  # the token request itself was refused
            return Outcome(delivery.row_id, Result.retry, f"token: {exc.errcode} {exc.errmsg}"[:300])
        except (requests.RequestException, redis.RedisError) as exc:  # LockError is a RedisError
            return Outcome(delivery.row_id, Result.retry, f"network: {type(exc).__name__}")
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            return Outcome(delivery.row_id, Result.retry, f"network: {type(exc).__name__}")
        except Exception as exc:  # noqa: BLE001  unforeseen: retried, and the batch's other rows still recorded
            return Outcome(delivery.row_id, Result.retry, f"error: {type(exc).__name__}")

    async def _send(self, delivery: Delivery) -> Outcome:
        for _ in range(_MAX_TOKEN_RETRIES + 1):
            token = await self._access_token()
            answer = await self._call(token, delivery)
            if answer.errcode == 0:
                return Outcome(delivery.row_id, Result.sent)
            if answer.errcode in TOKEN_ERRORS:
                await self._refresh(stale=token)
                continue
            if answer.errcode == OUT_OF_WINDOW and delivery.as_custom:
                delivery = replace(delivery, as_custom=False)
                continue
            return judge(delivery.row_id, answer)
        return Outcome(delivery.row_id, Result.retry, "token refused after refresh")

    async def _call(self, token: str, delivery: Delivery) -> Answer:
        path, payload = message_payload(delivery)
        body = json.dumps(payload, ensure_ascii=False).encode()
        async with self._session().post(self._url(path, token), data=body, headers=_JSON) as response:
            if response.status != 200:
                return Answer(None, status=response.status)
            result = json.loads(await response.read())
        return Answer(int(result.get("errcode", 0)), str(result.get("errmsg", "")), 200)

    def _url(self, path: str, token: str) -> URL:
        """Built once per token: parsing and quoting a URL per send is a noticeable share of its CPU."""
        url = self._urls.get((path, token))
        if url is None:
            if len(self._urls) > 8:  # old tokens
                self._urls.clear()
            url = self._urls[(path, token)] = URL(self._base + path).with_query(access_token=token)
        return url

    def _session(self) -> aiohttp.ClientSession:
        if self._http is None:  # made on first use, inside the worker's loop
            connector = aiohttp.TCPConnector(limit=self.settings.outbound_threads)
            self._http = aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=_TIMEOUT_S),
                                               cookie_jar=aiohttp.DummyCookieJar())  # the API sets none
        return self._http

    async def _access_token(self) -> str:
        if self._token and time.monotonic() < self._token_until:
            return self._token
        return self._keep(await self._on_token_thread(lambda client: client.access_token))

    async def _refresh(self, stale: str) -> None:
        """One refresh per process at a time; across processes the token client's Redis lock decides."""
        async with self._refreshing:
            if self._token != stale and time.monotonic() < self._token_until:
                return  # another send of ours refreshed it meanwhile
            self._keep(await self._on_token_thread(lambda client: client.fetch_access_token(stale=stale)))

    def _keep(self, token: str) -> str:
        self._token, self._token_until = token, time.monotonic() + LOCAL_REUSE_S
        return token

    async def _on_token_thread(self, job: Callable[[SharedTokenClient], str]) -> str:
        def run() -> str:
            if self._token_client is None:
                self._token_client = SharedTokenClient(self.settings, self._redis, self.keys)
            return job(self._token_client)
        return await asyncio.get_running_loop().run_in_executor(self._token_thread, run)

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
        self._token_thread.shutdown(wait=True)
        self._redis.close()


def message_payload(delivery: Delivery) -> tuple[str, dict]:
    """The API path and JSON body of one delivery."""
    if delivery.as_custom:
        text = f"{delivery.title}\n{delivery.body}" if delivery.title else delivery.body
        return "message/custom/send", {"touser": delivery.openid, "msgtype": "text", "text": {"content": text}}
    data = {"first": {"value": delivery.title}, "keyword1": {"value": delivery.title},
            "keyword2": {"value": local_text(utcnow())}, "remark": {"value": delivery.body}}
    return "message/template/send", {"touser": delivery.openid, "template_id": delivery.template_id, "data": data,
                                     "client_msg_id": anti_replay_id(delivery.key)}


def anti_replay_id(key: str) -> str:
    """WeChat's client_msg_id is at most 64 characters; long keys are hashed."""
    return key if len(key) <= 64 else hashlib.sha1(key.encode()).hexdigest()


def judge(row_id: int, answer: Answer) -> Outcome:
    error = f"{answer.errcode} {answer.errmsg}" if answer.errcode is not None else f"HTTP {answer.status}"
    if answer.errcode == UNFOLLOWED:
        return Outcome(row_id, Result.unfollowed, error)
    if answer.errcode in TRANSIENT_ERRORS:
        return Outcome(row_id, Result.retry, error, rate_limited=answer.errcode == 45009)
    if answer.errcode is None and (answer.status is None or answer.status >= 500):
        return Outcome(row_id, Result.retry, error)
    return Outcome(row_id, Result.failed, error[:300])

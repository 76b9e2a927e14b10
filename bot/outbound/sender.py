"""One push through WeChat, and what its answer means for the row.

Notices go as template messages; ticket updates as customer-service text while the
user's 48-hour window is open, else as template messages. Template sends carry WeChat's
anti-replay `client_msg_id` (the row's idempotency key): if a worker dies after WeChat
accepted a message but before the row was marked sent, the retry is not shown twice.

Blocking (wechatpy uses requests): the worker calls `send` from a thread pool.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, replace
from enum import StrEnum

import redis
import requests
from wechatpy.exceptions import WeChatClientException

from bot.outbound.token import SharedTokenClient
from config.redis_keys import Keys
from config.settings import Settings
from models.clock import local_text, utcnow

TOKEN_ERRORS = (40001, 40014, 42001)
TRANSIENT_ERRORS = (-1, 45009)  # system busy; API frequency limit
UNFOLLOWED = 43004
OUT_OF_WINDOW = 45015
_MAX_TOKEN_RETRIES = 2


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


class Sender:
    def __init__(self, settings: Settings, keys: Keys, redis_url: str) -> None:
        self.settings, self.keys = settings, keys
        # wechatpy's token storage is synchronous, so the threads get their own Redis client.
        self._redis = redis.Redis.from_url(redis_url, decode_responses=True, socket_timeout=10)
        self._local = threading.local()

    def send(self, delivery: Delivery) -> Outcome:
        """Never raises. Failures are recorded by type (and WeChat's errcode/errmsg) only: requests
        quotes the token URL, AppSecret included, in its error text."""
        try:
            return self._send(delivery)
        except WeChatClientException as exc:  # the token request itself was refused
            return Outcome(delivery.row_id, Result.retry, f"token: {exc.errcode} {exc.errmsg}"[:300])
        except (requests.RequestException, redis.RedisError) as exc:  # LockError is a RedisError
            return Outcome(delivery.row_id, Result.retry, f"network: {type(exc).__name__}")
        except Exception as exc:  # noqa: BLE001  unforeseen: retried, and the batch's other rows still recorded
            return Outcome(delivery.row_id, Result.retry, f"error: {type(exc).__name__}")

    def _send(self, delivery: Delivery) -> Outcome:
        client = self._client()
        for _ in range(_MAX_TOKEN_RETRIES + 1):
            token = client.access_token
            try:
                self._call(client, token, delivery)
                return Outcome(delivery.row_id, Result.sent)
            except WeChatClientException as exc:
                if exc.errcode in TOKEN_ERRORS:
                    client.fetch_access_token(stale=token)
                    continue
                if exc.errcode == OUT_OF_WINDOW and delivery.as_custom:
                    delivery = replace(delivery, as_custom=False)
                    continue
                return _judge(delivery.row_id, exc)
        return Outcome(delivery.row_id, Result.retry, "token refused after refresh")

    def _call(self, client: SharedTokenClient, token: str, delivery: Delivery) -> None:
        params = {"access_token": token}
        if delivery.as_custom:
            text = f"{delivery.title}\n{delivery.body}" if delivery.title else delivery.body
            client.post("message/custom/send", params=params,
                        data={"touser": delivery.openid, "msgtype": "text", "text": {"content": text}})
            return
        data = {"first": {"value": delivery.title}, "keyword1": {"value": delivery.title},
                "keyword2": {"value": local_text(utcnow())}, "remark": {"value": delivery.body}}
        client.post("message/template/send", params=params, data={
            "touser": delivery.openid, "template_id": delivery.template_id, "data": data,
            "client_msg_id": anti_replay_id(delivery.key)})

    def _client(self) -> SharedTokenClient:
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = SharedTokenClient(self.settings, self._redis, self.keys)
        return client

    def close(self) -> None:
        self._redis.close()


def anti_replay_id(key: str) -> str:
    """WeChat's client_msg_id is at most 64 characters; long keys are hashed."""
    return key if len(key) <= 64 else hashlib.sha1(key.encode()).hexdigest()


def _judge(row_id: int, exc: WeChatClientException) -> Outcome:
    status = exc.response.status_code if exc.response is not None else None
    error = f"{exc.errcode} {exc.errmsg}" if exc.errcode is not None else f"HTTP {status}"
    if exc.errcode == UNFOLLOWED:
        return Outcome(row_id, Result.unfollowed, error)
    if exc.errcode in TRANSIENT_ERRORS:
        return Outcome(row_id, Result.retry, error, rate_limited=exc.errcode == 45009)
    if exc.errcode is None and (status is None or status >= 500):
        return Outcome(row_id, Result.retry, error)
    return Outcome(row_id, Result.failed, error[:300])

"""wechatpy's real `WeChatClient`, aimed at `settings.wechat_api_base`, sharing one access token.

The token lives in Redis (wechatpy's own `RedisStorage`), so every worker process on every
machine uses the same one. Refreshing happens under a Redis lock, and only if the token
in Redis is still the one that failed: when ten workers see 42001 together, one fetches
and nine pick up its result. The token is kept a few minutes less than WeChat grants, and
WeChat keeps the previous token valid for a while after a refresh, so sends in flight
during a refresh still succeed.
"""
from __future__ import annotations

import os
import time

import redis
import requests
from wechatpy import WeChatClient
from wechatpy.session.redisstorage import RedisStorage

from config.redis_keys import Keys
from config.settings import Settings

REFRESH_EARLY_S = 300
LOCK_TIMEOUT_S = 30
# A sender reuses the token it read for a few seconds instead of asking Redis per send:
# a token refreshed elsewhere stays valid at WeChat for minutes, and a refused one is re-read.
LOCAL_REUSE_S = 5.0


class SharedTokenClient(WeChatClient):
    """Used from one thread at a time (its HTTP session is not thread-safe): the sender keeps it
    on a thread of its own; the token is shared via Redis."""

    def __init__(self, settings: Settings, redis_client: redis.Redis, keys: Keys) -> None:
        super().__init__(settings.wechat_appid, settings.wechat_secret.get_secret_value(),
                         session=RedisStorage(redis_client, prefix=keys.wechat_tokens), timeout=10,
                         auto_retry=False)  # retries are the worker's decision (see sender)
        self.API_BASE_URL = settings.wechat_api_base
        self._redis, self._lock_key = redis_client, keys.wechat_token_lock
        self._reused, self._reuse_until = "", 0.0
        self._read_environment_once()

    def _read_environment_once(self) -> None:
        """requests re-reads proxy and CA settings from the environment on every call (a
        quarter of a send's CPU); read them once here and keep honouring them."""
        self._http.proxies = requests.utils.get_environ_proxies(self.API_BASE_URL)
        self._http.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        self._http.trust_env = False

    @property
    def access_token(self) -> str:
        if self._reused and time.monotonic() < self._reuse_until:
            return self._reused
        return self._remember(self.session.get(self.access_token_key) or self.fetch_access_token())

    def _remember(self, token: str) -> str:
        self._reused, self._reuse_until = token, time.monotonic() + LOCAL_REUSE_S
        return token

    def fetch_access_token(self, stale: str | None = None) -> str:
        """The shared token, fetched from WeChat only if Redis has none or still has `stale`."""
        with self._redis.lock(self._lock_key, timeout=LOCK_TIMEOUT_S, blocking_timeout=LOCK_TIMEOUT_S):
            current = self.session.get(self.access_token_key)
            if current and current != stale:
                return self._remember(current)
            result = self._fetch_access_token(url=self.API_BASE_URL + "token", params={
                "grant_type": "client_credential", "appid": self.appid, "secret": self.secret})
            ttl = max(60, int(result.get("expires_in", 7200)) - REFRESH_EARLY_S)
            self.session.set(self.access_token_key, result["access_token"], ttl)
            return self._remember(result["access_token"])

"""The mini program's side of WeChat: jscode2session (login) and the phone-number API.

wechatpy's client is blocking, so calls run in a thread. Its access token (needed for the
phone-number API, and fetched by wechatpy before any call) is cached in Redis under our prefix,
shared by every process. Everything is aimed at `settings.wechat_api_base`: the fake in tests.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass

import redis
import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.redisstorage import RedisStorage

from bot.storage import redis_url
from config.redis_keys import Keys
from config.settings import Settings

# errcodes that mean "the user's code is bad", not "WeChat is unwell"
BAD_CODE = {40029, 40163, 40226, 45011, 40013}


class WxaError(Exception):
    def __init__(self, errcode: int | None, bad_input: bool) -> None:
        super().__init__(f"WeChat error {errcode}")
        self.errcode, self.bad_input = errcode, bad_input


@dataclass(frozen=True)
class WxaSession:
    openid: str
    session_key: str
    unionid: str | None = None


class _Client(WeChatClient):
    def __init__(self, settings: Settings, session: RedisStorage) -> None:
        super().__init__(settings.wxa_appid, settings.wxa_secret.get_secret_value(), session=session, timeout=5)
        self.API_BASE_URL = settings.wechat_api_base
        # WeChatWxa's calls live beside cgi-bin/, not under it
        self.wxa.API_BASE_URL = settings.wechat_api_base.removesuffix("/").removesuffix("cgi-bin")

    def fetch_access_token(self) -> dict:
        # wechatpy hard-codes api.weixin.qq.com here; use the configured base like every other call
        return self._fetch_access_token(url=self.API_BASE_URL + "token", params={
            "grant_type": "client_credential", "appid": self.appid, "secret": self.secret})


class MiniProgram:
    def __init__(self, settings: Settings, keys: Keys) -> None:
        sync_redis = redis.Redis.from_url(redis_url(settings), socket_timeout=5)
        self._client = _Client(settings, RedisStorage(sync_redis, prefix=keys.wxa_tokens))

    async def code_to_session(self, code: str) -> WxaSession:
        result = await self._call(self._client.wxa.code_to_session, code)
        if not result.get("openid") or not result.get("session_key"):
            raise WxaError(None, bad_input=False)
        return WxaSession(result["openid"], result["session_key"], result.get("unionid"))

    async def phone_number(self, code: str) -> str:
        result = await self._call(self._client.wxa._post, "wxa/business/getuserphonenumber", data={"code": code})
        phone = (result.get("phone_info") or {}).get("purePhoneNumber")
        if not phone:
            raise WxaError(None, bad_input=True)
        return phone

    async def _call(self, function, *args, **kwargs) -> dict:
        try:
            return await asyncio.to_thread(function, *args, **kwargs)
        except WeChatClientException as error:
            errcode = int(error.errcode) if error.errcode is not None else None
            raise WxaError(errcode, bad_input=errcode in BAD_CODE) from error
        except (requests.RequestException, ValueError) as error:  # unreachable, or not JSON
            raise WxaError(None, bad_input=False) from error

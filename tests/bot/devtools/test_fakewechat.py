"""The fake WeChat API behaves like WeChat where Linli depends on it (raw HTTP, no Linli code)."""
from __future__ import annotations

import time

import aiohttp
import pytest
from aiohttp import web

from bot.devtools.fakewechat import FakeConfig, FakeWeChat
from tests.conftest import free_port

APPID, SECRET = "wxfaketest", "fake-secret"


@pytest.fixture
async def api():
    fake = FakeWeChat(FakeConfig(apps={APPID: SECRET}, token_grace_s=0.3))
    runner = web.AppRunner(fake.app())
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    async with aiohttp.ClientSession(f"http://127.0.0.1:{port}") as http:
        yield fake, http
    await runner.cleanup()


async def _token(http, secret: str = SECRET) -> dict:
    async with http.get("/cgi-bin/token", params={"grant_type": "client_credential", "appid": APPID,
                                                   "secret": secret}) as response:
        return await response.json()


async def _send(http, token: str, kind: str = "template", **body) -> tuple[int, dict | str]:
    payload = {"touser": "o_user", "template_id": "tpl", "data": {}, **body} if kind == "template" else \
        {"touser": "o_user", "msgtype": "text", "text": {"content": "hi"}, **body}
    async with http.post(f"/cgi-bin/message/{kind}/send", params={"access_token": token}, json=payload) as response:
        return response.status, (await response.json() if response.status == 200 else await response.text())


async def test_wrong_secret_gets_no_token(api):
    fake, http = api
    assert (await _token(http, "wrong"))["errcode"] == 40001


async def test_refresh_keeps_old_token_for_the_grace_period_then_refuses_it(api):
    fake, http = api
    old = (await _token(http))["access_token"]
    new = (await _token(http))["access_token"]
    assert (await _send(http, old))[1]["errcode"] == 0  # within the grace period
    time.sleep(0.35)
    assert (await _send(http, old))[1]["errcode"] == 40001
    assert (await _send(http, new))[1]["errcode"] == 0


async def test_expired_token_is_42001(api):
    fake, http = api
    token = (await _token(http))["access_token"]
    fake.expire_tokens()
    assert (await _send(http, token))[1]["errcode"] == 42001


async def test_unfollowed_window_rate_and_server_errors(api):
    fake, http = api
    token = (await _token(http))["access_token"]
    fake.unfollowed.add("o_gone")
    assert (await _send(http, token, touser="o_gone"))[1]["errcode"] == 43004
    fake.interactions["o_old"] = time.time() - 49 * 3600
    assert (await _send(http, token, "custom", touser="o_old"))[1]["errcode"] == 45015
    assert (await _send(http, token, "template", touser="o_old"))[1]["errcode"] == 0  # templates need no window
    fake.fail_next = 1
    assert (await _send(http, token))[0] == 500
    fake.config.rate_per_s = 2
    answers = [(await _send(http, token))[1]["errcode"] for _ in range(4)]
    assert 45009 in answers


async def test_same_client_msg_id_is_delivered_once(api):
    fake, http = api
    token = (await _token(http))["access_token"]
    first = (await _send(http, token, client_msg_id="notice:1:o_user"))[1]
    again = (await _send(http, token, client_msg_id="notice:1:o_user"))[1]
    assert first["errcode"] == again["errcode"] == 0 and first["msgid"] == again["msgid"]
    assert len(fake.delivered()) == 1 and fake.summary()["replays"] == 1


async def test_code_to_session_for_the_mini_program(api):
    fake, http = api
    query = {"appid": APPID, "secret": SECRET, "grant_type": "authorization_code"}
    async with http.get("/sns/jscode2session", params={**query, "js_code": "openid:o_mini"}) as response:
        assert (await response.json())["openid"] == "o_mini"
    async with http.get("/sns/jscode2session", params={**query, "js_code": "openid:o_mini"}) as response:
        assert (await response.json())["errcode"] == 40163  # a code is good once
    async with http.get("/sns/jscode2session", params={**query, "js_code": "invalid"}) as response:
        assert (await response.json())["errcode"] == 40029


async def test_control_endpoint_and_record(api):
    fake, http = api
    async with http.post("/_fake/control", json={"unfollow": ["o_x"], "fail_next": 2}) as response:
        assert response.status == 200
    assert "o_x" in fake.unfollowed and fake.fail_next == 2
    async with http.get("/_fake/summary") as response:
        assert (await response.json())["received"] == 0

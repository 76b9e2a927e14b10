"""Login through WeChat's jscode2session (the fake), our signed token, phone binding, error shape."""
from __future__ import annotations

import time

from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.api.tokens import Tokens
from bot.app import create_app

from models.users import User
from tests.bot.api.conftest import bearer, login
from tests.conftest import free_port


async def _error(response) -> dict:
    body = await response.json()
    assert set(body) == {"error"} and body["error"]["message"], body
    return body["error"]


async def test_login_gives_a_token_and_keeps_the_session_key_on_the_server(client, seeded, fake_wechat):
    response = await client.post("/api/v1/login", json={"code": "openid:o_mini_1"})
    body = await response.json()
    assert response.status == 200
    assert body["expires_in"] == 7 * 24 * 3600 and body["user"]["roles"] == ["resident"]
    assert "session_key" not in await response.text()
    stored = await seeded.redis.get(seeded.keys.wxa_session_key("o_mini_1"))
    assert stored and stored not in await response.text()
    me = await client.get("/api/v1/me", headers=bearer(body["token"]))
    assert (await me.json())["id"] == body["user"]["id"]
    assert [entry["kind"] for entry in fake_wechat[0].record if entry["kind"] == "jscode2session"] == ["jscode2session"]


async def test_a_used_or_invalid_code_is_refused(client):
    assert (await client.post("/api/v1/login", json={"code": "openid:o_once"})).status == 200
    again = await client.post("/api/v1/login", json={"code": "openid:o_once"})
    assert again.status == 401 and (await _error(again))["code"] == "login_failed"
    bad = await client.post("/api/v1/login", json={"code": "invalid"})
    assert bad.status == 401 and "重新打开小程序" in (await _error(bad))["message"]


def _app_client(settings, storage) -> TestClient:
    """A second app over the same storage with other settings."""
    app = create_app(settings, storage)
    app.on_cleanup.clear()
    return TestClient(TestServer(app))


async def test_wechat_unreachable_is_502_not_500(settings, seeded):
    broken = settings.model_copy(update={"wechat_api_base": f"http://127.0.0.1:{free_port()}/cgi-bin/"})
    async with _app_client(broken, seeded) as other:
        response = await other.post("/api/v1/login", json={"code": "openid:o_down"})
        assert response.status == 502 and (await _error(response))["code"] == "wechat_unavailable"


async def test_missing_wrong_forged_and_expired_tokens_are_401(client, settings):
    token = await login(client, "o_tok")
    cases = {"no_token": {}, "bad_token": bearer(token[:-2] + "xx"),
             "no_token ": {"Authorization": f"Basic {token}"}}
    for code, headers in cases.items():
        response = await client.get("/api/v1/me", headers=headers)
        assert response.status == 401 and (await _error(response))["code"] == code.strip()
    me = await (await client.get("/api/v1/me", headers=bearer(token))).json()
    eight_days_ago = Tokens(settings.api_secret.get_secret_value(), settings.api_token_ttl_s,
                            clock=lambda: time.time() - 8 * 24 * 3600)
    stale = eight_days_ago.issue(me["id"], "o_tok")
    expired = await client.get("/api/v1/me", headers=bearer(stale))
    assert expired.status == 401
    error = await _error(expired)
    assert error["code"] == "token_expired" and "过期" in error["message"]


async def test_phone_binding_stores_the_number_and_shows_it_masked(client, seeded):
    token = await login(client, "o_phone")
    response = await client.post("/api/v1/me/phone", json={"code": "phone:13912345678"}, headers=bearer(token))
    assert response.status == 200
    assert (await response.json())["phone"] == "139****5678"
    async with seeded.sessions() as session:
        user = (await session.exec(select(User).where(User.openid == "o_phone"))).one()
    assert user.phone == "13912345678"
    refused = await client.post("/api/v1/me/phone", json={"code": "invalid"}, headers=bearer(token))
    assert refused.status == 422 and (await _error(refused))["code"] == "phone_failed"


async def test_bad_bodies_and_paths_get_the_error_shape(client):
    token = await login(client, "o_shape")
    not_json = await client.post("/api/v1/me/phone", data=b"{oops", headers=bearer(token))
    assert not_json.status == 400 and (await _error(not_json))["code"] == "bad_request"
    empty_code = await client.post("/api/v1/login", json={"code": ""})
    error = await _error(empty_code)
    assert empty_code.status == 422 and error["fields"] == ["code"]
    unknown = await client.get("/api/v1/nothing-here")
    assert unknown.status == 404 and (await _error(unknown))["code"] == "not_found"
    wrong_method = await client.put("/api/v1/me", headers=bearer(token))
    assert wrong_method.status == 405


async def test_requests_beyond_the_per_user_limit_get_429(settings, seeded):
    strict = settings.model_copy(update={"api_rate_limit_per_minute": 3})
    async with _app_client(strict, seeded) as other:
        token = await login(other, "o_busy")  # the login counted against the address, not the user
        statuses = [(await other.get("/api/v1/me", headers=bearer(token))).status for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        error = await _error(await other.get("/api/v1/me", headers=bearer(token)))
        assert error["code"] == "rate_limited" and "一分钟" in error["message"]


async def test_unfollowing_ends_the_mini_program_session(client, sender, seeded, fake_wechat):
    token = await login(client, "o_tok_unfollow")
    assert (await client.get("/api/v1/me", headers=bearer(token))).status == 200
    await sender.post(client.session, sender.event_xml("o_tok_unfollow", "unsubscribe"))
    after = await client.get("/api/v1/me", headers=bearer(token))
    assert after.status == 401 and (await _error(after))["code"] == "token_revoked"
    await sender.post(client.session, sender.event_xml("o_tok_unfollow", "subscribe"))
    assert (await client.get("/api/v1/me", headers=bearer(token))).status == 401  # following again revives nothing
    fake_wechat[0].used_codes.clear()  # wx.login gives a new code each time; the fake's test code is fixed
    fresh = await login(client, "o_tok_unfollow")
    assert (await client.get("/api/v1/me", headers=bearer(fresh))).status == 200

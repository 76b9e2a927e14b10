"""Console login over real HTTP: cookie flags, CSRF on every POST, lockout, logout, scope of pages."""
from __future__ import annotations

import asyncio
import re
import time

from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.app import create_app
from bot.console.auth import COOKIE
from models.db import transaction
from models.staff import StaffAccount
from tests.bot.console.conftest import PASSWORD, log_in, make_login
from tests.conftest import make_settings


async def test_login_sets_a_strict_httponly_cookie_and_opens_the_dashboard(client, seeded):
    await make_login(seeded, "chen")
    response = await log_in(client, "Chen ")  # usernames are trimmed and case-insensitive
    assert response.status == 303 and response.headers["Location"] == "/console/"
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/console"
    assert not cookie["secure"]  # plain http on loopback; https turns it on (next test)
    page = await client.get("/console/")
    assert page.status == 200 and "数据看板" in await page.text()


async def test_cookie_is_secure_behind_an_https_proxy(client, seeded):
    await make_login(seeded, "chen")
    page = await client.get("/console/login", headers={"X-Forwarded-Proto": "https"})
    assert page.cookies["linli_login_csrf"]["secure"]


async def test_pages_need_a_login(client, seeded):
    response = await client.get("/console/queue?grid=1", allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/console/login?next=/console/queue?grid=1"
    refused = await client.post("/console/tickets/1/close", data={"note": "x"}, allow_redirects=False)
    assert refused.status == 403


async def test_next_never_leaves_the_console(client, seeded):
    await make_login(seeded, "chen")
    response = await log_in(client, "chen", next_path="https://evil.example/console/")
    assert response.headers["Location"] == "/console/"
    response = await log_in(client, "chen", next_path="/console/queue?status=queued")
    assert response.headers["Location"] == "/console/queue?status=queued"


async def test_wrong_password_then_lockout(client, seeded, settings):
    await make_login(seeded, "chen")
    await make_login(seeded, "li")
    for _ in range(settings.console_max_failures):
        wrong = await log_in(client, "chen", "not-the-password")
        assert wrong.status == 401 and "用户名或密码不正确" in await wrong.text()
    locked = await log_in(client, "chen", PASSWORD)
    assert locked.status == 429 and "临时锁定" in await locked.text()
    assert COOKIE not in locked.cookies
    assert (await log_in(client, "li")).status == 303  # someone else's account is unaffected


async def test_unknown_user_gets_the_same_answer(client, seeded):
    response = await log_in(client, "nobody", "whatever-password")
    assert response.status == 401 and "用户名或密码不正确" in await response.text()


async def test_login_form_needs_its_csrf_token(client, seeded):
    await make_login(seeded, "chen")
    response = await client.post("/console/login", data={"username": "chen", "password": PASSWORD},
                                 allow_redirects=False)
    assert response.status == 403 and COOKIE not in response.cookies


async def test_every_post_needs_the_session_csrf_token(admin):
    for token in ("", "forged-token"):
        response = await admin.client.post("/console/logout", data={"csrf": token}, allow_redirects=False)
        assert response.status == 403 and "安全校验失败" in await response.text()
    assert (await admin.client.get("/console/queue")).status == 200  # still logged in


async def test_cross_origin_post_is_refused(admin):
    response = await admin.post("/console/logout", {}, headers={"Origin": "http://evil.example"})
    assert response.status == 403
    assert (await admin.client.get("/console/queue")).status == 200


async def test_tampered_cookie_is_not_a_session(admin):
    cookie = admin.client.session.cookie_jar.filter_cookies(admin.client.make_url("/console/"))[COOKIE].value
    sid, _, signature = cookie.rpartition(".")
    admin.client.session.cookie_jar.update_cookies({COOKIE: sid + "." + "0" * len(signature)},
                                                   admin.client.make_url("/console/"))
    response = await admin.client.get("/console/queue", allow_redirects=False)
    assert response.status == 303


async def test_logout_ends_the_session_on_the_server(admin):
    jar = admin.client.session.cookie_jar
    old = jar.filter_cookies(admin.client.make_url("/console/"))[COOKIE].value
    response = await admin.post("/console/logout", {})
    assert response.status == 303
    jar.update_cookies({COOKIE: old}, admin.client.make_url("/console/"))  # replaying the old cookie
    assert (await admin.client.get("/console/queue", allow_redirects=False)).status == 303


async def _signed_in(admin) -> bool:
    return (await admin.client.get("/console/queue", allow_redirects=False)).status == 200


async def test_disabling_an_account_ends_its_sessions(admin, seeded):
    async with transaction(seeded.sessions) as session:
        account = (await session.exec(select(StaffAccount).where(StaffAccount.user_id == admin.user.id))).one()
        account.disabled = True
        session.add(account)
    assert not await _signed_in(admin)


async def test_a_password_reset_ends_the_old_sessions(admin, seeded, client):
    await make_login(seeded, "admin")  # `linli staff create-login admin` again: a new password
    assert not await _signed_in(admin)
    assert (await log_in(client, "admin")).status == 303 and await _signed_in(admin)


async def test_use_does_not_keep_a_session_alive_past_its_absolute_limit(admin, seeded, settings):
    cookie = admin.client.session.cookie_jar.filter_cookies(admin.client.make_url("/console/"))[COOKIE].value
    key = seeded.keys.console_session(cookie.rpartition(".")[0])
    started = time.time() - settings.console_session_max_hours * 3600 + 60
    await seeded.redis.hset(key, "started", str(started))
    assert await _signed_in(admin)  # a minute left: still in, and the idle expiry stops at the limit
    assert await seeded.redis.ttl(key) <= 60
    await seeded.redis.hset(key, "started", str(started - 120))
    assert not await _signed_in(admin)


async def test_parallel_guesses_cannot_exceed_the_limit(client, seeded, settings):
    await make_login(seeded, "chen")
    page = await client.get("/console/login")  # one form, many posts at once: the login cookie is shared
    token = re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)
    guesses = await asyncio.gather(*(client.post("/console/login", data={
        "csrf": token, "username": "chen", "password": f"guess-{n}"}) for n in range(settings.console_max_failures * 3)))
    assert sorted(r.status for r in guesses).count(401) == settings.console_max_failures
    assert (await log_in(client, "chen")).status == 429


async def _failures(client, username: str, address: str, count: int) -> None:
    for _ in range(count):
        response = await log_in(client, username, "wrong-password", headers={"X-Forwarded-For": address})
        assert response.status == 401


async def test_many_failures_from_one_address_lock_no_other_account(client, seeded, settings):
    await make_login(seeded, "chen")
    for n in range(20):  # a guesser trying twenty usernames from the office's one address
        await _failures(client, f"user{n}", "", 1)
    await _failures(client, "li", "", settings.console_max_failures)
    assert (await log_in(client, "chen")).status == 303


async def test_forwarded_for_counts_only_behind_a_trusted_proxy(client, seeded, settings, backend):
    await make_login(seeded, "chen")
    await make_login(seeded, "li")
    await _failures(client, "chen", "203.0.113.5", settings.console_max_failures)  # the header is ignored
    assert (await log_in(client, "chen", headers={"X-Forwarded-For": "203.0.113.6"})).status == 429
    assert (await log_in(client, "li")).status == 303  # another account from the same address is unaffected
    await seeded.redis.delete(*[key async for key in seeded.redis.scan_iter(seeded.keys("console", "*"))])
    proxied = TestClient(TestServer(create_app(make_settings(backend, console_trusted_proxy=True), seeded)))
    await proxied.start_server()
    try:
        await _failures(proxied, "chen", "10.0.0.9, 203.0.113.5", settings.console_max_failures)  # the proxy appends the real one
        assert (await log_in(proxied, "chen", headers={"X-Forwarded-For": "203.0.113.5"})).status == 429
        assert (await log_in(proxied, "chen", headers={"X-Forwarded-For": "203.0.113.5, 198.51.100.7"})).status == 303
    finally:
        await proxied.close()

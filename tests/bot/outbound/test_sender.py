"""The sender against the fake server: the shared token (wechatpy's real client) and what answers mean."""
from __future__ import annotations

import asyncio

import pytest

from bot.outbound.sender import Delivery, Result, Sender, anti_replay_id
from bot.storage import redis_url
from tests.bot.outbound.conftest import FAST, SECRET
from tests.conftest import free_port, make_settings


def _delivery(openid: str = "o_a", custom: bool = False, row_id: int = 1) -> Delivery:
    return Delivery(row_id=row_id, openid=openid, key=f"notice:1:{openid}", title="通知", body="正文",
                    as_custom=custom, template_id="tpl")


@pytest.fixture
async def sender(out_settings, storage):
    built = Sender(out_settings, storage.keys, redis_url(out_settings))
    yield built
    await built.close()


async def _all(sender: Sender, deliveries: list[Delivery]):
    return await asyncio.gather(*(sender.send(d) for d in deliveries))


async def _send(sender: Sender, delivery: Delivery):
    return await sender.send(delivery)


async def test_many_sends_at_once_share_one_token_and_refresh_it_once(sender, fake):
    outcomes = await _all(sender, [_delivery(f"o_{n}", row_id=n) for n in range(40)])
    assert {outcome.result for outcome in outcomes} == {Result.sent}
    fake.expire_tokens()
    outcomes = await _all(sender, [_delivery(f"o_{n}", row_id=n) for n in range(40, 80)])
    assert {outcome.result for outcome in outcomes} == {Result.sent}
    assert fake.summary()["tokens_issued"] == 2
    assert fake.summary()["errors"].get("42001", 0) >= 1  # the refresh was caused, not skipped


async def test_two_senders_refresh_the_shared_token_once(out_settings, storage, sender, fake):
    """Two workers (two senders) see 42001 together: the Redis lock lets one fetch."""
    other = Sender(out_settings, storage.keys, redis_url(out_settings))
    try:
        await _all(sender, [_delivery("o_a")])
        await _all(other, [_delivery("o_b")])
        fake.expire_tokens()
        outcomes = await asyncio.gather(*(s.send(_delivery(f"o_{n}", row_id=n)) for n in range(20)
                                          for s in (sender, other)))
    finally:
        await other.close()
    assert {outcome.result for outcome in outcomes} == {Result.sent}
    assert fake.summary()["tokens_issued"] == 2


async def test_token_lives_in_redis_under_the_prefix(sender, fake, storage, out_settings):
    await _send(sender, _delivery())
    keys = [key async for key in storage.redis.scan_iter(match=storage.keys.wechat_tokens + ":*")]
    assert any(key.endswith("_access_token") for key in keys)


async def test_custom_message_outside_the_window_falls_back_to_template(sender, fake):
    fake.interactions["o_old"] = 0
    outcome = await _send(sender, _delivery("o_old", custom=True))
    assert outcome.result == Result.sent
    assert [entry["kind"] for entry in fake.record if entry["kind"] != "token"] == ["custom", "template"]


@pytest.mark.parametrize("steer, expected, error", [
    (lambda fake: fake.unfollowed.add("o_a"), Result.unfollowed, "43004"),
    (lambda fake: setattr(fake, "rate_limited_next", 1), Result.retry, "45009"),
    (lambda fake: setattr(fake, "fail_next", 1), Result.retry, "HTTP 500"),
])
async def test_answers_are_judged(sender, fake, steer, expected, error):
    steer(fake)
    outcome = await _send(sender, _delivery())
    assert outcome.result == expected and outcome.error.startswith(error)


async def test_unknown_errors_are_permanent(sender, fake):
    outcome = await _send(sender, Delivery(row_id=1, openid="o_a", key="k", title="t", body="b", as_custom=False,
                                   template_id=""))
    assert outcome.result == Result.failed and outcome.error.startswith("40037")


def test_long_keys_are_hashed_to_wechats_limit():
    assert anti_replay_id("notice:1:o_a") == "notice:1:o_a"
    assert len(anti_replay_id("x" * 100)) == 40


@pytest.mark.parametrize("broken", ["wechat", "redis"])
async def test_token_trouble_is_a_retry_that_never_quotes_the_secret(backend, fake, storage, broken):
    """The token request's URL carries `secret=`; requests puts that URL in its error text."""
    dead = f"http://127.0.0.1:{free_port()}/cgi-bin/"
    settings = make_settings(backend, wechat_api_base=dead if broken == "wechat" else fake.base, **FAST)
    url = f"redis://127.0.0.1:{free_port()}/0" if broken == "redis" else redis_url(settings)
    sender = Sender(settings, storage.keys, url)
    try:
        outcome = await _send(sender, _delivery())
    finally:
        await sender.close()
    assert outcome.result == Result.retry and outcome.error == "network: ConnectionError"
    assert SECRET not in repr(outcome)

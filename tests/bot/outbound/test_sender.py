"""wechatpy's real client against the fake server: the shared token and what answers mean."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.outbound.sender import Delivery, Result, Sender, anti_replay_id
from bot.storage import redis_url
from tests.bot.outbound.conftest import FAST, SECRET
from tests.conftest import free_port, make_settings


def _delivery(openid: str = "o_a", custom: bool = False, row_id: int = 1) -> Delivery:
    return Delivery(row_id=row_id, openid=openid, key=f"notice:1:{openid}", title="通知", body="正文",
                    as_custom=custom, template_id="tpl")


@pytest.fixture
def sender(out_settings, storage):
    built = Sender(out_settings, storage.keys, redis_url(out_settings))
    yield built
    built.close()


async def _in_threads(sender: Sender, deliveries: list[Delivery]):
    """Blocking sends off the loop: the fake server answers on this loop."""
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(8) as pool:
        return await asyncio.gather(*(loop.run_in_executor(pool, sender.send, d) for d in deliveries))


async def _send(sender: Sender, delivery: Delivery):
    return (await _in_threads(sender, [delivery]))[0]


async def test_many_threads_share_one_token_and_refresh_it_once(sender, fake):
    outcomes = await _in_threads(sender, [_delivery(f"o_{n}", row_id=n) for n in range(40)])
    assert {outcome.result for outcome in outcomes} == {Result.sent}
    fake.expire_tokens()
    outcomes = await _in_threads(sender, [_delivery(f"o_{n}", row_id=n) for n in range(40, 80)])
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
        sender.close()
    assert outcome.result == Result.retry and outcome.error == "network: ConnectionError"
    assert SECRET not in repr(outcome)

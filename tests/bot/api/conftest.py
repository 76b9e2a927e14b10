"""The API's tests run the whole app against the fake WeChat API (the only fake), on real storage."""
from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.devtools.fake_wxa_phone import add_phone_route
from bot.devtools.fakewechat import FakeWeChat
from tests.conftest import make_settings


@pytest.fixture
async def fake_wechat() -> AsyncIterator[tuple[FakeWeChat, str]]:
    fake = FakeWeChat()
    app = fake.app()
    add_phone_route(fake, app)
    server = TestServer(app)
    await server.start_server()
    try:
        yield fake, str(server.make_url("/cgi-bin/"))
    finally:
        await server.close()


@pytest.fixture
def settings(backend, fake_wechat, tmp_path):
    return make_settings(backend, wechat_api_base=fake_wechat[1], media_root=tmp_path / "media",
                         api_rate_limit_per_minute=1000, photo_max_bytes=200_000)


async def login(client: TestClient, openid: str) -> str:
    response = await client.post("/api/v1/login", json={"code": f"openid:{openid}"})
    assert response.status == 200, await response.text()
    return (await response.json())["token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}

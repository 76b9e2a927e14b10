"""The OpenAPI document describes every endpoint, and schemathesis finds no 500 in generated input.

The server runs as `linli serve` and the fake WeChat API in a thread of its own: schemathesis
calls synchronously, so neither may live on the test's event loop. The run is bounded (few
examples per operation) to keep the suite quick.
"""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
import requests
import schemathesis
from schemathesis import checks
from aiohttp import web
from hypothesis import HealthCheck, Phase, given, settings
from sqlmodel import select

from bot.api.tokens import Tokens
from bot.devtools.fake_wxa_phone import add_phone_route
from bot.devtools.fakewechat import FakeWeChat
from models.db import transaction
from models.members import MemberKind, apply, decide
from models.org import OrgUnit
from models.users import get_or_create_user
from tests.conftest import ServerProcess, free_port

SECRET = "schemathesis-api-secret"


@pytest.fixture
def fake_wechat_url() -> Iterator[str]:
    """The fake WeChat API (with the phone-number route) on its own loop in a thread."""
    port, ready, stop = free_port(), threading.Event(), threading.Event()

    async def serve() -> None:
        fake = FakeWeChat()
        app = fake.app()
        add_phone_route(fake, app)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.05)
        await runner.cleanup()

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    ready.wait(10)
    yield f"http://127.0.0.1:{port}/cgi-bin/"
    stop.set()
    thread.join(10)


@pytest.fixture
def api_server(backend, seeded, fake_wechat_url):
    server = ServerProcess(backend, LINLI_WECHAT_API_BASE=fake_wechat_url,
                           LINLI_API_SECRET=SECRET, LINLI_API_RATE_LIMIT_PER_MINUTE="100000").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def member_token(seeded) -> str:
    """An approved member (so the task endpoints get past 403) with a token the server accepts."""
    async with transaction(seeded.sessions) as session:
        user = await get_or_create_user(session, "o_fuzz")
        grid = (await session.exec(select(OrgUnit).where(OrgUnit.code == "S01-C01-G01"))).one()
        profile = await apply(session, user, grid.parent_id, "王强", "13800138001", MemberKind.resident, grid.id)
        await decide(session, profile, True, None)
    return Tokens(SECRET, 3600).issue(user.id, user.openid)


def test_no_generated_input_gets_a_500(api_server, member_token):
    """Every operation, positive and negative examples, through schemathesis's default checks:
    no 5xx, responses match their schemas, statuses are documented, bad input is refused.

    Left out: positive_data_acceptance. Some schema-valid input is refused by design with a
    documented 4xx: a cursor must be one the server issued, a booking must end after it starts
    and lie in the future, a "photo" must really be an image.
    """
    schema = schemathesis.openapi.from_url(f"{api_server.url}/api/v1/openapi.json")
    failures = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            _fuzz(operation, member_token)
        except (Exception, BaseExceptionGroup) as failure:  # schemathesis's FailureGroup, or an example's error
            failures[operation.label] = str(failure)[:2000]
    assert not failures, "\n\n".join(f"{label}: {text}" for label, text in failures.items())


def _fuzz(operation, token: str) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
              database=None, phases=[Phase.explicit, Phase.generate])
    def run(case) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                               excluded_checks=[checks.positive_data_acceptance])
    run()


def test_document_lists_every_endpoint_with_its_errors(api_server):
    document = requests.get(f"{api_server.url}/api/v1/openapi.json", timeout=10).json()
    assert document["openapi"].startswith("3.")
    operations = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    assert {("POST", "/api/v1/login"), ("POST", "/api/v1/requests"), ("POST", "/api/v1/tasks/{task_id}/claim"),
            ("GET", "/api/v1/centres"), ("POST", "/api/v1/rooms/{room_id}/bookings")} <= operations
    claim = document["paths"]["/api/v1/tasks/{task_id}/claim"]["post"]
    assert {"200", "401", "403", "404", "409", "429"} <= set(claim["responses"])
    assert claim["security"] == [{"bearer": []}]

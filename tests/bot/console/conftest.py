"""Console fixtures: real logins (argon2 in the real table) and a logged-in HTTP client."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from aiohttp.test_utils import TestClient

from bot.cli.staff import LoginSpec, create_login
from bot.storage import Storage
from models.users import Role, User

PASSWORD = "correct-horse-battery"


@dataclass
class Console:
    """An HTTP client logged in as one staff member, with that page's CSRF token at hand."""

    client: TestClient
    user: User
    csrf: str = ""

    async def get(self, path: str, **kwargs):
        response = await self.client.get(path, **kwargs)
        found = re.search(r'name="csrf-token" content="([^"]*)"', await response.text())
        self.csrf = found.group(1) if found else self.csrf
        return response

    async def post(self, path: str, data: dict, **kwargs):
        return await self.client.post(path, data={"csrf": self.csrf, **data}, allow_redirects=False, **kwargs)


async def make_login(storage: Storage, username: str, role: Role = Role.admin, unit: str | None = None) -> User:
    return await create_login(storage, LoginSpec(username, role, unit, f"{username}同志"), PASSWORD)


async def log_in(client: TestClient, username: str, password: str = PASSWORD, next_path: str = "",
                 headers: dict[str, str] | None = None):
    page = await client.get("/console/login")
    token = re.search(r'name="csrf" value="([^"]+)"', await page.text()).group(1)
    return await client.post("/console/login", allow_redirects=False, headers=headers,
                             data={"csrf": token, "username": username, "password": password, "next": next_path})


@pytest.fixture
async def admin(client, seeded) -> Console:
    user = await make_login(seeded, "admin")
    response = await log_in(client, "admin")
    assert response.status == 303
    console = Console(client, user)
    await console.get("/console/queue")
    return console

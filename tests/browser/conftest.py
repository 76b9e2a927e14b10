"""Headless Chromium (Debian's package) driven by Playwright, against `linli serve` as operators run it.

The browser comes from apt, never from `playwright install` (no downloads but package
registries here): when /usr/bin/chromium is missing, the session installs it first.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from tests.conftest import ServerProcess, free_port

CHROMIUM = Path("/usr/bin/chromium")
# Debian's packages: the browser, and a CJK font so screenshots show Chinese rather than boxes.
NEEDED = {"chromium": CHROMIUM, "fonts-wqy-microhei": Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")}
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium() -> Path:
    missing = [package for package, path in NEEDED.items() if not path.exists()]
    if missing:
        if os.geteuid() != 0 or not shutil.which("apt-get"):
            pytest.fail(f"missing Debian packages: run `apt-get install -y {' '.join(missing)}` as root")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)
    return CHROMIUM


@pytest.fixture
async def browser(chromium) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(chromium), args=ARGS, headless=True)
        try:
            yield launched
        finally:
            await launched.close()


def _process(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot.cli.main", *args], env=env, stdout=open(log, "wb"),
                            stderr=subprocess.STDOUT)


@pytest.fixture
def console_site(backend, seeded) -> Iterator[ServerProcess]:
    """`linli serve`, a `linli worker` and the fake WeChat API, sharing one backend (embedded only:
    the browser run is slow, and the console's SQL is covered on PostgreSQL by the HTTP tests)."""
    if backend.name != "embedded":
        pytest.skip("browser tests run once, on the embedded backend")
    fake_port = free_port()
    env = {"LINLI_WECHAT_API_BASE": f"http://127.0.0.1:{fake_port}/cgi-bin/", "LINLI_QUIET_HOURS": "00:00-00:00"}
    server = ServerProcess(backend, **env)
    helpers = [_process(["fakewechat", "--port", str(fake_port)], server.env, backend.data_dir / "fake.log"),
               _process(["worker"], server.env, backend.data_dir / "worker.log")]
    try:
        yield server.start()
    finally:
        server.stop()
        for helper in helpers:
            helper.terminate()
            helper.wait(10)

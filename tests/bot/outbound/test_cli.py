"""`linli notice send|status` and `linli fakewechat` as operators run them (subprocesses)."""
from __future__ import annotations

import asyncio
import subprocess
import sys

import aiohttp

from tests.bot.outbound.conftest import WorkerProcess, add_residents, per_user
from tests.conftest import free_port


async def _linli(worker: WorkerProcess, *args: str) -> subprocess.CompletedProcess:
    """Run the CLI off the loop: the fake WeChat server answers on this loop meanwhile."""
    return await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "bot.cli.main", *args], env=worker.env,
                                   capture_output=True, text=True, timeout=120)


async def test_send_from_the_command_line_with_progress_then_status(backend, out_settings, seeded, fake,
                                                                  worker_processes, tmp_path):
    openids = await add_residents(seeded, 40)
    body = tmp_path / "body.txt"
    body.write_text("本周六上午9点在社区广场举办义诊活动，欢迎参加。\n", encoding="utf-8")
    worker = WorkerProcess(backend, out_settings, "cli").start()
    worker_processes.append(worker)
    sent = await _linli(worker, "notice", "send", "--scope", "阳光社区", "--title", "义诊活动",
                        "--body-file", str(body), "--tags", "活动")
    assert sent.returncode == 0, sent.stderr
    assert "通知 1：阳光社区，40 位订阅者" in sent.stdout
    assert "40/40 已送达 40" in sent.stderr  # the last state of the progress bar
    assert set(per_user(fake)) == set(openids)
    status = await _linli(worker, "notice", "status", "1")
    assert status.returncode == 0 and "已送达 40，待发送 0，失败 0，跳过 0" in status.stdout


async def test_send_without_a_running_worker_says_so_instead_of_waiting(backend, out_settings, seeded, fake,
                                                                       tmp_path):
    await add_residents(seeded, 3)
    body = tmp_path / "body.txt"
    body.write_text("明天停水，请提前储水。", encoding="utf-8")
    nobody = WorkerProcess(backend, out_settings, "never-started")
    sent = await _linli(nobody, "notice", "send", "--scope", "阳光社区", "--title", "停水通知", "--body-file", str(body))
    assert sent.returncode == 0, sent.stderr
    assert "3 位订阅者" in sent.stdout
    assert "没有正在运行的 linli worker" in sent.stderr and "linli notice status 1" in sent.stderr
    assert per_user(fake) == {}  # queued, not sent: the notice waits for a worker


async def test_bad_scope_or_topic_is_refused_with_a_reason(backend, out_settings, seeded, fake, tmp_path):
    body = tmp_path / "body.txt"
    body.write_text("正文", encoding="utf-8")
    worker = WorkerProcess(backend, out_settings, "unused")
    wrong_scope = await _linli(worker, "notice", "send", "--scope", "火星", "--title", "t", "--body-file", str(body))
    assert wrong_scope.returncode == 2 and "没有找到“火星”" in wrong_scope.stderr
    wrong_tag = await _linli(worker, "notice", "send", "--scope", "全区", "--title", "t", "--body-file", str(body),
                             "--tags", "火星")
    assert wrong_tag.returncode == 2 and "主题只能从列表中选择" in wrong_tag.stderr
    too_long = await _linli(worker, "notice", "send", "--scope", "全区", "--title", "长" * 41, "--body-file", str(body))
    assert too_long.returncode == 2 and "标题请不超过40个字" in too_long.stderr  # the same limits as chat
    missing = await _linli(worker, "notice", "status", "99")
    assert missing.returncode == 1


async def test_fakewechat_command_serves_the_fake_api():
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "bot.cli.main", "fakewechat", "--port", str(port)],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert "LINLI_WECHAT_API_BASE" in process.stdout.readline()
        async with aiohttp.ClientSession() as http:
            for _ in range(50):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/_fake/summary") as response:
                        assert (await response.json())["received"] == 0
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            else:
                raise AssertionError("fake WeChat did not answer")
    finally:
        process.terminate()
        process.wait(10)

"""`linli centres import FILE` as operators run it: a report of every bad row, or the counts."""
from __future__ import annotations

import subprocess
import sys

from models.seed import SAMPLE


def _linli(backend, *args: str) -> subprocess.CompletedProcess:
    import os
    return subprocess.run([sys.executable, "-m", "bot.cli.main", *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **backend.env()})


def test_import_reports_bad_rows_and_loads_nothing_then_loads_a_good_file(backend, seeded, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,address,lat,lng\nA,甲,某路,29.5,106.5\nB,乙,某路,abc,106.5\n", encoding="utf-8")
    refused = _linli(backend, "centres", "import", str(bad))
    assert refused.returncode == 1
    assert "未导入任何数据" in refused.stdout and "第 3 行：lat 不是数字：abc" in refused.stdout
    assert "\tA\t" not in _linli(backend, "centres", "list").stdout

    loaded = _linli(backend, "centres", "import", str(SAMPLE.parent / "centres_sample.csv"))
    assert loaded.returncode == 0, loaded.stderr
    assert "新增 6 个，更新 2 个，新增活动室 10 间" in loaded.stdout
    listing = _linli(backend, "centres", "list").stdout
    assert "STN-S01\t幸福街道便民服务中心" in listing and "报告厅(120人)" in listing

"""CSV exports: a cell a spreadsheet would run as a formula is defused, everything else kept as typed."""
from __future__ import annotations

import csv
import io

import pytest

from bot.console.common import csv_response


def _cells(values: list[object]) -> list[str]:
    body = csv_response("x.csv", ("a",) * len(values), [values]).body.decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(body)))[1]


@pytest.mark.parametrize("dangerous", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1"])
def test_formula_starts_are_defused(dangerous):
    assert _cells([dangerous]) == ["'" + dangerous]


def test_ordinary_cells_are_unchanged():
    assert _cells(["阳光社区", 3, None, "1-2号楼"]) == ["阳光社区", "3", "", "1-2号楼"]

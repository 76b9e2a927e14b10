"""Find the building, unit, room and estate a message talks about, for routing to a grid.

Residents write the same building as 3号楼, 三栋, 3幢, 3座 or 3-2-501; all become
``Place('building', '楼3')`` so grid lookups compare one form. 3楼 is deliberately not a
building: in speech it is the third floor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from nlp.numerals import NUMERAL_CHARS, to_int


@dataclass(frozen=True)
class Place:
    """A place mention; ``kind`` is building|unit|room|estate, ``value`` normalised."""

    kind: str
    value: str


_NUM = rf"(\d{{1,3}}|[{NUMERAL_CHARS}]{{1,4}})"
_BUILDING = re.compile(rf"{_NUM}\s*(?:号楼|号栋|号幢|栋楼|栋|幢|座|号院)|([A-Za-z])\s*(?:栋|座|幢|号楼)")
_UNIT = re.compile(rf"{_NUM}\s*单元")
_ROOM = re.compile(
    r"(?<![\d-])(\d{3,4})\s*(?:室|房间|号房|房)"
    r"|(?:单元|号楼|栋|幢|座|楼上|楼下|隔壁|对门|对面)\s*(\d{3,4})(?!\d|年|元|块|米|平|个|天|人|户|号楼|栋|幢)"
    r"|(?<![\d-])(\d{3,4})\s*(?=的?(?:住户|业主|人家|那家|邻居))"
    r"|单元\s*([零〇一二三四五六七八九]{3,4})(?![十百千])"
)
# 3-2-501 (building-unit-room), the form on delivery slips and in property records.
_TRIPLE = re.compile(r"(?<![\d-])(\d{1,3})-(\d{1,2})-(\d{3,4})(?![\d-])")
_SUFFIXES = ("小区", "花园", "家园", "新村", "新城", "公寓", "华庭", "嘉园", "雅苑", "名苑", "花苑", "苑",
             "大院", "宿舍")
_ESTATE = re.compile(rf"([\u4e00-\u9fa5A-Za-z]{{2,10}}?(?:{'|'.join(_SUFFIXES)}))")
# Words that precede an estate name in a sentence, never part of it.
_ESTATE_LEAD = re.compile(r".*(?:在|住|是|的|我|们|咱|个|到|去|了|这|那|对面|隔壁|附近|旁边|周边"
                          r"|本|该|跟|从|给|把|被|让|将|说|问|进)")
# Time words that precede a generic estate word (晚上小区里), never a name.
_TIME_LEAD = re.compile(r"^(?:晚上|早上|白天|半夜|夜里|现在|今天|昨天|平时|每天|最近)")
# Question and time words never occur in an estate name (什么时候来小区, 九点以后小区).
_NOT_IN_NAME = re.compile(r"什么|怎么|哪|时候|能不能|有没有|是不是|以后|以前|之后|之前|\d|点")
# Stems that with a suffix still name no estate: 老宿舍, 整个小区, 无物业小区.
_GENERIC_STEMS = {"", "老", "新", "旧", "大", "小", "老旧", "单位", "职工", "整个", "全", "无物业", "本", "各", "周边"}


def _building(match: re.Match[str]) -> str | None:
    if match.group(2):
        return "楼" + match.group(2).upper()
    n = to_int(match.group(1))
    return f"楼{n}" if n else None


def _estate_name(candidate: str) -> str | None:
    """The name without leading sentence words and without a trailing 小区; None if generic."""
    name = _TIME_LEAD.sub("", _ESTATE_LEAD.sub("", candidate))
    suffix = next(s for s in _SUFFIXES if name.endswith(s))
    if name[: -len(suffix)] in _GENERIC_STEMS or _NOT_IN_NAME.search(name):
        return None
    return name.removesuffix("小区")


class PlaceFinder:
    """Regexes for numbered places plus a list of known estate names from the rule files."""

    def __init__(self, estates: Iterable[str] = ()) -> None:
        names = sorted(set(estates), key=len, reverse=True)
        self._known = re.compile("|".join(map(re.escape, names))) if names else None

    def find(self, text: str) -> tuple[Place, ...]:
        """Every place mentioned, first mention first, each once."""
        found: list[tuple[int, Place]] = []
        for m in _TRIPLE.finditer(text):
            found += [(m.start(), Place("building", f"楼{int(m.group(1))}")),
                      (m.start(2), Place("unit", f"{int(m.group(2))}单元")),
                      (m.start(3), Place("room", f"{int(m.group(3))}室"))]
        for m in _BUILDING.finditer(text):
            if (value := _building(m)) is not None:
                found.append((m.start(), Place("building", value)))
        for m in _UNIT.finditer(text):
            if n := to_int(m.group(1)):
                found.append((m.start(), Place("unit", f"{n}单元")))
        for m in _ROOM.finditer(text):
            if n := to_int(next(g for g in m.groups() if g)):
                found.append((m.start(), Place("room", f"{n}室")))
        found += self._estates(text)
        found.sort(key=lambda item: item[0])
        return tuple(dict.fromkeys(place for _, place in found))

    def _estates(self, text: str) -> list[tuple[int, Place]]:
        if self._known is not None:
            known = [(m.start(), Place("estate", m.group(0).removesuffix("小区"))) for m in self._known.finditer(text)]
            if known:
                return known
        out = []
        for m in _ESTATE.finditer(text):
            if name := _estate_name(m.group(1)):
                out.append((m.start(), Place("estate", name)))
        return out

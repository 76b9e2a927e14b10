"""Places: every way residents write a building, unit, room or estate."""

import pytest

from nlp.numerals import to_int
from nlp.places import Place, PlaceFinder

find = PlaceFinder().find


def values(text: str) -> list[str]:
    return [p.value for p in find(text)]


@pytest.mark.parametrize("text", ["3号楼楼道灯坏了", "三栋的电梯", "3幢门口", "3座", "三号楼", "3 号楼"])
def test_building_forms_normalise_to_one_value(text: str) -> None:
    assert find(text)[0] == Place("building", "楼3")


def test_floor_is_not_a_building() -> None:
    assert values("我住3楼") == []
    assert values("楼上3楼那家") == []


def test_unit_room_and_order() -> None:
    assert find("十二栋三单元602") == (Place("building", "楼12"), Place("unit", "3单元"), Place("room", "602室"))
    assert values("我住3幢501室") == ["楼3", "501室"]
    assert values("楼上402每天拍球") == ["402室"]
    assert values("十幢三单元六零一漏水") == ["楼10", "3单元", "601室"]


def test_dash_triple_is_building_unit_room() -> None:
    assert values("5-2-1201家里停电") == ["楼5", "2单元", "1201室"]


def test_letter_buildings() -> None:
    assert values("B座电梯") == ["楼B"]
    assert values("A栋和B栋之间") == ["楼A", "楼B"]


def test_not_rooms_years_money_or_plates() -> None:
    assert values("2023年物业费涨了") == []
    assert values("罚了200元") == []
    assert values("车牌京A12345") == []


def test_estates_by_suffix_without_sentence_words() -> None:
    assert values("我住在阳光花园小区5-2-1201")[0] == "阳光花园"
    assert values("幸福里小区十幢") == ["幸福里", "楼10"]
    assert values("咱们金色家园小区停水") == ["金色家园"]
    for generic in ["我们小区", "晚上小区里", "单位的老宿舍", "无物业小区", "这个花园", "有人把小区绿地"]:
        assert values(generic) == [], generic


def test_known_estates_win_over_guessing() -> None:
    finder = PlaceFinder(["翠湖", "翠湖新村"])
    assert [p.value for p in finder.find("翠湖新村小区三栋")] == ["翠湖新村", "楼3"]


def test_each_place_once() -> None:
    assert values("3号楼，对，就是3号楼") == ["楼3"]


@pytest.mark.parametrize("numeral,value", [("三", 3), ("十", 10), ("十二", 12), ("二十一", 21), ("两", 2),
                                           ("一百零一", 101), ("六零一", 601), ("12", 12), ("", None), ("楼", None)])
def test_numerals(numeral: str, value: int | None) -> None:
    assert to_int(numeral) == value

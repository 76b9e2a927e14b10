"""Chinese numerals as residents write them in addresses: 三, 十二, 二十一, 两, 一〇一."""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}

#: Characters a numeral may contain, for building regexes.
NUMERAL_CHARS = "".join(_DIGITS) + "".join(_UNITS)


def to_int(numeral: str) -> int | None:
    """Value of an ASCII or Chinese numeral; None when it is not one.

    Digit strings without units (一〇一) read digit by digit, as room numbers are spoken.
    """
    if numeral.isdigit():
        return int(numeral)
    if not numeral or any(ch not in _DIGITS and ch not in _UNITS for ch in numeral):
        return None
    if not any(ch in _UNITS for ch in numeral):
        return int("".join(str(_DIGITS[ch]) for ch in numeral))
    total, current = 0, 0
    for ch in numeral:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        else:
            total += (current or 1) * _UNITS[ch]
            current = 0
    return total + current

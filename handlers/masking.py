"""How personal data is shown to people who are not its owner: phone numbers, names, openids."""
from __future__ import annotations

import re

# A mainland mobile number however people write it: 13912345678, 139-1234-5678, 139 1234 5678,
# +86 139…, +86-139…, 0086…, 86139…, and full-width digits (１３９…) from Chinese input methods.
_DIGIT = "[0-9０-９]"
_SEP = "[-\\s－‐—·.]?"
_PHONE = re.compile(
    rf"(?<![0-9０-９])(?P<prefix>(?:[+＋]|00|００)?[8８][6６]{_SEP})?"
    rf"(?P<head>[1１][3-9３-９]{_DIGIT}){_SEP}{_DIGIT}{{4}}{_SEP}(?P<tail>{_DIGIT}{{4}})(?![0-9０-９])"
)
_WIDE_DIGITS = str.maketrans("０１２３４５６７８９＋", "0123456789+")


def _masked(match: re.Match[str]) -> str:
    prefix = (match.group("prefix") or "").translate(_WIDE_DIGITS)
    return f"{prefix}{match.group('head')}****{match.group('tail')}".translate(_WIDE_DIGITS)


def mask_phone(phone: str | None) -> str:
    """138****5678; anything that is not a mobile number is masked whole."""
    if not phone:
        return ""
    match = _PHONE.fullmatch(phone.strip())
    return _masked(match) if match else "*" * len(phone)


def mask_name(name: str | None) -> str:
    """张** — the family name only, as Chinese notices usually print it."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1)


def mask_openid(openid: str) -> str:
    return openid[:6] + "…" if len(openid) > 6 else openid


def mask_text(text: str) -> str:
    """Mask every mobile number inside free text, in any written form (residents write theirs into requests)."""
    return _PHONE.sub(_masked, text)

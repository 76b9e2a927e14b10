"""How personal data is shown to people who are not its owner: phone numbers, names, openids."""
from __future__ import annotations

import re

_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_phone(phone: str | None) -> str:
    """138****5678; anything that is not an 11-digit mobile number is masked whole."""
    if not phone:
        return ""
    match = _PHONE.fullmatch(phone)
    return f"{match.group(1)}****{match.group(2)}" if match else "*" * len(phone)


def mask_name(name: str | None) -> str:
    """张** — the family name only, as Chinese notices usually print it."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1)


def mask_openid(openid: str) -> str:
    return openid[:6] + "…" if len(openid) > 6 else openid


def mask_text(text: str) -> str:
    """Mask every mobile number inside free text (residents write theirs into requests)."""
    return _PHONE.sub(r"\1****\2", text)

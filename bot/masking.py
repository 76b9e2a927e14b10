"""Personal data never reaches the logs whole: phone numbers, names and openids are masked."""
from __future__ import annotations

import logging
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


_URL_SECRET = re.compile(r"((?:secret|access_token|appsecret|js_code|code)=)[^&\s'\"]+", re.IGNORECASE)


def mask_log_text(text: str) -> str:
    """Phone numbers and URL secrets (AppSecret, access tokens, login codes) masked."""
    return _URL_SECRET.sub(r"\1***", mask_text(text))


class MaskingFormatter(logging.Formatter):
    """Masks the whole formatted record, tracebacks included (driver errors quote parameters)."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_log_text(super().format(record))


def setup_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())

"""Cursor pagination: newest first, the cursor is an opaque token for "older than this id".

Ids rather than offsets, so a ticket created while someone scrolls neither repeats nor
hides a row.
"""
from __future__ import annotations

import base64
import binascii

from pydantic import BaseModel, Field

from bot.api import texts
from bot.api.errors import ApiError


class PageQuery(BaseModel):
    cursor: str | None = Field(default=None, max_length=40, description="上一页返回的 next_cursor")
    limit: int = Field(default=20, ge=1, le=50)


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = text.partition(":")
        if prefix == "id" and number.isdecimal() and len(number) < 19:
            return int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ApiError(400, "bad_cursor", texts.BAD_CURSOR)


def next_cursor(rows: list, limit: int) -> str | None:
    """A cursor when the page is full (there may be more); None on the last page."""
    return encode_cursor(rows[-1].id) if len(rows) == limit else None

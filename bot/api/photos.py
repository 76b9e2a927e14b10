"""Photos from the mini program: count, size and type checked before anything is stored.

The type is decided by the file's first bytes, never by its name or the client's
Content-Type; only JPEG, PNG and WebP are kept.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from aiohttp import BodyPartReader, MultipartReader, web
from aiohttp.http_exceptions import HttpProcessingError

from bot.api import texts
from bot.api.errors import ApiError
from config.settings import Settings
from models.clock import utcnow

MAX_PHOTOS = 3
MAX_TEXT_BYTES = 4000
PHOTO_FIELDS = ("photo", "photos")
FORM_OVERHEAD = 64 * 1024  # part headers and boundaries


@dataclass(frozen=True)
class Photo:
    data: bytes
    mime: str
    extension: str


def sniff(data: bytes) -> tuple[str, str] | None:
    """(mime, extension) from the magic bytes, None for anything we do not accept."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def media_root(settings: Settings) -> Path:
    return settings.media_root or settings.data_dir / "media"


async def read_submission(request: web.Request, settings: Settings) -> tuple[str, list[Photo]]:
    """The text and photos of a multipart form (wx.uploadFile), or the text alone as JSON (wx.request).

    4xx naming the photo at fault on any bad photo, before anything is stored.
    """
    if request.content_type == "application/json":
        return await _json_text(request), []
    if not request.content_type.startswith("multipart/"):
        raise ApiError(400, "bad_request", texts.FORM_REQUIRED)
    budget = _Budget(form_cap(settings))
    if request.content_length is not None and request.content_length > budget.left:
        raise _too_large()
    try:
        return await _parts(await request.multipart(), settings.photo_max_bytes, budget)
    except (ValueError, AssertionError, HttpProcessingError):  # a malformed form, not our failure
        raise ApiError(400, "bad_request", texts.FORM_REQUIRED) from None


def form_cap(settings: Settings) -> int:
    """The most a whole form may hold: the photos at their cap, the text, and room for headers."""
    return MAX_PHOTOS * settings.photo_max_bytes + MAX_TEXT_BYTES + FORM_OVERHEAD


class _Budget:
    """Bytes the rest of the form may still bring; every part read counts, ignored ones too."""

    def __init__(self, left: int) -> None:
        self.left = left

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise _too_large()


def _too_large() -> ApiError:
    return ApiError(413, "too_large", texts.TOO_LARGE)


async def _parts(reader: MultipartReader, max_bytes: int, budget: _Budget) -> tuple[str, list[Photo]]:
    text, photos = "", []
    async for part in reader:
        if not isinstance(part, BodyPartReader):
            continue
        if part.name == "text":
            text = (await _read_capped(part, MAX_TEXT_BYTES, budget)).decode("utf-8", "replace")
        elif part.name in PHOTO_FIELDS:
            photos.append(await _photo(part, len(photos) + 1, max_bytes, budget))
        await _drain(part, budget)  # the rest of it, or a part we ignore: counted, not kept
    return text.strip(), photos


async def _json_text(request: web.Request) -> str:
    try:
        body = json.loads(await request.content.read(MAX_TEXT_BYTES * 2) or b"{}")
    except ValueError:
        raise ApiError(400, "bad_request", texts.NOT_JSON) from None
    text = body.get("text") if isinstance(body, dict) else None
    return text.strip()[:MAX_TEXT_BYTES] if isinstance(text, str) else ""


async def _photo(part: BodyPartReader, n: int, max_bytes: int, budget: _Budget) -> Photo:
    if n > MAX_PHOTOS:
        raise ApiError(422, "too_many_photos", texts.PHOTO_COUNT.format(max=MAX_PHOTOS))
    data = await _read_capped(part, max_bytes + 1, budget)
    if len(data) > max_bytes:
        raise ApiError(413, "photo_too_large", texts.PHOTO_TOO_LARGE.format(n=n, mb=round(max_bytes / 2**20, 1)))
    kind = sniff(data)
    if kind is None:
        raise ApiError(415, "photo_type", texts.PHOTO_TYPE.format(n=n))
    return Photo(data, *kind)


async def _read_capped(part: BodyPartReader, cap: int, budget: _Budget) -> bytes:
    """At most `cap` bytes of a part, without holding more than that in memory."""
    chunks, size = [], 0
    while size < cap:
        chunk = await part.read_chunk(min(65536, cap - size))
        if not chunk:
            break
        budget.spend(len(chunk))
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


async def _drain(part: BodyPartReader, budget: _Budget) -> None:
    while chunk := await part.read_chunk(65536):
        budget.spend(len(chunk))


def store(settings: Settings, photo: Photo) -> str:
    """Write the photo under the media root; the path returned is relative to it."""
    relative = Path("tickets") / utcnow().strftime("%Y/%m") / f"{uuid.uuid4().hex}.{photo.extension}"
    target = media_root(settings) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(photo.data)
    return relative.as_posix()

"""The API's one error shape: {"error": {"code": "...", "message": "…(Chinese)…"}} with its HTTP status.

`code` is stable English for the mini program's logic; `message` is what it may show the user.
"""
from __future__ import annotations

import json
import logging

from aiohttp import web

from bot.api import texts
from handlers.types import Refusal

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: list[str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields

    def response(self) -> web.Response:
        return error_response(self.status, self.code, self.message, self.fields)


def error_response(status: int, code: str, message: str, fields: list[str] | None = None) -> web.Response:
    body: dict = {"code": code, "message": message}
    if fields:
        body["fields"] = fields  # which inputs were wrong, for the mini program to highlight
    return web.json_response({"error": body}, status=status,
                             dumps=lambda value: json.dumps(value, ensure_ascii=False))


def not_found(what: str = "") -> ApiError:
    return ApiError(404, "not_found", texts.NOT_FOUND.format(what=what or texts.THING))


def invalid(message: str) -> ApiError:
    return ApiError(422, "invalid", message)


def conflict(message: str, code: str = "conflict") -> ApiError:
    return ApiError(409, code, message)


def forbidden(message: str = texts.FORBIDDEN) -> ApiError:
    return ApiError(403, "forbidden", message)


_REFUSAL_STATUS = {"not_found": 404, "forbidden": 403, "conflict": 409, "invalid": 422, "limited": 429}


def refused(refusal: Refusal) -> ApiError:
    """An action's refusal as the API's error: its code and its sentence, the status by the code."""
    return ApiError(_REFUSAL_STATUS[refusal.code], refusal.code, refusal.sentence)


# aiohttp's own HTTP errors (unknown path, wrong method, body too large) in the same shape.
_HTTP_CODES = {404: ("not_found", texts.NO_SUCH_PATH), 405: ("method_not_allowed", texts.METHOD),
               413: ("too_large", texts.TOO_LARGE), 400: ("bad_request", texts.BAD_REQUEST)}


@web.middleware
async def json_errors(request: web.Request, handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as error:
        return error.response()
    except Refusal as refusal:
        return refused(refusal).response()
    except web.HTTPException as http:
        if http.status < 400:
            raise
        code, message = _HTTP_CODES.get(http.status, ("http_error", texts.BAD_REQUEST))
        return error_response(http.status, code, message)
    except Exception:  # the mini program still gets our shape; the log gets the traceback
        log.exception("API %s %s failed", request.method, request.path)
        return error_response(500, "internal", texts.INTERNAL)

"""The API's route table: each endpoint names its path, query, body and response models once.

The same declaration validates requests (pydantic), serialises responses, and generates
the OpenAPI document, so the document cannot drift from the code.
"""
from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from aiohttp import web
from pydantic import BaseModel, Field, ValidationError

from bot.api import texts
from bot.api.errors import ApiError
from models.users import User

# A row id in a path: positive and within the databases' 32-bit integer columns.
RowId = Annotated[int, Field(ge=1, le=2**31 - 1)]


@dataclass
class Call:
    """One request as an endpoint sees it: the validated inputs and the signed-in user."""

    request: web.Request
    user: User | None
    path: Any = None
    query: Any = None
    body: Any = None

    @property
    def me(self) -> User:
        assert self.user is not None, "endpoint declared auth=False but needs a user"
        return self.user


Handler = Callable[[Call], Awaitable[BaseModel | web.StreamResponse]]
Authenticate = Callable[[web.Request], Awaitable[User]]
Guard = Callable[[web.Request, User | None], Awaitable[None]]


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    handler: Handler
    summary: str
    response: type[BaseModel]
    path_model: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    form: dict | None = None  # media type → schema, described by hand (files are not pydantic fields)
    binary: str | None = None  # the media type when the endpoint answers with a file, not JSON
    auth: bool = True
    status: int = 200
    errors: tuple[int, ...] = ()
    tag: str = ""


@dataclass
class Registry:
    endpoints: list[Endpoint] = field(default_factory=list)

    def route(self, method: str, path: str, *, summary: str, response: type[BaseModel],
              **options: Any) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.endpoints.append(Endpoint(method, path, handler, summary, response, **options))
            return handler
        return register

    def attach(self, app: web.Application, authenticate: Authenticate, guard: Guard) -> None:
        for endpoint in self.endpoints:
            app.router.add_route(endpoint.method, endpoint.path, _view(endpoint, authenticate, guard))


def _view(endpoint: Endpoint, authenticate: Authenticate, guard: Guard):
    async def view(request: web.Request) -> web.StreamResponse:
        user = await authenticate(request) if endpoint.auth else None
        await guard(request, user)
        call = Call(request, user,
                    path=_parse(endpoint.path_model, dict(request.match_info)),
                    query=_parse(endpoint.query, dict(request.query)),
                    body=await _json_body(endpoint.body, request))
        result = await endpoint.handler(call)
        if isinstance(result, web.StreamResponse):
            return result
        return web.json_response(result.model_dump(mode="json"), status=endpoint.status,
                                 dumps=lambda value: json.dumps(value, ensure_ascii=False))
    view.__name__ = endpoint.handler.__name__
    return view


def _parse(model: type[BaseModel] | None, values: dict) -> Any:
    if model is None:
        return None
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise validation_error(error) from None


async def _json_body(model: type[BaseModel] | None, request: web.Request) -> Any:
    if model is None:
        return None
    raw = await request.read()
    try:
        return model.model_validate_json(raw or b"{}")
    except ValidationError as error:
        if any(item["type"] == "json_invalid" for item in error.errors()):
            raise ApiError(400, "bad_request", texts.NOT_JSON) from None
        raise validation_error(error) from None


def validation_error(error: ValidationError) -> ApiError:
    """422 naming the fields at fault; pydantic's English detail stays out of the message."""
    fields = sorted({".".join(str(part) for part in item["loc"]) or "body" for item in error.errors()})
    return ApiError(422, "invalid", texts.INVALID.format(detail="、".join(fields)), fields)


API = Registry()  # every endpoint module registers here at import (see bot/api/__init__.py)

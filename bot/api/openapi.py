"""OpenAPI 3.1 from the registry: pydantic's JSON Schemas become components, fields become parameters."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from bot.api.registry import Endpoint, Registry

REF = "#/components/schemas/{model}"
ERROR_SCHEMA = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"},
        "fields": {"type": "array", "items": {"type": "string"}}}}},
}
STATUS_TEXT = {400: "请求格式错误", 401: "未登录或登录过期", 403: "无权限", 404: "不存在",
               409: "状态冲突", 413: "内容太大", 422: "输入无效", 429: "操作太频繁",
               501: "功能未开放", 502: "微信服务不可用"}


def document(registry: Registry, title: str, version: str) -> dict[str, Any]:
    schemas: dict[str, Any] = {"Error": ERROR_SCHEMA}
    paths: dict[str, dict] = {}
    for endpoint in registry.endpoints:
        paths.setdefault("/api/v1" + endpoint.path, {})[endpoint.method.lower()] = _operation(endpoint, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "description": "POST /api/v1/login 返回的 token"}}},
    }


def _operation(endpoint: Endpoint, schemas: dict) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": endpoint.handler.__name__, "summary": endpoint.summary,
        "tags": [endpoint.tag] if endpoint.tag else [],
        "parameters": _parameters(endpoint.path_model, "path") + _parameters(endpoint.query, "query"),
        "responses": {str(endpoint.status): {"description": "成功", "content": _success(endpoint, schemas)}},
    }
    if endpoint.body is not None:
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": _ref(endpoint.body, schemas, "validation")}}}
    if endpoint.form is not None:
        operation["requestBody"] = {"required": True, "content": {
            media: {"schema": schema} for media, schema in endpoint.form.items()}}
    errors = set(endpoint.errors) | {429} | ({401} if endpoint.auth else set())
    errors |= {422} if endpoint.query or endpoint.body or endpoint.path_model or endpoint.form else set()
    errors |= {400} if endpoint.body or endpoint.form else set()
    for status in sorted(errors):
        operation["responses"][str(status)] = {"description": STATUS_TEXT.get(status, "错误"), "content": {
            "application/json": {"schema": {"$ref": REF.format(model="Error")}}}}
    if endpoint.auth:
        operation["security"] = [{"bearer": []}]
    return operation


def _success(endpoint: Endpoint, schemas: dict) -> dict[str, Any]:
    if endpoint.binary:
        return {endpoint.binary: {"schema": {"type": "string", "format": "binary"}}}
    return {"application/json": {"schema": _ref(endpoint.response, schemas, "serialization")}}


def _ref(model: type[BaseModel], schemas: dict, mode: str) -> dict[str, str]:
    schema = model.model_json_schema(ref_template=REF, mode=mode)
    schemas.update(schema.pop("$defs", {}))
    schemas[model.__name__] = schema
    return {"$ref": REF.format(model=model.__name__)}


def _parameters(model: type[BaseModel] | None, where: str) -> list[dict[str, Any]]:
    if model is None:
        return []
    schema = model.model_json_schema(mode="validation")
    required = set(schema.get("required", ()))
    return [{"name": name, "in": where, "required": where == "path" or name in required,
             "schema": _without_null(field), **({"description": field["description"]} if "description" in field else {})}
            for name, field in schema.get("properties", {}).items()]


def _without_null(field: dict) -> dict:
    """An optional parameter is one that may be left out; a query string has no null."""
    options = [option for option in field.get("anyOf", []) if option.get("type") != "null"]
    if len(options) == 1:
        merged = {key: value for key, value in field.items() if key not in ("anyOf", "default", "title")}
        return {**options[0], **merged}
    return {key: value for key, value in field.items() if key not in ("title", "default")}

"""One model per request and response: pydantic validates each request with the model that ``/openapi.json``
describes it with, so the description and the checks cannot drift (README, "Dependencies": why pydantic).

A view declares its operation with ``@operation(...)`` (query, headers, body and response models) and reads its
query with ``read_query`` and its body with ``read_body``; a field added to a model is described and checked at
once. What no schema can say (an ID number's check digit, a town the catalogue knows, the eligibility engine's
facts) stays in the domain packages, with their own messages. Errors name the field, in the request's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import request
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import ApiError, in_lang

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M", bound=BaseModel)
REF = "#/components/schemas/{model}"


class Query(BaseModel):
    """Query parameters: text in, converted (``limit=5`` is the number 5); unknown parameters are ignored."""

    model_config = ConfigDict(extra="ignore", strict=False)


class Body(BaseModel):
    """A JSON object body: exactly these keys, JSON types as sent (``"5"`` is not a number)."""

    model_config = ConfigDict(extra="forbid", strict=True)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    query: type[BaseModel] | None = None
    headers: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    responses: dict[int, tuple[str, type[BaseModel] | None]] = field(default_factory=dict)
    token: bool = False
    path_params: tuple[str, ...] = ()


OPERATIONS: list[Operation] = []


def operation(
    method: str,
    path: str,
    summary: str,
    *,
    query: type[BaseModel] | None = None,
    headers: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
    responses: dict[int, tuple[str, type[BaseModel] | None]] | None = None,
    token: bool = False,
) -> Callable[[F], F]:
    """Describe a route in ``/openapi.json`` (the path in OpenAPI form, ``{reference}``)."""
    params = tuple(part[1:-1] for part in path.split("/") if part.startswith("{"))
    OPERATIONS.append(Operation(method, path, summary, query, headers, body, dict(responses or {}), token, params))

    def register(view: F) -> F:
        return view

    return register


# --- reading a request ---------------------------------------------------------------------------------------


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _int_range(model: type[BaseModel], name: str) -> tuple[int, int] | None:
    info = model.model_fields.get(name)
    if info is None or info.annotation not in (int, int | None):
        return None
    low = next((m.ge for m in info.metadata if getattr(m, "ge", None) is not None), None)
    high = next((m.le for m in info.metadata if getattr(m, "le", None) is not None), None)
    return (low, high) if low is not None and high is not None else None


def message(model: type[BaseModel], error: dict[str, Any], name: str) -> str:
    """A polite sentence for one validation error (call inside ``in_lang``); a model may say it better with a
    ``messages`` mapping of a field path (or ``path:error_type``) to a function returning the sentence."""
    custom: dict[str, Callable[[], str]] = getattr(model, "messages", {})
    kind, ctx = error["type"], error.get("ctx") or {}
    for key in (f"{name}:{kind}", name):
        if key in custom:
            return custom[key]()
    top = name.split(".")[0].split("[")[0]
    bounds = _int_range(model, top) if top == name else None
    if bounds is not None:
        return _("%(name)s must be a whole number from %(low)d to %(high)d.", name=name, low=bounds[0], high=bounds[1])
    if kind == "missing":
        return _("%(field)s is required.", field=name)
    if kind == "extra_forbidden":
        return _("%(field)s is not a field this request takes.", field=name[:50])
    if kind == "string_too_long":
        return _("%(field)s must be %(max)d characters or fewer.", field=name, max=ctx.get("max_length", 0))
    if kind in ("string_too_short", "string_pattern_mismatch"):
        return _("%(field)s cannot be empty.", field=name)
    if kind in ("literal_error", "enum"):
        return _("%(field)s must be one of: %(allowed)s", field=name, allowed=ctx.get("expected", ""))
    if kind == "string_type":
        return _("%(field)s must be text.", field=name)
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("%(field)s must be an object.", field=name)
    if kind in ("list_type", "too_short"):
        return _("%(field)s must be a list.", field=name)
    return _("%(field)s is not valid.", field=name)


def check(model: type[M], data: object, lang: str) -> tuple[M | None, list[tuple[str, str]]]:
    """The validated model, or None and every invalid field with its message."""
    try:
        return model.model_validate(data), []
    except ValidationError as failure:
        with in_lang(lang):
            found = []
            for error in failure.errors(include_url=False):
                name = _path(error["loc"]) or "body"
                found.append((name, message(model, dict(error), name)))
        return None, found


def read_query(model: type[M], lang: str = "zh") -> M:
    """The route's query parameters, checked; the first bad one is a 400 naming it."""
    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name not in request.args:
            continue
        is_list = "list" in str(info.annotation)
        data[name] = request.args.getlist(name) if is_list else request.args.get(name)
    raw_lang = data.get("lang")
    if "lang" in model.model_fields and raw_lang not in (None, "zh", "en"):
        lang = "zh"
    elif raw_lang in ("zh", "en"):
        lang = raw_lang
    parsed, errors = check(model, data, lang)
    if parsed is None:
        name, text = errors[0]
        raise ApiError(name.split("[")[0], text)  # a parameter, not one of its values
    return parsed


def read_headers(model: type[M], lang: str) -> M:
    """The route's headers (by their alias, ``X-Access-Code``), checked."""
    data = {
        info.alias or name: request.headers[info.alias or name]
        for name, info in model.model_fields.items()
        if (info.alias or name) in request.headers
    }
    parsed, errors = check(model, data, lang)
    if parsed is None:
        raise ApiError(*errors[0])
    return parsed


# --- describing every operation -----------------------------------------------------------------------------


def _schema(model: type[BaseModel], components: dict[str, Any]) -> dict[str, Any]:
    """``model``'s JSON schema, its sub-models moved into components; returns a reference to it."""
    schema = model.model_json_schema(ref_template=REF, mode="validation")
    components.update(schema.pop("$defs", {}))
    components[model.__name__] = schema
    return {"$ref": REF.format(model=model.__name__)}


def _parameters(model: type[BaseModel], where: str, components: dict[str, Any]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template=REF, mode="validation", by_alias=True)
    components.update(schema.pop("$defs", {}))
    required = set(schema.get("required", ()))
    out = []
    for name, prop in schema.get("properties", {}).items():
        prop.pop("title", None)
        param: dict[str, Any] = {"name": name, "in": where, "schema": prop}
        if name in required:
            param["required"] = True
        if "description" in prop:
            param["description"] = prop.pop("description")
        out.append(param)
    return out


def _fill(node: Any, lists: dict[str, list[str]]) -> Any:
    """Replace each ``x-catalogue: NAME`` by the running catalogue's ids (categories, towns, forms), and each
    ``x-ref: MODEL`` by a reference to that model's schema."""
    if isinstance(node, dict):
        name = node.pop("x-catalogue", None)
        if "x-ref" in node:  # a model described by reference (the eligibility profile)
            return {"$ref": REF.format(model=node["x-ref"])}
        out = {key: _fill(value, lists) for key, value in node.items()}
        if name is not None:
            out["enum"] = lists[name]
        return out
    if isinstance(node, list):
        return [_fill(item, lists) for item in node]
    return node


def spec(info: dict[str, Any], lists: dict[str, list[str]], extra: dict[str, type[BaseModel]]) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every declared operation."""
    components: dict[str, Any] = {}
    for model in extra.values():
        _schema(model, components)
    paths: dict[str, Any] = {}
    for op in OPERATIONS:
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}} for name in op.path_params
        ]
        if op.query is not None:
            parameters += _parameters(op.query, "query", components)
        if op.headers is not None:
            parameters += _parameters(op.headers, "header", components)
        entry: dict[str, Any] = {"summary": op.summary, "parameters": parameters, "responses": {}}
        if op.token:
            entry["security"] = [{"serviceToken": []}]
        if op.body is not None:
            entry["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _schema(op.body, components)}},
            }
        for status, (description, model) in sorted(op.responses.items()):
            answer: dict[str, Any] = {"description": description}
            if model is not None:
                answer["content"] = {"application/json": {"schema": _schema(model, components)}}
            entry["responses"][str(status)] = answer
        paths.setdefault(op.path, {})[op.method] = entry
    document = {
        "openapi": "3.1.0",
        "info": info,
        "paths": paths,
        "components": {
            "securitySchemes": {"serviceToken": {"type": "http", "scheme": "bearer"}},
            "schemas": components,
        },
    }
    return _fill(document, lists)

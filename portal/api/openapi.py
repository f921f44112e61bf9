"""``GET /openapi.json``: an OpenAPI 3.1 description of every ``/api/v1`` route (a test checks none is missing)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from ..content.models import AUDIENCES
from ..eligibility import FIELDS, RULE_IDS
from ..eligibility.facts import Field

openapi_bp = Blueprint("openapi", __name__)

LANG = {"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["zh", "en"], "default": "zh"}}
ERROR = {
    "description": "A bad request: the field named is wrong; the message says how, in the request's language.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _json_request(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    """A required JSON object body with exactly these properties."""
    schema: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": properties}
    if required:
        schema["required"] = required
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _field_schema(field: Field) -> dict[str, Any]:
    if field.type == "int":
        return {"type": "integer", "minimum": field.min, "maximum": field.max}
    if field.type == "bool":
        return {"type": "boolean"}
    if field.type == "list":
        return {"type": "array", "items": {"type": "string", "enum": list(field.allowed or ())}}
    return {"type": "string", "enum": list(field.allowed or ())}


def _profile_schema() -> dict[str, Any]:
    properties = {name: _field_schema(field) for name, field in FIELDS.items()}
    return {"type": "object", "additionalProperties": False, "properties": properties}


def _text(max_length: int = 200) -> dict[str, Any]:
    return {"type": "string", "maxLength": max_length}


def _application_paths() -> dict[str, Any]:
    """Towns and applications (applications-and-petitions.md, "Public interfaces added")."""
    person = {"name": _text(50), "id_number": _text(30), "phone": _text(30)}
    applicant = {
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "id_number", "phone", "town", "village", "address"],
        "properties": {
            **person,
            "town": {"type": "string", "description": "an id from /api/v1/towns"},
            "village": _text(60),
            "address": _text(120),
            "certificate_number": {**_text(30), "description": "两项补贴 only: the ID number, category and grade"},
            "bank_name": _text(40),
            "bank_account": {**_text(40), "description": "12 to 19 digits"},
        },
    }
    proxy = {
        "type": ["object", "null"],
        "additionalProperties": False,
        "required": ["name", "id_number", "phone", "relation"],
        "properties": {
            **person,
            "relation": {"type": "string", "enum": ["guardian", "family", "village_worker", "other"]},
        },
    }
    history = {
        "type": "array",
        "items": {"type": "object", "properties": {"status": {"type": "string"}, "at": {"type": "string"},
                                                    "note": {"type": ["string", "null"]}}},
    }  # fmt: skip
    return {
        "/api/v1/towns": {
            "get": {
                "summary": "The 镇街 of Dazu District used in forms and routing",
                "parameters": [LANG],
                "responses": {
                    "200": {"description": "The towns, and whether the list has been confirmed"},
                    "400": ERROR,
                },
            }
        },
        "/api/v1/applications": {
            "post": {
                "summary": "File an application for a resident (staff-assisted and partner channels; service token)",
                "security": [{"serviceToken": []}],
                "parameters": [
                    LANG,
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "schema": {"type": "string", "minLength": 1, "maxLength": 200},
                    },
                ],
                "requestBody": _json_request(
                    {
                        "benefit": {"type": "string", "description": "a policy id that takes online applications"},
                        "applicant": applicant,
                        "proxy": proxy,
                        "answers": {"$ref": "#/components/schemas/Profile"},
                        "lang": {"type": ["string", "null"], "enum": ["zh", "en", None]},
                    },
                    required=["benefit", "applicant"],
                ),
                "responses": {
                    "201": {"description": "Filed: reference, status, access_code, url"},
                    "400": ERROR,
                    "401": ERROR,
                    "409": ERROR,
                },
            }
        },
        "/api/v1/applications/{reference}": {
            "get": {
                "summary": "An application's status and history (no personal data); more with the access code",
                "parameters": [
                    {"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "X-Applicant-Id", "in": "header", "required": True, "schema": {"type": "string"}},
                    {"name": "X-Access-Code", "in": "header", "schema": {"type": "string"}},
                    LANG,
                ],
                "responses": {
                    "200": {
                        "description": "The status",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "reference": {"type": "string"},
                                        "benefit": {"type": "string"},
                                        "status": {"type": "string"},
                                        "history": history,
                                        "office": {"type": "object"},
                                        "requests": {"type": "array"},
                                        "decision": {"type": ["object", "null"]},
                                    },
                                }
                            }
                        },
                    },
                    "400": ERROR,
                    "404": ERROR,
                    "429": ERROR,
                },
            }
        },
    }


def _petition_paths() -> dict[str, Any]:
    """12385 petitions (applications-and-petitions.md, "Public interfaces added")."""
    deadlines = {
        "type": "object",
        "properties": {
            "acknowledge_by": {"type": "string", "format": "date"},
            "resolve_by": {"type": ["string", "null"], "format": "date"},
            "review_request_by": {"type": ["string", "null"], "format": "date"},
            "review_reply_by": {"type": ["string", "null"], "format": "date"},
            "provisional": {"type": "boolean", "description": "a year the holiday calendar lacks: weekends only"},
        },
    }
    routed = {
        "type": "object",
        "properties": {
            "department": {"type": "string", "description": "a department id of departments.yml, or triage"},
            "task": {"type": ["integer", "null"], "description": "the 附件 task number"},
        },
    }
    return {
        "/api/v1/petitions": {
            "post": {
                "summary": "File a 12385 petition (the assistant and the phone desk; service token)",
                "security": [{"serviceToken": []}],
                "parameters": [
                    LANG,
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "schema": {"type": "string", "minLength": 1, "maxLength": 200},
                    },
                ],
                "requestBody": _json_request(
                    {
                        "channel": {"type": "string", "enum": ["assistant", "phone", "web"]},
                        "kind": {"type": "string", "enum": ["complaint", "suggestion", "help"]},
                        "what": {"type": "string", "minLength": 1, "maxLength": 5000, "pattern": "\\S"},
                        "where": {"type": ["string", "null"], "maxLength": 200},
                        "contact": {
                            "type": ["object", "null"],
                            "additionalProperties": False,
                            "required": ["name", "phone"],
                            "properties": {"name": {**_text(50), "pattern": "\\S"}, "phone": _text(30)},
                        },
                        "lang": {"type": ["string", "null"], "enum": ["zh", "en", None]},
                    },
                    required=["channel", "kind", "what"],
                ),
                "responses": {
                    "201": {
                        "description": "Filed: reference, access_code, status, routed_to, deadlines, url",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "reference": {"type": "string"},
                                        "access_code": {"type": "string"},
                                        "status": {"type": "string", "enum": ["received"]},
                                        "routed_to": routed,
                                        "deadlines": deadlines,
                                        "url": {"type": "string"},
                                    },
                                }
                            }
                        },
                    },
                    "400": ERROR,
                    "401": ERROR,
                    "404": ERROR,
                    "409": ERROR,
                },
            }
        },
        "/api/v1/petitions/{reference}": {
            "get": {
                "summary": "A petition's status, history and deadlines (no personal data), with its access code",
                "parameters": [
                    {"name": "reference", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "X-Access-Code", "in": "header", "required": True, "schema": {"type": "string"}},
                    LANG,
                ],
                "responses": {
                    "200": {
                        "description": "The status",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "reference": {"type": "string"},
                                        "kind": {"type": "string"},
                                        "status": {"type": "string"},
                                        "routed_to": routed,
                                        "deadlines": deadlines,
                                        "rating": {"type": ["string", "null"]},
                                        "history": {"type": "array", "items": {"type": "object"}},
                                    },
                                }
                            }
                        },
                    },
                    "400": ERROR,
                    "404": ERROR,
                    "429": ERROR,
                },
            }
        },
    }


def spec() -> dict[str, Any]:
    search_result = {
        "type": "object",
        "required": ["id", "title", "summary", "url", "score", "highlights"],
        "properties": {
            "id": {"type": "string", "description": "a policy id of policy-catalogue.yml"},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "url": {"type": "string"},
            "score": {"type": "number"},
            "highlights": {"type": "array", "items": {"type": "string"}},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "大足区助残服务门户 API",
            "version": "1.0.0",
            "description": "Policies, search and eligibility of the Dazu District disability services portal.",
        },
        "paths": {
            "/api/v1/search": {
                "get": {
                    "summary": "Search every policy and service",
                    "parameters": [
                        {"name": "q", "in": "query", "required": True, "schema": {"type": "string", "maxLength": 200}},
                        LANG,
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 50}},
                        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                        {"name": "category", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                        {
                            "name": "audience",
                            "in": "query",
                            "schema": {"type": "array", "items": {"type": "string", "enum": list(AUDIENCES)}},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "Results, best first",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["query", "total", "results", "suggestion"],
                                        "properties": {
                                            "query": {"type": "string"},
                                            "total": {"type": "integer"},
                                            "results": {"type": "array", "items": search_result},
                                            "suggestion": {"type": ["string", "null"]},
                                            "facets": {"type": "object"},
                                        },
                                    }
                                }
                            },
                        },
                        "400": ERROR,
                    },
                }
            },
            "/api/v1/policies": {
                "get": {
                    "summary": "Every policy, in catalogue order",
                    "parameters": [LANG, {"name": "category", "in": "query", "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "The policies"}, "400": ERROR},
                }
            },
            "/api/v1/policies/{policy_id}": {
                "get": {
                    "summary": "One policy record",
                    "parameters": [
                        {"name": "policy_id", "in": "path", "required": True, "schema": {"type": "string"}},
                        LANG,
                    ],
                    "responses": {"200": {"description": "The policy"}, "400": ERROR, "404": ERROR},
                }
            },
            "/api/v1/chat": {
                "post": {
                    "summary": "One chat turn with the assistant (the portal answers itself when Rasa cannot)",
                    "parameters": [LANG],
                    "requestBody": _json_request(
                        {
                            "sender": {"type": "string", "minLength": 1, "maxLength": 64},
                            "message": {"type": "string", "minLength": 1, "maxLength": 500},
                            "lang": {"type": "string", "enum": ["zh", "en"]},
                        },
                        required=["sender", "message"],
                    ),
                    "responses": {
                        "200": {
                            "description": "The replies; degraded is true when the portal answered by itself",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["messages", "degraded"],
                                        "properties": {
                                            "degraded": {"type": "boolean"},
                                            "messages": {
                                                "type": "array",
                                                "items": {
                                                    "type": "object",
                                                    "required": ["text", "buttons"],
                                                    "properties": {
                                                        "text": {"type": "string"},
                                                        "buttons": {
                                                            "type": "array",
                                                            "items": {
                                                                "type": "object",
                                                                "properties": {
                                                                    "title": {"type": "string"},
                                                                    "payload": {"type": "string"},
                                                                },
                                                            },
                                                        },
                                                        "links": {"type": "array"},
                                                        "asks": {
                                                            "type": "string",
                                                            "description": "The profile field this message asks for "
                                                            "(a field of /api/v1/eligibility's profile, or benefit)",
                                                        },
                                                        "eligibility": {
                                                            "type": "array",
                                                            "description": "The decisions this message reports",
                                                            "items": {
                                                                "type": "object",
                                                                "required": ["benefit", "status"],
                                                                "properties": {
                                                                    "benefit": {"type": "string"},
                                                                    "status": {
                                                                        "type": "string",
                                                                        "enum": [
                                                                            "eligible",
                                                                            "needs_review",
                                                                            "need_more_info",
                                                                            "not_eligible",
                                                                        ],
                                                                    },
                                                                    "title": {"type": "string"},
                                                                    "url": {"type": "string"},
                                                                    "apply_url": {"type": ["string", "null"]},
                                                                },
                                                            },
                                                        },
                                                    },
                                                },
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        "400": ERROR,
                        "429": ERROR,
                    },
                }
            },
            "/api/v1/eligibility": {
                "post": {
                    "summary": "Check a profile against the eligibility rules",
                    "parameters": [LANG],
                    "requestBody": _json_request(
                        {
                            "profile": {"$ref": "#/components/schemas/Profile"},
                            "benefits": {"type": "array", "items": {"type": "string", "enum": RULE_IDS}},
                            "lang": {"type": "string", "enum": ["zh", "en"]},
                        }
                    ),
                    "responses": {
                        "200": {
                            "description": "One result per requested rule, in the order of eligibility-rules.md",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/EligibilityResults"}}
                            },
                        },
                        "400": ERROR,
                    },
                }
            },
            **_application_paths(),
            **_petition_paths(),
        },
        "components": {
            "securitySchemes": {"serviceToken": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["field", "message"],
                            "properties": {
                                "field": {"type": ["string", "null"]},
                                "message": {"type": "string"},
                                "errors": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                                    },
                                },
                            },
                        }
                    },
                },
                "Profile": _profile_schema(),
                "EligibilityResults": {
                    "type": "object",
                    "required": ["results"],
                    "properties": {
                        "results": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["benefit", "status", "reasons", "missing", "sources", "next_step"],
                                "properties": {
                                    "benefit": {"type": "string", "enum": RULE_IDS},
                                    "status": {
                                        "type": "string",
                                        "enum": ["eligible", "not_eligible", "need_more_info", "needs_review"],
                                    },
                                    "reasons": {"type": "array", "items": {"type": "string"}},
                                    "missing": {"type": "array", "items": {"type": "string"}},
                                    "sources": {
                                        "type": "array",
                                        "items": {"type": "string"},
                                        "description": "Where the rule comes from, as residents read it: the "
                                        "plan as 《大足区“十四五”残疾人保障和发展规划》 with its sections, "
                                        "or a national document.",
                                    },
                                    "next_step": {"type": "string"},
                                },
                            },
                        }
                    },
                },
            },
        },
    }


@openapi_bp.get("/openapi.json")
def openapi_json():
    return jsonify(spec())

"""Rate limits: every form and every lookup has a per-address limit, and a lookup that guesses a reference has a
per-reference limit too. The table below is the one place the numbers are chosen and justified.

Many residents share one address — a 村委 office or a service hall helping them one after another, a household
on one connection, everyone on a mobile carrier's NAT — so each per-address limit sits above what such an address
does at its busiest, and is there to stop a script, not a family. Guessing is stopped per reference: a reference
(``A7KX-4M9P``: six random characters, 30^6 ≈ 729 million of them) is tried with an ID number or an access
code, and ``REFERENCE_LIMIT`` wrong tries an hour per reference, from any address, web and API together, leave a
guesser nothing to work with; right answers are not counted, so a resident who checks often is never refused.
Across references, the address limit of the ``lookup`` group is what stops one machine trying one ID number
against many references.

Service-token callers (the phone desk, the assistant's action server, a partner channel: all their residents
arrive from one address) are exempt from the per-address limits, never from the per-reference or per-conversation
ones. Each limit is a setting: ``RATE_LIMIT_<GROUP>`` (e.g. ``RATE_LIMIT_LOOKUP="30 per hour"``; any
Flask-Limiter string, ``;`` between several; chat's is ``CHAT_LIMIT_PER_ADDRESS``), read into
``app.config["RATE_LIMITS"]``; ``REFERENCE_LIMIT`` for the per-reference limit; ``RATELIMIT_ENABLED=false``
turns every limit off (load tests).

``tests/test_rate_limits.py`` walks the URL map and fails on a form (POST) or a lookup (the API, search) without a
per-address limit, so a new route cannot be forgotten.

Chat turns are limited per conversation first (``CHAT_LIMIT_PER_CONVERSATION``, 12 a minute) and per address
(``CHAT_LIMIT_PER_ADDRESS``, 300 a minute); a turn refused for its conversation is not counted against the
address, so one impatient conversation cannot use up its office's ceiling.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, current_app, request

from ..applications import references
from .extensions import limiter
from .service_token import has_service_token

ADDRESS_SCOPE = "chat-address"

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Group:
    """Routes that share one per-address count."""

    default: str
    routes: str
    why: str


#: The per-address limits, one count per group and address (the routes of a group share it).
GROUPS: dict[str, Group] = {
    "lookup": Group(
        "60 per hour",
        "/status, /apply/resume, /complaints/status, GET /api/v1/applications/…, GET /api/v1/petitions/…",
        "a household checks its one or two references a few times; a service hall looking up for residents one "
        "after another does one a minute at most. A script trying one ID number against many references gets 60 "
        "tries an hour at some 729 million references",
    ),
    "follow-up": Group(
        "120 per hour",
        "/status/withdraw, /complaints/rate, /complaints/review",
        "actions on a case already found; two a minute is more than a hall at its busiest",
    ),
    "apply": Group(
        "1200 per hour",
        "every step of an online application (/apply/…: consent, questions, check, declaration, leave, extend)",
        "an application is 20–40 pages; an office helping 20 residents an hour sends about 800",
    ),
    "upload": Group(
        "200 per hour",
        "/apply/draft/documents/…, /status/answer (photos and PDFs)",
        "an application needs up to 5 documents: 20 applications an hour from one office stay under 100; every "
        "upload is decoded and re-encoded, so this is also what protects the CPU",
    ),
    "submit": Group(
        "60 per hour",
        "/complaints (a petition), POST /api/v1/petitions, POST /api/v1/applications",
        "a new case each minute from one address is far more than a household or an office files; the phone "
        "desk uses the service token and is exempt",
    ),
    "checker": Group(
        "1200 per hour",
        "/eligibility/… (the checker's answers), POST /api/v1/eligibility",
        "one check is about 15 answers; 80 checks an hour from one hall",
    ),
    "search": Group(
        "300 per minute",
        "/search, GET /api/v1/search",
        "a carrier's NAT puts hundreds of people behind one address; 5 searches a second stops a flood only",
    ),
    "read": Group(
        "600 per minute",
        "GET /api/v1/policies, /api/v1/policies/…, /api/v1/towns (public content)",
        "public content, cheap to serve: a ceiling against a flood",
    ),
    "feedback": Group(
        "10 per minute;200 per day",
        "/feedback",
        "one answer per page read; an office of 20 people sending 10 a day each stays under 200",
    ),
    "settings": Group(
        "300 per hour",
        "/settings, /settings/quick, /chat/clear",
        "a display setting is changed a few times per visit",
    ),
    "staff-sign-in": Group(
        "60 per 15 minutes",
        "/staff/sign-in, /staff/enrol (and per user name: 20 per 15 minutes)",
        "an office of 20 staff signing in at the start of the day, each mistyping once, stays under 60",
    ),
    "staff": Group(
        "1200 per hour",
        "every other staff form (case actions, notes, accounts, phone desk, sign-out, stay signed in)",
        "signed-in staff only; one office of clerks working a queue",
    ),
    "chat": Group(
        "300 per minute",
        "/chat, POST /api/v1/chat (and per conversation: CHAT_LIMIT_PER_CONVERSATION)",
        "set by CHAT_LIMIT_PER_ADDRESS, not RATE_LIMIT_CHAT; README, Rate limits: 30 residents behind one address, "
        "each sending a message every 6 s",
    ),
}

#: Wrong tries per reference (web and API together), from any address.
REFERENCE_DEFAULT = "10 per hour"

#: View (module.qualname) → its per-address group: what the URL-map test reads.
LIMITED: dict[str, str] = {}


def _env_name(group: str) -> str:
    return "RATE_LIMIT_" + group.upper().replace("-", "_")


def init_app(app: Flask) -> None:
    """Fill ``RATE_LIMITS`` (group → limit) from the environment and the defaults; what the app was given wins."""
    given = dict(app.config.get("RATE_LIMITS") or {})
    limits = {name: os.environ.get(_env_name(name)) or group.default for name, group in GROUPS.items()}
    limits["chat"] = str(app.config["CHAT_LIMIT_PER_ADDRESS"])
    limits.update(given)
    app.config["RATE_LIMITS"] = limits
    app.config.setdefault("REFERENCE_LIMIT", os.environ.get("REFERENCE_LIMIT") or REFERENCE_DEFAULT)


def address() -> str:
    return request.remote_addr or "unknown"


def _qualified(view: Callable[..., Any]) -> str:
    return f"{view.__module__}.{view.__qualname__}"


def per_address(group: str, methods: list[str] | None = None) -> Callable[[F], F]:
    """The group's per-address limit on a view (``methods``: only those, e.g. the POST of a GET-and-POST form)."""
    if group not in GROUPS:
        raise KeyError(f"no rate-limit group {group!r}: add it to GROUPS in portal/web/ratelimits.py")

    def decorate(view: F) -> F:
        LIMITED[_qualified(view)] = group
        return limiter.shared_limit(
            lambda: str(current_app.config["RATE_LIMITS"][group]),
            scope=f"address-{group}",
            key_func=address,
            methods=methods,
            exempt_when=has_service_token,
        )(view)

    return decorate


def _wrong(response: Any) -> bool:
    return response.status_code >= 400


def form_reference() -> str:
    """The reference a web form was sent with, as the per-reference limit counts it (normalised, bounded)."""
    return references.normalise(request.form.get("reference", ""))[:12]


def per_reference(
    kind: str, reference: Callable[[], str] = form_reference, methods: list[str] | None = None
) -> Callable[[F], F]:
    """``REFERENCE_LIMIT`` wrong tries (an answer of 400 or more) per ``kind`` of reference, shared by every route
    that looks that kind up (``application``: /status, /apply/resume, the API; ``petition``: /complaints/status,
    the API), from any address. ``reference`` reads it from the request (by default the form's field)."""
    return limiter.shared_limit(
        lambda: str(current_app.config["REFERENCE_LIMIT"]),
        scope=f"reference-{kind}",
        key_func=lambda: reference() or "-",
        methods=methods,
        deduct_when=_wrong,
    )


def _per_conversation() -> str:
    return str(current_app.config["CHAT_LIMIT_PER_CONVERSATION"])


def _per_address() -> str:
    return str(current_app.config["CHAT_LIMIT_PER_ADDRESS"])


def chat_limits(conversation: Callable[[], str]) -> Callable[[F], F]:
    """Decorate a chat-turn view: ``conversation()`` names the conversation (never empty), the address is shared
    by every chat route."""
    per_conversation = limiter.limit(_per_conversation, key_func=lambda: f"conversation:{conversation()}")
    per_address_limit = limiter.shared_limit(
        _per_address, scope=ADDRESS_SCOPE, key_func=address, exempt_when=has_service_token
    )

    def decorate(view: F) -> F:
        LIMITED[_qualified(view)] = "chat"
        return per_address_limit(per_conversation(view))  # the limit applied first is checked first

    return decorate


def breached_conversation(limit: Any) -> bool:
    """Whether a ``RateLimitExceeded.limit`` is the per-conversation limit (else it is the address ceiling)."""
    return not getattr(limit, "shared", False)

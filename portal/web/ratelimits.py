"""Rate limits on chat turns: per conversation first, and a per-address ceiling above what a shared address sees.

Many residents share one address — a 村委 office helping them one after another, everyone on a mobile carrier's
NAT — so the address is the wrong thing to ration turns by. Each conversation gets ``CHAT_LIMIT_PER_CONVERSATION``
(default 12 a minute: one turn every five seconds, faster than anyone reads an answer); each address gets
``CHAT_LIMIT_PER_ADDRESS`` (default 300 a minute, shared by the page and the API) to stop a flood from one machine
that changes its conversation every turn. Service-token callers (the phone desk, a partner channel: all their
residents come from one address) are exempt from the address ceiling, never from the per-conversation limit.
``RATELIMIT_ENABLED=false`` turns every limit off (load tests).

The per-conversation limit is checked first: a turn it refuses is not counted against the address, so one
impatient conversation cannot use up its office's ceiling.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, request

from .extensions import limiter
from .service_token import has_service_token

ADDRESS_SCOPE = "chat-address"

F = TypeVar("F", bound=Callable[..., Any])


def _per_conversation() -> str:
    return str(current_app.config["CHAT_LIMIT_PER_CONVERSATION"])


def _per_address() -> str:
    return str(current_app.config["CHAT_LIMIT_PER_ADDRESS"])


def address() -> str:
    return request.remote_addr or "unknown"


def chat_limits(conversation: Callable[[], str]) -> Callable[[F], F]:
    """Decorate a chat-turn view: ``conversation()`` names the conversation (never empty), the address is shared
    by every chat route."""
    per_conversation = limiter.limit(_per_conversation, key_func=lambda: f"conversation:{conversation()}")
    per_address = limiter.shared_limit(
        _per_address, scope=ADDRESS_SCOPE, key_func=address, exempt_when=has_service_token
    )

    def decorate(view: F) -> F:
        return per_address(per_conversation(view))  # the limit applied first is checked first

    return decorate


def breached_conversation(limit: Any) -> bool:
    """Whether a ``RateLimitExceeded.limit`` is the per-conversation limit (else it is the address ceiling)."""
    return not getattr(limit, "shared", False)

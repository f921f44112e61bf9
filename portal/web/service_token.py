"""Whether a request comes from a service caller: the assistant's action server, the phone desk, a partner channel.

``Authorization: Bearer <PORTAL_SERVICE_TOKEN>``, compared in constant time; with no token configured no request
is a service caller. Here in the glue (not in ``api/``) because the rate limits and the service pool ask it too;
``api.auth.service_token_required`` turns it into a 401.
"""

from __future__ import annotations

import hmac

from flask import current_app, g, request


def has_service_token() -> bool:
    """Whether this request carries the configured service token (remembered for the request)."""
    if "service_caller" not in g:
        expected = str(current_app.config.get("PORTAL_SERVICE_TOKEN") or "")
        scheme, _, given = (request.headers.get("Authorization") or "").partition(" ")
        g.service_caller = bool(
            expected and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected.encode())
        )
    return g.service_caller

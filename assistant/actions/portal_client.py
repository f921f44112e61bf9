"""The one client the actions use to reach the portal's JSON API.

Every call has a short timeout; any network failure, timeout, 5xx or unreadable answer raises
`PortalUnavailable`, which the actions turn into a polite message with the 12385 hotline.
Configuration comes from the environment: PORTAL_URL (default http://127.0.0.1:8000) and
PORTAL_SERVICE_TOKEN (sent as a bearer token when set).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import requests

DEFAULT_PORTAL_URL = "http://127.0.0.1:8000"
DEFAULT_TIMEOUT_S = 3.0


class PortalUnavailable(Exception):
    """The portal could not be reached or answered with something unusable."""


class ProfileRejected(Exception):
    """The portal rejected the profile (HTTP 400): `field` names the bad field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class Department:
    id: str
    name: str


@dataclass(frozen=True)
class Policy:
    id: str
    title: str
    summary: str
    category: str
    apply: str  # online | offline | info
    who: str
    what_you_get: str
    how_to_apply: str
    documents_required: list[str]
    lead_department: Department
    url: str
    apply_url: str | None
    eligibility_rule: str | None


@dataclass(frozen=True)
class SearchHit:
    id: str
    title: str
    summary: str
    url: str
    score: float


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    results: list[SearchHit]
    suggestion: str | None = None


@dataclass(frozen=True)
class EligibilityResult:
    benefit: str
    status: str  # eligible | not_eligible | need_more_info | needs_review
    reasons: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    next_step: str = ""


class PortalClient:
    """Typed access to the three portal endpoints the assistant needs."""

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = (base_url or os.environ.get("PORTAL_URL") or DEFAULT_PORTAL_URL).rstrip("/")
        self.token = token if token is not None else os.environ.get("PORTAL_SERVICE_TOKEN") or None
        self.timeout = timeout
        self.session = session or requests.Session()

    # -- transport -------------------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def _request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            response = self.session.request(
                method, f"{self.base_url}{path}", headers=self._headers(), timeout=self.timeout, **kwargs
            )
        except requests.RequestException as exc:  # connection refused, timeout, bad URL ...
            raise PortalUnavailable(f"{method} {path}: {exc.__class__.__name__}") from exc
        if response.status_code >= 500:
            raise PortalUnavailable(f"{method} {path}: HTTP {response.status_code}")
        return response

    @staticmethod
    def _json(response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise PortalUnavailable(f"not JSON (HTTP {response.status_code})") from exc

    # -- endpoints -------------------------------------------------------------------------
    def get_policy(self, policy_id: str, lang: str = "zh") -> Policy | None:
        """The policy record, or None when the portal has no policy with that id (404)."""
        if not policy_id or "/" in policy_id:
            return None
        response = self._request("GET", f"/api/v1/policies/{policy_id}", params={"lang": lang})
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise PortalUnavailable(f"policy {policy_id}: HTTP {response.status_code}")
        data = self._json(response)
        try:
            dept = data.get("lead_department") or {}
            return Policy(
                id=str(data["id"]),
                title=str(data.get("title") or data["id"]),
                summary=str(data.get("summary") or ""),
                category=str(data.get("category") or ""),
                apply=str(data.get("apply") or "info"),
                who=str(data.get("who") or ""),
                what_you_get=str(data.get("what_you_get") or ""),
                how_to_apply=str(data.get("how_to_apply") or ""),
                documents_required=[str(d) for d in data.get("documents_required") or []],
                lead_department=Department(id=str(dept.get("id") or ""), name=str(dept.get("name") or "")),
                url=str(data.get("url") or f"/policies/{data['id']}"),
                apply_url=data.get("apply_url") or None,
                eligibility_rule=data.get("eligibility_rule") or None,
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise PortalUnavailable(f"policy {policy_id}: unexpected record") from exc

    def search(self, query: str, lang: str = "zh", limit: int = 3) -> SearchResult:
        """Full-text search over the policies."""
        response = self._request("GET", "/api/v1/search", params={"q": query, "lang": lang, "limit": limit})
        if response.status_code != 200:
            raise PortalUnavailable(f"search: HTTP {response.status_code}")
        data = self._json(response)
        try:
            hits = [
                SearchHit(
                    id=str(h["id"]),
                    title=str(h.get("title") or h["id"]),
                    summary=str(h.get("summary") or ""),
                    url=str(h.get("url") or f"/policies/{h['id']}"),
                    score=float(h.get("score") or 0.0),
                )
                for h in data.get("results") or []
            ]
            return SearchResult(
                query=str(data.get("query", query)),
                total=int(data.get("total", len(hits))),
                results=hits[:limit],
                suggestion=data.get("suggestion") or None,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise PortalUnavailable("search: unexpected answer") from exc

    def check_eligibility(
        self, profile: Mapping[str, Any], benefits: Sequence[str], lang: str = "zh"
    ) -> list[EligibilityResult]:
        """Ask the rule engine; raises ProfileRejected on a 400 naming the bad field."""
        body = {"profile": dict(profile), "benefits": list(benefits), "lang": lang}
        response = self._request("POST", "/api/v1/eligibility", json=body)
        if response.status_code == 400:
            error = (self._json(response) or {}).get("error") or {}
            raise ProfileRejected(str(error.get("field") or ""), str(error.get("message") or ""))
        if response.status_code != 200:
            raise PortalUnavailable(f"eligibility: HTTP {response.status_code}")
        data = self._json(response)
        try:
            return [
                EligibilityResult(
                    benefit=str(r["benefit"]),
                    status=str(r["status"]),
                    reasons=[str(x) for x in r.get("reasons") or []],
                    missing=[str(x) for x in r.get("missing") or []],
                    sources=[str(x) for x in r.get("sources") or []],
                    next_step=str(r.get("next_step") or ""),
                )
                for r in data["results"]
            ]
        except (KeyError, TypeError, AttributeError) as exc:
            raise PortalUnavailable("eligibility: unexpected answer") from exc

    def file_petition(
        self, what: str, where: str, contact: str | None, lang: str = "zh"
    ) -> str | None:
        """File a complaint as a 12385 petition record and return its reference.

        Not wired yet: the portal's petition endpoint comes with a later issue. Until then this
        returns None and the assistant points the resident to 12385 and /complaints instead.
        """
        return None

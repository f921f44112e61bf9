"""The one client the actions use to reach the portal's JSON API.

Every call has a short timeout; any network failure, timeout, 5xx or unreadable answer raises
`PortalUnavailable`, which the actions turn into a polite message with the 12385 hotline.
Configuration comes from the environment: PORTAL_URL (default http://127.0.0.1:8000) and
PORTAL_SERVICE_TOKEN (sent as a bearer token when set).
"""

from __future__ import annotations

import os
import re
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


@dataclass(frozen=True)
class FiledPetition:
    reference: str
    access_code: str
    department: str
    acknowledge_by: str
    provisional: bool


_PHONE = re.compile(r"(?:\+?86[\s-]?)?(1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}[\s-]?\d{7,8})")


def split_phone(contact: str) -> tuple[str | None, str]:
    """The first mainland mobile or landline number in ``contact`` (digits only) and the words around it."""
    match = _PHONE.search(contact or "")
    if match is None:
        return None, (contact or "").strip()
    digits = re.sub(r"\D", "", match.group(1))
    rest = (contact[: match.start()] + " " + contact[match.end() :]).strip(" ，,。：:电话手机号码是")
    return digits, rest[:50]


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

    def _request(
        self, method: str, path: str, headers_extra: dict[str, str] | None = None, **kwargs: Any
    ) -> requests.Response:
        try:
            response = self.session.request(
                method,
                f"{self.base_url}{path}",
                headers={**self._headers(), **(headers_extra or {})},
                timeout=self.timeout,
                **kwargs,
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
        self, profile: Mapping[str, Any], benefits: Sequence[str] | None, lang: str = "zh"
    ) -> list[EligibilityResult]:
        """Ask the rule engine (every rule when ``benefits`` is None); raises ProfileRejected on a 400 naming
        the bad field."""
        body: dict[str, Any] = {"profile": dict(profile), "lang": lang}
        if benefits is not None:
            body["benefits"] = list(benefits)
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
        self, what: str, where: str, contact: str | None, lang: str = "zh", key: str | None = None
    ) -> FiledPetition:
        """File a complaint as a 12385 petition (``POST /api/v1/petitions``, channel ``assistant``).

        ``contact`` is what the resident said; a phone number in it becomes the petition's contact (with the rest
        as the name), otherwise the words go with the text so staff still see them. ``key`` is sent as the
        ``Idempotency-Key``: the same complaint sent twice files one petition. Raises PortalUnavailable when the
        portal cannot file it (down, no service token, or an answer it should not give).
        """
        body: dict[str, Any] = {
            "channel": "assistant",
            "kind": "complaint",
            "what": what,
            "where": where or None,
            "contact": None,
            "lang": lang,
        }
        if contact:
            phone, rest = split_phone(contact)
            if phone:
                body["contact"] = {"name": rest or ("未留姓名" if lang == "zh" else "not given"), "phone": phone}
            else:
                body["what"] = f"{what}\n（联系方式：{contact}）" if lang == "zh" else f"{what}\n(contact: {contact})"
        headers = {"Idempotency-Key": key} if key else {}
        response = self._request("POST", "/api/v1/petitions", json=body, headers_extra=headers)
        if response.status_code != 201:
            raise PortalUnavailable(f"petitions: HTTP {response.status_code}")
        data = self._json(response)
        try:
            deadlines = data.get("deadlines") or {}
            return FiledPetition(
                reference=str(data["reference"]),
                access_code=str(data["access_code"]),
                department=str((data.get("routed_to") or {}).get("department") or ""),
                acknowledge_by=str(deadlines.get("acknowledge_by") or ""),
                provisional=bool(deadlines.get("provisional")),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise PortalUnavailable("petitions: unexpected answer") from exc

    def petition_status(self, reference: str, access_code: str, lang: str = "zh") -> dict[str, Any] | None:
        """``GET /api/v1/petitions/<reference>`` with the access code; None when not found (or malformed)."""
        response = self._request(
            "GET", f"/api/v1/petitions/{reference}", params={"lang": lang}, headers_extra={"X-Access-Code": access_code}
        )
        return self._status_body(response)

    def application_status(self, reference: str, id_number: str, lang: str = "zh") -> dict[str, Any] | None:
        """``GET /api/v1/applications/<reference>`` with the applicant's ID number (a header, never logged)."""
        response = self._request(
            "GET",
            f"/api/v1/applications/{reference}",
            params={"lang": lang},
            headers_extra={"X-Applicant-Id": id_number},
        )
        return self._status_body(response)

    def _status_body(self, response: requests.Response) -> dict[str, Any] | None:
        if response.status_code in (400, 404):
            return None
        if response.status_code != 200:
            raise PortalUnavailable(f"status: HTTP {response.status_code}")
        data = self._json(response)
        if not isinstance(data, dict) or "status" not in data:
            raise PortalUnavailable("status: unexpected answer")
        return data

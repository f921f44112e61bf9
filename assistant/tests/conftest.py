"""Fixtures: a small local stub of the portal's JSON API (http.server on a free port).

The stub serves canned records for a few policies and a tiny rule engine for nursing-subsidy that
answers like the real one (status, reasons, missing, sources, next_step; 400 naming a bad field).
It tests the assistant's client and actions, not the portal.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the assistant folder: `actions`

POLICIES: dict[str, dict[str, Any]] = {
    "nursing-subsidy": {
        "title": {"zh": "重度残疾人护理补贴", "en": "Nursing subsidy for severely disabled people"},
        "category": "social-security",
        "apply": "online",
        "rule": "nursing-subsidy",
        "dept": {"id": "civil-affairs", "zh": "区民政局", "en": "District Civil Affairs Bureau"},
        "documents": [
            {"zh": "身份证或户口簿", "en": "ID card or household register"},
            {"zh": "残疾人证", "en": "Disability certificate"},
        ],
    },
    "living-subsidy": {
        "title": {"zh": "困难残疾人生活补贴", "en": "Living allowance for disabled people on low incomes"},
        "category": "social-security",
        "apply": "online",
        "rule": "living-subsidy",
        "dept": {"id": "civil-affairs", "zh": "区民政局", "en": "District Civil Affairs Bureau"},
        "documents": [],
    },
    "assistive-devices": {
        "title": {"zh": "残疾人基本型辅助器具适配", "en": "Basic assistive devices"},
        "category": "rehabilitation",
        "apply": "offline",
        "rule": "assistive-devices",
        "dept": {"id": "dpf", "zh": "区残联", "en": "District Disabled Persons' Federation"},
        "documents": [{"zh": "残疾人证", "en": "Disability certificate"}],
    },
    "family-support": {
        "title": {"zh": "残疾人社会工作和家庭支持（喘息服务）", "en": "Social work and family support"},
        "category": "social-security",
        "apply": "info",
        "rule": None,
        "dept": {"id": "dpf", "zh": "区残联", "en": "District Disabled Persons' Federation"},
        "documents": [],
    },
}
SEARCH = {
    "轮椅": ["assistive-devices"],
    "wheelchair": ["assistive-devices"],
    "补贴": ["living-subsidy", "nursing-subsidy"],
}


def policy_record(pid: str, lang: str) -> dict[str, Any]:
    p = POLICIES[pid]
    return {
        "id": pid,
        "title": p["title"][lang],
        "summary": f"summary-{pid}-{lang}",
        "category": p["category"],
        "apply": p["apply"],
        "who": f"who-{pid}-{lang}",
        "what_you_get": f"get-{pid}-{lang}",
        "how_to_apply": f"how-{pid}-{lang}",
        "documents_required": [d[lang] for d in p["documents"]],
        "lead_department": {"id": p["dept"]["id"], "name": p["dept"][lang]},
        "url": f"/policies/{pid}",
        "apply_url": f"/apply/{pid}" if p["apply"] == "online" else None,
        "eligibility_rule": p["rule"],
    }


def nursing_rule(profile: dict[str, Any]) -> dict[str, Any]:
    """certificate and grade in {1,2} and long_term_care (enough of the real rule for these tests)."""
    result = {
        "benefit": "nursing-subsidy",
        "reasons": [],
        "missing": [],
        "sources": ["国发〔2015〕52号", "《大足区“十四五”残疾人保障和发展规划》专栏2 第2项"],
        "next_step": "apply online: /apply/nursing-subsidy",
    }
    if profile.get("certificate") is False:
        return {
            **result,
            "status": "not_eligible",
            "reasons": ["no certificate"],
            "next_step": "apply for a disability assessment",
        }
    if "grade" in profile and profile["grade"] > 2:
        return {**result, "status": "not_eligible", "reasons": [f"grade {profile['grade']} is not severe"]}
    if profile.get("long_term_care") is False:
        return {**result, "status": "not_eligible", "reasons": ["no long-term care needed"]}
    missing = [f for f in ("certificate", "grade", "long_term_care") if f not in profile]
    if missing:
        return {**result, "status": "need_more_info", "missing": missing, "next_step": ""}
    return {**result, "status": "eligible", "reasons": ["certificate, grade 1-2, long-term care"]}


class Handler(BaseHTTPRequestHandler):
    requests_seen: ClassVar[list[dict[str, Any]]] = []

    def log_message(self, *args: Any) -> None:  # keep pytest output quiet
        pass

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _record(self, body: Any = None) -> None:
        Handler.requests_seen.append(
            {
                "method": self.command,
                "path": self.path,
                "body": body,
                "authorization": self.headers.get("Authorization"),
            }
        )

    def do_GET(self) -> None:
        self._record()
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        lang = query.get("lang", "zh")
        if url.path == "/api/v1/policies/slow":
            time.sleep(1.0)
            return self._send(404, {"error": "not found"})
        if url.path == "/api/v1/policies/broken":
            return self._send(500, {"error": "boom"})
        if url.path.startswith("/api/v1/policies/"):
            pid = url.path.rsplit("/", 1)[1]
            if pid in POLICIES:
                return self._send(200, policy_record(pid, lang))
            return self._send(404, {"error": {"message": "no such policy"}})
        if url.path.startswith("/api/v1/petitions/"):
            ref = url.path.rsplit("/", 1)[1]
            if ref == "C7KX-4M9P" and self.headers.get("X-Access-Code") == "ABCD-EFGH":
                return self._send(
                    200,
                    {
                        "reference": ref,
                        "status": "accepted",
                        "history": [],
                        "deadlines": {"acknowledge_by": "2027-01-11", "resolve_by": "2027-03-12", "provisional": True},
                    },
                )
            return self._send(404, {"error": {"message": "not found"}})
        if url.path.startswith("/api/v1/applications/"):
            ref = url.path.rsplit("/", 1)[1]
            if ref == "A7KX-4M9P" and self.headers.get("X-Applicant-Id") == "500101199001011234":
                return self._send(200, {"reference": ref, "status": "submitted", "status_text": "已提交，等待受理"})
            return self._send(404, {"error": {"message": "not found"}})
        if url.path == "/api/v1/search":
            q = query.get("q", "")
            ids = next((v for k, v in SEARCH.items() if k in q), [])
            limit = int(query.get("limit", 3))
            results = [
                {
                    "id": i,
                    "title": POLICIES[i]["title"][lang],
                    "summary": "",
                    "url": f"/policies/{i}",
                    "score": 1.0,
                    "highlights": [],
                }
                for i in ids
            ][:limit]
            return self._send(200, {"query": q, "total": len(results), "results": results, "suggestion": None})
        self._send(404, {"error": "not found"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        self._record(body)
        if urlparse(self.path).path == "/api/v1/petitions":
            if self.headers.get("Authorization") != "Bearer test-token":
                return self._send(401, {"error": {"field": "Authorization", "message": "token"}})
            return self._send(
                201,
                {
                    "reference": "C7KX-4M9P",
                    "access_code": "ABCD-EFGH",
                    "status": "received",
                    "routed_to": {"department": "urban-management", "task": 27},
                    "deadlines": {"acknowledge_by": "2027-01-11", "resolve_by": None, "provisional": True},
                    "url": "/complaints/status",
                },
            )
        if urlparse(self.path).path != "/api/v1/eligibility":
            return self._send(404, {"error": "not found"})
        profile = body.get("profile") or {}
        age = profile.get("age")
        # stricter than the real engine (0-120) so that a parsed age can still be rejected in tests
        if age is not None and not (isinstance(age, int) and 0 <= age <= 110):
            return self._send(400, {"error": {"field": "age", "message": "age must be 0-110"}})
        for benefit in body.get("benefits") or []:
            if benefit != "nursing-subsidy":
                return self._send(400, {"error": {"field": "benefits", "message": f"unknown rule {benefit}"}})
        return self._send(200, {"results": [nursing_rule(profile)]})


@pytest.fixture(scope="session")
def stub_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture()
def portal(stub_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the actions at the stub; clear the request log."""
    monkeypatch.setenv("PORTAL_URL", stub_server)
    monkeypatch.delenv("PORTAL_SERVICE_TOKEN", raising=False)
    Handler.requests_seen.clear()
    return stub_server


@pytest.fixture()
def portal_down(monkeypatch: pytest.MonkeyPatch) -> str:
    """A URL where nothing listens (a port bound and closed again)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("PORTAL_URL", url)
    return url

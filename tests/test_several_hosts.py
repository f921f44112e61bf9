"""Several hosts: two gunicorn portals, each with an instance folder of its own, on one PostgreSQL database and
one Redis. A resident's draft started through one is carried on and resumed through the other, uploads land in
the shared folder, and a rate limit counts turns through both. Runs in the PostgreSQL+Redis pass; on SQLite the
portal refuses the host-local settings a shared database would need instead (tested in both passes)."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
import requests
from cryptography.fernet import Fernet

from portal import create_app

from .support import files, people
from .support.hosts import running_hosts

APPLICANT = people.id_number("19520314")
KEY = Fernet.generate_key().decode()


class Browser:
    """One resident's browser: one cookie jar, whichever host the load balancer sends each request to."""

    def __init__(self) -> None:
        self.http = requests.Session()

    def get(self, url: str) -> requests.Response:
        return self.http.get(url, allow_redirects=False, timeout=30)

    def post(self, host: str, path: str, data: dict, files_: dict | None = None) -> requests.Response:
        page = self.http.get(host + "/apply/resume", timeout=30).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)  # none until this browser has a session
        assert token or "session" not in self.http.cookies, page[:500]
        return self.http.post(
            host + path,
            data={"csrf_token": token.group(1) if token else "", **data},
            files=files_,
            allow_redirects=False,
            timeout=30,
        )


@pytest.mark.services_only
def test_a_draft_and_a_rate_limit_are_shared_by_two_hosts(tmp_path: Path, database_url: str):
    """PostgreSQL+Redis only: two hosts need a shared database and a shared Redis."""
    shared_uploads = tmp_path / "shared-uploads"
    env = {
        "DATABASE_URL": database_url,
        "UPLOADS_DIR": str(shared_uploads),
        "CHAT_LIMIT_PER_CONVERSATION": "4 per minute",
    }
    with running_hosts(tmp_path, 2, env) as (one, two):
        resident = Browser()
        started = resident.post(one, "/apply/nursing-subsidy/privacy", {"general": "y", "sensitive": "y"})
        assert started.status_code == 302 and started.headers["Location"].endswith("/apply/draft/code"), started.text
        code_page = resident.get(two + "/apply/draft/code").text  # the other host knows this browser's draft
        reference, code = re.findall(r'<strong class="reference">([A-Z0-9-]+)</strong>', code_page)
        assert resident.post(two, "/apply/draft/details/who", {"who": "self"}).status_code == 302
        assert resident.post(one, "/apply/draft/details/name", {"name": "李秀英"}).status_code == 302
        assert resident.post(two, "/apply/draft/details/id-number", {"id_number": APPLICANT}).status_code == 302
        uploaded = resident.post(
            one,
            "/apply/draft/documents/identity",
            {},
            {"files": ("户口簿首页.jpg", io.BytesIO(files.jpeg_with_gps()), "image/jpeg")},
        )
        assert uploaded.status_code == 302, uploaded.text[:2000]

        # A new browser resumes through the other host, with the reference, ID number and access code.
        other = Browser()
        proof = {"reference": reference, "id_number": APPLICANT, "access_code": code}
        resumed = other.post(two, "/apply/resume", proof)
        assert resumed.status_code == 302 and resumed.headers["Location"].endswith("/apply/draft"), resumed.text[:2000]
        name_page = other.get(one + "/apply/draft/details/name").text
        assert "李秀英" in name_page
        documents = other.get(two + "/apply/draft/documents").text
        assert "户口簿首页.jpg" in documents

        # One conversation, its turns spread over both hosts, gets 4 turns a minute in all, not 4 on each.
        turns = [
            requests.post(host + "/api/v1/chat", json={"sender": "shared-limit", "message": "护理补贴"}, timeout=30)
            for host in (one, two, one, two, one, two)
        ]
        assert [turn.status_code for turn in turns] == [200, 200, 200, 200, 429, 429]

    stored = [path for path in shared_uploads.rglob("*") if path.is_file()]
    assert stored, "the upload is not in the shared folder"
    assert not any((tmp_path / f"host-{n}" / "uploads").exists() for n in (0, 1))
    assert "户口簿" not in "".join(path.name for path in stored)  # random names, as on one host


@pytest.mark.parametrize(
    "settings, missing",
    [
        ({}, ["SECRET_KEY", "DATA_KEY", "RATELIMIT_STORAGE_URI"]),
        ({"SECRET_KEY": "s", "DATA_KEY": KEY}, ["RATELIMIT_STORAGE_URI"]),
        ({"SECRET_KEY": "s", "DATA_KEY": KEY, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"}, []),
        ({"SECRET_KEY": "s", "DATA_KEY": KEY, "RATELIMIT_ENABLED": "false"}, []),
    ],
)
def test_a_portal_on_a_shared_database_refuses_host_local_keys_and_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: dict[str, str], missing: list[str]
):
    for name in ("SECRET_KEY", "DATA_KEY", "RATELIMIT_STORAGE_URI", "RATELIMIT_ENABLED"):
        monkeypatch.delenv(name, raising=False)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://portal@127.0.0.1:1/portal")  # never connected to
    if not missing:
        assert create_app({"INSTANCE_PATH": tmp_path}).config["DATABASE_URL"].startswith("postgresql")
        return
    with pytest.raises(RuntimeError) as refused:
        create_app({"INSTANCE_PATH": tmp_path})
    assert [name for name in ("SECRET_KEY", "DATA_KEY", "RATELIMIT_STORAGE_URI") if name in str(refused.value)] == (
        missing
    )


def test_a_portal_on_sqlite_keeps_its_keys_in_its_instance_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for name in ("SECRET_KEY", "DATA_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    app = create_app({"INSTANCE_PATH": tmp_path})
    assert (tmp_path / "secret_key").read_text().strip() == app.config["SECRET_KEY"]
    assert os.stat(tmp_path / "data_key").st_mode & 0o077 == 0

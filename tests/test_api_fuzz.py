"""schemathesis against ``/openapi.json``: every operation, every check (the service-token ones with a test
token), bounded examples so the run takes a few minutes. Rate limits are off for this portal (their own tests,
test_chat_limits.py and test_applications_api.py, cover them) and the assistant is unreachable, so chat answers
degraded."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal import create_app

HERE = Path(__file__).parent
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "25"))


@pytest.fixture()
def served(tmp_path: Path, search_index: Path, database_url: str):
    url = database_url  # the pass's database: SQLite, or PostgreSQL in the second pass
    app = create_app(
        {
            "INSTANCE_PATH": tmp_path,
            "DATABASE_URL": url,
            "TESTING": True,
            "SECRET_KEY": "test",
            "SEARCH_INDEX_DIR": search_index,
            "PORTAL_SERVICE_TOKEN": "fuzz-token",
            "RATELIMIT_ENABLED": False,
            "RASA_URL": "http://127.0.0.1:9",
            "RASA_TIMEOUT": 0.2,
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_schemathesis_finds_no_failure(served: str, tmp_path: Path):
    st = Path(sys.executable).with_name("st")
    command = [
        str(st),
        "--config-file",
        str(HERE / "schemathesis.toml"),
        "run",
        f"{served}/openapi.json",
        "--checks",
        "all",
        "--mode",
        "all",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        "18",
        "--no-color",
        "--generation-database",
        "none",
        "--header",
        "Authorization: Bearer fuzz-token",
        "--report-dir",
        str(tmp_path / "report"),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "10 selected / 10 total" in run.stdout


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("get", "/api/v1/policies?lang=", None, 400),  # lang is an enum: empty is not zh
        ("post", "/api/v1/chat?lang=null", {"sender": "a", "message": "hi"}, 400),
        ("get", "/api/v1/policies?category=", None, 400),  # not one of the catalogue's categories
        ("get", "/api/v1/search?q=a&category=", None, 400),
    ],
)
def test_what_schemathesis_found_answers_as_the_schema_says(client, method, path, body, status):
    response = getattr(client, method)(path, json=body)
    assert response.status_code == status and response.get_json()["error"]["field"] in ("lang", "category")


def test_the_schema_says_multiple_includes_needs_category_multiple(client):
    """``multiple_includes: []`` without ``category: multiple`` is refused by the engine; the schema says why."""
    spec = client.get("/openapi.json").get_json()
    [condition] = spec["components"]["schemas"]["Profile"]["allOf"]
    assert condition["then"]["properties"]["category"] == {"const": "multiple"}
    refused = client.post("/api/v1/eligibility", json={"profile": {"multiple_includes": []}})
    accepted = client.post("/api/v1/eligibility", json={"profile": {"category": "multiple", "multiple_includes": []}})
    assert refused.status_code == 400 and accepted.status_code == 200

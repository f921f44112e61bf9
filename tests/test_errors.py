"""Error pages in both languages, never a stack trace."""

from __future__ import annotations

from pathlib import Path

import pytest
from werkzeug.exceptions import abort

from portal import create_app


@pytest.fixture()
def app_with_failures(tmp_path: Path, database_url: str):
    app = create_app({"INSTANCE_PATH": tmp_path, "DATABASE_URL": database_url, "SECRET_KEY": "t"})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    @app.get("/forbidden")
    def forbidden():
        abort(403)

    @app.post("/upload")
    def upload():
        return "ok"

    app.config["MAX_CONTENT_LENGTH"] = 10
    return app


@pytest.mark.parametrize(
    ("method", "path", "code", "zh", "en"),
    [
        ("get", "/no-such-page", 404, "找不到此页面", "Page not found"),
        ("get", "/forbidden", 403, "您没有权限查看此页面", "You do not have permission"),
        ("get", "/boom", 500, "服务出现问题", "there is a problem with the service"),
        ("post", "/upload", 413, "您发送的内容太大", "What you sent is too large"),
        ("post", "/", 405, "我们无法理解这个请求", "we could not understand that request"),
    ],
)
def test_error_pages_in_both_languages(app_with_failures, method, path, code, zh, en):
    client = app_with_failures.test_client()
    kwargs = {"data": "x" * 100} if code == 413 else {}
    chinese = getattr(client, method)(path, **kwargs)
    assert chinese.status_code == code
    html = chinese.get_data(as_text=True)
    assert zh in html
    assert "12385" in html
    assert "Traceback" not in html and "secret internal detail" not in html
    english = getattr(client, method)(path + "?lang=en", **kwargs)
    assert english.status_code == code
    assert en in english.get_data(as_text=True)


def test_rate_limited_page_is_429_in_chinese(client):
    from .conftest import csrf_token

    token = csrf_token(client)
    codes = [
        client.post("/feedback", data={"csrf_token": token, "feedback-useful": "yes", "feedback-path": "/"}).status_code
        for _ in range(12)
    ]
    assert codes[:10] == [302] * 10
    assert codes[-1] == 429
    page = client.post("/feedback", data={"csrf_token": token, "feedback-useful": "yes", "feedback-path": "/"})
    assert "尝试次数太多" in page.get_data(as_text=True)


def test_api_errors_are_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.is_json
    assert set(response.get_json()["error"]) == {"field", "message"}

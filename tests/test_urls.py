"""``url_for`` remembers path-only links (portal/web/urls.py): the same links as Flask builds, per mount point and
blueprint, errors still raised, a bounded store."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.routing import BuildError

from portal.web import urls

CASES = [
    ("static", {"filename": "css/portal.css"}),
    ("static", {"filename": "no-such-file.css"}),
    ("home.index", {}),
    ("policies.show", {"policy_id": "nursing-subsidy"}),
    ("search.search", {"q": "护理 补贴", "page": 2}),
]


@pytest.mark.parametrize("script_root", ["", "/portal"])
def test_links_are_the_ones_flask_builds(app, script_root):
    with app.test_request_context("/", base_url="http://localhost" + script_root):
        for endpoint, values in CASES:
            expected = Flask.url_for(app, endpoint, **values)
            assert app.url_for(endpoint, **values) == expected  # built, then kept
            assert app.url_for(endpoint, **values) == expected  # from the store
            assert expected.startswith(script_root + "/")
        assert "?v=" in app.url_for("static", filename="css/portal.css")  # the url_defaults hook still runs


def test_a_mount_point_or_blueprint_never_gets_another_ones_link(app):
    with app.test_request_context("/"):
        plain = app.url_for("home.index")
    with app.test_request_context("/", base_url="http://localhost/portal"):
        assert app.url_for("home.index") == "/portal/" != plain
    with app.test_request_context("/search"):
        assert app.url_for(".search") == Flask.url_for(app, ".search")
    with app.test_request_context("/settings"):
        assert app.url_for(".edit") == Flask.url_for(app, ".edit")


def test_external_links_anchors_and_errors_are_flasks_own(app):
    with app.test_request_context("/", base_url="https://localhost"):
        assert app.url_for("home.index", _external=True) == "https://localhost/"
        assert app.url_for("home.index", _anchor="main") == "/#main"
        with pytest.raises(BuildError):
            app.url_for("no.such_endpoint")
        with pytest.raises(BuildError):
            app.url_for("no.such_endpoint")  # not kept as if it had been built
        assert app.url_for("search.search", q=["a", "b"]) == Flask.url_for(app, "search.search", q=["a", "b"])


def test_the_store_is_bounded(app, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(urls, "MAX_KEPT", 10)
    with app.test_request_context("/"):
        links = [app.url_for("search.search", q=str(n)) for n in range(50)]
    assert len(set(links)) == 50
    assert len(app._links) <= 10

"""Pages and static files compressed; static files under versioned URLs, cached for a year."""

from __future__ import annotations

import gzip
import re

import brotli

ASSET = re.compile(r'(?:src|href)="(/static/[^"?]+)\?v=([0-9a-f]{12})"')


def test_static_urls_carry_the_file_version_and_are_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    assets = ASSET.findall(html)
    assert {path for path, _ in assets} >= {"/static/css/portal.css", "/static/js/portal.js"}
    for path, version in assets:
        response = client.get(f"{path}?v={version}")
        assert response.status_code == 200
        cache = response.headers["Cache-Control"]
        assert "immutable" in cache and "max-age=31536000" in cache and "public" in cache


def test_an_unversioned_or_stale_url_is_revalidated_not_cached(client):
    for url in ("/static/css/portal.css", "/static/css/portal.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert "immutable" not in response.headers["Cache-Control"]
        assert "no-cache" in response.headers["Cache-Control"]


def test_static_files_are_sent_brotli_or_gzip_as_the_browser_accepts(client):
    plain = client.get("/static/css/portal.css", headers={"Accept-Encoding": "identity"}).get_data()
    br = client.get("/static/css/portal.css", headers={"Accept-Encoding": "gzip, br"})
    assert br.headers["Content-Encoding"] == "br" and "Accept-Encoding" in br.headers["Vary"]
    assert brotli.decompress(br.get_data()) == plain and len(br.get_data()) < len(plain) / 3
    gz = client.get("/static/css/portal.css", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.get_data()) == plain


def test_pages_are_compressed_and_never_cached_with_a_file(client):
    plain = client.get("/", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    br = client.get("/", headers={"Accept-Encoding": "br"})
    assert br.headers["Content-Encoding"] == "br"
    assert brotli.decompress(br.get_data()) == plain.get_data()
    english = client.get("/?lang=en", headers={"Accept-Encoding": "br"})  # a page is compressed as rendered
    assert "Find a policy" in brotli.decompress(english.get_data()).decode()

"""Static files and pages, compressed; static files under versioned URLs, cached for a year.

Flask-Compress (with the ``brotli`` package) compresses every text response a browser accepts compressed:
brotli when it says ``br``, else gzip. Pages are compressed as they are rendered (brotli level 4, a few hundred
microseconds for a page); a static file is compressed once, when the app starts, at the best ratio (brotli 11,
gzip 9: a one-off cost for a handful of files), and served from memory by Flask-Compress's cache.

``url_for('static', filename=…)`` adds ``?v=`` and the first 12 hex digits of the file's SHA-256, read when the app
starts. A request with the current version is answered ``Cache-Control: public, max-age=31536000, immutable``: a
browser never asks again, and a new deploy changes the URL. Without it (or with an old one), the file is served
``no-cache`` with its ETag, so a stale URL is revalidated rather than cached for a year.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from pathlib import Path

import brotli
from flask import Flask, Response, request
from flask_compress import Compress

compress = Compress()

YEAR = 365 * 24 * 3600
#: Text types worth compressing (images other than SVG are compressed already).
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
]


def file_versions(folder: Path) -> dict[str, str]:
    """Each static file's path (as ``url_for`` is given it) → a short hash of its content."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


class StaticFilesOnly:
    """Flask-Compress's cache, holding compressed static files only (keyed by encoding, path and version)."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def fill(self, folder: Path, versions: dict[str, str]) -> None:
        """Every compressible static file, compressed at the best ratio, under the keys Flask-Compress will ask."""
        for filename, version in versions.items():
            mimetype = mimetypes.guess_type(filename)[0]
            if mimetype not in COMPRESSED_TYPES:
                continue
            data = (folder / filename).read_bytes()
            self._store[f"br;{filename}?v={version}"] = brotli.compress(data, quality=11)
            self._store[f"gzip;{filename}?v={version}"] = gzip.compress(data, compresslevel=9, mtime=0)

    def get(self, key: str) -> bytes | None:
        return self._store.get(key)

    def set(self, key: str, value: bytes) -> None:
        if not key.endswith(";"):  # a page (no cache key): never kept
            self._store[key] = value


def _cache_key(versions: dict[str, str]):  # type: ignore[no-untyped-def]
    def key(req) -> str:  # type: ignore[no-untyped-def]
        if req.endpoint != "static":
            return ""
        filename = (req.view_args or {}).get("filename", "")
        return f"{filename}?v={versions.get(filename, '')}"

    return key


def init_app(app: Flask) -> None:
    if app.static_folder is None:
        raise RuntimeError("the portal serves its own static files")
    versions = file_versions(Path(app.static_folder))
    app.extensions["static_versions"] = versions
    cache = StaticFilesOnly()
    cache.fill(Path(app.static_folder), versions)
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    app.config.setdefault("COMPRESS_CACHE_BACKEND", lambda: cache)
    app.config.setdefault("COMPRESS_CACHE_KEY", _cache_key(versions))
    compress.init_app(app)

    @app.url_defaults
    def _version_static_urls(endpoint: str, values: dict[str, object]) -> None:
        if endpoint == "static" and "v" not in values:
            version = versions.get(str(values.get("filename", "")))
            if version:
                values["v"] = version

    # Registered after Flask-Compress, so it runs before it (Flask runs these last registered first).
    @app.after_request
    def _cache_static_files(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code != 200:
            return response
        filename = (request.view_args or {}).get("filename", "")
        if versions.get(filename) and request.args.get("v") == versions[filename]:
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        # A file is sent as a stream, which Flask-Compress would compress again on every request; read into
        # memory (the files are small), it is compressed once and kept.
        response.direct_passthrough = False
        response.set_data(response.get_data())
        return response

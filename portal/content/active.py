"""The content the running portal serves: one catalogue, read once from one directory.

Everything that reads ``content/`` (the app, the eligibility engine's texts and amounts, the checker's
questions, routing) asks :func:`current`, so ``CONTENT_DIR`` is honoured everywhere. The app calls :func:`use`
with its configured directory; code run outside the app (tests, scripts) gets ``$CONTENT_DIR`` or the
repository's ``content/``.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from .loader import load_catalogue
from .models import Catalogue

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "content"

_lock = threading.Lock()
_loaded: dict[Path, Catalogue] = {}
_chosen: Path | None = None


def content_dir() -> Path:
    return _chosen or Path(os.environ.get("CONTENT_DIR") or DEFAULT_DIR)


def load(directory: Path) -> Catalogue:
    """The catalogue of ``directory``, read once (content is read-only at run time)."""
    directory = Path(directory).resolve()
    with _lock:
        if directory not in _loaded:
            _loaded[directory] = load_catalogue(directory)
        return _loaded[directory]


def use(directory: Path) -> Catalogue:
    """Serve the content of ``directory`` from now on, and return its catalogue."""
    global _chosen
    catalogue = load(directory)
    _chosen = Path(directory).resolve()
    return catalogue


def current() -> Catalogue:
    return load(content_dir())

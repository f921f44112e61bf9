"""Where uploaded documents are kept: one small interface, a local directory by default (outside the web root,
under random names, sealed). Another backend (a shared volume, S3-compatible storage) implements the same three
methods."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Protocol


class DocumentStorage(Protocol):
    def put(self, data: bytes) -> str:
        """Keep ``data`` durably and return its key; returns only once the bytes are on disk."""

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


class LocalStorage:
    """Files under ``root/ab/abcdef…``; written to a temporary name, fsynced, renamed, and the directory fsynced."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if len(key) != 32 or not all(ch in "0123456789abcdef" for ch in key):
            raise KeyError(key)
        return self.root / key[:2] / key

    def put(self, data: bytes) -> str:
        key = secrets.token_hex(16)
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_suffix(".part")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        return key

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

"""Personal data at rest: sealed before it reaches the database (Fernet: AES-128-CBC with HMAC-SHA256) or the
upload store (AES-256-GCM), and looked up by a keyed hash, so a copy of the database or of the uploads alone
reveals no ID number, bank account, disability detail or document. The key lives outside the database (``DATA_KEY``, or
``instance/data_key`` created with mode 0600).

A key is rotated without stopping the portal (``flask --app portal maintenance rotate-key``, README "Rotating the
data key"): the portal runs with the new key as ``DATA_KEY`` and the old one among ``DATA_KEY_PREVIOUS``, seals
and hashes with the new key only and opens with either (a lookup by ID number tries the hash under each key), while
the command re-seals every value and re-computes every keyed hash; then the old key is removed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class _Key:
    """One data key and what is derived from it."""

    def __init__(self, key: str) -> None:
        try:
            raw = base64.urlsafe_b64decode(key.encode())
        except ValueError:
            raw = b""
        if len(raw) != 32:
            raise ValueError("DATA_KEY must be 32 bytes, url-safe base64 (Fernet.generate_key())")
        self.fernet = Fernet(key.encode())
        self.lookup_key = hashlib.sha256(b"dazu-portal lookup\x00" + raw).digest()
        self.files = AESGCM(hashlib.sha256(b"dazu-portal files\x00" + raw).digest())

    def lookup(self, value: str) -> str:
        return hmac.new(self.lookup_key, value.encode(), hashlib.sha256).hexdigest()


class Sealer:
    """Seals with ``key``; opens with ``key`` or any of ``previous`` (keys being rotated away)."""

    def __init__(self, key: str, previous: Sequence[str] = ()) -> None:
        self._keys = [_Key(key)] + [_Key(old) for old in previous if old and old != key]
        self._fernet = MultiFernet([k.fernet for k in self._keys])

    @staticmethod
    def generate_key() -> str:
        return Fernet.generate_key().decode()

    @property
    def rotating(self) -> bool:
        """Whether previous keys are configured (a rotation is under way)."""
        return len(self._keys) > 1

    def seal(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)  # with the first key: the current one

    def open(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken as error:
            raise ValueError("sealed data does not open with this key") from error

    def reseal(self, token: str) -> str:
        """``token`` sealed again under the current key (opened with whichever key sealed it)."""
        try:
            return self._fernet.rotate(token.encode()).decode()
        except InvalidToken as error:
            raise ValueError("sealed data does not open with this key") from error

    def seal_file(self, data: bytes) -> bytes:
        """Documents: AES-256-GCM, raw bytes (no base64: a photo costs 28 bytes more, not a third more)."""
        nonce = os.urandom(12)
        return nonce + self._keys[0].files.encrypt(nonce, data, b"document")

    def open_file(self, sealed: bytes) -> bytes:
        for key in self._keys:
            try:
                return key.files.decrypt(sealed[:12], sealed[12:], b"document")
            except (InvalidTag, ValueError):
                continue
        raise ValueError("sealed document does not open with this key")

    def seal_json(self, value: Any) -> str:
        return self.seal(json.dumps(value, ensure_ascii=False, sort_keys=True).encode()).decode()

    def open_json(self, token: str) -> Any:
        return json.loads(self.open(token.encode()))

    def lookup(self, value: str) -> str:
        """A keyed hash of ``value`` (an ID number) for finding a record without storing the value itself."""
        return self._keys[0].lookup(value)

    def lookups(self, value: str) -> list[str]:
        """The keyed hash of ``value`` under the current key and each previous one: what a lookup matches while a
        rotation is under way."""
        return [key.lookup(value) for key in self._keys]

    def fingerprint(self) -> str:
        """Names the key without revealing it (backups record it, so a restore can tell the key is the right one)."""
        return self.lookup("dazu-portal key fingerprint")[:16]

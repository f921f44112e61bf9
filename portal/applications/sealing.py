"""Personal data at rest: sealed before it reaches the database (Fernet: AES-128-CBC with HMAC-SHA256) or the
upload store (AES-256-GCM), and looked up by a keyed hash, so a copy of the database or of the uploads alone
reveals no ID number, bank account, disability detail or document. The key lives outside the database (``DATA_KEY``, or
``instance/data_key`` created with mode 0600)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class Sealer:
    def __init__(self, key: str) -> None:
        raw = base64.urlsafe_b64decode(key.encode())
        if len(raw) != 32:
            raise ValueError("DATA_KEY must be 32 bytes, url-safe base64 (Fernet.generate_key())")
        self._fernet = Fernet(key.encode())
        self._lookup_key = hashlib.sha256(b"dazu-portal lookup\x00" + raw).digest()
        self._files = AESGCM(hashlib.sha256(b"dazu-portal files\x00" + raw).digest())

    @staticmethod
    def generate_key() -> str:
        return Fernet.generate_key().decode()

    def seal(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def open(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken as error:
            raise ValueError("sealed data does not open with this key") from error

    def seal_file(self, data: bytes) -> bytes:
        """Documents: AES-256-GCM, raw bytes (no base64: a photo costs 28 bytes more, not a third more)."""
        nonce = os.urandom(12)
        return nonce + self._files.encrypt(nonce, data, b"document")

    def open_file(self, sealed: bytes) -> bytes:
        try:
            return self._files.decrypt(sealed[:12], sealed[12:], b"document")
        except (InvalidTag, ValueError) as error:
            raise ValueError("sealed document does not open with this key") from error

    def seal_json(self, value: Any) -> str:
        return self.seal(json.dumps(value, ensure_ascii=False, sort_keys=True).encode()).decode()

    def open_json(self, token: str) -> Any:
        return json.loads(self.open(token.encode()))

    def lookup(self, value: str) -> str:
        """A keyed hash of ``value`` (an ID number) for finding a record without storing the value itself."""
        return hmac.new(self._lookup_key, value.encode(), hashlib.sha256).hexdigest()

    def fingerprint(self) -> str:
        """Names the key without revealing it (backups record it, so a restore can tell the key is the right one)."""
        return self.lookup("dazu-portal key fingerprint")[:16]

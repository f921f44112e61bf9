"""Reference numbers and access codes (applications-and-petitions.md, "Reference numbers").

A reference is a kind letter, six random characters and a check character, from an alphabet without look-alikes
(no 0/O/Q, 1/I/L), grouped in fours for reading aloud: ``A7KX-4M9P``. The check character (Luhn mod 30) catches
any one mistyped character, before any lookup, and any two neighbours swapped but one pair: ``2`` and ``Z`` (the
first and last characters of the alphabet), Luhn's one blind spot. An access code is eight random
characters of the same alphabet, shown once and kept only as a hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPRSTUVWXYZ"
KINDS = {"application": "A", "petition": "C"}  # C: 诉求 (complaint); both letters are in the alphabet
RANDOM_LENGTH = 6
CODE_LENGTH = 8
_FOLD = str.maketrans({"O": "0", "Q": "0", "I": "1", "L": "1"})


def check_character(body: str) -> str:
    """Luhn mod N over ``body`` (N = 30)."""
    n = len(ALPHABET)
    total, factor = 0, 2
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def group(text: str) -> str:
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def new_reference(kind: str) -> str:
    body = KINDS[kind] + "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return group(body + check_character(body))


def normalise(raw: str) -> str:
    """Upper-case, separators removed; a look-alike read over the phone (O, I, L) folded to what it resembles,
    which the alphabet then refuses, so a wrong guess is never silently accepted."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum()).translate(_FOLD)


def parse_reference(raw: str, kind: str | None = None) -> str | None:
    """The grouped reference when ``raw`` is well formed with a correct check character (and of ``kind``), else
    None. Nothing is looked up for a malformed reference."""
    text = normalise(raw)
    if len(text) != 1 + RANDOM_LENGTH + 1 or any(ch not in ALPHABET for ch in text):
        return None
    if kind is not None and text[0] != KINDS[kind]:
        return None
    if check_character(text[:-1]) != text[-1]:
        return None
    return group(text)


def new_access_code() -> str:
    return group("".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH)))


def hash_access_code(code: str, reference: str) -> str:
    """scrypt of the normalised code, salted with the reference (a code is worthless without its reference)."""
    digest = hashlib.scrypt(normalise(code).encode(), salt=reference.encode(), n=2**14, r=8, p=1, dklen=32)
    return digest.hex()


def access_code_matches(code: str, reference: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_access_code(code, reference), stored_hash)

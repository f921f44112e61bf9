"""Personal data at rest: what the database and the upload store hold reveals nothing without the data key."""

from __future__ import annotations

import pytest

from portal.applications.sealing import Sealer

KEY = Sealer.generate_key()


def test_json_and_files_round_trip_and_hide_their_content():
    sealer = Sealer(KEY)
    token = sealer.seal_json({"id_number": "500111195203141234", "name": "李秀英"})
    assert "5001111952" not in token and "李秀英" not in token
    assert sealer.open_json(token) == {"id_number": "500111195203141234", "name": "李秀英"}
    photo = b"\xff\xd8\xff" + b"photo" * 1000
    sealed = sealer.seal_file(photo)
    assert photo[3:100] not in sealed and len(sealed) == len(photo) + 28  # nonce and tag only: no base64
    assert sealer.open_file(sealed) == photo
    assert sealer.seal_file(photo) != sealed  # a fresh nonce every time


def test_another_key_opens_nothing():
    token, sealed = Sealer(KEY).seal_json({"a": 1}), Sealer(KEY).seal_file(b"data")
    other = Sealer(Sealer.generate_key())
    with pytest.raises(ValueError):
        other.open_json(token)
    with pytest.raises(ValueError):
        other.open_file(sealed)
    with pytest.raises(ValueError):
        Sealer(KEY).open_file(sealed[:-1] + bytes([sealed[-1] ^ 1]))  # tampered


def test_lookups_are_keyed_and_stable():
    assert Sealer(KEY).lookup("500111195203141234") == Sealer(KEY).lookup("500111195203141234")
    assert Sealer(KEY).lookup("500111195203141234") != Sealer(Sealer.generate_key()).lookup("500111195203141234")
    assert "500111" not in Sealer(KEY).lookup("500111195203141234")


def test_a_wrong_key_is_refused_at_start():
    with pytest.raises(ValueError):
        Sealer("dG9vIHNob3J0")

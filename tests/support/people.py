"""Valid identity numbers for tests, computed (GB 11643), never real people's."""

from __future__ import annotations

from portal.applications.identity import id_check_character


def id_number(birth: str = "19520314", area: str = "500111", sequence: str = "123") -> str:
    """An 18-character ID number for someone born on ``birth`` (YYYYMMDD) in ``area`` (500111: 大足区)."""
    first17 = area + birth + sequence
    return first17 + id_check_character(first17)


def certificate_number(holder: str, category_digit: str = "4", grade: str = "1") -> str:
    return holder + category_digit + grade

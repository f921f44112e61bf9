"""Valid identity numbers for tests, computed (GB 11643), never real people's."""

from __future__ import annotations

from portal.applications.identity import id_check_character


def id_number(birth: str = "19520314", area: str = "500111", sequence: str = "123") -> str:
    """An 18-character ID number for someone born on ``birth`` (YYYYMMDD) in ``area`` (500111: 大足区)."""
    first17 = area + birth + sequence
    return first17 + id_check_character(first17)


def certificate_number(holder: str, category_digit: str = "4", grade: str = "1") -> str:
    return holder + category_digit + grade


#: Answers to the fact questions for someone who gets 护理补贴 (as the checker and the form submit them).
NURSING_FACTS = {"hukou": "dazu", "residence_permit": "no", "certificate": "yes", "category": "physical", "grade": "1",
                 "long_term_care": "yes", "household": "none"}  # fmt: skip

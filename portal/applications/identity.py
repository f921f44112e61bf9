"""The numbers residents write: 身份证号, 残疾人证号, phone and bank account, validated as they are written, and
shown back masked. No Flask here; each check returns the cleaned value or raises :class:`InvalidNumber` with a
stable ``code`` that the pages turn into a message in the resident's language."""

from __future__ import annotations

import re
from datetime import date

#: GB 11643-1999: weights of the first 17 digits, and the check character for each remainder mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
#: The category digit of a 残疾人证号 (the ID number, then category, then grade): GB/T 26341-2010's order.
CERTIFICATE_CATEGORY_DIGITS = {
    "1": "visual",
    "2": "hearing",
    "3": "speech",
    "4": "physical",
    "5": "intellectual",
    "6": "mental",
    "7": "multiple",
}
_SEPARATORS = re.compile(r"[\s\-\u3000]+")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")


class InvalidNumber(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _clean(raw: str) -> str:
    return _SEPARATORS.sub("", (raw or "").translate(_FULL_WIDTH))


def id_check_character(first17: str) -> str:
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def birth_date(id_number: str) -> date:
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def clean_id_number(raw: str, today: date | None = None) -> str:
    """An 18-character 居民身份证号码: spaces and dashes removed, ``x`` upper-cased, the check character and a real
    birth date (not in the future, not before 1900) verified."""
    text = _clean(raw).upper()
    if not text:
        raise InvalidNumber("required")
    if len(text) != 18:
        raise InvalidNumber("length")
    if not (text[:17].isdigit() and (text[17].isdigit() or text[17] == "X")):
        raise InvalidNumber("characters")
    try:
        born = birth_date(text)
    except ValueError:
        raise InvalidNumber("birth_date") from None
    if not date(1900, 1, 1) <= born <= (today or date.today()):
        raise InvalidNumber("birth_date")
    if id_check_character(text[:17]) != text[17]:
        raise InvalidNumber("check_digit")
    return text


def age_on(id_number: str, day: date) -> int:
    born = birth_date(id_number)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def clean_certificate_number(raw: str, id_number: str | None, category: str | None, grade: int | None) -> str:
    """A 残疾人证号: the holder's ID number, then the category digit (1 视力 … 7 多重), then the grade digit (1–4).
    It must agree with the ID number and with the category and grade given elsewhere in the application."""
    text = _clean(raw).upper()
    if not text:
        raise InvalidNumber("required")
    if len(text) != 20:
        raise InvalidNumber("certificate_length")
    try:
        holder = clean_id_number(text[:18])
    except InvalidNumber:
        raise InvalidNumber("certificate_id") from None
    if text[18] not in CERTIFICATE_CATEGORY_DIGITS or text[19] not in "1234":
        raise InvalidNumber("certificate_digits")
    if id_number and holder != id_number:
        raise InvalidNumber("certificate_other_person")
    if category and category != "autism" and CERTIFICATE_CATEGORY_DIGITS[text[18]] != category:
        raise InvalidNumber("certificate_category")
    if grade and int(text[19]) != grade:
        raise InvalidNumber("certificate_grade")
    return text


def clean_phone(raw: str) -> str:
    """A mainland mobile number (11 digits starting 1) or a landline with its area code (0 + 9–11 digits);
    ``+86`` / ``86`` and separators are dropped."""
    text = _clean(raw).replace("(", "").replace(")", "").replace("（", "").replace("）", "")
    if not text:
        raise InvalidNumber("required")
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    if not text.isdigit():
        raise InvalidNumber("phone_characters")
    if re.fullmatch(r"1[3-9]\d{9}", text) or re.fullmatch(r"0\d{9,11}", text):
        return text
    raise InvalidNumber("phone")


def clean_bank_account(raw: str) -> str:
    """A bank card or account number for payment: 12–19 digits (banks' own checks vary: no Luhn here)."""
    text = _clean(raw)
    if not text:
        raise InvalidNumber("required")
    if not text.isdigit():
        raise InvalidNumber("bank_characters")
    if not 12 <= len(text) <= 19:
        raise InvalidNumber("bank_length")
    return text


def mask(number: str, head: int = 4, tail: int = 4) -> str:
    """``5001**********1234``: enough to recognise, not enough to use."""
    if len(number) <= head + tail:
        return "*" * len(number)
    return number[:head] + "*" * (len(number) - head - tail) + number[-tail:]

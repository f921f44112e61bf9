"""身份证号, 残疾人证号, phone and bank account, validated as residents write them (GB 11643 check digit, real
birth dates), and masked when shown back."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.applications.identity import (
    InvalidNumber,
    age_on,
    clean_bank_account,
    clean_certificate_number,
    clean_id_number,
    clean_phone,
    id_check_character,
    mask,
)

from .support import people

PID = people.id_number("19520314")


def test_a_published_example_passes():
    """The worked example of GB 11643-1999 (11010519491231002X) is valid; one digit changed is not."""
    assert clean_id_number("11010519491231002X") == "11010519491231002X"
    with pytest.raises(InvalidNumber):
        clean_id_number("11010519491231003X")


@pytest.mark.parametrize(
    "written",
    [
        PID,
        f" {PID[:6]} {PID[6:14]} {PID[14:]} ",
        f"{PID[:6]}-{PID[6:14]}-{PID[14:]}",
        PID.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    ],
)
def test_spaces_dashes_and_full_width_digits_are_accepted(written):
    assert clean_id_number(written) == PID


def test_a_lower_case_x_is_upper_cased():
    number = "11010519491231002x"
    assert clean_id_number(number) == "11010519491231002X"


@pytest.mark.parametrize(
    "written, code",
    [
        ("", "required"),
        ("   ", "required"),
        (PID[:-1], "length"),
        (PID + "1", "length"),
        (PID[:10] + "A" + PID[11:], "characters"),
        ("500111195213401238", "birth_date"),  # month 13
        ("500111195202301234", "birth_date"),  # 30 February
        ("500111189912311234", "birth_date"),  # before 1900
        (people.id_number("20990101"), "birth_date"),  # not born yet
        (PID[:-1] + ("0" if PID[-1] != "0" else "1"), "check_digit"),
    ],
)
def test_bad_id_numbers_are_refused_with_a_reason(written, code):
    with pytest.raises(InvalidNumber) as error:
        clean_id_number(written, today=date(2026, 12, 1))
    assert error.value.code == code


@settings(deadline=None)  # timings on a shared CI machine are not what these test
@given(st.dates(date(1900, 1, 1), date(2026, 12, 1)), st.integers(0, 999))
def test_every_computed_number_passes_and_any_single_change_is_caught(born, sequence):
    number = people.id_number(born.strftime("%Y%m%d"), sequence=f"{sequence:03d}")
    assert clean_id_number(number, today=date(2026, 12, 1)) == number
    position = sequence % 17
    changed = number[:position] + str((int(number[position]) + 1) % 10) + number[position + 1 :]
    with pytest.raises(InvalidNumber):
        clean_id_number(changed, today=date(2026, 12, 1))


def test_age_is_counted_from_the_birthday():
    assert age_on(PID, date(2026, 3, 13)) == 73 and age_on(PID, date(2026, 3, 14)) == 74


def test_certificate_numbers_agree_with_the_id_category_and_grade():
    certificate = people.certificate_number(PID, "4", "1")
    assert clean_certificate_number(certificate.lower(), PID, "physical", 1) == certificate
    assert clean_certificate_number(certificate, None, None, None) == certificate
    cases = [
        (certificate[:-1], "certificate_length"),
        (people.certificate_number(PID[:-1] + ("0" if PID[-1] != "0" else "1")), "certificate_id"),
        (PID + "81", "certificate_digits"),
        (PID + "45", "certificate_digits"),
        (people.certificate_number(people.id_number("19600101")), "certificate_other_person"),
        (people.certificate_number(PID, "1", "1"), "certificate_category"),
        (people.certificate_number(PID, "4", "2"), "certificate_grade"),
    ]
    for written, code in cases:
        with pytest.raises(InvalidNumber) as error:
            clean_certificate_number(written, PID, "physical", 1)
        assert error.value.code == code, written


@pytest.mark.parametrize(
    "written, expected",
    [
        ("13800001234", "13800001234"),
        ("138 0000 1234", "13800001234"),
        ("+86 138-0000-1234", "13800001234"),
        ("023-4372 1234", "02343721234"),
        ("(023) 43721234", "02343721234"),
    ],
)
def test_phones(written, expected):
    assert clean_phone(written) == expected


@pytest.mark.parametrize("written", ["", "12345", "23800001234", "1380000123", "138000012345", "phone", "0234"])
def test_bad_phones(written):
    with pytest.raises(InvalidNumber):
        clean_phone(written)


def test_bank_accounts():
    assert clean_bank_account("6228 4800 1234 5678 901") == "6228480012345678901"
    for written, code in (
        ("", "required"),
        ("12345678901", "bank_length"),
        ("1" * 20, "bank_length"),
        ("6228-4800-ABCD", "bank_characters"),
    ):
        with pytest.raises(InvalidNumber) as error:
            clean_bank_account(written)
        assert error.value.code == code


def test_masking_shows_the_ends_only():
    assert mask("500111195203141234") == "5001**********1234"
    assert mask("1234") == "****"


def test_the_check_character_table():
    assert id_check_character("11010519491231002") == "X"

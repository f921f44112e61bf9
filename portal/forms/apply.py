"""The application pages' forms: each details page built from the intake engine's fields, with their words;
the consent, documents and declaration forms. Validation is the intake engine's (``portal.applications``);
these only carry labels, hints and the messages for its error codes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, Field, RadioField, StringField

from ..applications.intake import FIELDS, FieldError, Page, get
from ..content import Catalogue

LABELS: dict[str, tuple[Any, Any]] = {
    "who": (_l("Who is this application for?"), None),
    "proxy_name": (_l("Your full name"), _l("You are applying for someone else (代办). Write your own name.")),
    "relation": (_l("How are you related to the applicant?"), None),
    "proxy_id_number": (_l("Your ID card number"), _l("18 characters. The last one may be X.")),
    "proxy_phone": (_l("Your phone number"), _l("A mobile number, or a landline with its area code.")),
    "name": (_l("The applicant's full name"), _l("As written on the ID card or household register.")),
    "id_number": (
        _l("The applicant's ID card number (身份证号码)"),
        _l("18 characters, as on the ID card or household register. The last one may be X. Spaces are fine."),
    ),
    "phone": (_l("A phone number to reach the applicant"), _l("A mobile number, or a landline with its area code.")),
    "town": (_l("Town or sub-district (镇街)"), None),
    "village": (_l("Village or community (村/社区)"), None),
    "address": (_l("Address"), _l("The house number, group or building, for example 3组12号.")),
    "certificate_number": (
        _l("Disability certificate number (残疾人证号)"),
        _l("20 characters: the ID number, then the type digit and the grade digit, as on the certificate."),
    ),
    "bank_name": (_l("Bank for payment"), _l("For example 重庆农村商业银行大足支行.")),
    "bank_account": (_l("Bank card or account number"), _l("12 to 19 digits, in the applicant's own name.")),
}
OPTION_LABELS: dict[str, dict[str, Any]] = {
    "who": {"self": _l("Myself"), "proxy": _l("Someone else (I am applying for them: 代办)")},
    "relation": {
        "guardian": _l("Guardian (监护人)"),
        "family": _l("Family member"),
        "village_worker": _l("Village or community worker (村/社区工作人员)"),
        "other": _l("Someone else they asked"),
    },
}
PAGE_TITLES: dict[str, Any] = {
    "who": _l("Who is this application for?"),
    "proxy": _l("About you, the person applying for them"),
    "name": _l("The applicant's full name"),
    "id-number": _l("The applicant's ID card number (身份证号码)"),
    "phone": _l("A phone number to reach the applicant"),
    "address": _l("Where does the applicant live?"),
    "certificate-number": _l("Disability certificate number (残疾人证号)"),
    "bank": _l("Where should the money be paid?"),
}
#: Messages for the intake engine's error codes, per field first, then per code.
FIELD_MESSAGES: dict[tuple[str, str], Any] = {
    ("who", "required"): _l("Choose who the application is for"),
    ("relation", "required"): _l("Choose how you are related to the applicant"),
    ("town", "required"): _l("Choose the town or sub-district"),
    ("name", "required"): _l("Enter the applicant's full name"),
    ("proxy_name", "required"): _l("Enter your full name"),
    ("id_number", "required"): _l("Enter the applicant's ID card number"),
    ("proxy_id_number", "required"): _l("Enter your ID card number"),
    ("phone", "required"): _l("Enter a phone number"),
    ("proxy_phone", "required"): _l("Enter your phone number"),
    ("village", "required"): _l("Enter the village or community"),
    ("address", "required"): _l("Enter the address"),
    ("certificate_number", "required"): _l("Enter the disability certificate number"),
    ("bank_name", "required"): _l("Enter the name of the bank"),
    ("bank_account", "required"): _l("Enter the bank card or account number"),
}
CODE_MESSAGES: dict[str, Any] = {
    "too_long": _l("This is too long: please shorten it"),
    "characters": _l("Use only the characters shown on the card: digits, and X at the end"),
    "choice": _l("Choose one of the options"),
    "length": _l("An ID card number has 18 characters: check you have entered all of them"),
    "birth_date": _l("The date of birth in this ID card number (characters 7 to 14) is not a real date: check it"),
    "check_digit": _l("This ID card number is not right: check each character (the last one may be X)"),
    "certificate_length": _l("A disability certificate number has 20 characters: check you have entered all of them"),
    "certificate_id": _l("The first 18 characters must be the holder's ID card number: check them"),
    "certificate_digits": _l("The last two characters are the type (1 to 7) and the grade (1 to 4): check them"),
    "certificate_other_person": _l("This certificate number belongs to another ID card number than the applicant's"),
    "certificate_category": _l("The type digit of this certificate does not match the type of disability you gave"),
    "certificate_grade": _l("The grade digit of this certificate does not match the grade you gave"),
    "phone_characters": _l("Enter the phone number in digits only"),
    "phone": _l("Enter an 11-digit mobile number, or a landline with its area code, like 023 4372 1234"),
    "bank_characters": _l("Enter the account number in digits only"),
    "bank_length": _l("A bank card or account number has 12 to 19 digits"),
    "required": _l("This cannot be empty"),
}


def message(error: FieldError) -> str:
    return str(
        FIELD_MESSAGES.get((error.field, error.code)) or CODE_MESSAGES.get(error.code, CODE_MESSAGES["required"])
    )


def _field(name: str, catalogue: Catalogue, lang: str) -> Field:
    spec = FIELDS[name]
    label, hint = LABELS[name]
    if spec.kind == "text":
        return StringField(label, description=hint)
    assert spec.options is not None  # noqa: S101  (type narrowing: every non-text field spec has its options)
    if name == "town":
        choices = [(town.id, town.name.get(lang)) for town in catalogue.towns]
    else:
        choices = [(value, OPTION_LABELS[name][value]) for value in spec.options(catalogue)]
    return RadioField(label, description=hint, choices=choices)


def details_form(
    page: Page, catalogue: Catalogue, lang: str, answers: Mapping[str, Any], formdata: Any = None
) -> FlaskForm:
    """The form of one details page, filled from the answer store on GET and from what was typed on POST."""
    attrs = {name: _field(name, catalogue, lang) for name in page.fields}
    form_class = type("DetailsForm", (FlaskForm,), attrs)
    if formdata is not None:
        return form_class(formdata=formdata)
    return form_class(formdata=None, data={name: get(answers, name) for name in page.fields})


def show_errors(form: FlaskForm, errors: list[FieldError]) -> None:
    for error in errors:
        getattr(form, error.field).errors = [message(error)]


class ConsentForm(FlaskForm):
    general = BooleanField(_l("I agree that the portal uses this information to handle the application, as above."))
    sensitive = BooleanField(
        _l(
            "I separately agree to give sensitive personal information: the ID card number, the disability and its "
            "grade, the bank account and the documents."
        )
    )
    guardian = BooleanField(
        _l("If the applicant is a child under 14: I am their parent or guardian and I agree on their behalf.")
    )


class UploadForm(FlaskForm):
    files = FileField(_l("Choose photos or files"), render_kw={"multiple": True})


class DeclarationForm(FlaskForm):
    true_and_complete = BooleanField(_l("The information I have given is true and complete, as far as I know."))
    authority = BooleanField(_l("I am applying for someone else and they (or their guardian) asked me to."))


class ResumeForm(FlaskForm):
    reference = StringField(_l("Application reference"), description=_l("8 characters, for example A7KX-4M9P."))
    id_number = StringField(_l("The applicant's ID card number"))
    access_code = StringField(
        _l("Access code"), description=_l("8 characters, given when the application was first saved.")
    )

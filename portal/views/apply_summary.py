"""What the application pages say back: the check-answers rows (numbers masked)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _

from ..applications import intake
from ..applications.identity import mask
from ..applications.workflow import StoredFile
from ..checker.flow import question as fact_question
from ..checker.flow import texts
from ..db.models import Application
from ..forms.apply import LABELS, OPTION_LABELS
from ..questions import SummaryWords
from ..web.i18n import current_lang
from ..web.services import catalogue

Row = tuple[str, str, str | None, str]


def _shown(field: str, value: Any, lang: str, masked: bool = True) -> str:
    spec = intake.FIELDS[field]
    if value is None:
        return ""
    if spec.sensitive and masked:
        return mask(str(value))
    if field == "town":
        town = catalogue().town(str(value))
        return town.name.get(lang) if town else str(value)
    if field in OPTION_LABELS:
        return str(OPTION_LABELS[field].get(value, value))
    return str(value)


def _words() -> SummaryWords:
    return SummaryWords(
        yes=_("Yes"), no=_("No"), none_of_these=_("None of these"), separator="、",
        number=lambda age: _("%(age)d years old", age=age),
    )  # fmt: skip


def _detail_rows(
    pages: list[intake.Page], answers: dict[str, Any], lang: str, masked: bool, links: bool
) -> list[Row]:
    rows = []
    for page in pages:
        for field in page.fields:
            label = str(LABELS[field][0])
            href = url_for("apply.details", page_id=page.id, change=1) if links else None
            rows.append((label, _shown(field, intake.get(answers, field), lang, masked), href, label))
    return rows


def answer_rows(
    application: Application, answers: dict[str, Any], files: list[StoredFile], masked: bool = True, links: bool = True
) -> list[tuple[str, list[Row]]]:
    """(section title, rows) for the check-answers page; each row (question, answer, change link, hidden text)."""
    lang = current_lang()
    form = catalogue().forms[application.benefit]
    sections: list[tuple[str, list[Row]]] = []
    applicant_rows = _detail_rows(intake.applicant_pages(answers), answers, lang, masked, links)
    sections.append((_("About the applicant"), applicant_rows))
    rows: list[Row] = []
    questions = texts()["questions"]
    facts = answers.get("facts") or {}
    for name in answers.get("asked") or []:
        label = questions[name]["question"][lang]
        if name in (answers.get("skipped") or []):
            value = _("I don’t know")
        else:
            value = fact_question(name).summary(facts, lang, _words())
        rows.append((label, value, url_for("apply.fact", name=name, change=1) if links else None, label))
    sections.append((_("The applicant's situation"), rows))
    detail_rows = _detail_rows(intake.detail_pages(form), answers, lang, masked, links)
    if detail_rows:
        sections.append((_("Certificate and payment"), detail_rows))
    rows = []
    for document in form.documents:
        names = [f.name for f in files if f.document == document.id]
        value = "、".join(names) if names else _("None uploaded")
        href = url_for("apply.documents", change=1) if links else None
        rows.append((document.name.get(lang), value, href, document.name.get(lang)))
    sections.append((_("Documents"), rows))
    return sections

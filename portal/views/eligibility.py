"""``/eligibility``: the checker, one question per page (GOV.UK pattern), working without JavaScript.

Only the questions that can still change an answer are asked (the engine's ``missing``). Answers live
server-side for 30 minutes after the last change, and “start again” deletes them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from .. import session_store
from ..checker.flow import (
    EXCLUSION_FIELDS,
    EXCLUSIONS,
    AnswerError,
    Answers,
    is_question,
    next_question,
    previous_question,
    questions,
    read_answer,
)
from ..database import db_session
from ..eligibility import FIELDS, RULE_IDS, evaluate, field_label, value_label
from ..forms import BenefitsForm, CsrfOnlyForm, question_form
from ..i18n import current_lang
from ..services import catalogue
from .navigation import safe_local_path

bp = Blueprint("eligibility", __name__, url_prefix="/eligibility")

SESSION_KEY = "checker_answers_id"
STORE_KIND = "checker"
# Results grouped as the person reads them: what they can apply for first.
GROUPS = ("eligible", "needs_review", "need_more_info", "not_eligible")


def _texts() -> dict[str, Any]:
    return questions(Path(current_app.config["CONTENT_DIR"]))


def _loaded() -> tuple[Answers, Any] | None:
    loaded = session_store.load(db_session(), STORE_KIND, session.get(SESSION_KEY))
    return None if loaded is None else (Answers.from_dict(loaded[0]), loaded[1])


def _save(answers: Answers) -> Any:
    answers_id, expires = session_store.save(db_session(), STORE_KIND, session.get(SESSION_KEY), answers.to_dict())
    session[SESSION_KEY] = answers_id
    return expires


def _expired_redirect():
    flash(_("To protect your privacy, answers are cleared 30 minutes after your last change. Please start again."))
    return redirect(url_for("eligibility.start"))


def _step_url(answers: Answers):
    question = next_question(answers)
    if question is None:
        return url_for("eligibility.check_answers")
    return url_for("eligibility.question", name=question)


def _benefit_title(benefit: str, lang: str) -> str:
    policy = catalogue().policy(benefit)
    return policy.title.get(lang) if policy else benefit


def option_hints(name: str, lang: str) -> dict[str, str]:
    if name == EXCLUSIONS:  # its options are the labels themselves
        return {}
    options = _texts()["questions"].get(name, {}).get("options", {})
    return {str(value): text[lang] for value, text in options.items()}


@bp.get("")
def start():
    benefit = request.args.get("benefit")
    if benefit not in RULE_IDS:
        benefit = None
    lang = current_lang()
    return render_template(
        "eligibility/start.html",
        form=CsrfOnlyForm(),
        benefit=benefit,
        benefit_title=_benefit_title(benefit, lang) if benefit else None,
        resuming=_loaded() is not None,
    )


@bp.post("/start")
def begin():
    form = CsrfOnlyForm()
    form.validate_on_submit()  # CSRF is checked for every POST already
    session_store.clear(db_session(), STORE_KIND, session.pop(SESSION_KEY, None))
    benefit = request.form.get("benefit")
    answers = Answers()
    if benefit in RULE_IDS:
        answers.benefits, answers.benefits_chosen = [benefit], True
        _save(answers)
        return redirect(_step_url(answers))
    _save(answers)
    return redirect(url_for("eligibility.choose_benefits"))


@bp.route("/benefits", methods=["GET", "POST"])
def choose_benefits():
    loaded = _loaded()
    if loaded is None:
        return _expired_redirect()
    answers, _expires = loaded
    lang = current_lang()
    form = BenefitsForm(formdata=request.form if request.method == "POST" else None, benefits=answers.benefits or [])
    form.benefits.label.text = _("Which support do you want to check?")
    form.benefits.description = _("Choose any you are interested in. Choose none to check everything.")
    form.benefits.choices = [(rule, _benefit_title(rule, lang)) for rule in RULE_IDS]
    if request.method == "POST" and form.validate():
        chosen = [b for b in form.benefits.data if b in RULE_IDS]
        answers.benefits, answers.benefits_chosen = (chosen or None), True
        _save(answers)
        return redirect(_step_url(answers))
    return render_template("eligibility/benefits.html", form=form, expires=loaded[1])


@bp.route("/questions/<name>", methods=["GET", "POST"])
def question(name: str):
    if not is_question(name):
        abort(404)
    loaded = _loaded()
    if loaded is None:
        return _expired_redirect()
    answers, expires = loaded
    lang = current_lang()
    if request.method == "POST":
        form = question_form(name, _texts(), lang, answers, formdata=request.form)
        if "skip" in request.form:
            answers.record(name, {})
            _save(answers)
            return redirect(_step_url(answers))
        try:
            values = read_answer(name, request.form.getlist("answer"))
        except AnswerError as error:
            texts = _texts()["questions"].get(name, {})
            message = texts.get(f"error_{error.key}", {}).get(lang) or _("Choose an answer, or skip this question")
            form.answer.errors = [message]
            return _question_page(name, form, answers, expires, status=400)
        answers.record(name, values)
        _save(answers)
        return redirect(_step_url(answers))
    return _question_page(name, question_form(name, _texts(), lang, answers), answers, expires)


def _question_page(name: str, form: FlaskForm, answers: Answers, expires: Any, status: int = 200):
    previous = previous_question(answers, name)
    if previous:
        back = url_for("eligibility.question", name=previous)
    elif answers.benefits_chosen and not (answers.benefits and len(answers.benefits) == 1 and not answers.history):
        back = url_for("eligibility.choose_benefits")
    else:
        back = url_for("eligibility.start")
    kind = "text" if name == "age" else ("checkboxes" if name in (EXCLUSIONS, "multiple_includes") else "radios")
    return (
        render_template(
            "eligibility/question.html",
            form=form,
            name=name,
            kind=kind,
            hints=option_hints(name, current_lang()),
            back=back,
            expires=expires,
            has_errors=bool(form.errors or form.answer.errors),
        ),
        status,
    )


def _answer_rows(answers: Answers, lang: str) -> list[tuple[str, str, str, str]]:
    rows = []
    if answers.benefits_chosen:
        chosen = answers.benefits or []
        value = "、".join(_benefit_title(b, lang) for b in chosen) if chosen else _("Everything")
        rows.append((_("Support to check"), value, url_for("eligibility.choose_benefits"), _("support to check")))
    texts = _texts()["questions"]
    for name in answers.history:
        if name == EXCLUSIONS:
            applying = [texts[EXCLUSIONS]["options"][f][lang] for f in EXCLUSION_FIELDS if answers.profile.get(f)]
            value = "、".join(applying) if applying else _("None of these")
            label = texts[EXCLUSIONS]["question"][lang]
        elif name in answers.skipped:
            value, label = _("Not answered"), texts[name]["question"][lang]
        else:
            raw = answers.profile.get(name)
            if isinstance(raw, bool):
                value = _("Yes") if raw else _("No")
            elif isinstance(raw, list):
                value = "、".join(value_label("category", v, lang) for v in raw)
            elif name == "age":
                value = _("%(age)d years old", age=raw)
            else:
                value = value_label(name, raw, lang)
            label = texts[name]["question"][lang]
        rows.append(
            (
                label,
                value,
                url_for("eligibility.question", name=name),
                field_label(name, lang) if name in FIELDS else label,
            )
        )
    return rows


@bp.get("/check")
def check_answers():
    loaded = _loaded()
    if loaded is None:
        return _expired_redirect()
    answers, expires = loaded
    pending = next_question(answers)
    if pending is not None:
        return redirect(url_for("eligibility.question", name=pending))
    return render_template(
        "eligibility/check.html", rows=_answer_rows(answers, current_lang()), expires=expires, form=CsrfOnlyForm()
    )


@bp.get("/results")
def results():
    loaded = _loaded()
    if loaded is None:
        return _expired_redirect()
    answers, expires = loaded
    lang = current_lang()
    answers_list = evaluate(answers.profile, answers.benefits or list(RULE_IDS), lang=lang)
    grouped: dict[str, list[dict[str, Any]]] = {group: [] for group in GROUPS}
    for result in answers_list:
        result["title"] = _benefit_title(result["benefit"], lang)
        grouped[result["status"]].append(result)
    return render_template("eligibility/results.html", grouped=grouped, expires=expires, form=CsrfOnlyForm())


@bp.post("/restart")
def restart():
    session_store.clear(db_session(), STORE_KIND, session.pop(SESSION_KEY, None))
    flash(_("Your answers have been deleted."), "success")
    return redirect(url_for("eligibility.start"))


@bp.post("/extend")
def extend():
    loaded = _loaded()
    if loaded is None:
        return _expired_redirect()
    _save(loaded[0])
    return redirect(safe_local_path(request.form.get("next"), url_for("eligibility.check_answers")))

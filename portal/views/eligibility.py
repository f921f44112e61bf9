"""``/eligibility``: the checker, one question per page (GOV.UK pattern), working without JavaScript.

Only the questions that can still change an answer are asked (the engine's ``missing``). Answers live
server-side for 30 minutes after the last change, and “start again” deletes them.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from ..checker.flow import (
    EXCLUSIONS,
    AnswerError,
    Answers,
    is_question,
    next_question,
    previous_question,
    texts,
)
from ..checker.flow import question as checker_question
from ..db.visitor_store import CHECKER
from ..eligibility import FIELDS, RULE_IDS, evaluate, field_label
from ..forms import BenefitsForm, CsrfOnlyForm, question_form
from ..questions import SummaryWords
from ..web import visitor
from ..web.features import applies_online, online_rules, serves
from ..web.i18n import current_lang
from ..web.navigation import safe_local_path
from ..web.ratelimits import per_address
from ..web.services import catalogue

bp = Blueprint("eligibility", __name__, url_prefix="/eligibility")
serves(bp, "eligibility")

# Results grouped as the person reads them: what they can apply for first.
GROUPS = ("eligible", "needs_review", "need_more_info", "not_eligible")


def _loaded() -> tuple[Answers, Any] | None:
    stored = visitor.load(CHECKER)
    return None if stored is None else (Answers.from_dict(stored.data), stored.expires_at)


def _save(answers: Answers) -> Any:
    return visitor.save(CHECKER, answers.to_dict()).expires_at


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
    options = texts()["questions"].get(name, {}).get("options", {})
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
@per_address("checker")
def begin():
    form = CsrfOnlyForm()
    form.validate_on_submit()  # CSRF is checked for every POST already
    visitor.clear(CHECKER)
    benefit = request.form.get("benefit")
    answers = Answers()
    if benefit in RULE_IDS:
        answers.benefits, answers.benefits_chosen = [benefit], True
        _save(answers)
        return redirect(_step_url(answers))
    _save(answers)
    return redirect(url_for("eligibility.choose_benefits"))


@bp.route("/benefits", methods=["GET", "POST"])
@per_address("checker", methods=["POST"])
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


def _form(name: str, answers: Answers, formdata: Any = None) -> FlaskForm:
    lang = current_lang()
    text = texts()["questions"][name]
    label, hint = text["question"][lang], text.get("hint", {}).get(lang)
    return question_form(checker_question(name), label, hint, lang, answers.profile, formdata)


@bp.route("/questions/<name>", methods=["GET", "POST"])
@per_address("checker", methods=["POST"])
def question(name: str):
    if not is_question(name):
        abort(404)
    loaded = _loaded()
    if loaded is None:
        return _expired_redirect()
    answers, expires = loaded
    lang = current_lang()
    if request.method == "POST":
        form = _form(name, answers, formdata=request.form)
        if "skip" in request.form:
            answers.record(name, {})
            _save(answers)
            return redirect(_step_url(answers))
        try:
            values = checker_question(name).parse(request.form.getlist("answer"))
        except AnswerError as error:
            words = texts()["questions"].get(name, {})
            message = words.get(f"error_{error.key}", {}).get(lang) or _("Choose an answer, or skip this question")
            form.answer.errors = [message]
            return _question_page(name, form, answers, expires, status=400)
        answers.record(name, values)
        _save(answers)
        return redirect(_step_url(answers))
    return _question_page(name, _form(name, answers), answers, expires)


def _question_page(name: str, form: FlaskForm, answers: Answers, expires: Any, status: int = 200):
    previous = previous_question(answers, name)
    if previous:
        back = url_for("eligibility.question", name=previous)
    elif answers.benefits_chosen and not (answers.benefits and len(answers.benefits) == 1 and not answers.history):
        back = url_for("eligibility.choose_benefits")
    else:
        back = url_for("eligibility.start")
    return (
        render_template(
            "eligibility/question.html",
            form=form,
            name=name,
            kind=checker_question(name).kind,
            hints=option_hints(name, current_lang()),
            back=back,
            expires=expires,
            has_errors=bool(form.errors or form.answer.errors),
        ),
        status,
    )


def _summary_words() -> SummaryWords:
    return SummaryWords(
        yes=_("Yes"),
        no=_("No"),
        none_of_these=_("None of these"),
        separator="、",
        number=lambda age: _("%(age)d years old", age=age),
    )


def _answer_rows(answers: Answers, lang: str) -> list[tuple[str, str, str, str]]:
    rows = []
    if answers.benefits_chosen:
        chosen = answers.benefits or []
        value = "、".join(_benefit_title(b, lang) for b in chosen) if chosen else _("Everything")
        rows.append((_("Support to check"), value, url_for("eligibility.choose_benefits"), _("support to check")))
    questions = texts()["questions"]
    words = _summary_words()
    for name in answers.history:
        label = questions[name]["question"][lang]
        if name in answers.skipped:
            value = _("Not answered")
        else:
            value = checker_question(name).summary(answers.profile, lang, words)
        hidden = field_label(name, lang) if name in FIELDS else label
        rows.append((label, value, url_for("eligibility.question", name=name), hidden))
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
    answers_list = evaluate(answers.profile, answers.benefits or list(RULE_IDS), lang=lang, online=online_rules())
    grouped: dict[str, list[dict[str, Any]]] = {group: [] for group in GROUPS}
    for result in answers_list:
        result["title"] = _benefit_title(result["benefit"], lang)
        policy = catalogue().policy(result["benefit"])
        result["apply_url"] = url_for("apply.start", benefit=policy.id) if policy and applies_online(policy) else None
        grouped[result["status"]].append(result)
    return render_template("eligibility/results.html", grouped=grouped, expires=expires, form=CsrfOnlyForm())


@bp.post("/restart")
@per_address("checker")
def restart():
    visitor.clear(CHECKER)
    flash(_("Your answers have been deleted."), "success")
    return redirect(url_for("eligibility.start"))


@bp.post("/extend")
@per_address("checker")
def extend():
    loaded = _loaded()
    if loaded is None:
        return _expired_redirect()
    _save(loaded[0])
    return redirect(safe_local_path(request.form.get("next"), url_for("eligibility.check_answers")))

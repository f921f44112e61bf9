"""The home page: organised by what residents come to do."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template, url_for
from flask_babel import lazy_gettext as _l

from ..web.features import service_open

bp = Blueprint("home", __name__)


@dataclass(frozen=True)
class Task:
    title: str
    text: str
    href: str | None


# (service, endpoint, title, text, text shown while that service is not open; None: not shown then)
TASKS = (
    (
        "search",
        "search.search",
        _l("Find a policy or service"),
        _l("Search every policy and service in plain words."),
        None,
    ),
    (
        "eligibility",
        "eligibility.start",
        _l("Check what you can get"),
        _l("Answer a few questions to see which support you may be able to get."),
        None,
    ),
    (
        "apply",
        "apply.index",
        _l("Apply"),
        _l("Apply online for the services that take online applications."),
        _l("Online applications are not open yet. Each policy page says where to apply in person."),
    ),
    (
        "status",
        "status.start",
        _l("Track an application"),
        _l("See what is happening with your application."),
        _l("Online tracking is not open yet. Ask the office where you applied, or call 12385."),
    ),
    (
        "complaints",
        "complaints.start",
        _l("Make a complaint (12385)"),
        _l("Tell us about a problem; it goes to the department responsible."),
        _l("Call the 12385 disability services hotline to make a complaint or suggestion."),
    ),
    (
        "chat",
        "chat.page",
        _l("Ask the assistant"),
        _l("Ask a question in your own words, by typing or speaking."),
        _l("The online assistant is not open yet. Call 12385 to ask a person."),
    ),
)


def home_tasks() -> list[Task]:
    tasks = []
    for service, endpoint, title, text, offline_text in TASKS:
        online = service_open(service)
        if not online and offline_text is None:
            continue
        tasks.append(Task(str(title), str(text if online else offline_text), url_for(endpoint) if online else None))
    return tasks


@bp.get("/")
def index():
    return render_template("home.html", home_tasks=home_tasks)

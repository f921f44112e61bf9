"""What every template can use: the navigation, the page-feedback form."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_babel import format_date, format_time
from flask_babel import lazy_gettext as _l

from ..forms import FeedbackForm
from .features import service_open
from .i18n import current_display
from .layout_cache import ReaderCache


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    current: bool


# (service or None for pages that are always there, endpoint, label, shown in elder mode's simpler menu).
# An item appears while its service is open (features.py).
NAVIGATION = (
    (None, "home.index", _l("Home"), True),
    ("search", "search.search", _l("Find a policy"), True),
    ("eligibility", "eligibility.start", _l("Check what you can get"), True),
    ("chat", "chat.page", _l("Ask the assistant"), True),
    ("complaints", "complaints.start", _l("Complaints (12385)"), False),
    (None, "settings.edit", _l("Display settings"), False),
)


AUDIENCE_LABELS = {
    "children": _l("Children"),
    "students": _l("Students"),
    "working-age": _l("Working-age adults"),
    "older-people": _l("Older people"),
    "families": _l("Families and carers"),
    "employers": _l("Employers"),
}

# Easy-read icons: a picture per idea. Decorative (aria-hidden): the sentence beside it carries the meaning.
EASY_READ_ICONS = {
    "person": "🧑",
    "family": "👪",
    "child": "🧒",
    "money": "💴",
    "home": "🏠",
    "document": "📄",
    "phone": "📞",
    "office": "🏢",
    "calendar": "📅",
    "health": "🩺",
    "wheelchair": "♿",
    "school": "🏫",
    "work": "💼",
    "question": "❓",
    "check": "✅",
    "warning": "⚠️",
    "law": "⚖️",
    "heart": "❤️",
    "bus": "🚌",
    "book": "📖",
}


def nav_items() -> list[NavItem]:
    elder = current_display().elder
    items = []
    for service, endpoint, label, in_elder_menu in NAVIGATION:
        if (service and not service_open(service)) or (elder and not in_elder_menu):
            continue
        href = url_for(endpoint)
        current = request.path == href if href == "/" else request.path.startswith(href)
        items.append(NavItem(str(label), href, current))
    return items


def feedback_form_for(path: str) -> FeedbackForm:
    return FeedbackForm(prefix="feedback", formdata=None, path=path)


def warm_up(app: Flask) -> None:
    """Compile every template and read both languages' catalogues now: gunicorn calls this in its master before the
    workers fork (gunicorn.conf.py), so no worker spends its first requests on it."""
    from flask_babel import force_locale, get_translations

    from .display import LOCALES
    from .i18n import _wtforms_catalogue

    for name in app.jinja_env.list_templates(extensions=["html"]):
        app.jinja_env.get_template(name)
    with app.test_request_context("/"):
        for locale in LOCALES.values():
            with force_locale(locale):
                get_translations()
                _wtforms_catalogue(locale)


def init_app(app: Flask) -> None:
    app.extensions["warm_up"] = lambda: warm_up(app)
    app.jinja_env.globals.update(
        audience_labels=AUDIENCE_LABELS,
        easy_read_icons=EASY_READ_ICONS,
        nav_items=nav_items,
        feedback_form_for=feedback_form_for,
        format_date=format_date,
        format_time=format_time,
    )
    app.jinja_env.add_extension(ReaderCache)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

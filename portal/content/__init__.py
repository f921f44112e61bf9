"""The portal's reviewed content: load ``content/`` into dataclasses and check it.

``current()`` is the catalogue the portal serves (``use(content_dir)`` chooses it; the one reader of
``content/``); ``load_catalogue(content_dir)`` reads any directory; ``check_content(content_dir, seed_path)``
for set-up (``python -m portal.content check --seed ../shared/seed/000_737854678808b00c.txt``);
``portal.content.sources`` for what each policy's claims cite (``python -m portal.content sources``).
"""

from .active import current, use
from .check import check_content
from .loader import ContentError, ContentProblem, load_catalogue, render_markdown
from .models import (
    Catalogue,
    Category,
    Department,
    DocumentSpec,
    EasyReadItem,
    FormSpec,
    Indicator,
    Parameter,
    Policy,
    SignLanguage,
    Source,
    Task,
    Text,
    Town,
)

__all__ = [
    "Catalogue",
    "Category",
    "ContentError",
    "ContentProblem",
    "Department",
    "DocumentSpec",
    "EasyReadItem",
    "FormSpec",
    "Indicator",
    "Parameter",
    "Policy",
    "SignLanguage",
    "Source",
    "Task",
    "Text",
    "Town",
    "check_content",
    "current",
    "load_catalogue",
    "render_markdown",
    "use",
]

"""What an application's status says, in the reader's language: shared by ``/status`` and the API."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from ..applications.workflow import Applications, aware
from ..db.models import Application
from .services import catalogue

STATUS_LABELS = {
    "draft": _l("Not sent yet (draft)"),
    "submitted": _l("Received, waiting for the town or sub-district to accept it"),
    "accepted": _l("Accepted by the town or sub-district (受理)"),
    "in_review": _l("Being reviewed"),
    "awaiting_decision": _l("Waiting for a decision"),
    "more_info_requested": _l("More information needed from you"),
    "approved": _l("Approved"),
    "rejected": _l("Not approved"),
    "withdrawn": _l("Withdrawn"),
}
NOTES = {
    "draft_saved": _l("Application started and saved"),
    "submitted": _l("Application sent online"),
    "submitted_for_you": _l("Application sent for you by staff or a partner"),
    "withdrawn": _l("Application withdrawn"),
    "accepted": _l("Accepted by the town or sub-district (受理)"),
    "more_info_requested": _l("Staff asked you for more information: see below"),
    "answered": _l("You sent the information asked for"),
    "forwarded": _l("Sent on for review"),
    "recommended": _l("Reviewed; waiting for the decision"),
    "approved": _l("Decided: approved"),
    "rejected": _l("Decided: not approved"),
}


def office(application: Application, lang: str) -> dict[str, Any]:
    """Who to contact: the town that receives it and the department that decides (no personal data)."""
    policy = catalogue().policy(application.benefit)
    lead = catalogue().department(policy.lead_department) if policy else None
    town = catalogue().town(application.town or "")
    return {
        "town": {"id": town.id, "name": town.name.get(lang)} if town else None,
        "department": {"id": lead.id, "name": lead.name.get(lang)} if lead else None,
        "phone": "12385",
    }


def history(service: Applications, application: Application) -> list[dict[str, Any]]:
    """The dated history the resident sees (``at`` an aware datetime)."""
    return [
        {
            "status": event.status,
            "at": aware(event.at),
            "note": str(NOTES.get(event.note or "", "")) or None,
        }
        for event in service.history(application)
    ]

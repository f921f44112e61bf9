"""Which services are open: the one place the portal decides what it offers.

A service is *built* when its code exists (``BUILT`` below, changed by the issue that builds it). Configuration
(``PORTAL_FEATURES``) may then set each built service, and online applications per policy, to ``open``,
``staff`` (staff only: shipped dark to the public) or ``off``; with no configuration every built service is
open. A service that is not built is never open, whatever the configuration says. Templates, views and the
API ask this registry, never the URL map.

``PORTAL_FEATURES`` is a comma-separated list such as ``apply=staff,status=open,apply.dibao=off``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, Flask, abort, current_app

#: Every service the portal knows of, and whether its code exists yet.
BUILT: Mapping[str, bool] = {
    "search": True,
    "eligibility": True,
    "chat": True,
    "apply": True,  # application intake (applications-and-petitions.md)
    "status": True,  # application tracking
    "complaints": True,  # 12385 petitions
    "staff": True,  # the staff back office
}


class Availability(enum.Enum):
    OFF = "off"
    STAFF = "staff"
    OPEN = "open"

    def allows(self, staff: bool) -> bool:
        return self is Availability.OPEN or (staff and self is Availability.STAFF)


class FeaturesError(ValueError):
    """A ``PORTAL_FEATURES`` setting that cannot be read (the app refuses to start with it)."""


@dataclass(frozen=True)
class Features:
    """The availability of each service, and per-policy overrides of online applications."""

    services: Mapping[str, Availability]
    apply_overrides: Mapping[str, Availability] = field(default_factory=dict)

    @classmethod
    def from_setting(cls, setting: str, built: Mapping[str, bool] = BUILT) -> Features:
        services = {name: Availability.OPEN if is_built else Availability.OFF for name, is_built in built.items()}
        overrides: dict[str, Availability] = {}
        for item in (part.strip() for part in setting.split(",")):
            if not item:
                continue
            name, _, value = (piece.strip() for piece in item.partition("="))
            try:
                availability = Availability(value)
            except ValueError:
                raise FeaturesError(f"{item!r}: the value must be open, staff or off") from None
            if name.startswith("apply."):
                overrides[name.removeprefix("apply.")] = availability
            elif name in built:
                services[name] = availability if built[name] else Availability.OFF
            else:
                raise FeaturesError(f"{item!r}: unknown service (known: {', '.join(built)})")
        return cls(services, overrides)

    def availability(self, service: str) -> Availability:
        return self.services.get(service, Availability.OFF)

    def is_open(self, service: str, staff: bool = False) -> bool:
        return self.availability(service).allows(staff)

    def applies_online(self, policy_id: str, apply_mode: str, staff: bool = False) -> bool:
        """Whether the portal takes this policy's application online (to this viewer)."""
        if apply_mode != "online" or not self.is_open("apply", staff):
            return False
        return self.apply_overrides.get(policy_id, Availability.OPEN).allows(staff)


# --- the app's registry --------------------------------------------------------------------------------------


def init_app(app: Flask) -> None:
    features = Features.from_setting(str(app.config.get("PORTAL_FEATURES") or ""))
    unknown = set(features.apply_overrides) - {p.id for p in app.extensions["catalogue"].policies}
    if unknown:
        raise FeaturesError(f"PORTAL_FEATURES names unknown policies: {', '.join(sorted(unknown))}")
    app.extensions["features"] = features
    app.jinja_env.globals.update(service_open=service_open, applies_online=applies_online)


def features() -> Features:
    return current_app.extensions["features"]


def _viewer_is_staff() -> bool:
    """Whether a signed-in member of staff is looking."""
    from .staff_auth import current_staff  # imported here: staff sign-in needs the database, not every page does

    return current_staff() is not None


def service_open(service: str) -> bool:
    return features().is_open(service, _viewer_is_staff())


def applies_online(policy: Any) -> bool:
    """The portal takes this policy's application online now, to this viewer: the policy says online, its form
    exists in content, and the registry has the service (and the policy) open."""
    has_form = policy.id in current_app.extensions["catalogue"].forms
    return has_form and features().applies_online(policy.id, policy.apply, _viewer_is_staff())


def online_rules() -> frozenset[str]:
    """The eligibility rules whose benefit the portal takes applications for online now (to this viewer)."""
    return frozenset(
        policy.eligibility_rule
        for policy in current_app.extensions["catalogue"].policies
        if policy.eligibility_rule and applies_online(policy)
    )


F = TypeVar("F", bound=Callable[..., Any])


def requires_service(service: str) -> Callable[[F], F]:
    """A view of ``service``: 404 (as if it did not exist) to whoever the service is not open to."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not service_open(service):
                abort(404)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def serves(blueprint: Blueprint, service: str) -> None:
    """Every page of ``blueprint`` belongs to ``service``: 404 to whoever the service is not open to."""

    @blueprint.before_request
    def _service_is_open() -> None:
        if not service_open(service):
            abort(404)

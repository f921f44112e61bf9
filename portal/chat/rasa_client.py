"""The portal's one call to the Rasa assistant: its REST webhook, with short timeouts.

The portal never waits long on the assistant: when Rasa is down or slow the caller answers by itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests

CONNECT_TIMEOUT = 0.5


class AssistantUnavailable(Exception):
    """Rasa did not answer in time, or answered with something unusable."""


@dataclass
class Reply:
    """One assistant message. ``asks`` names the profile field it asks for; ``eligibility`` holds the decisions
    it reports (``{"benefit", "status"}``, plus ``title``, ``url``, ``apply_url`` for the result card)."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    asks: str | None = None
    eligibility: list[dict[str, Any]] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "buttons": self.buttons}
        if self.asks:
            out["asks"] = self.asks
        if self.eligibility is not None:
            out["eligibility"] = self.eligibility
        return out


def _decisions(value: object) -> list[dict[str, Any]] | None:
    if not isinstance(value, list):
        return None
    out = []
    for item in value:
        if isinstance(item, dict) and isinstance(item.get("benefit"), str) and isinstance(item.get("status"), str):
            out.append({k: item.get(k) for k in ("benefit", "status", "title", "url", "apply_url") if k in item})
    return out


def _attach(replies: list[Reply], custom: dict[str, Any]) -> None:
    """The assistant's machine-readable part (Rasa's ``custom``) goes with the message before it."""
    if not replies:
        return
    asks = custom.get("asks")
    if isinstance(asks, str) and asks:
        replies[-1].asks = asks[:50]
    decisions = _decisions(custom.get("eligibility"))
    if decisions is not None:
        replies[-1].eligibility = decisions


def ask(rasa_url: str, sender: str, message: str, lang: str, timeout: float) -> list[Reply]:
    """Send one user message to Rasa's REST channel and return its replies."""
    try:
        response = requests.post(
            f"{rasa_url.rstrip('/')}/webhooks/rest/webhook",
            json={"sender": sender, "message": message, "metadata": {"lang": lang}},
            timeout=(min(CONNECT_TIMEOUT, timeout), timeout),
        )
        response.raise_for_status()
        payload = response.json()
    except (requests.RequestException, ValueError) as error:
        raise AssistantUnavailable(str(error)) from error
    if not isinstance(payload, list):
        raise AssistantUnavailable("unexpected answer from Rasa")
    replies = []
    for item in payload:
        if isinstance(item, dict) and isinstance(item.get("custom"), dict):
            _attach(replies, item["custom"])
        if not isinstance(item, dict) or not (item.get("text") or item.get("buttons")):
            continue
        buttons = [
            {"title": str(button.get("title", "")), "payload": str(button.get("payload", ""))}
            for button in item.get("buttons") or []
            if isinstance(button, dict)
        ]
        replies.append(Reply(str(item.get("text") or ""), buttons))
    if not replies:
        raise AssistantUnavailable("Rasa answered with no message")
    return replies

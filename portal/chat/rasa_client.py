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


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "buttons": self.buttons}


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

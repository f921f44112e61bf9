"""Loads the actions' reply texts (messages.yml) and picks the user's language."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"


@cache
def messages() -> dict[str, Any]:
    with open(HERE / "messages.yml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def normalise_language(value: Any) -> str:
    """'en', 'en-GB', 'EN' -> 'en'; anything else -> 'zh' (the default)."""
    if isinstance(value, str) and value.strip().lower().startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


def _lookup(key: str) -> Any:
    node: Any = messages()
    for part in key.split("."):
        node = node[part]
    return node


def text(key: str, lang: str, **values: Any) -> str:
    """The message `key` (dotted path into messages.yml) in `lang`, placeholders filled."""
    entry = _lookup(key)
    template = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return template.format(**values) if values else template


def buttons(key: str, lang: str, **values: Any) -> list[dict[str, str]]:
    """The buttons of message `key` ([] when it has none); `yes_no` refers to yes_no_buttons."""
    entry = _lookup(key)
    spec: Any | None = entry.get("buttons") if isinstance(entry, dict) else None
    if spec == "yes_no":
        spec = messages()["yes_no_buttons"]
    out = []
    for button in spec or []:
        title = button["title"].get(lang) or button["title"][DEFAULT_LANGUAGE]
        out.append({"title": title, "payload": button["payload"].format(**values) if values else button["payload"]})
    return out


def join(items: list[str], lang: str) -> str:
    """Join short sentences with the language's list separator."""
    return text("list_separator", lang).join(i.strip() for i in items if i and i.strip())

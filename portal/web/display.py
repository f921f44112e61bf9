"""Display settings (text size, contrast, 长辈版, motion, language), kept in one cookie and applied server-side.

The cookie holds only these choices, as ``text=large&contrast=high&elder=1&motion=reduce&lang=en``; anything
unknown in it is ignored, so a tampered or old cookie can never break a page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode

COOKIE_NAME = "display"
COOKIE_MAX_AGE = 365 * 24 * 3600

TEXT_SIZES = ("standard", "large", "extra-large")
CONTRASTS = ("standard", "high")
MOTIONS = ("standard", "reduce")
LANGUAGES = ("zh", "en")
# The Babel locale and the HTML lang attribute for each language code.
LOCALES = {"zh": "zh_Hans", "en": "en"}
HTML_LANG = {"zh": "zh-Hans", "en": "en"}


@dataclass(frozen=True)
class DisplaySettings:
    text: str = "standard"
    contrast: str = "standard"
    elder: bool = False
    motion: str = "standard"
    lang: str = "zh"

    @classmethod
    def from_cookie(cls, raw: str | None) -> DisplaySettings:
        if not raw:
            return cls()
        values = dict(parse_qsl(raw[:200]))
        settings = cls()
        return settings.updated(values)

    def updated(self, values: dict[str, str]) -> DisplaySettings:
        """A copy with the valid values applied; invalid ones are ignored."""
        changes: dict[str, object] = {}
        if values.get("text") in TEXT_SIZES:
            changes["text"] = values["text"]
        if values.get("contrast") in CONTRASTS:
            changes["contrast"] = values["contrast"]
        if values.get("motion") in MOTIONS:
            changes["motion"] = values["motion"]
        if values.get("lang") in LANGUAGES:
            changes["lang"] = values["lang"]
        if values.get("elder") in {"0", "1"}:
            changes["elder"] = values["elder"] == "1"
        return replace(self, **changes)

    def to_cookie(self) -> str:
        return urlencode(
            {
                "text": self.text,
                "contrast": self.contrast,
                "elder": "1" if self.elder else "0",
                "motion": self.motion,
                "lang": self.lang,
            }
        )

    @property
    def html_classes(self) -> str:
        """Classes on ``<html>`` that the stylesheet keys on."""
        classes = [f"text-{self.text}", f"contrast-{self.contrast}"]
        if self.elder:
            classes.append("elder")
        if self.motion == "reduce" or self.elder:
            classes.append("reduce-motion")
        return " ".join(classes)

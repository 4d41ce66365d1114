"""The one message catalogue: every text the bot sends, in Swedish (default) and English.

Each concept keeps its texts in its own `*_messages.py` next to the renderer of the same name
(`issue_messages.py` for `issue.py`, `router_messages.py` for the command router's answers, …);
this module merges them and refuses a key defined twice. Placeholders use `str.format` names;
the test suite checks that both languages have every key with the same placeholders.
"""

from __future__ import annotations

import string
from typing import Literal

from bot.render.access_messages import ACCESS_MESSAGES
from bot.render.activation_messages import ACTIVATION_MESSAGES
from bot.render.calendar_messages import CALENDAR_MESSAGES
from bot.render.changes_messages import CHANGES_MESSAGES
from bot.render.conference_messages import CONFERENCE_MESSAGES
from bot.render.crypto_messages import CRYPTO_MESSAGES
from bot.render.delivery_messages import DELIVERY_MESSAGES
from bot.render.duty_messages import DUTY_MESSAGES
from bot.render.group_messages import GROUP_MESSAGES
from bot.render.help_messages import HELP_MESSAGES
from bot.render.issue_messages import ISSUE_MESSAGES
from bot.render.journal_messages import JOURNAL_MESSAGES
from bot.render.mail_messages import MAIL_MESSAGES
from bot.render.picture_messages import PICTURE_MESSAGES
from bot.render.report_link_messages import REPORT_LINK_MESSAGES
from bot.render.router_messages import ROUTER_MESSAGES
from bot.render.timeline_messages import TIMELINE_MESSAGES
from bot.render.web_messages import WEB_MESSAGES
from bot.render.webhook_messages import WEBHOOK_MESSAGES

Language = Literal["sv", "en"]


def _merge(*parts: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for part in parts:
        twice = merged.keys() & part.keys()
        if twice:
            raise ValueError(f"message keys defined twice: {sorted(twice)}")
        merged.update(part)
    return merged


MESSAGES: dict[str, dict[str, str]] = _merge(
    ROUTER_MESSAGES,
    HELP_MESSAGES,
    DELIVERY_MESSAGES,
    PICTURE_MESSAGES,
    CONFERENCE_MESSAGES,
    TIMELINE_MESSAGES,
    ACTIVATION_MESSAGES,
    ISSUE_MESSAGES,
    GROUP_MESSAGES,
    CRYPTO_MESSAGES,
    WEB_MESSAGES,
    CALENDAR_MESSAGES,
    ACCESS_MESSAGES,
    WEBHOOK_MESSAGES,
    REPORT_LINK_MESSAGES,
    DUTY_MESSAGES,
    MAIL_MESSAGES,
    JOURNAL_MESSAGES,
    CHANGES_MESSAGES,
)


class Catalogue:
    """Looks up messages in one language; `t("key", name=...)` formats them."""

    def __init__(self, language: Language = "sv") -> None:
        self.language: Language = language

    def __call__(self, key: str, **values: object) -> str:
        entry = MESSAGES[key]
        return entry[self.language].format(**values)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}

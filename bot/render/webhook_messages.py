"""Catalogue entries for events that come in by webhook (``hook.*``)."""

from __future__ import annotations

WEBHOOK_MESSAGES: dict[str, dict[str, str]] = {
    "hook.received": {
        "sv": "📡 Inkommet från {source}",
        "en": "📡 Received from {source}",
    },
    "hook.propose": {
        "sv": "🙋 {source} föreslår aktivering av {forum}. Aktivatörer: bedöm läget. "
        "För att aktivera, skriv:",
        "en": "🙋 {source} suggests activating {forum}. Activators: assess the situation. "
        "To activate, type:",
    },
    "hook.activate_command": {
        "sv": "!aktivera {id} {reason}",
        "en": "!activate {id} {reason}",
    },
}

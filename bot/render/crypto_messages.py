"""Catalogue entries for encryption (`crypto.*`): the notice to someone whose encrypted message
the bot could not read, with what to do about it."""

from __future__ import annotations

CRYPTO_MESSAGES: dict[str, dict[str, str]] = {
    "crypto.unreadable.one": {
        "sv": "{user}: Jag kunde inte läsa ditt krypterade meddelande från {time}, eftersom min "
        "session inte har fått nyckeln till det. Skicka det igen.",
        "en": "{user}: I could not read your encrypted message from {time}, because my session "
        "has not received its key. Please send it again.",
    },
    "crypto.unreadable.many": {
        "sv": "{user}: Jag kunde inte läsa dina {count} krypterade meddelanden sedan {time}, "
        "eftersom min session inte har fått nycklarna till dem. Skicka dem igen.",
        "en": "{user}: I could not read your {count} encrypted messages since {time}, because my "
        "session has not received their keys. Please send them again.",
    },
    "crypto.unreadable.fix": {
        "sv": "Så fungerar det nästa gång: verifiera botens session (en administratör ser dess "
        "fingeravtryck med !vem i ett direktmeddelande med boten) och se till att din egen "
        "session är korssignerad (verifierad), eller låt din klient dela nycklar med "
        "overifierade sessioner (i Element: Inställningar → Säkerhet och sekretess, stäng av "
        "”Skicka aldrig krypterade meddelanden till overifierade sessioner”).",
        "en": "To make it work next time: verify the bot's session (an admin sees its "
        "fingerprint with !whoami in a direct chat with the bot) and make sure your own session "
        "is cross-signed (verified), or let your client share keys with unverified sessions "
        "(in Element: Settings → Security & Privacy, turn off “Never send encrypted messages to "
        "unverified sessions”).",
    },
}

"""Catalogue entries for the web's login page (``access.*``).

Kept in their own module while several people edit the catalogue at once; merged into
``bot.render.catalogue.MESSAGES``. Same rules as there: both languages, same placeholders.
"""

from __future__ import annotations

ACCESS_MESSAGES: dict[str, dict[str, str]] = {
    "access.login.title": {"sv": "Logga in – Samverkan", "en": "Sign in – Samverkan"},
    "access.login.heading": {"sv": "Logga in", "en": "Sign in"},
    "access.login.explain": {
        "sv": "Ange webbtoken som du fått av administratören för boten.",
        "en": "Enter the web token you got from the bot's administrator.",
    },
    "access.login.token": {"sv": "Token", "en": "Token"},
    "access.login.submit": {"sv": "Logga in", "en": "Sign in"},
    "access.login.wrong": {
        "sv": "Fel token. Kontrollera den och försök igen.",
        "en": "Wrong token. Check it and try again.",
    },
    "access.login.missing": {
        "sv": "Ange en token.",
        "en": "Enter a token.",
    },
    "access.unauthorized": {
        "sv": "Inloggning krävs.",
        "en": "Sign-in required.",
    },
}

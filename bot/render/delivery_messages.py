"""What the bot says when a message could not be delivered or carried out (the outbox and the
inbox)."""

DELIVERY_MESSAGES: dict[str, dict[str, str]] = {
    # -- delivery ----------------------------------------------------------------------
    "outbox.failed": {
        "sv": "Boten kunde inte skicka ett meddelande till {room}: {error}",
        "en": "The bot could not send a message to {room}: {error}",
    },
    "outbox.refused_here": {
        "sv": "⚠️ Ett meddelande från boten kunde inte levereras i det här rummet: servern "
        "vägrade det ({error}). Inget annat väntar på det; administratörerna har fått veta.",
        "en": "⚠️ A message from the bot could not be delivered in this room: the server "
        "refused it ({error}). Nothing else waits for it; the administrators have been told.",
    },
    "inbox.gave_up": {
        "sv": "Boten kunde inte utföra ditt meddelande efter {tries} försök (databasen eller "
        "servern svarade inte). Inget har ändrats; skicka det igen om en stund.",
        "en": "The bot could not carry out your message after {tries} tries (the database or "
        "the server did not answer). Nothing was changed; send it again in a while.",
    },
}

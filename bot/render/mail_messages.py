"""E-mail: the reservväg off Matrix (alerts, summaries, pictures) and the acknowledgement page.
Subjects name only what kind of mail it is and its number: never the content."""

MAIL_MESSAGES: dict[str, dict[str, str]] = {
    "mail.alert.subject": {
        "sv": "Larm {id}: bekräfta att du sett det",
        "en": "Alert {id}: please acknowledge",
    },
    "mail.alert.intro": {
        "sv": "Du har larmats som {function} och har inte bekräftat i Matrix.",
        "en": "You were alerted as {function} and have not acknowledged in Matrix.",
    },
    "mail.alert.message": {"sv": "Meddelande: {message}", "en": "Message: {message}"},
    "mail.alert.withheld": {
        "sv": "Innehållet skickas inte med e-post; läs det i Matrix eller i webbvyn: {link}",
        "en": "The content is not sent by e-mail; read it in Matrix or in the web view: {link}",
    },
    "mail.alert.ack": {
        "sv": "Bekräfta här (samma som !kvittera i Matrix): {link}",
        "en": "Acknowledge here (the same as !ack in Matrix): {link}",
    },
    "mail.alert.expires": {
        "sv": "Länken gäller en gång, till {time}.",
        "en": "The link works once, until {time}.",
    },
    "mail.summary.subject": {
        "sv": "Sammanfattning från {forum}",
        "en": "Summary from {forum}",
    },
    "mail.summary.withheld": {
        "sv": "En sammanfattning från {forum} finns. Innehållet skickas inte med e-post; läs "
        "det i webbvyn: {link}",
        "en": "A summary from {forum} is ready. The content is not sent by e-mail; read it in "
        "the web view: {link}",
    },
    "mail.picture.subject": {
        "sv": "Samlad lägesbild från {forum}",
        "en": "Combined picture from {forum}",
    },
    "mail.picture.withheld": {
        "sv": "Den samlade lägesbilden från {forum} finns. Innehållet skickas inte med e-post; "
        "läs det i webbvyn: {link}",
        "en": "The combined picture from {forum} is ready. The content is not sent by e-mail; "
        "read it in the web view: {link}",
    },
    "mail.footer": {
        "sv": "Skickat automatiskt av samverkan, reservvägen när Matrix inte når fram.",
        "en": "Sent automatically by samverkan, the fallback when Matrix does not reach you.",
    },
    "ack.page.title": {"sv": "Bekräfta larm {id}", "en": "Acknowledge alert {id}"},
    "ack.page.body": {
        "sv": "Larm till {function}, {time}. Tryck på knappen för att bekräfta att du sett det.",
        "en": "Alert to {function}, {time}. Press the button to acknowledge that you have seen it.",
    },
    "ack.page.button": {"sv": "Bekräfta", "en": "Acknowledge"},
    "ack.done.title": {"sv": "Bekräftat", "en": "Acknowledged"},
    "ack.done.body": {
        "sv": "Larm {id} är bekräftat för {user}. Påminnelserna till dig slutar.",
        "en": "Alert {id} is acknowledged for {user}. The reminders to you stop.",
    },
    "ack.error.forged.title": {"sv": "Länken fungerar inte", "en": "The link does not work"},
    "ack.error.forged.body": {
        "sv": "Länken är ofullständig eller ändrad. Kopiera hela länken från e-postmeddelandet, "
        "eller bekräfta med !kvittera i Matrix.",
        "en": "The link is incomplete or altered. Copy the whole link from the e-mail, or "
        "acknowledge with !ack in Matrix.",
    },
    "ack.error.expired.title": {"sv": "Länken har gått ut", "en": "The link has expired"},
    "ack.error.expired.body": {
        "sv": "Länken gäller inte längre. Bekräfta med !kvittera i Matrix om larmet fortfarande "
        "pågår.",
        "en": "The link no longer works. Acknowledge with !ack in Matrix if the alert is "
        "still running.",
    },
    "ack.error.used.title": {"sv": "Redan bekräftat", "en": "Already acknowledged"},
    "ack.error.used.body": {
        "sv": "Larmet är redan bekräftat, eller avslutat. Du behöver inte göra något mer.",
        "en": "The alert is already acknowledged, or over. There is nothing more to do.",
    },
}

"""The stabsjournal: ``!log``, ``!export``, and the names of its entries."""

JOURNAL_MESSAGES: dict[str, dict[str, str]] = {
    "cmd.log.summary": {
        "sv": "skriver en rad i forumets stabsjournal",
        "en": "writes a line in the forum's journal (stabsjournal)",
    },
    "cmd.log.usage": {"sv": "!logg text", "en": "!log text"},
    "cmd.export.summary": {
        "sv": "stabsjournalen och lägesbilderna som PDF i rummet",
        "en": "the journal and the pictures as a PDF in the room",
    },
    "cmd.export.usage": {
        "sv": "!exportera [möte|aktivering]",
        "en": "!export [meeting|activation]",
    },
    "journal.logged.activation": {
        "sv": "Antecknat i aktivering {ref}s stabsjournal.",
        "en": "Noted in the journal of activation {ref}.",
    },
    "journal.logged.meeting": {
        "sv": "Antecknat i mötets stabsjournal.",
        "en": "Noted in the meeting's journal.",
    },
    "journal.logged.forum": {
        "sv": "Antecknat i forumets stabsjournal.",
        "en": "Noted in the forum's journal.",
    },
    "journal.empty": {
        "sv": "Skriv vad som ska antecknas: !logg text",
        "en": "Write what to note: !log text",
    },
    "journal.too_long": {
        "sv": "Anteckningen är för lång ({length} tecken; högst {max}). Dela upp den.",
        "en": "The note is too long ({length} characters; at most {max}). Split it up.",
    },
    "journal.not_forum": {
        "sv": "Stabsjournalen förs i ett forums rum; skriv kommandot där.",
        "en": "The journal is kept in a forum's room; use the command there.",
    },
    "journal.no_activation": {
        "sv": "{forum} har ingen aktivering att exportera.",
        "en": "{forum} has no activation to export.",
    },
    "journal.no_meeting": {
        "sv": "{forum} har inget möte att exportera.",
        "en": "{forum} has no meeting to export.",
    },
    "journal.exported": {
        "sv": "Stabsjournalen ({entries} poster) och lägesbilderna som PDF:",
        "en": "The journal ({entries} entries) and the pictures as a PDF:",
    },
    "journal.title.meeting": {
        "sv": "Stabsjournal – {forum}, möte {when}",
        "en": "Journal – {forum}, meeting {when}",
    },
    "journal.title.activation": {
        "sv": "Stabsjournal – {forum}, aktivering {ref}",
        "en": "Journal – {forum}, activation {ref}",
    },
    "journal.period": {"sv": "Från {start} till {end}", "en": "From {start} to {end}"},
    "journal.ongoing": {"sv": "pågår", "en": "ongoing"},
    "journal.reason": {"sv": "Anledning: {reason}", "en": "Reason: {reason}"},
    "journal.entries": {"sv": "Händelser", "en": "Entries"},
    "journal.pictures": {"sv": "Samlade lägesbilder", "en": "Combined pictures"},
    "journal.col.time": {"sv": "Tid", "en": "Time"},
    "journal.col.who": {"sv": "Vem", "en": "Who"},
    "journal.col.what": {"sv": "Vad", "en": "What"},
    "journal.none": {"sv": "Inga poster.", "en": "No entries."},
    "journal.generated": {
        "sv": "Skapad {when} av samverkan. Allmän handling: arkiveras enligt era rutiner.",
        "en": "Made {when} by samverkan. An official record: archive it by your routines.",
    },
    "journal.kind.journal.log": {"sv": "Anteckning", "en": "Note"},
    "journal.kind.report": {"sv": "Lägesrapport", "en": "Situation report"},
    "journal.kind.activation.request": {"sv": "Aktivering begärd", "en": "Activation requested"},
    "journal.kind.activation.activate": {"sv": "Beslut: aktiverat", "en": "Decision: activated"},
    "journal.kind.activation.deactivate": {
        "sv": "Beslut: avaktiverat",
        "en": "Decision: deactivated",
    },
    "journal.kind.activation.host": {"sv": "Värdskap ändrat", "en": "Host changed"},
    "journal.kind.alert.raise": {"sv": "Larm", "en": "Alert"},
    "journal.kind.alert.ack": {"sv": "Kvitterat", "en": "Acknowledged"},
    "journal.kind.alert.escalate": {"sv": "Eskalerat", "en": "Escalated"},
    "journal.kind.alert.handoff": {"sv": "Larm överlämnat", "en": "Alert handed over"},
    "journal.kind.alert.mail": {"sv": "Larm via e-post", "en": "Alert by e-mail"},
    "journal.kind.direction.draft": {"sv": "Inriktning föreslagen", "en": "Direction drafted"},
    "journal.kind.direction.adopt": {"sv": "Beslut: inriktning", "en": "Decision: direction"},
    "journal.kind.group.create": {"sv": "Arbetsgrupp bildad", "en": "Working group formed"},
    "journal.kind.group.assign": {"sv": "Uppdrag till grupp", "en": "Task to group"},
    "journal.kind.group.report": {"sv": "Grupprapport", "en": "Group report"},
    "journal.kind.duty.take": {"sv": "Jour tagen", "en": "Duty taken"},
    "journal.kind.duty.give": {"sv": "Jour lämnad", "en": "Duty given"},
    "journal.kind.duty.release": {"sv": "Jour återlämnad", "en": "Duty released"},
    "journal.kind.webhook.posted": {"sv": "Extern händelse", "en": "External event"},
    "journal.kind.issue": {"sv": "Ärende", "en": "Issue"},
    "journal.kind.other": {"sv": "Händelse", "en": "Event"},
}

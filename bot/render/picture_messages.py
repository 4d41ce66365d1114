"""Catalogue entries for situation reports and the combined picture (``report.*``, ``picture.*``).

Kept in their own module while several people edit the catalogue at once; the lead merges them
into ``bot.render.catalogue.MESSAGES``. Same rules as there: both languages, same placeholders.
"""

from __future__ import annotations

_FIELDS_SV = {
    "situation": ("Läge", "vad som händer, för er"),
    "impact": ("Påverkan", "konsekvenser för er verksamhet och för allmänheten"),
    "actions": ("Åtgärder", "vidtagna och planerade åtgärder"),
    "needs": ("Behov", "behov av samordning, stöd eller resurser från andra"),
    "resources": ("Resurser", "resurser ni kan erbjuda andra"),
    "communication": (
        "Kommunikation",
        "genomförd och planerad kommunikation, budskap att samordna",
    ),
    "outlook": ("Prognos", "förväntad utveckling"),
    "contact": ("Kontakt", "vem som nås hos er under händelsen"),
    "readiness": ("Beredskap", "er beredskapsnivå"),
}
_FIELDS_EN = {
    "situation": ("Situation", "what is happening, for you"),
    "impact": ("Impact", "consequences for your operations and for the public"),
    "actions": ("Actions", "measures taken and planned"),
    "needs": ("Needs", "needs for coordination, support or resources from others"),
    "resources": ("Resources", "resources you can offer others"),
    "communication": ("Communication", "communication done and planned, messages to coordinate"),
    "outlook": ("Outlook", "expected development"),
    "contact": ("Contact", "who to reach at your organisation during the event"),
    "readiness": ("Readiness", "your readiness level"),
}

_CATEGORIES = {
    "stat": ("Statliga myndigheter", "State agencies"),
    "region": ("Region", "Region"),
    "kommun": ("Kommuner", "Municipalities"),
    "blåljus": ("Blåljus", "Emergency services"),
    "trafik": ("Trafik", "Transport"),
    "övrig": ("Övriga", "Other"),
}

_WEEKDAYS_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

PICTURE_MESSAGES: dict[str, dict[str, str]] = {
    # -- reading a report ----------------------------------------------------------------
    "report.empty": {
        "sv": "Lägesbilden är tom. Skriv en rad per fält efter kommandot, t.ex. "
        '"läge: …", "behov: …", "beredskap: …".',
        "en": "The situation report is empty. Write one field per line after the command, "
        'e.g. "situation: …", "needs: …", "readiness: …".',
    },
    "report.readiness_unknown": {
        "sv": '"{value}" är ingen beredskapsnivå. Ange en av: {levels}.',
        "en": '"{value}" is not a readiness level. Use one of: {levels}.',
    },
    "report.readiness_ambiguous": {
        "sv": '"{value}" kan vara flera beredskapsnivåer ({candidates}). '
        "Skriv ut nivån, en av: {levels}.",
        "en": '"{value}" could be several readiness levels ({candidates}). '
        "Write the level out, one of: {levels}.",
    },
    "report.receipt": {
        "sv": "Lägesbild mottagen från {actor}.",
        "en": "Situation report received from {actor}.",
    },
    "report.receipt_readiness": {
        "sv": "Lägesbild mottagen från {actor} (beredskap: {readiness}).",
        "en": "Situation report received from {actor} (readiness: {readiness}).",
    },
    "report.format.title": {
        "sv": "Så rapporterar ni er lägesbild",
        "en": "How to report your situation",
    },
    "report.format.intro": {
        "sv": 'Skriv {command} följt av en rad per fält, som "nyckel: text". Text utan nyckel '
        "räknas som läge; fält ni inget har att säga om kan utelämnas. En ny rapport ersätter "
        "er tidigare för samma möte.",
        "en": 'Type {command} followed by one field per line, as "key: text". Text without a '
        "key counts as the situation; leave out fields you have nothing to say about. A new "
        "report replaces your earlier one for the same meeting.",
    },
    "report.format.levels": {
        "sv": "Beredskapsnivåer: {levels}. Allt över {first} markeras i den samlade lägesbilden.",
        "en": "Readiness levels: {levels}. Anything above {first} is highlighted in the "
        "combined picture.",
    },
    "report.format.keys": {"sv": "Fält", "en": "Fields"},
    # -- the combined picture ------------------------------------------------------------
    "picture.title": {
        "sv": "Samlad lägesbild – {forum}",
        "en": "Combined situation picture – {forum}",
    },
    "picture.when": {"sv": "{weekday} {date} kl. {time}", "en": "{weekday} {date} at {time}"},
    "picture.round": {"sv": "rapportrunda {number}", "en": "reporting round {number}"},
    "picture.host": {"sv": "Värd: {host}", "en": "Host: {host}"},
    "picture.reason": {"sv": "Anledning: {reason}", "en": "Reason: {reason}"},
    "picture.deadline": {
        "sv": "Sista tid för rapporter: kl. {time}",
        "en": "Reports due by {time}",
    },
    "picture.exercise": {
        "sv": "ÖVNING ÖVNING ÖVNING – detta är en övning, inte en verklig händelse.",
        "en": "EXERCISE EXERCISE EXERCISE – this is an exercise, not a real event.",
    },
    "picture.counts": {
        "sv": "{reported} av {expected} aktörer har rapporterat.",
        "en": "{reported} of {expected} actors have reported.",
    },
    "picture.extras_one": {
        "sv": "Dessutom en rapport från en aktör som inte är kallad till forumet.",
        "en": "Also a report from an actor not called in to the forum.",
    },
    "picture.extras_many": {
        "sv": "Dessutom rapporter från {count} aktörer som inte är kallade till forumet.",
        "en": "Also reports from {count} actors not called in to the forum.",
    },
    "picture.extra": {"sv": "ej kallad", "en": "not called in"},
    "picture.no_reports": {
        "sv": "Inga lägesbilder har kommit in ännu.",
        "en": "No situation reports have come in yet.",
    },
    "picture.direction.title": {
        "sv": "Gemensam regional inriktning",
        "en": "Joint regional direction",
    },
    "picture.direction.numbered": {
        "sv": "Gemensam regional inriktning nr {number}",
        "en": "Joint regional direction no. {number}",
    },
    "picture.direction.goal": {"sv": "Mål", "en": "Goal"},
    "picture.direction.priorities": {"sv": "Prioriteringar", "en": "Priorities"},
    "picture.direction.guidelines": {"sv": "Riktlinjer", "en": "Guidelines"},
    "picture.direction.messages": {"sv": "Gemensamma budskap", "en": "Joint messages"},
    "picture.readiness.title": {"sv": "Beredskap", "en": "Readiness"},
    "picture.readiness.actor": {"sv": "Aktör", "en": "Actor"},
    "picture.readiness.level": {"sv": "Nivå", "en": "Level"},
    "picture.readiness.not_stated": {"sv": "ej angiven", "en": "not stated"},
    # Not "höjd beredskap": in Sweden that is the government-declared state of heightened
    # alert (lag 1992:1403), so the picture names the scale's first level instead.
    "picture.readiness.raised_one": {
        "sv": "1 aktör har en beredskapsnivå över {first}.",
        "en": "1 actor reports a readiness level above {first}.",
    },
    "picture.readiness.raised_many": {
        "sv": "{count} aktörer har en beredskapsnivå över {first}.",
        "en": "{count} actors report a readiness level above {first}.",
    },
    "picture.readiness.none_raised": {
        "sv": "Ingen aktör har en beredskapsnivå över {first}.",
        "en": "No actor reports a readiness level above {first}.",
    },
    "picture.nothing_to_report": {
        "sv": "Inget särskilt att rapportera.",
        "en": "Nothing in particular to report.",
    },
    "picture.needs.title": {"sv": "Behov av samordning", "en": "Needs for coordination"},
    "picture.needs.who": {"sv": "Aktör", "en": "Actor"},
    "picture.needs.what": {"sv": "Behov", "en": "Need"},
    "picture.needs.none": {
        "sv": "Inga behov av samordning har rapporterats.",
        "en": "No needs for coordination have been reported.",
    },
    "picture.resources.title": {"sv": "Resurser som erbjuds", "en": "Resources offered"},
    "picture.communication.title": {
        "sv": "Planerad kommunikation",
        "en": "Planned communication",
    },
    "picture.outlook.title": {"sv": "Prognos", "en": "Outlook"},
    "picture.contacts.title": {"sv": "Kontaktvägar", "en": "Contacts"},
    "picture.groups.title": {
        "sv": "Rapporter från arbetsgrupper",
        "en": "Working group reports",
    },
    "picture.missing.title": {"sv": "Har inte rapporterat", "en": "Not reported"},
    "picture.missing.none": {"sv": "Alla har rapporterat.", "en": "Everyone has reported."},
    "picture.needs.in_thread": {
        "sv": "Behov för samordning: {count}, listade i tråden.",
        "en": "Needs for coordination: {count}, listed in the thread.",
    },
    "picture.missing.in_thread": {
        "sv": "Har inte rapporterat: {count} aktörer, listade i tråden.",
        "en": "Not reported: {count} actors, listed in the thread.",
    },
    "picture.attached": {
        "sv": "Hela lägesbilden ({actors} aktörer) finns i filen i tråden.",
        "en": "The whole picture ({actors} actors) is in the file in the thread.",
    },
    "picture.document.filename": {
        "sv": "lagesbild-{forum}-{when}.html",
        "en": "picture-{forum}-{when}.html",
    },
    "picture.continued": {
        "sv": "Aktörernas rapporter följer i tråden ({parts} delar).",
        "en": "The actors' reports follow in the thread ({parts} parts).",
    },
}


def _tabulated() -> dict[str, dict[str, str]]:
    """Field labels and meanings, category names and weekdays, from the tables above."""
    entries: dict[str, dict[str, str]] = {}
    for field, (label, meaning) in _FIELDS_SV.items():
        label_en, meaning_en = _FIELDS_EN[field]
        entries[f"report.field.{field}"] = {"sv": label, "en": label_en}
        entries[f"report.meaning.{field}"] = {"sv": meaning, "en": meaning_en}
    for category, (sv, en) in _CATEGORIES.items():
        entries[f"picture.category.{category}"] = {"sv": sv, "en": en}
    for day, (sv, en) in enumerate(zip(_WEEKDAYS_SV, _WEEKDAYS_EN, strict=True)):
        entries[f"picture.weekday.{day}"] = {"sv": sv, "en": en}
    return entries


PICTURE_MESSAGES.update(_tabulated())
PICTURE_MESSAGES["picture.living_title"] = {
    "sv": "Lägesbild under insamling – {forum}",
    "en": "Situation picture, reports coming in – {forum}",
}
PICTURE_MESSAGES["picture.living_note"] = {
    "sv": "Lägesbilden uppdateras här när rapporterna kommer in; den samlade bilden kommer vid "
    "rapportstoppet.",
    "en": "This picture is updated here as reports come in; the combined picture comes at the "
    "report deadline.",
}

"""Catalogue entries for the subscribable meeting calendar, ``/calendar.ics`` (``ics.*``).

Kept in their own module while several people edit the catalogue at once; merged into
``bot.render.catalogue.MESSAGES``. Same rules as there: both languages, same placeholders.
"""

from __future__ import annotations

CALENDAR_MESSAGES: dict[str, dict[str, str]] = {
    "ics.name": {"sv": "Samverkan: möten", "en": "Samverkan: meetings"},
    "ics.name.forum": {"sv": "Samverkan: {forum}", "en": "Samverkan: {forum}"},
    "ics.roster.name": {
        "sv": "Samverkan: jour {function} ({actor})",
        "en": "Samverkan: duty {function} ({actor})",
    },
    "ics.roster.shift": {"sv": "{function}: {user}", "en": "{function}: {user}"},
    "ics.roster.override": {
        "sv": "{function}: {user} (övertagen)",
        "en": "{function}: {user} (override)",
    },
    "ics.unknown_roster": {
        "sv": "Ingen jourlista för {function}. Ange ?roster= med en av: {known}.",
        "en": "No duty roster for {function}. Give ?roster= one of: {known}.",
    },
    "ics.description": {
        "sv": "Kallelse {call_in}, påminnelse {reminder}, lägesrapporter senast {deadline} "
        "(samlad lägesbild). Mötet pågår till {end}.\nMatrix-rum: {room}",
        "en": "Call-in {call_in}, reminder {reminder}, situation reports by {deadline} "
        "(combined picture). The meeting lasts until {end}.\nMatrix room: {room}",
    },
    "ics.unknown_forum": {
        "sv": "Okänt forum: {forum}. Ange ?forum= med ett av: {known}; eller inget för alla "
        "schemalagda forum.",
        "en": "Unknown forum: {forum}. Give ?forum= one of: {known}; or nothing for every "
        "scheduled forum.",
    },
    "ics.unscheduled_forum": {
        "sv": "{forum} har inga schemalagda möten (det sammankallas vid behov). Schemalagda "
        "forum: {known}.",
        "en": "{forum} has no scheduled meetings (it is convened when needed). Scheduled "
        "forums: {known}.",
    },
}

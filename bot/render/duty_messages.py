"""Catalogue entries for duty rosters (``duty.*``): `!duty`, overrides and hand-off notices."""

from __future__ import annotations

DUTY_MESSAGES: dict[str, dict[str, str]] = {
    "whoami.on_duty": {
        "sv": "Du har tjänsten {function} just nu.",
        "en": "You are on duty for {function} now.",
    },
    "whoami.off_duty": {
        "sv": "Du står på jourlistan för {function}; just nu har {holder} tjänsten.",
        "en": "You are on the roster of {function}; {holder} is on duty now.",
    },
    "duty.title": {"sv": "Tjänstgöring just nu", "en": "On duty now"},
    "duty.none": {
        "sv": "Inga jourlistor är inställda ([[rosters]] i konfigurationen).",
        "en": "No duty rosters are set up ([[rosters]] in the configuration).",
    },
    "duty.line": {
        "sv": "{function} ({actor}): {holder}{until}",
        "en": "{function} ({actor}): {holder}{until}",
    },
    "duty.until": {"sv": " till {when}", "en": " until {when}"},
    "duty.override": {"sv": " (övertagen)", "en": " (override)"},
    "duty.nobody": {"sv": "ingen", "en": "nobody"},
    "duty.next": {"sv": "sedan {holder}", "en": "then {holder}"},
    "duty.usage": {
        "sv": "Skriv !tjänst för att se vem som har tjänsten, !tjänst ta FUNKTION [till TID], "
        "!tjänst ge FUNKTION @person [till TID] eller !tjänst släpp FUNKTION.",
        "en": "Type !duty to see who is on duty, !duty take FUNCTION [until TIME], "
        "!duty give FUNCTION @user [until TIME] or !duty release FUNCTION.",
    },
    "duty.unknown_function": {
        "sv": "Funktionen {function} har ingen jourlista. Jourlistor finns för: {functions}.",
        "en": "The function {function} has no duty roster. Rosters exist for: {functions}.",
    },
    "duty.not_in_roster": {
        "sv": "{user} står inte på jourlistan för {function}, och kan inte ha tjänsten. "
        "På listan: {members}.",
        "en": "{user} is not on the duty roster of {function}, so cannot be on duty. "
        "On the roster: {members}.",
    },
    "duty.not_on_duty": {
        "sv": "Bara den som har tjänsten {function} nu ({holder}) eller en administratör kan "
        "lämna över den.",
        "en": "Only whoever is on duty for {function} now ({holder}) or an admin can hand it over.",
    },
    "duty.no_override": {
        "sv": "Du har inte tagit över {function}, så det finns inget att släppa.",
        "en": "You have not taken over {function}, so there is nothing to release.",
    },
    "duty.no_handoff": {
        "sv": "Jourlistan för {function} har ingen kommande överlämning; ange till när, "
        "t.ex. !tjänst ta {function} till fre 08:00.",
        "en": "The roster of {function} has no coming hand-off; say until when, e.g. "
        "!duty take {function} until fri 08:00.",
    },
    "duty.taken": {
        "sv": "{user} har nu tjänsten {function} till {when}.",
        "en": "{user} is now on duty for {function} until {when}.",
    },
    "duty.released": {
        "sv": "Du har släppt {function}; nu har {holder} tjänsten.",
        "en": "You released {function}; {holder} is on duty now.",
    },
    "duty.handoff.in": {
        "sv": "Du har nu tjänsten {function} för {actor}{until}.",
        "en": "You are now on duty for {function} for {actor}{until}.",
    },
    "duty.handoff.out": {
        "sv": "Din tjänst {function} för {actor} är överlämnad till {holder}.",
        "en": "Your duty {function} for {actor} is handed over to {holder}.",
    },
    "duty.handoff.open": {"sv": "Öppet just nu:", "en": "Open right now:"},
    "duty.handoff.nothing_open": {
        "sv": "Inget är öppet just nu.",
        "en": "Nothing is open right now.",
    },
    "duty.handoff.activation": {
        "sv": "Aktivering: {forum}",
        "en": "Activation: {forum}",
    },
    "duty.handoff.alert": {
        "sv": "Okvitterad alertering #{id}: {message} (kvittera med !kvittera {id})",
        "en": "Unacknowledged alert #{id}: {message} (acknowledge with !ack {id})",
    },
    "duty.handoff.issue": {"sv": "Ärende #{number}: {title}", "en": "Issue #{number}: {title}"},
    "duty.handoff.meeting": {
        "sv": "Nästa möte: {forum} {when}",
        "en": "Next meeting: {forum} {when}",
    },
    "cmd.duty.summary": {
        "sv": "vem som har tjänsten för varje jourlista nu och härnäst; ta, ge eller släpp den",
        "en": "who is on duty for each roster now and next; take, give or release a shift",
    },
    "cmd.duty.usage": {
        "sv": "!tjänst | !tjänst ta FUNKTION [till TID] | !tjänst ge FUNKTION @person [till TID] "
        "| !tjänst släpp FUNKTION",
        "en": "!duty | !duty take FUNCTION [until TIME] | !duty give FUNCTION @user [until TIME] "
        "| !duty release FUNCTION",
    },
}

"""Catalogue entries for the activation summary and the alert listings (``timeline.*``).

Kept in their own module while several people edit the catalogue at once; merged into
``bot.render.catalogue.MESSAGES``. Same rules as there: both languages, same placeholders.
``timeline.entry.<kind>`` is one line of the timeline per ``TimelineEntry.kind``.
"""

from __future__ import annotations

TIMELINE_MESSAGES: dict[str, dict[str, str]] = {
    # -- shared pieces -------------------------------------------------------------------
    "timeline.system": {"sv": "boten", "en": "the bot"},
    "timeline.via.command": {"sv": "kommando", "en": "command"},
    "timeline.via.reaction": {"sv": "reaktion", "en": "reaction"},
    "timeline.via.email": {"sv": "e-post", "en": "e-mail"},
    "timeline.at": {"sv": "kl. {time}", "en": "at {time}"},
    "timeline.at_date": {"sv": "{date} kl. {time}", "en": "{date} at {time}"},
    "timeline.acked_count": {
        "sv": "{acked} av {total} kvitterade",
        "en": "{acked} of {total} acknowledged",
    },
    "timeline.flag.exercise": {"sv": "övning", "en": "exercise"},
    "timeline.flag.escalated": {"sv": "eskalerat", "en": "escalated"},
    "timeline.flag.cancelled": {"sv": "avbrutet", "en": "cancelled"},
    "timeline.duration.days": {"sv": "{count} dygn", "en": "{count} d"},
    "timeline.duration.hours": {"sv": "{count} h", "en": "{count} h"},
    "timeline.duration.minutes": {"sv": "{count} min", "en": "{count} min"},
    # -- one line per timeline entry -----------------------------------------------------
    "timeline.entry.requested": {
        "sv": "{user} begärde aktivering",
        "en": "{user} requested activation",
    },
    "timeline.entry.activated": {
        "sv": "{user} aktiverade forumet",
        "en": "{user} activated the forum",
    },
    "timeline.entry.host": {
        "sv": "{host} tog över värdskapet (ändrat av {user})",
        "en": "{host} took over as host (set by {user})",
    },
    "timeline.entry.alert": {
        "sv": "Larm #{id} till {function} ({recipients} mottagare) från {user}: ”{message}”",
        "en": "Alert #{id} to {function} ({recipients} pinged) from {user}: “{message}”",
    },
    "timeline.entry.ack": {
        "sv": "{who} kvitterade larm #{id}{via}",
        "en": "{who} acknowledged alert #{id}{via}",
    },
    "timeline.entry.escalated": {
        "sv": "Larm #{id} eskalerades till {to}; ej kvitterat av {users}",
        "en": "Alert #{id} escalated to {to}; not acknowledged by {users}",
    },
    "timeline.entry.escalated_no_target": {
        "sv": "Larm #{id} eskalerades; ej kvitterat av {users}",
        "en": "Alert #{id} escalated; not acknowledged by {users}",
    },
    "timeline.entry.cancelled": {
        "sv": "Larm #{id} till {function} avbröts",
        "en": "Alert #{id} to {function} was cancelled",
    },
    "timeline.entry.round_opened": {
        "sv": "Rapportrunda {number} öppnades",
        "en": "Reporting round {number} opened",
    },
    "timeline.entry.report": {
        "sv": "Lägesbild från {actor} (runda {number})",
        "en": "Situation report from {actor} (round {number})",
    },
    "timeline.entry.round_closed": {
        "sv": "Rapportrunda {number} stängdes: {reported} av {expected} aktörer rapporterade",
        "en": "Reporting round {number} closed: {reported} of {expected} actors reported",
    },
    "timeline.entry.round_closed_missing": {
        "sv": "Rapportrunda {number} stängdes: {reported} av {expected} aktörer rapporterade; "
        "saknas: {missing}",
        "en": "Reporting round {number} closed: {reported} of {expected} actors reported; "
        "missing: {missing}",
    },
    "timeline.entry.withdrawn": {
        "sv": "{user} avslutade begäran utan att forumet aktiverades",
        "en": "{user} closed the request without the forum being activated",
    },
    "timeline.entry.ended": {
        "sv": "{user} avaktiverade forumet",
        "en": "{user} deactivated the forum",
    },
    # -- the activation summary ----------------------------------------------------------
    "timeline.summary.title": {
        "sv": "Sammanfattning av aktiveringen av {forum}",
        "en": "Summary of the activation of {forum}",
    },
    "timeline.summary.title_exercise": {
        "sv": "⚠️ Övning: sammanfattning av aktiveringen av {forum}",
        "en": "⚠️ Exercise: summary of the activation of {forum}",
    },
    "timeline.summary.reason": {"sv": "Anledning: {reason}", "en": "Reason: {reason}"},
    "timeline.summary.requested": {
        "sv": "Begärd av {user}, {when}",
        "en": "Requested by {user}, {when}",
    },
    "timeline.summary.activated": {
        "sv": "Aktiverad av {user}, {when}",
        "en": "Activated by {user}, {when}",
    },
    "timeline.summary.not_activated": {
        "sv": "Inte aktiverad: begäran väntar på bekräftelse.",
        "en": "Not activated: the request awaits confirmation.",
    },
    "timeline.summary.withdrawn": {
        "sv": "Aldrig aktiverad: begäran avslutades av {user}, {when}.",
        "en": "Never activated: the request was closed by {user}, {when}.",
    },
    "timeline.summary.ended": {
        "sv": "Avaktiverad av {user}, {when}",
        "en": "Deactivated by {user}, {when}",
    },
    "timeline.summary.ongoing": {
        "sv": "Aktiveringen pågår fortfarande.",
        "en": "The activation is still ongoing.",
    },
    "timeline.summary.duration": {"sv": "Varaktighet: {duration}", "en": "Duration: {duration}"},
    "timeline.summary.host": {"sv": "Värd: {host}", "en": "Host: {host}"},
    "timeline.summary.final_host": {
        "sv": "Värd vid avaktiveringen: {host}",
        "en": "Host at deactivation: {host}",
    },
    "timeline.summary.alerts": {"sv": "Larm", "en": "Alerts"},
    "timeline.summary.no_alerts": {"sv": "Inga larm skickades.", "en": "No alerts were sent."},
    "timeline.summary.alert": {
        "sv": "Larm #{id} till {function} {time}: {counts}",
        "en": "Alert #{id} to {function} {time}: {counts}",
    },
    "timeline.summary.unacked": {
        "sv": "ej kvitterat: {users}",
        "en": "not acknowledged: {users}",
    },
    "timeline.summary.escalated": {
        "sv": "eskalerat {time} till {to}",
        "en": "escalated {time} to {to}",
    },
    "timeline.summary.escalated_no_target": {"sv": "eskalerat {time}", "en": "escalated {time}"},
    "timeline.summary.cancelled": {"sv": "avbrutet {time}", "en": "cancelled {time}"},
    "timeline.summary.rounds": {"sv": "Rapportrundor", "en": "Reporting rounds"},
    "timeline.summary.no_rounds": {
        "sv": "Inga rapportrundor.",
        "en": "No reporting rounds.",
    },
    "timeline.summary.round": {
        "sv": "Runda {number}: {reported} av {expected} aktörer rapporterade",
        "en": "Round {number}: {reported} of {expected} actors reported",
    },
    "timeline.summary.round_open": {
        "sv": "Runda {number} (pågår): {reported} av {expected} aktörer har rapporterat",
        "en": "Round {number} (open): {reported} of {expected} actors have reported",
    },
    "timeline.summary.round_missing": {"sv": "saknas: {actors}", "en": "missing: {actors}"},
    "timeline.summary.timeline": {"sv": "Tidslinje", "en": "Timeline"},
    # -- one alert and who acknowledged it -----------------------------------------------
    "timeline.status.title": {
        "sv": "Larm #{id} till {function}",
        "en": "Alert #{id} to {function}",
    },
    "timeline.status.title_exercise": {
        "sv": "⚠️ Övningslarm #{id} till {function}",
        "en": "⚠️ Exercise alert #{id} to {function}",
    },
    "timeline.status.raised": {"sv": "Skickat av {user}, {when}", "en": "Sent by {user}, {when}"},
    "timeline.status.acked": {"sv": "✅ {who} {time}{via}", "en": "✅ {who} {time}{via}"},
    "timeline.status.pending": {
        "sv": "⏳ {who} — ej kvitterat",
        "en": "⏳ {who} — not acknowledged",
    },
    "timeline.status.pending_reminded_one": {
        "sv": "⏳ {who} — ej kvitterat, påmind 1 gång",
        "en": "⏳ {who} — not acknowledged, reminded once",
    },
    "timeline.status.pending_reminded_many": {
        "sv": "⏳ {who} — ej kvitterat, påmind {count} gånger",
        "en": "⏳ {who} — not acknowledged, reminded {count} times",
    },
    "timeline.status.no_recipients": {
        "sv": "Larmet nådde ingen mottagare.",
        "en": "The alert reached no one.",
    },
    # -- !alerts -------------------------------------------------------------------------
    "timeline.list.title": {"sv": "Larm ({count})", "en": "Alerts ({count})"},
    "timeline.list.none": {"sv": "Inga larm.", "en": "No alerts."},
    "timeline.list.item": {
        "sv": "#{id} {function}, {time}: {counts}",
        "en": "#{id} {function}, {time}: {counts}",
    },
}

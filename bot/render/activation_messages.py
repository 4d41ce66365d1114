"""Catalogue entries for activated mode (`activation.*`), alerts (`alert.*`) and their commands."""

from __future__ import annotations

ACTIVATION_MESSAGES: dict[str, dict[str, str]] = {
    "exercise.marker": {"sv": "ÖVNING", "en": "EXERCISE"},
    # -- activation ----------------------------------------------------------------------
    "activation.announce": {
        "sv": "🚨 {forum} är aktiverat. Anledning: {reason}. Aktiverat av {by}, {time}. "
        "Värd: {host}.",
        "en": "🚨 {forum} is activated. Reason: {reason}. Activated by {by}, {time}. Host: {host}.",
    },
    "activation.round": {
        "sv": "📣 Rapportrunda {number}, {forum}: lämna er lägesbild senast kl. {deadline} med "
        "!läge, eller som svar i den här tråden.",
        "en": "📣 Reporting round {number}, {forum}: post your situation report by {deadline} "
        "with !status, or as a reply in this thread.",
    },
    "activation.alert_message": {
        "sv": "{forum} är aktiverat ({reason}). Kommunikation samordnas först.",
        "en": "{forum} is activated ({reason}). Communication is coordinated first.",
    },
    "activation.request": {
        "sv": "🙋 {requester} begär aktivering av {forum}. Anledning: {reason}. Aktivatörer: "
        "bekräfta med !aktivera {id} eller ✅ på detta meddelande, avböj med ❌.",
        "en": "🙋 {requester} asks to activate {forum}. Reason: {reason}. Activators: confirm "
        "with !activate {id} or ✅ on this message, decline with ❌.",
    },
    "activation.requested": {
        "sv": "Din begäran om aktivering av {forum} är skickad till aktivatörerna ({functions}). "
        "Den förfaller om ingen svarar inom {minutes} min.",
        "en": "Your request to activate {forum} was sent to the activators ({functions}). It "
        "lapses if nobody answers within {minutes} min.",
    },
    "activation.activated": {
        "sv": "{forum} är aktiverat. {alerted} larm skickade; rapportrunda 1 är öppen.",
        "en": "{forum} is activated. {alerted} alerts sent; reporting round 1 is open.",
    },
    "activation.already_active": {
        "sv": "{forum} är redan aktiverat sedan {when} (av {by}). Inget ändrades.",
        "en": "{forum} is already activated since {when} (by {by}). Nothing was changed.",
    },
    "activation.already_requested": {
        "sv": "En begäran om aktivering av {forum} väntar redan (från {by}, {when}). Inget "
        "ändrades; en aktivatör bekräftar eller avböjer den.",
        "en": "A request to activate {forum} is already waiting (from {by}, {when}). Nothing "
        "was changed; an activator confirms or declines it.",
    },
    "activation.declined": {
        "sv": "Begäran om aktivering av {forum} avböjdes av {by}.",
        "en": "The request to activate {forum} was declined by {by}.",
    },
    "activation.expired": {
        "sv": "Begäran om aktivering av {forum} besvarades inte inom {minutes} min och har "
        "förfallit. Begär igen, eller kontakta TiB direkt.",
        "en": "The request to activate {forum} was not answered within {minutes} min and has "
        "lapsed. Ask again, or call the duty officer directly.",
    },
    "activation.deactivated": {
        "sv": "{forum} är avaktiverat av {by} och åter i ordinarie läge. Sammanfattningen är "
        "skickad till hemorganisationerna.",
        "en": "{forum} was deactivated by {by} and is back in ordinary mode. The summary was "
        "sent to the home organisations.",
    },
    "activation.request_declined": {
        "sv": "Begäran om aktivering av {forum} är avböjd.",
        "en": "The request to activate {forum} is declined.",
    },
    "activation.not_active": {
        "sv": "{forum} är inte aktiverat. Aktivera med !aktivera {id} [anledning].",
        "en": "{forum} is not activated. Activate it with !activate {id} [reason].",
    },
    "activation.unknown_forum": {
        "sv": "Okänt forum för aktivering: {name}. Forum som kan aktiveras: {forums}.",
        "en": "Unknown forum to activate: {name}. Forums that can be activated: {forums}.",
    },
    "activation.unknown_actor": {
        "sv": "Okänd aktör: {name}. Kända aktörer: {actors}.",
        "en": "Unknown actor: {name}. Known actors: {actors}.",
    },
    "activation.host_set": {
        "sv": "Värdskap för {forum}: {host} (satt av {by}).",
        "en": "Host of {forum}: {host} (set by {by}).",
    },
    "activation.host_here": {
        "sv": "!värd gäller ett aktiverat forum: skriv det i forumets rum.",
        "en": "!host is for an activated forum: use it in the forum's room.",
    },
    # -- alerts --------------------------------------------------------------------------
    "alert.ping": {
        "sv": "🚨 Larm #{id} till {function}: {message}",
        "en": "🚨 Alert #{id} to {function}: {message}",
    },
    "alert.repeat": {
        "sv": "🔁 Påminnelse {number}: larm #{id} till {function} är inte kvitterat. {message}",
        "en": "🔁 Reminder {number}: alert #{id} to {function} is not acknowledged. {message}",
    },
    "alert.how_to_ack": {
        "sv": "Kvittera med !kvittera eller en ✅-reaktion på detta meddelande.",
        "en": "Acknowledge with !ack or a ✅ reaction on this message.",
    },
    "alert.escalation": {
        "sv": "⚠️ Eskalering: larm #{id} till {function} ({message}) är inte kvitterat av "
        "{users} efter {repeats} påminnelse(r).",
        "en": "⚠️ Escalation: alert #{id} to {function} ({message}) is not acknowledged by "
        "{users} after {repeats} reminder(s).",
    },
    "alert.all_acked": {
        "sv": "✅ Alla har kvitterat larm #{id} ({function}).",
        "en": "✅ Everyone has acknowledged alert #{id} ({function}).",
    },
    "alert.acked": {
        "sv": "Kvitterat: {alerts}.",
        "en": "Acknowledged: {alerts}.",
    },
    "alert.acked_one": {"sv": "larm #{id} ({function})", "en": "alert #{id} ({function})"},
    "alert.raised": {
        "sv": "Larm #{id} skickat till {count} personer med funktionen {function}.",
        "en": "Alert #{id} sent to {count} people with the function {function}.",
    },
    "alert.no_holders": {
        "sv": "Ingen har funktionen {function}. Funktioner i konfigurationen: {functions}.",
        "en": "Nobody has the function {function}. Functions in the config: {functions}.",
    },
    "alert.nothing_to_ack": {
        "sv": "Du har inga okvitterade larm.",
        "en": "You have no unacknowledged alerts.",
    },
    "alert.not_yours": {
        "sv": "Larm #{id} väntar inte på din kvittens. Skriv !kvittera utan nummer för alla "
        "dina larm, eller !larmlista för att se larmen.",
        "en": "Alert #{id} is not waiting for your acknowledgement. Type !ack without a number "
        "for all your alerts, or !alerts to see the alerts.",
    },
    "alert.unknown": {
        "sv": "Larm #{id} finns inte. Skriv !larmlista för de senaste larmen.",
        "en": "There is no alert #{id}. Type !alerts for the latest alerts.",
    },
    # -- permissions ---------------------------------------------------------------------
    "perm.activator": {
        "sv": "kommandot kräver en av funktionerna {functions} för {forum}, eller att du är "
        "administratör.",
        "en": "the command requires one of the functions {functions} for {forum}, or that "
        "you are an administrator.",
    },
    "perm.host_activated": {
        "sv": "värdskapet för {forum} sätts av funktionerna {functions} eller en administratör.",
        "en": "the host of {forum} is set by the functions {functions} or an administrator.",
    },
    "perm.alert": {
        "sv": "larm skickas av aktivatörer, värdfunktioner, eskaleringsfunktioner eller "
        "administratörer (activators, host_function, alerts.escalate_to, bot.admins).",
        "en": "alerts are raised by activators, host functions, escalation functions or "
        "administrators (activators, host_function, alerts.escalate_to, bot.admins).",
    },
    # -- command help --------------------------------------------------------------------
    "cmd.activate.summary": {
        "sv": "aktiverar ett forum och larmar dess funktioner; andra än aktivatörer skickar "
        "en begäran",
        "en": "activates a forum and alerts its functions; others than activators send a request",
    },
    "cmd.activate.usage": {
        "sv": "!aktivera FORUM [--övning] [anledning]",
        "en": "!activate FORUM [--exercise] [reason]",
    },
    "cmd.deactivate.summary": {
        "sv": "avslutar aktiveringen (åter ordinarie läge), sammanfattning hem; avböjer en "
        "väntande begäran",
        "en": "ends the activation (back to ordinary mode), summary home; declines a "
        "pending request",
    },
    "cmd.deactivate.usage": {"sv": "!avaktivera FORUM", "en": "!deactivate FORUM"},
    "cmd.host.summary": {
        "sv": "sätter vem som är värd för det aktiverade forumet",
        "en": "sets who hosts the activated forum",
    },
    "cmd.host.usage": {"sv": "!värd AKTÖR", "en": "!host ACTOR"},
    "cmd.alert.summary": {
        "sv": "larmar alla med en funktion; de ska kvittera",
        "en": "alerts everyone with a function; they must acknowledge",
    },
    "cmd.alert.usage": {
        "sv": "!larma FUNKTION [--övning] meddelande",
        "en": "!alert FUNCTION [--exercise] message",
    },
    "cmd.ack.summary": {
        "sv": "kvitterar dina larm (eller larm nummer N); ✅ på larmet gör detsamma",
        "en": "acknowledges your alerts (or alert number N); ✅ on the alert does the same",
    },
    "cmd.ack.usage": {"sv": "!kvittera [N]", "en": "!ack [N]"},
    "cmd.alerts.summary": {
        "sv": "de senaste larmen med kvittenser, eller ett larm i detalj",
        "en": "the latest alerts with acknowledgements, or one alert in detail",
    },
    "cmd.alerts.usage": {"sv": "!larmlista [N]", "en": "!alerts [N]"},
}

"""Catalogue entries for report links and their web form (``link.*``), and the source of a
report in the combined picture (``picture.source.*``)."""

from __future__ import annotations

REPORT_LINK_MESSAGES: dict[str, dict[str, str]] = {
    # -- in the call-in ------------------------------------------------------------------
    "link.call_in.title": {
        "sv": "🔗 Rapportlänkar för aktörer utan Matrix",
        "en": "🔗 Report links for actors without Matrix",
    },
    "link.call_in.intro": {
        "sv": "Värden skickar varje länk vidare till sin aktör. Länken gäller bara detta möte "
        "eller denna rapportrunda, till {expires}; den som har länken kan rapportera för aktören.",
        "en": "The host passes each link on to its actor. A link is valid only for this meeting "
        "or reporting round, until {expires}; whoever has it can report for the actor.",
    },
    # -- the form ------------------------------------------------------------------------
    "link.form.title": {"sv": "Lägesbild: {actor}", "en": "Situation report: {actor}"},
    "link.form.intro": {
        "sv": "{forum}, {meeting}. Fyll i det som gäller er; tomma fält utelämnas. En ny "
        "rapport ersätter er tidigare rapport till samma möte.",
        "en": "{forum}, {meeting}. Fill in what applies to you; empty fields are left out. A "
        "new report replaces your earlier report to the same meeting.",
    },
    "link.form.deadline": {
        "sv": "Lämna rapporten senast kl. {time}.",
        "en": "Please report by {time}.",
    },
    "link.form.expires": {
        "sv": "Länken gäller till {time}.",
        "en": "The link is valid until {time}.",
    },
    "link.form.readiness_unset": {"sv": "(ej angiven)", "en": "(not stated)"},
    "link.form.submit": {"sv": "Skicka lägesbild", "en": "Send situation report"},
    "link.form.problem": {
        "sv": "Rapporten sparades inte: {reason}",
        "en": "The report was not saved: {reason}",
    },
    "link.form.too_long": {
        "sv": "{field} är för långt: högst {max} tecken.",
        "en": "{field} is too long: at most {max} characters.",
    },
    # -- after sending -------------------------------------------------------------------
    "link.done.title": {
        "sv": "Tack, lägesbilden är mottagen",
        "en": "Thank you, the situation report is received",
    },
    "link.done.body": {
        "sv": "Rapporten från {actor} till {forum} ({meeting}) är sparad och kommer med i den "
        "samlade lägesbilden.",
        "en": "The report from {actor} to {forum} ({meeting}) is saved and goes into the "
        "combined picture.",
    },
    "link.done.replaced": {
        "sv": "Den ersätter er tidigare rapport till samma möte.",
        "en": "It replaces your earlier report to the same meeting.",
    },
    "link.done.again": {
        "sv": "Behöver ni ändra något? Öppna länken igen och skicka en ny rapport.",
        "en": "Need to change something? Open the link again and send a new report.",
    },
    "link.already.title": {"sv": "Redan mottagen", "en": "Already received"},
    "link.already.body": {
        "sv": "Det här formuläret är redan skickat och rapporten sparad; den sparades inte en "
        "gång till. Öppna länken igen för att skicka en ny version.",
        "en": "This form was already sent and the report saved; it was not saved a second "
        "time. Open the link again to send a new version.",
    },
    # -- refusals ------------------------------------------------------------------------
    "link.error.forged.title": {"sv": "Ogiltig länk", "en": "Invalid link"},
    "link.error.forged.body": {
        "sv": "Länken är inte giltig: den är ofullständig eller ändrad. Kontrollera att hela "
        "länken kom med, eller be mötets värd om en ny.",
        "en": "The link is not valid: it is incomplete or altered. Check that the whole link "
        "was copied, or ask the meeting's host for a new one.",
    },
    "link.error.expired.title": {"sv": "Länken har gått ut", "en": "The link has expired"},
    "link.error.expired.body": {
        "sv": "Länken gällde ett möte eller en rapportrunda som är avslutad. Be värden om "
        "länken till det pågående mötet eller den pågående rundan.",
        "en": "The link was for a meeting or reporting round that has ended. Ask the host for "
        "the link to the current meeting or round.",
    },
    "link.error.stale_form.title": {
        "sv": "Formuläret kunde inte tas emot",
        "en": "The form could not be accepted",
    },
    "link.error.stale_form.body": {
        "sv": "Formuläret hörde inte till den här länken, eller saknade sin engångskod. Inget "
        "sparades. Öppna länken igen och fyll i på nytt.",
        "en": "The form did not belong to this link, or lacked its one-time code. Nothing was "
        "saved. Open the link again and fill it in anew.",
    },
    # -- in the forum room --------------------------------------------------------------
    "link.received": {
        "sv": "📝 {actor} har lämnat lägesbild via webblänk ({meeting}).",
        "en": "📝 {actor} has sent its situation report by web link ({meeting}).",
    },
    # -- in the picture ------------------------------------------------------------------
    "picture.source.web-link": {"sv": "via webblänk", "en": "via web link"},
    "picture.source.relayed": {"sv": "vidarebefordrad av {by}", "en": "relayed by {by}"},
}

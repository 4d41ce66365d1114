"""Catalogue entries for the web dashboard's pages (``web.*``).

Kept in their own module while several people edit the catalogue at once; merged into
``bot.render.catalogue.MESSAGES``. Same rules as there: both languages, same placeholders.
Labels the chat already has (report fields, picture sections, issue states, the exercise marker,
timeline lines) are reused from their own keys, so a page says what the chat says.
"""

from __future__ import annotations

WEB_MESSAGES: dict[str, dict[str, str]] = {
    # -- frame ---------------------------------------------------------------------------
    "web.site": {"sv": "Samverkan", "en": "Samverkan"},
    "web.nav.label": {"sv": "Huvudmeny", "en": "Main menu"},
    "web.nav.overview": {"sv": "Översikt", "en": "Overview"},
    "web.nav.issues": {"sv": "Ärenden", "en": "Issues"},
    "web.nav.wall": {"sv": "Storbild", "en": "Wall screen"},
    "web.nav.normal": {"sv": "Vanlig vy", "en": "Normal view"},
    "web.generated": {"sv": "Uppdaterad {when}", "en": "Updated {when}"},
    "web.live": {
        "sv": "Uppdateras automatiskt medan ett forum är aktiverat.",
        "en": "Updates automatically while a forum is activated.",
    },
    "web.none": {"sv": "–", "en": "–"},
    "web.not_found.title": {"sv": "Finns inte", "en": "Not found"},
    "web.not_found.meeting": {
        "sv": "Det finns inget möte nummer {id} som du kan se. Gå till översikten och välj ett "
        "forum.",
        "en": "There is no meeting number {id} that you can see. Go to the overview and pick a "
        "forum.",
    },
    "web.not_found.activation": {
        "sv": "Det finns ingen aktivering nummer {id} som du kan se. Gå till översikten och "
        "välj ett aktiverat forum.",
        "en": "There is no activation number {id} that you can see. Go to the overview and "
        "pick an activated forum.",
    },
    "web.bad_id": {
        "sv": '"{value}" är inget nummer. Adressen ska sluta med ett nummer, t.ex. /meetings/12.',
        "en": '"{value}" is not a number. The address should end with a number, e.g. /meetings/12.',
    },
    "web.bad_refresh": {
        "sv": '"{value}" går inte som refresh. Ange sekunder mellan {low} och {high}, '
        "t.ex. ?refresh=15.",
        "en": '"{value}" does not work as refresh. Give seconds between {low} and {high}, '
        "e.g. ?refresh=15.",
    },
    # -- the model picture ----------------------------------------------------------------
    "web.model.title": {"sv": "Samverkansmodellen", "en": "The collaboration model"},
    "web.model.description": {
        "sv": "Tre samverkansnivåer i ordinarie och aktiverat läge. Varje ruta är ett forum, "
        "små rutor är arbetsgrupper under sitt forum. Tända rutor med tjock ram är aktiverade "
        "just nu; streckad ram betyder övning.",
        "en": "Three levels of collaboration in ordinary and activated mode. Each box is a "
        "forum, small boxes are working groups under their forum. Lit boxes with a thick "
        "border are activated right now; a dashed border means an exercise.",
    },
    "web.model.empty": {"sv": "inget forum", "en": "no forum"},
    "web.level.inriktande": {"sv": "Regionalt inriktande", "en": "Regional direction"},
    "web.level.samordnande": {"sv": "Regionalt samordnande", "en": "Regional coordination"},
    "web.level.verkställande": {"sv": "Verkställande", "en": "Operational"},
    "web.mode.ordinarie": {"sv": "Ordinarie läge", "en": "Ordinary mode"},
    "web.mode.aktiverat": {"sv": "Aktiverat läge", "en": "Activated mode"},
    # -- a forum's state -------------------------------------------------------------------
    "web.state.activated": {"sv": "AKTIVERAT", "en": "ACTIVATED"},
    "web.state.dormant": {"sv": "ej aktiverat", "en": "not activated"},
    "web.state.ordinary": {"sv": "ordinarie", "en": "ordinary"},
    "web.state.sitting": {"sv": "möte pågår", "en": "in session"},
    "web.state.next": {"sv": "nästa möte {when}", "en": "next meeting {when}"},
    # -- the overview ------------------------------------------------------------------------
    "web.overview.title": {"sv": "Lägesöversikt", "en": "Overview"},
    "web.overview.forums": {"sv": "Forum", "en": "Forums"},
    "web.overview.no_forums": {
        "sv": "Inga forum är konfigurerade ([[forums]] i konfigurationen).",
        "en": "No forums are configured ([[forums]] in the config).",
    },
    "web.forum.level": {"sv": "Nivå", "en": "Level"},
    "web.forum.mode": {"sv": "Läge", "en": "Mode"},
    "web.forum.host": {"sv": "Värd", "en": "Host"},
    "web.forum.next": {"sv": "Nästa möte", "en": "Next meeting"},
    "web.forum.reason": {"sv": "Anledning", "en": "Reason"},
    "web.forum.since": {"sv": "Aktiverat sedan", "en": "Activated since"},
    "web.forum.groups": {"sv": "Arbetsgrupper", "en": "Working groups"},
    "web.forum.open_issues": {"sv": "Öppna ärenden", "en": "Open issues"},
    "web.forum.latest": {"sv": "Senaste samlade lägesbild", "en": "Latest combined picture"},
    "web.forum.no_picture": {
        "sv": "Ingen samlad lägesbild ännu.",
        "en": "No combined picture yet.",
    },
    "web.forum.meeting_link": {"sv": "Hela mötet", "en": "The whole meeting"},
    "web.forum.timeline_link": {"sv": "Aktiveringens tidslinje", "en": "Activation timeline"},
    # -- readiness ---------------------------------------------------------------------------
    "web.readiness.title": {"sv": "Beredskap per aktör", "en": "Readiness per actor"},
    "web.readiness.intro": {
        "sv": "Senaste rapporterade beredskapsnivå. Skala, lägst först: {levels}.",
        "en": "Latest reported readiness level. Scale, lowest first: {levels}.",
    },
    "web.readiness.actor": {"sv": "Aktör", "en": "Actor"},
    "web.readiness.level": {"sv": "Beredskap", "en": "Readiness"},
    "web.readiness.forum": {"sv": "Rapporterad i", "en": "Reported in"},
    "web.readiness.when": {"sv": "När", "en": "When"},
    "web.readiness.chart": {"sv": "Senaste veckorna", "en": "Recent weeks"},
    "web.readiness.chart_label": {
        "sv": "Beredskap senaste veckorna, {chart}",
        "en": "Readiness over recent weeks, {chart}",
    },
    "web.readiness.not_reported": {"sv": "ej rapporterad", "en": "not reported"},
    "web.readiness.unknown_level": {
        "sv": "{level} (finns inte i skalan)",
        "en": "{level} (not on the scale)",
    },
    # -- a meeting ----------------------------------------------------------------------------
    "web.meeting.title": {"sv": "{forum}, {when}", "en": "{forum}, {when}"},
    "web.meeting.round": {"sv": "Rapportrunda {number}", "en": "Reporting round {number}"},
    "web.meeting.kind.scheduled": {"sv": "schemalagt möte", "en": "scheduled meeting"},
    "web.meeting.kind.manual": {"sv": "möte öppnat för hand", "en": "meeting opened by hand"},
    "web.meeting.kind.activated": {
        "sv": "rapportrunda i aktiverat läge",
        "en": "reporting round in activated mode",
    },
    "web.meeting.state.planned": {"sv": "planerat", "en": "planned"},
    "web.meeting.state.called": {"sv": "inkallat", "en": "called in"},
    "web.meeting.state.open": {"sv": "pågår", "en": "in session"},
    "web.meeting.state.closed": {"sv": "avslutat", "en": "closed"},
    "web.meeting.state.cancelled": {"sv": "inställt", "en": "cancelled"},
    "web.meeting.state": {"sv": "Status", "en": "State"},
    "web.meeting.deadline": {"sv": "Rapporter senast", "en": "Reports due"},
    "web.meeting.reports": {"sv": "Aktörernas lägesbilder", "en": "The actors' reports"},
    "web.meeting.no_reports": {"sv": "Inga rapporter ännu.", "en": "No reports yet."},
    "web.meeting.reported_by": {
        "sv": "{author}, {when}",
        "en": "{author}, {when}",
    },
    "web.meeting.source": {"sv": "Källa: {source}", "en": "Source: {source}"},
    "web.source.web-link": {
        "sv": "webbformulär via rapportlänk",
        "en": "web form via a report link",
    },
    "web.duty.title": {"sv": "Tjänstgöring", "en": "On duty"},
    "web.duty.function": {"sv": "Funktion", "en": "Function"},
    "web.duty.holder": {"sv": "Har tjänsten", "en": "On duty"},
    "web.duty.until": {"sv": "Till", "en": "Until"},
    "web.duty.next": {"sv": "Därefter", "en": "Next"},
    "web.duty.override": {"sv": "övertagen", "en": "override"},
    "web.source.relayed": {
        "sv": "vidarebefordrad av värden",
        "en": "relayed by the host",
    },
    "web.meeting.missing": {"sv": "Saknas", "en": "Missing"},
    "web.meeting.missing_none": {
        "sv": "Alla har rapporterat.",
        "en": "Everyone has reported.",
    },
    "web.meeting.issues": {"sv": "Ärenden", "en": "Issues"},
    "web.meeting.no_issues": {"sv": "Inga ärenden.", "en": "No issues."},
    "web.meeting.groups": {"sv": "Arbetsgrupper", "en": "Working groups"},
    "web.meeting.no_groups": {"sv": "Inga arbetsgrupper.", "en": "No working groups."},
    "web.meeting.activation": {"sv": "Aktiveringen", "en": "The activation"},
    # -- groups ---------------------------------------------------------------------------------
    "web.group.task": {"sv": "Uppdrag", "en": "Task"},
    "web.group.members": {"sv": "Medlemmar", "en": "Members"},
    "web.group.standing": {"sv": "stående", "en": "standing"},
    "web.group.temporary": {"sv": "tillfällig", "en": "temporary"},
    "web.group.reports": {"sv": "Rapporter", "en": "Reports"},
    # -- an activation ----------------------------------------------------------------------
    "web.activation.title": {"sv": "Aktivering av {forum}", "en": "Activation of {forum}"},
    "web.activation.state.requested": {"sv": "begärd", "en": "requested"},
    "web.activation.state.active": {"sv": "aktiv", "en": "active"},
    "web.activation.state.declined": {"sv": "avböjd", "en": "declined"},
    "web.activation.state.expired": {"sv": "förfallen", "en": "lapsed"},
    "web.activation.state.ended": {"sv": "avslutad", "en": "ended"},
    "web.activation.state": {"sv": "Status", "en": "State"},
    "web.activation.activated": {"sv": "Aktiverad", "en": "Activated"},
    "web.activation.ended": {"sv": "Avslutad", "en": "Ended"},
    "web.activation.timeline": {"sv": "Tidslinje", "en": "Timeline"},
    "web.activation.no_events": {"sv": "Inget har hänt ännu.", "en": "Nothing has happened yet."},
    "web.activation.alerts": {"sv": "Larm och kvitteringar", "en": "Alerts and acknowledgements"},
    "web.activation.no_alerts": {"sv": "Inga larm.", "en": "No alerts."},
    "web.activation.alert": {
        "sv": "Larm #{id} till {function}",
        "en": "Alert #{id} to {function}",
    },
    "web.activation.acked_count": {
        "sv": "{acked} av {total} har kvitterat",
        "en": "{acked} of {total} have acknowledged",
    },
    "web.activation.person": {"sv": "Person", "en": "Person"},
    "web.activation.actor": {"sv": "Aktör", "en": "Actor"},
    "web.activation.pings": {"sv": "Påminnelser", "en": "Pings"},
    "web.activation.acked": {"sv": "Kvitterat", "en": "Acknowledged"},
    "web.activation.not_acked": {"sv": "EJ KVITTERAT", "en": "NOT ACKNOWLEDGED"},
    "web.activation.escalated": {"sv": "Eskalerat {when}", "en": "Escalated {when}"},
    "web.activation.rounds": {"sv": "Rapportrundor", "en": "Reporting rounds"},
    # -- issues ---------------------------------------------------------------------------------
    "web.issues.title": {"sv": "Ärenden", "en": "Issues"},
    "web.issues.open": {"sv": "Öppna ärenden", "en": "Open issues"},
    "web.issues.closed": {"sv": "Stängda ärenden", "en": "Closed issues"},
    "web.issues.none": {"sv": "Inga ärenden.", "en": "No issues."},
    "web.issues.number": {"sv": "Nr", "en": "No."},
    "web.issues.subject": {"sv": "Ärende", "en": "Issue"},
    "web.issues.forum": {"sv": "Forum", "en": "Forum"},
    "web.issues.origin": {"sv": "Lyft i", "en": "Raised in"},
    "web.issues.state": {"sv": "Status", "en": "State"},
    "web.issues.owner": {"sv": "Ägare", "en": "Owner"},
    "web.issues.followup": {"sv": "Uppföljning", "en": "Follow-up"},
    "web.issues.updated": {"sv": "Senast ändrat", "en": "Last changed"},
}

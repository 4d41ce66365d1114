"""Catalogue entries for issues (`issue.*`), meeting agendas (`agenda.*`), follow-up dates
(`date.*`) and the issue permission refusals (`perm.issue_*`).

Kept in their own module while several people edit the catalogue at once; merged into
``bot.render.catalogue.MESSAGES``. Same rules as there: both languages, same placeholders.
``issue.state.<state>`` names each ``IssueState``; ``issue.event.<kind>`` is one history line
per ``IssueAction`` value; ``date.*`` are the ``DateError`` keys of ``bot.domain.dates``;
``issue.rule.*`` and ``issue.owner.*`` the ``IssueRuleError`` keys of ``bot.domain.issues``.
The ``perm.*`` ones are reasons, finished by ``router.refused`` ("Du får inte använda !x: …").
"""

from __future__ import annotations

_DATE_FORMS_SV = "2026-12-03, 3/12, 3 dec, torsdag, imorgon, +2w, om 3 dagar eller nästa vecka"
_DATE_FORMS_EN = "2026-12-03, 3/12, 3 Dec, thursday, tomorrow, +2w, in 3 days or next week"

ISSUE_MESSAGES: dict[str, dict[str, str]] = {
    # -- states --------------------------------------------------------------------------
    "issue.state.raised": {"sv": "lyft", "en": "raised"},
    "issue.state.accepted": {"sv": "mottaget", "en": "accepted"},
    "issue.state.investigating": {"sv": "under utredning", "en": "under investigation"},
    "issue.state.proposed": {"sv": "förslag framtaget", "en": "proposal ready"},
    "issue.state.decided": {"sv": "beslutat", "en": "decided"},
    "issue.state.implementing": {"sv": "genomförs", "en": "being implemented"},
    "issue.state.followed_up": {"sv": "uppföljt", "en": "followed up"},
    "issue.state.closed": {"sv": "stängt", "en": "closed"},
    # -- one issue (!issue N) ------------------------------------------------------------
    "issue.title": {"sv": "Ärende #{number}: {title}", "en": "Issue #{number}: {title}"},
    "issue.field.state": {"sv": "Status: {state}", "en": "State: {state}"},
    "issue.field.forum": {"sv": "Forum: {forum}", "en": "Forum: {forum}"},
    "issue.field.route": {"sv": "Väg: {route}", "en": "Route: {route}"},
    "issue.field.owner": {"sv": "Ägare: {owner}", "en": "Owner: {owner}"},
    "issue.field.no_owner": {
        "sv": "Ägare: ingen ännu (!tilldela {number} AKTÖR|@användare|FUNKTION)",
        "en": "Owner: none yet (!assign {number} ACTOR|@user|FUNCTION)",
    },
    "issue.field.followup": {"sv": "Uppföljning: {when}", "en": "Follow-up: {when}"},
    "issue.field.raised": {
        "sv": "Lyft av {user} i {forum}, {when}",
        "en": "Raised by {user} in {forum}, {when}",
    },
    "issue.field.raised_actor": {
        "sv": "Lyft av {user} ({actor}) i {forum}, {when}",
        "en": "Raised by {user} ({actor}) in {forum}, {when}",
    },
    "issue.field.closed": {"sv": "Stängt {when}", "en": "Closed {when}"},
    "issue.history": {"sv": "Historik", "en": "History"},
    "issue.system": {"sv": "boten", "en": "the bot"},
    "issue.quote": {"sv": "”{text}”", "en": "“{text}”"},
    # -- one history line per IssueAction value ------------------------------------------
    "issue.event.raised": {
        "sv": "{user} lyfte ärendet i {forum}",
        "en": "{user} raised the issue in {forum}",
    },
    "issue.event.accepted": {
        "sv": "{user} tog upp ärendet i {forum}",
        "en": "{user} took up the issue in {forum}",
    },
    "issue.event.escalated": {
        "sv": "{user} lyfte ärendet från {source} till {target}",
        "en": "{user} lifted the issue from {source} to {target}",
    },
    "issue.event.assigned": {
        "sv": "{user} gav ärendet till {owner}",
        "en": "{user} gave the issue to {owner}",
    },
    "issue.event.proposed": {
        "sv": "{user} lade fram ett förslag i {forum}",
        "en": "{user} put forward a proposal in {forum}",
    },
    "issue.event.decided": {
        "sv": "{user} registrerade ett beslut i {forum}",
        "en": "{user} recorded a decision in {forum}",
    },
    "issue.event.followup_scheduled": {
        "sv": "{user} satte uppföljning till {when}",
        "en": "{user} set the follow-up for {when}",
    },
    "issue.event.followed_up": {
        "sv": "{user} följde upp ärendet i {forum}",
        "en": "{user} followed up the issue in {forum}",
    },
    "issue.event.closed": {"sv": "{user} stängde ärendet", "en": "{user} closed the issue"},
    "issue.event.reopened": {
        "sv": "{user} öppnade ärendet igen",
        "en": "{user} reopened the issue",
    },
    "issue.event.other": {"sv": "{user}: {kind}", "en": "{user}: {kind}"},
    # -- listings (!issues) --------------------------------------------------------------
    "issue.list.title_forum": {"sv": "Öppna ärenden i {forum}", "en": "Open issues in {forum}"},
    "issue.list.title_all": {"sv": "Öppna ärenden i alla forum", "en": "Open issues in all forums"},
    "issue.list.none": {"sv": "Inga öppna ärenden.", "en": "No open issues."},
    "issue.list.item": {"sv": "#{number} {title}", "en": "#{number} {title}"},
    "issue.list.owner": {"sv": "ägare: {owner}", "en": "owner: {owner}"},
    "issue.list.followup": {"sv": "uppföljning {when}", "en": "follow-up {when}"},
    # -- answers to the commands ---------------------------------------------------------
    "issue.raised": {
        "sv": "Ärende #{number} lyft i {forum}: {title}. Se det med !ärende {number}.",
        "en": "Issue #{number} raised in {forum}: {title}. See it with !issue {number}.",
    },
    "issue.escalated": {
        "sv": "Ärende #{number} är lyft från {source} till {target} och kommer upp på "
        "dagordningen för dess nästa möte.",
        "en": "Issue #{number} is lifted from {source} to {target} and goes on the agenda of "
        "its next meeting.",
    },
    "issue.escalated_here": {
        "sv": "📥 Ärende #{number} har lyfts hit från {source} av {user}: {title}. Det kommer "
        "upp på dagordningen för nästa möte.",
        "en": "📥 Issue #{number} was lifted here from {source} by {user}: {title}. It goes on "
        "the agenda of the next meeting.",
    },
    "issue.assigned": {
        "sv": "Ärende #{number} har nu ägaren {owner}.",
        "en": "Issue #{number} is now owned by {owner}.",
    },
    "issue.decided": {
        "sv": "Beslut registrerat för ärende #{number}.",
        "en": "Decision recorded for issue #{number}.",
    },
    "issue.followup_set": {
        "sv": "Uppföljning av ärende #{number}: {when}.",
        "en": "Follow-up of issue #{number}: {when}.",
    },
    "issue.followup_due": {
        "sv": "⏰ Dags att följa upp ärende #{number}: {title}. Det står på dagordningen för "
        "nästa möte i {forum}.",
        "en": "⏰ Time to follow up issue #{number}: {title}. It is on the agenda of the next "
        "meeting of {forum}.",
    },
    "issue.owner.function_label": {"sv": "funktionen {function}", "en": "the function {function}"},
    "issue.closed": {"sv": "Ärende #{number} är stängt.", "en": "Issue #{number} is closed."},
    "issue.reopened": {
        "sv": "Ärende #{number} är öppnat igen.",
        "en": "Issue #{number} is reopened.",
    },
    "issue.not_found": {
        "sv": "Ärende #{number} finns inte. Skriv !ärenden för de öppna ärendena.",
        "en": "There is no issue #{number}. Type !issues for the open issues.",
    },
    "issue.unknown_forum": {
        "sv": "Det finns inget forum som heter {name}. Forum: {forums}.",
        "en": "There is no forum called {name}. Forums: {forums}.",
    },
    "issue.not_a_forum_room": {
        "sv": "Det här rummet hör inte till något forum; skriv kommandot i forumets rum.",
        "en": "This room belongs to no forum; type the command in the forum's room.",
    },
    # -- refusals: the lifecycle (IssueRuleError) ----------------------------------------
    "issue.rule.not_raised": {
        "sv": "Ärende #{number} finns inte ännu; lyft det först med !lyft.",
        "en": "Issue #{number} does not exist yet; raise it first with !raise.",
    },
    "issue.rule.already_raised": {
        "sv": "Ärende #{number} är redan lyft.",
        "en": "Issue #{number} has already been raised.",
    },
    "issue.rule.closed": {
        "sv": "Ärende #{number} är stängt och kan inte ändras. Lyft en ny fråga med !lyft.",
        "en": "Issue #{number} is closed and cannot be changed. Raise a new question with !raise.",
    },
    "issue.rule.not_closed": {
        "sv": "Ärende #{number} är inte stängt.",
        "en": "Issue #{number} is not closed.",
    },
    "issue.rule.already_accepted": {
        "sv": "Ärende #{number} är redan upptaget.",
        "en": "Issue #{number} has already been taken up.",
    },
    "issue.rule.already_decided": {
        "sv": "Ärende #{number} är redan beslutat; registrera ett nytt beslut med !besluta "
        "{number} text.",
        "en": "Issue #{number} is already decided; record a new decision with !decide "
        "{number} text.",
    },
    "issue.rule.same_forum": {
        "sv": "Ärende #{number} ligger redan i {forum}. Ange ett annat forum.",
        "en": "Issue #{number} is already in {forum}. Name another forum.",
    },
    "issue.rule.same_owner": {
        "sv": "Ärende #{number} har redan ägaren {owner}.",
        "en": "Issue #{number} is already owned by {owner}.",
    },
    "issue.rule.no_title": {
        "sv": "Ärendet behöver en rubrik: !lyft rubrik | beskrivning",
        "en": "The issue needs a title: !raise title | description",
    },
    "issue.rule.title_too_long": {
        "sv": "Rubriken är {length} tecken; högst {max} går. Lägg resten i beskrivningen: "
        "!lyft rubrik | beskrivning",
        "en": "The title is {length} characters; at most {max} fit. Put the rest in the "
        "description: !raise title | description",
    },
    # -- refusals: owners (parse_owner) --------------------------------------------------
    "issue.owner.missing": {
        "sv": "Ange en ägare: en aktör ({actors}), en funktion ({functions}) eller en "
        "användare (@namn:server).",
        "en": "Name an owner: an actor ({actors}), a function ({functions}) or a user "
        "(@name:server).",
    },
    "issue.owner.unknown": {
        "sv": "Känner inte igen ”{value}” som ägare. Ange en aktör ({actors}), en funktion "
        "({functions}) eller en användare (@namn:server).",
        "en": "“{value}” is not a known owner. Name an actor ({actors}), a function "
        "({functions}) or a user (@name:server).",
    },
    "issue.owner.bad_user": {
        "sv": "”{value}” är inget Matrix-användar-id; skriv @namn:server.",
        "en": "“{value}” is not a Matrix user id; write @name:server.",
    },
    "issue.owner.ambiguous": {
        "sv": "”{value}” är både en aktör och en funktion; skriv aktör:{value} eller "
        "funktion:{value}.",
        "en": "“{value}” is both an actor and a function; write actor:{value} or function:{value}.",
    },
    # -- refusals: permissions (reasons after router.refused) ----------------------------
    "perm.issue_act": {
        "sv": "ärenden, grupper och inriktningar i {forum} hanteras av medlemmar i forumets "
        "aktörer, eller av administratörer.",
        "en": "issues, groups and directions in {forum} are handled by members of the forum's "
        "actors, or by "
        "administrators.",
    },
    "perm.issue_decide": {
        "sv": "beslut i {forum} registreras av funktionen {function} (forumets värd) eller "
        "en administratör.",
        "en": "decisions in {forum} are recorded by the function {function} (the forum's "
        "host) or an administrator.",
    },
    "perm.issue_decide_no_host": {
        "sv": "{forum} har ingen värdfunktion (host_function) i konfigurationen, så bara "
        "administratörer kan registrera beslut där.",
        "en": "{forum} has no host function (host_function) in the config, so only "
        "administrators can record decisions there.",
    },
    # -- follow-up dates (DateError) -----------------------------------------------------
    "date.empty": {
        "sv": f"Ange ett datum, t.ex. {_DATE_FORMS_SV}.",
        "en": f"Give a date, e.g. {_DATE_FORMS_EN}.",
    },
    "date.unreadable": {
        "sv": f"Kunde inte läsa ”{{text}}” som ett datum; skriv t.ex. {_DATE_FORMS_SV}, "
        "gärna med tid (14:00).",
        "en": f"Could not read “{{text}}” as a date; write e.g. {_DATE_FORMS_EN}, optionally "
        "with a time (14:00).",
    },
    "date.invalid": {
        "sv": "”{text}” är inget datum som finns; kontrollera dag och månad.",
        "en": "“{text}” is not a date that exists; check the day and month.",
    },
    "date.invalid_time": {
        "sv": "”{time}” är inget klockslag; skriv t.ex. 14:00.",
        "en": "“{time}” is not a time of day; write e.g. 14:00.",
    },
    "date.past": {
        "sv": "{date} har redan varit; en uppföljning måste ligga framåt i tiden.",
        "en": "{date} has already passed; a follow-up must lie ahead.",
    },
    "date.today_passed": {
        "sv": "Klockan {time} i dag har redan varit; skriv en tid (t.ex. ”idag 16:00”) eller "
        "en senare dag.",
        "en": "{time} today has already passed; give a time (e.g. “today 16:00”) or a later day.",
    },
    "date.too_far": {
        "sv": "{date} ligger mer än två år fram; en uppföljning kan sättas till senast {limit}.",
        "en": "{date} is more than two years ahead; a follow-up can be set to {limit} at the "
        "latest.",
    },
    # -- a meeting's agenda --------------------------------------------------------------
    "agenda.title": {"sv": "Dagordning: {forum}, {when}", "en": "Agenda: {forum}, {when}"},
    "agenda.item.roll_call": {"sv": "Upprop", "en": "Roll call"},
    "agenda.item.reports": {"sv": "Lägesbilder", "en": "Situation reports"},
    "agenda.item.analysis": {"sv": "Gemensam analys", "en": "Joint analysis"},
    "agenda.item.coordination": {"sv": "Behov av samordning", "en": "Needs for coordination"},
    "agenda.item.communication": {"sv": "Kommunikation", "en": "Communication"},
    "agenda.item.issues": {"sv": "Ärenden", "en": "Issues"},
    "agenda.item.next_meeting": {"sv": "Nästa möte", "en": "Next meeting"},
    "agenda.numbered": {"sv": "{number}. {item}", "en": "{number}. {item}"},
    "agenda.escalated": {"sv": "Lyfta hit", "en": "Lifted to this forum"},
    "agenda.due": {"sv": "Att följa upp", "en": "To follow up"},
    "agenda.no_issues": {
        "sv": "Inga ärenden lyfta hit eller att följa upp.",
        "en": "No issues lifted here or due for follow-up.",
    },
    "agenda.from": {"sv": "från {forum}", "en": "from {forum}"},
    "agenda.followup": {"sv": "uppföljning {when}", "en": "follow-up {when}"},
    # -- command help --------------------------------------------------------------------
    "cmd.raise.summary": {
        "sv": "lyfter ett ärende i det här forumet; svarar med dess nummer",
        "en": "raises an issue in this forum; answers with its number",
    },
    "cmd.raise.usage": {"sv": "!lyft rubrik [| beskrivning]", "en": "!raise title [| description]"},
    "cmd.issues.summary": {
        "sv": "öppna ärenden i forumet (eller alla)",
        "en": "open issues in the forum (or all)",
    },
    "cmd.issues.usage": {"sv": "!ärenden [forum|alla]", "en": "!issues [forum|all]"},
    "cmd.issue.summary": {
        "sv": "ett ärende med hela dess historik",
        "en": "one issue with its full history",
    },
    "cmd.issue.usage": {"sv": "!ärende N", "en": "!issue N"},
    "cmd.escalate.summary": {
        "sv": "lyfter ärende N till ett annat forum; det kommer upp på forumets dagordning",
        "en": "lifts issue N to another forum; it goes on that forum's agenda",
    },
    "cmd.escalate.usage": {"sv": "!eskalera N FORUM", "en": "!escalate N FORUM"},
    "cmd.assign.summary": {
        "sv": "ger ärende N en ägare: en aktör, en person eller en funktion",
        "en": "gives issue N an owner: an actor, a person or a function",
    },
    "cmd.assign.usage": {
        "sv": "!tilldela N AKTÖR|@person|FUNKTION",
        "en": "!assign N ACTOR|@user|FUNCTION",
    },
    "cmd.decide.summary": {
        "sv": "registrerar ett beslut i ärende N (forumets värdfunktion)",
        "en": "records a decision on issue N (the forum's host function)",
    },
    "cmd.decide.usage": {"sv": "!besluta N beslut", "en": "!decide N decision"},
    "cmd.followup.summary": {
        "sv": "påminner ägaren om ärende N vid en tidpunkt (2026-12-03, torsdag, +2w …)",
        "en": "reminds the owner of issue N at a time (2026-12-03, thursday, +2w …)",
    },
    "cmd.followup.usage": {"sv": "!uppfölj N DATUM", "en": "!followup N DATE"},
    "cmd.close.summary": {"sv": "stänger ärende N", "en": "closes issue N"},
    "cmd.close.usage": {"sv": "!stäng N [anteckning]", "en": "!close N [note]"},
}

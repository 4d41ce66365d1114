"""Catalogue entries for the meeting routine (`conf.*`) and the commands that drive it."""

from __future__ import annotations

CONFERENCE_MESSAGES: dict[str, dict[str, str]] = {
    "conf.call_in": {
        "sv": "📣 Inkallning: {forum} {when}. Lämna er lägesbild senast kl. {deadline} med "
        "!läge, eller som svar i den här tråden.",
        "en": "📣 Call-in: {forum} {when}. Post your situation report by {deadline} with "
        "!status, or as a reply in this thread.",
    },
    "conf.called": {"sv": "Kallade: {users}", "en": "Called in: {users}"},
    "conf.reminder": {
        "sv": "⏰ Påminnelse inför {forum} {when}: lägesbild saknas från {actors}. "
        "Senast kl. {deadline}.",
        "en": "⏰ Reminder for {forum} {when}: no situation report yet from {actors}. "
        "Deadline {deadline}.",
    },
    "conf.start": {
        "sv": "{forum} börjar nu. {reported} av {expected} aktörer har rapporterat.",
        "en": "{forum} starts now. {reported} of {expected} actors have reported.",
    },
    "conf.minutes.title": {"sv": "Protokoll: {forum} {when}", "en": "Minutes: {forum} {when}"},
    "conf.minutes.reported": {"sv": "Rapporterade", "en": "Reported"},
    "conf.minutes.present": {"sv": "Närvarande i rummet", "en": "Present in the room"},
    "conf.minutes.missing": {"sv": "Har inte rapporterat", "en": "Did not report"},
    "conf.minutes.needs": {"sv": "Behov av samordning", "en": "Needs for coordination"},
    "conf.summary.issues": {
        "sv": "Ärenden som {actor} äger",
        "en": "Issues owned by {actor}",
    },
    "conf.summary.title": {
        "sv": "Återföring från {forum} {when}",
        "en": "Summary from {forum} {when}",
    },
    "conf.summary.counts": {
        "sv": "{reported} av {expected} aktörer rapporterade.",
        "en": "{reported} of {expected} actors reported.",
    },
    "conf.summary.missing": {"sv": "Saknades: {actors}.", "en": "Missing: {actors}."},
    "conf.summary.missing_many": {
        "sv": "{count} aktörer saknades.",
        "en": "{count} actors were missing.",
    },
    "conf.summary.see_picture": {
        "sv": "se lägesbilden i {forum}{link}",
        "en": "see the picture in {forum}{link}",
    },
    # Not "höjd beredskap": in Swedish that is the government-declared state of alert.
    "conf.summary.raised": {
        "sv": "Beredskap över normalläge",
        "en": "Readiness above normal",
    },
    "conf.summary.needs": {"sv": "Behov av samordning", "en": "Needs for coordination"},
    "conf.summary.asked": {"sv": "Riktat till {actor}", "en": "Asked of {actor}"},
    "conf.summary.nothing_asked": {
        "sv": "Inget riktades särskilt till er.",
        "en": "Nothing was asked of you in particular.",
    },
    "conf.summary.next": {"sv": "Nästa möte: {when}", "en": "Next meeting: {when}"},
    "conf.picture.unencrypted": {
        "sv": "Lägesbilden för {forum} visas bara i krypterade rum. Slå på kryptering i det "
        "här rummets inställningar och be om den igen med !lägesbild.",
        "en": "The combined picture of {forum} is only shown in encrypted rooms. Turn on "
        "encryption in this room's settings and ask for it again with !picture.",
    },
    "group.report_unencrypted": {
        "sv": "Gruppen {group} har lämnat en rapport. Den är sparad men visas bara i krypterade "
        "rum: slå på kryptering i det här rummets inställningar.",
        "en": "The group {group} has reported. The report is stored but only shown in "
        "encrypted rooms: turn on encryption in this room's settings.",
    },
    "conf.summary.unencrypted": {
        "sv": "Sammanfattningen från {forum} skickas bara till krypterade rum. Slå på "
        "kryptering i det här rummets inställningar, så kommer nästa sammanfattning hit.",
        "en": "The summary from {forum} is only sent to encrypted rooms. Turn on encryption "
        "in this room's settings and the next summary will arrive here.",
    },
    "conf.summary.undeliverable_many": {
        "sv": "⚠️ Sammanfattningen kunde inte skickas till {count} aktörer, eftersom boten inte "
        "är med i deras hemrum: {actors}. Bjud in boten och skriv !sammanfattning.",
        "en": "⚠️ The summary could not be sent to {count} actors, because the bot is not in "
        "their home rooms: {actors}. Invite the bot and type !summary.",
    },
    "conf.summary.undeliverable": {
        "sv": "⚠️ Sammanfattningen till {actor} kunde inte skickas: boten är inte med i "
        "hemrummet {room}. Bjud in boten och skriv !sammanfattning.",
        "en": "⚠️ The summary to {actor} could not be sent: the bot is not in the home room "
        "{room}. Invite the bot and type !summary.",
    },
    "conf.nothing_to_close": {
        "sv": "{forum} har inget pågående möte att avsluta. Starta ett med !möte start.",
        "en": "{forum} has no meeting in progress to close. Start one with !meeting start.",
    },
    "conf.no_meeting_yet": {
        "sv": "{forum} har inte haft något möte än. Starta ett med !möte start.",
        "en": "{forum} has not had a meeting yet. Start one with !meeting start.",
    },
    "conf.no_room": {
        "sv": "Forumets rum {room} för {forum} finns inte eller är okänt för boten.",
        "en": "The room {room} of {forum} does not exist or is unknown to the bot.",
    },
    # -- reports -----------------------------------------------------------------------
    "report.not_member": {
        "sv": "Du är inte medlem i någon aktör som deltar i {forum}, så din lägesbild kan inte "
        "tas emot. Be en administratör lägga till dig under [[members]].",
        "en": "You are not a member of an actor taking part in {forum}, so your report cannot "
        "be taken. Ask an administrator to add you under [[members]].",
    },
    "report.not_participant": {
        "sv": "Din aktör deltar inte i {forum}, så din lägesbild kan inte tas emot här.",
        "en": "Your actor does not take part in {forum}, so your report cannot be taken here.",
    },
    "report.which_actor": {
        "sv": "Du är medlem i flera aktörer ({actors}). Ange vilken med !läge --aktör ID.",
        "en": "You are a member of several actors ({actors}). Say which with !status --actor ID.",
    },
    "report.not_your_actor": {
        "sv": "Du kan inte rapportera för {actor}; dina aktörer här: {yours}.",
        "en": "You cannot report for {actor}; your actors here: {yours}.",
    },
    "report.no_meeting": {
        "sv": "{forum} har inget möte som tar emot lägesbilder. Starta ett med !möte start.",
        "en": "{forum} has no meeting taking reports. Start one with !meeting start.",
    },
    "report.replaced": {
        "sv": "Den ersätter er tidigare lägesbild för mötet.",
        "en": "It replaces your earlier report for the meeting.",
    },
    "report.moved.before_call_in": {
        "sv": "Inkallningen har inte gått ut än; lägesbilden gäller nästa möte, {when}.",
        "en": "The call-in has not gone out yet; the report is for the next meeting, {when}.",
    },
    "report.moved.after_close": {
        "sv": "Mötet är avslutat; lägesbilden gäller nästa möte, {when}.",
        "en": "The meeting has closed; the report is for the next meeting, {when}.",
    },
    "perm.host": {
        "sv": "det kräver värdfunktionen för {forum} ({function}) eller att du är administratör.",
        "en": "it needs the host function of {forum} ({function}) or a bot administrator.",
    },
    "missing.none": {
        "sv": "Alla aktörer har rapporterat till {forum}.",
        "en": "Every actor has reported to {forum}.",
    },
    "missing.some": {
        "sv": "{count} aktörer har inte rapporterat till {forum}: {actors}",
        "en": "{count} actors have not reported to {forum}: {actors}",
    },
    "meeting.started": {"sv": "{forum}: mötet är öppnat.", "en": "{forum}: the meeting is open."},
    "meeting.already_open": {
        "sv": "{forum}: mötet är redan öppet.",
        "en": "{forum}: the meeting is already open.",
    },
    "meeting.closed": {
        "sv": "{forum}: mötet är avslutat; protokoll och återföring skickas.",
        "en": "{forum}: the meeting is closed; minutes and summaries are on their way.",
    },
    "summary.sent": {
        "sv": "{forum}: {queued} sammanfattningar skickas till hemrummen ({already} hade redan "
        "fått sin).",
        "en": "{forum}: {queued} summaries are on their way to the home rooms ({already} had "
        "theirs already).",
    },
    "calendar.title": {"sv": "Kommande möten", "en": "Upcoming meetings"},
    "calendar.empty": {
        "sv": "Inga schemalagda möten.",
        "en": "No scheduled meetings.",
    },
    "cmd.status.summary": {
        "sv": "din aktörs lägesbild till forumets pågående möte",
        "en": "your actor's situation report for the forum's current meeting",
    },
    "cmd.status.usage": {
        "sv": "!läge [--aktör ID] + en rad per fält",
        "en": "!status [--actor ID] + one line per field",
    },
    "cmd.picture.summary": {
        "sv": "postar den samlade lägesbilden nu",
        "en": "posts the combined picture now",
    },
    "cmd.picture.usage": {"sv": "!lägesbild [forum]", "en": "!picture [forum]"},
    "cmd.missing.summary": {
        "sv": "aktörer som inte har rapporterat",
        "en": "actors that have not reported",
    },
    "cmd.missing.usage": {"sv": "!saknas [forum]", "en": "!missing [forum]"},
    "cmd.meeting.summary": {
        "sv": "öppnar eller avslutar ett möte för hand",
        "en": "opens or closes a meeting by hand",
    },
    "cmd.meeting.usage": {
        "sv": "!möte start|avsluta [forum]",
        "en": "!meeting start|close [forum]",
    },
    "cmd.summary.summary": {
        "sv": "skickar sammanfattningen till alla deltagares hemrum nu",
        "en": "sends the summary to every participant's home room now",
    },
    "cmd.summary.usage": {"sv": "!sammanfattning [forum]", "en": "!summary [forum]"},
    "cmd.calendar.summary": {"sv": "kommande möten", "en": "upcoming meetings"},
    "cmd.calendar.usage": {"sv": "!kalender", "en": "!calendar"},
    "forum.unknown": {
        "sv": "Det finns inget forum som heter {name}. Forum: {forums}.",
        "en": "There is no forum called {name}. Forums: {forums}.",
    },
    "forum.not_here": {
        "sv": "Det här rummet hör inte till något forum. Ange forumet, t.ex. !{command} {example}.",
        "en": "This room belongs to no forum. Name the forum, e.g. !{command} {example}.",
    },
}

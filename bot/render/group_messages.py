"""Catalogue entries for working groups (`group.*`) and joint directions (`direction.*`)."""

from __future__ import annotations

GROUP_MESSAGES: dict[str, dict[str, str]] = {
    "group.room_name": {
        "sv": "Arbetsgrupp {group} ({forum})",
        "en": "Working group {group} ({forum})",
    },
    "group.created": {
        "sv": "Arbetsgruppen {name} är bildad under {forum} med ett eget rum; du är inbjuden. "
        "Lägg till medlemmar med !grupp tilldela {slug} AKTÖR|@person.",
        "en": "The working group {name} is formed under {forum} with its own room; you are "
        "invited. Add members with !group assign {slug} ACTOR|@user.",
    },
    "group.assigned": {
        "sv": "Tillagda i {name}: {members}. De är inbjudna till gruppens rum.",
        "en": "Added to {name}: {members}. They are invited to the group's room.",
    },
    "group.nothing_added": {
        "sv": "Alla var redan medlemmar i {name}.",
        "en": "Everyone was a member of {name} already.",
    },
    "group.reported": {
        "sv": "Rapporten från {name} är postad i {forum} och kommer med i nästa samlade lägesbild.",
        "en": "The report of {name} is posted in {forum} and goes into the next combined picture.",
    },
    "group.report_posted": {
        "sv": "📝 Rapport från arbetsgruppen {group} ({user}):",
        "en": "📝 Report from the working group {group} ({user}):",
    },
    "group.exists": {
        "sv": "Det finns redan en öppen grupp {name} i {forum}.",
        "en": "There is already an open group {name} in {forum}.",
    },
    "group.bad_name": {
        "sv": "{name} går inte att använda som gruppnamn; använd bokstäver och siffror.",
        "en": "{name} cannot be a group name; use letters and digits.",
    },
    "group.name_too_long": {
        "sv": "Gruppnamnet har {length} tecken; högst {max} går. Skriv en längre beskrivning "
        "efter --uppdrag.",
        "en": "The group name has {length} characters; at most {max} fit. Put a longer "
        "description after --task.",
    },
    "group.no_room": {
        "sv": "Rummet för {name} kunde inte skapas; ingen grupp bildades. Försök igen.",
        "en": "The room for {name} could not be created; no group was formed. Try again.",
    },
    "group.no_members": {
        "sv": "Ange minst en aktör eller @person.",
        "en": "Name at least one actor or @user.",
    },
    "group.unknown_member": {
        "sv": "{name} är varken en aktör eller en @person. Aktörer: {actors}.",
        "en": "{name} is neither an actor nor a @user. Actors: {actors}.",
    },
    "group.unknown": {
        "sv": "Det finns ingen öppen grupp {name}. Öppna grupper: {groups}.",
        "en": "There is no open group {name}. Open groups: {groups}.",
    },
    "group.unknown_action": {
        "sv": "Okänd åtgärd {action}: använd skapa, tilldela eller rapport.",
        "en": "Unknown action {action}: use create, assign or report.",
    },
    "group.empty_report": {
        "sv": "Rapporten är tom. Skriv !grupp rapport GRUPP följt av texten.",
        "en": "The report is empty. Write !group report GROUP followed by the text.",
    },
    "group.list.title": {"sv": "Arbetsgrupper", "en": "Working groups"},
    "group.list.none": {"sv": "Inga arbetsgrupper.", "en": "No working groups."},
    "group.list.standing": {"sv": "stående", "en": "standing"},
    "group.list.task": {"sv": "Uppdrag", "en": "Task"},
    "group.list.members": {"sv": "Medlemmar", "en": "Members"},
    "group.list.last_report": {"sv": "Senaste rapport", "en": "Last report"},
    "group.list.reports_to": {"sv": "rapporterar till {forum}", "en": "reports to {forum}"},
    # -- directions ------------------------------------------------------------------------
    "direction.title_draft": {
        "sv": "Förslag till gemensam regional inriktning #{number}",
        "en": "Draft joint regional direction #{number}",
    },
    "direction.title_adopted": {
        "sv": "Gemensam regional inriktning #{number}, fastställd av {forum}",
        "en": "Joint regional direction #{number}, adopted by {forum}",
    },
    "direction.goal": {"sv": "Mål", "en": "Goal"},
    "direction.priorities": {"sv": "Prioriteringar", "en": "Priorities"},
    "direction.guidelines": {"sv": "Riktlinjer", "en": "Guidelines"},
    "direction.messages": {"sv": "Gemensamma budskap", "en": "Joint messages"},
    "direction.drafted": {
        "sv": "Förslag #{number} är registrerat. Ett inriktande forum fastställer det med "
        "!inriktning fastställ {number}.",
        "en": "Draft #{number} is recorded. An inriktande forum adopts it with "
        "!direction adopt {number}.",
    },
    "direction.adopted": {
        "sv": "Inriktning #{number} är fastställd och skickad till {rooms} hemorganisationer.",
        "en": "Direction #{number} is adopted and sent to {rooms} home organisations.",
    },
    "direction.no_goal": {
        "sv": "Inriktningen saknar mål. Skriv t.ex. !inriktning utkast mål: … (en rad per del: "
        "mål, prioriteringar, riktlinjer, budskap).",
        "en": "The direction has no goal. Write e.g. !direction draft goal: … (one line per "
        "part: goal, priorities, guidelines, messages).",
    },
    "direction.where": {
        "sv": "Inriktningar tas fram i ett aktiverat forums rum eller i en arbetsgrupps rum.",
        "en": "Directions are drafted in an activated forum's room or a working group's room.",
    },
    "direction.not_activated": {
        "sv": "{forum} är inte aktiverat; en gemensam inriktning tas fram under en aktivering.",
        "en": "{forum} is not activated; a joint direction is drafted during an activation.",
    },
    "direction.adopt_where": {
        "sv": "En inriktning fastställs i ett inriktande forums rum: {forums}.",
        "en": "A direction is adopted in an inriktande forum's room: {forums}.",
    },
    "direction.not_found": {
        "sv": "Inriktning #{number} finns inte.",
        "en": "There is no direction #{number}.",
    },
    "direction.bad_number": {
        "sv": "{value} är inget nummer på en inriktning. Skriv numret, t.ex. !inriktning visa 2 "
        "(utan nummer visas den senaste).",
        "en": "{value} is not a direction number. Write its number, e.g. !direction show 2 "
        "(without a number: the latest).",
    },
    "direction.not_draft": {
        "sv": "Inriktning #{number} är redan fastställd.",
        "en": "Direction #{number} is already adopted.",
    },
    "direction.none": {
        "sv": "Det finns inga inriktningar ännu.",
        "en": "There are no directions yet.",
    },
    "direction.unknown_action": {
        "sv": "Okänd åtgärd {action}: använd utkast, fastställ eller visa.",
        "en": "Unknown action {action}: use draft, adopt or show.",
    },
    "perm.direction_adopt": {
        "sv": "inriktningar fastställs i {forum} av funktionerna {functions} eller en "
        "administratör.",
        "en": "directions are adopted in {forum} by the functions {functions} or an administrator.",
    },
    # -- command help ----------------------------------------------------------------------
    "cmd.group.summary": {
        "sv": "bildar en arbetsgrupp under forumet, lägger till medlemmar, eller rapporterar",
        "en": "forms a working group under the forum, adds members, or reports",
    },
    "cmd.group.usage": {
        "sv": "!grupp skapa NAMN [--uppdrag text] | !grupp tilldela GRUPP AKTÖR|@person … | "
        "!grupp rapport GRUPP text",
        "en": "!group create NAME [--task text] | !group assign GROUP ACTOR|@user … | "
        "!group report GROUP text",
    },
    "cmd.groups.summary": {
        "sv": "arbetsgrupperna med uppdrag, medlemmar och senaste rapport",
        "en": "the working groups with task, members and last report",
    },
    "cmd.groups.usage": {"sv": "!grupper", "en": "!groups"},
    "cmd.direction.summary": {
        "sv": "gemensam regional inriktning: förslag (samordnande), fastställande (inriktande)",
        "en": "joint regional direction: draft (samordnande), adopt (inriktande)",
    },
    "cmd.direction.usage": {
        "sv": "!inriktning utkast mål: …⏎prioriteringar: …⏎riktlinjer: …⏎budskap: … | "
        "!inriktning fastställ N | !inriktning visa [N]",
        "en": "!direction draft goal: …⏎priorities: …⏎guidelines: …⏎messages: … | "
        "!direction adopt N | !direction show [N]",
    },
}

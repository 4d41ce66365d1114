"""Issues as messages: one issue with its history, the listing, a meeting's agenda."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.domain.issues import (
    IssueAction,
    IssueEventView,
    IssueState,
    IssueView,
    followup_event_text,
)
from bot.domain.timeline import SYSTEM
from bot.render.catalogue import MESSAGES, Catalogue, Language
from bot.render.issue import AGENDA_ITEMS, render_agenda, render_issue, render_issue_list
from bot.render.issue_messages import ISSUE_MESSAGES

ZONE = ZoneInfo("Europe/Stockholm")
T0 = datetime(2026, 11, 26, 15, 10, tzinfo=UTC)  # Thursday 16:10 in Stockholm
EVIL = "<img src=x onerror=alert(1)>"
ALLOWED_TAGS = {"h4", "p", "b", "i", "ul", "li", "br"}
KONF, RSG, RCG = "Regional samverkanskonferens", "Regional samordningsgrupp", "Regional chefsgrupp"
SV, EN = Catalogue("sv"), Catalogue("en")


def at(days: float = 0, minutes: float = 0) -> datetime:
    return T0 + timedelta(days=days, minutes=minutes)


def event(
    when: datetime,
    kind: str,
    forum: str | None = None,
    text: str | None = None,
    by: str = "@tib:ex",
) -> IssueEventView:
    return IssueEventView(when, by, kind, forum, text)


EXAMPLE_1 = IssueView(
    number=12,
    title="Händelse hanterades inte enligt rutin",
    description="Under tisdagens snöoväder följdes inte larmrutinen.",
    state=IssueState.IMPLEMENTING,
    forum_name=RSG,
    origin_forum_name=KONF,
    raised_by="@tib:ex",
    actor_name="Länsstyrelsen",
    owner="kommunikatör",
    followup_at=at(days=49),
    created_at=at(),
    closed_at=None,
    events=(
        event(at(), "raised", KONF, "Händelse hanterades inte enligt rutin"),
        event(at(minutes=5), "escalated", RSG, "via mötesdokumentationen"),
        event(
            at(days=14),
            "decided",
            None,
            "Förtydliga rutinen.\nGemensam informationsinsats.",
            "@rsk:ex",
        ),
        event(at(days=14, minutes=1), "assigned", None, "kommunikatör", "@rsk:ex"),
        event(at(days=14, minutes=2), "followup_scheduled", None, followup_event_text(at(days=49))),
    ),
)
"""Model description, example 1, as the history of issue #12."""


def issue(**changes: Any) -> IssueView:
    return replace(EXAMPLE_1, **changes)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        assert not attrs, (tag, attrs)


def tags(formatted: str) -> set[str]:
    parser = _Tags()
    parser.feed(formatted)
    parser.close()
    return set(parser.tags)


def rendered(t: Catalogue) -> list[tuple[str, str]]:
    return [
        render_issue(t, ZONE, EXAMPLE_1),
        render_issue_list(t, ZONE, [EXAMPLE_1], t("issue.list.title_all")),
        render_issue_list(t, ZONE, [], t("issue.list.title_forum", forum=RSG)),
        render_agenda(t, ZONE, RSG, at(days=7), [EXAMPLE_1], []),
        render_agenda(t, ZONE, RSG, at(days=7), [], []),
    ]


# --- the catalogue -------------------------------------------------------------------------


def test_issue_messages_are_merged_with_both_languages_and_the_same_placeholders() -> None:
    for key, entry in ISSUE_MESSAGES.items():
        assert MESSAGES[key] is entry
        assert set(entry) == {"sv", "en"}, key


def test_every_state_and_action_has_a_text() -> None:
    for state in IssueState:
        assert f"issue.state.{state.value}" in MESSAGES
    for action in IssueAction:
        assert f"issue.event.{action.value}" in MESSAGES
    for name in AGENDA_ITEMS:
        assert f"agenda.item.{name}" in MESSAGES


# --- one issue -----------------------------------------------------------------------------


def test_issue_in_swedish() -> None:
    text, formatted = render_issue(SV, ZONE, EXAMPLE_1)
    assert text.splitlines()[:4] == [
        "Ärende #12: Händelse hanterades inte enligt rutin",
        "Under tisdagens snöoväder följdes inte larmrutinen.",
        "Status: genomförs",
        f"Forum: {RSG}",
    ]
    assert f"Väg: {KONF} → {RSG}" in text
    assert "Ägare: kommunikatör" in text
    assert "Uppföljning: torsdag 2027-01-14 kl. 16:10" in text
    assert f"Lyft av @tib:ex (Länsstyrelsen) i {KONF}, torsdag 2026-11-26 kl. 16:10" in text
    assert "Historik" in text
    assert f"2026-11-26 16:15 @tib:ex lyfte ärendet från {KONF} till {RSG}" in text
    assert f"@rsk:ex registrerade ett beslut i {RSG}: ”Förtydliga rutinen." in text
    assert "@rsk:ex gav ärendet till kommunikatör" in text
    assert "satte uppföljning till torsdag 2027-01-14 kl. 16:10" in text
    assert formatted.startswith("<h4>Ärende #12: Händelse hanterades inte enligt rutin</h4>")
    assert "Förtydliga rutinen.<br>Gemensam informationsinsats." in formatted


def test_issue_in_english() -> None:
    text, formatted = render_issue(EN, ZONE, EXAMPLE_1)
    assert text.startswith("Issue #12: Händelse hanterades inte enligt rutin")
    assert "State: being implemented" in text
    assert f"Route: {KONF} → {RSG}" in text
    assert "Follow-up: Thursday 2027-01-14 at 16:10" in text
    assert f"lifted the issue from {KONF} to {RSG}: “via mötesdokumentationen”" in text
    assert "<h4>Issue #12:" in formatted


def test_history_is_oldest_first_whatever_the_order_given() -> None:
    shuffled = issue(events=tuple(reversed(EXAMPLE_1.events)))
    assert render_issue(SV, ZONE, shuffled) == render_issue(SV, ZONE, EXAMPLE_1)
    text, _ = render_issue(SV, ZONE, EXAMPLE_1)
    history = text.split("Historik\n", 1)[1].splitlines()
    stamps = [line[2:18] for line in history if line.startswith("- ")]
    assert stamps == sorted(stamps) and len(stamps) == 5


def test_each_escalation_shows_from_and_to() -> None:
    lifted = issue(
        forum_name=RCG,
        events=(
            *EXAMPLE_1.events,
            event(at(days=20), "escalated", RCG, None, "@rsk:ex"),
            event(at(days=30), "escalated", RSG, "för uppföljning", "@ordf:ex"),
        ),
        state=IssueState.IMPLEMENTING,
    )
    text, _ = render_issue(SV, ZONE, replace(lifted, forum_name=RSG))
    assert f"lyfte ärendet från {KONF} till {RSG}" in text
    assert f"@rsk:ex lyfte ärendet från {RSG} till {RCG}\n" in text
    assert f"@ordf:ex lyfte ärendet från {RCG} till {RSG}: ”för uppföljning”" in text
    assert f"Väg: {KONF} → {RSG} → {RCG} → {RSG}" in text


def test_user_text_is_escaped_everywhere() -> None:
    evil = issue(
        title=EVIL,
        description=EVIL,
        owner=EVIL,
        forum_name=EVIL,
        origin_forum_name=EVIL,
        raised_by=EVIL,
        actor_name=EVIL,
        events=(
            event(at(), "raised", EVIL, EVIL, by=EVIL),
            event(at(minutes=1), "escalated", EVIL, EVIL),
            event(at(minutes=2), "decided", EVIL, EVIL),
            event(at(minutes=3), "assigned", EVIL, EVIL),
            event(at(minutes=4), "followup_scheduled", EVIL, EVIL),
            event(at(minutes=5), EVIL, EVIL, EVIL),
        ),
    )
    for t in (SV, EN):
        for text, formatted in (
            render_issue(t, ZONE, evil),
            render_issue_list(t, ZONE, [evil], EVIL),
            render_agenda(t, ZONE, EVIL, at(days=7), [evil], [replace(evil, number=13)]),
        ):
            assert "<img" not in formatted
            assert "&lt;img src=x onerror=alert(1)&gt;" in formatted
            assert EVIL in text
            assert tags(formatted) <= ALLOWED_TAGS


@pytest.mark.parametrize("language", ["sv", "en"])
def test_only_element_safe_tags(language: Language) -> None:
    for _, formatted in rendered(Catalogue(language)):
        assert tags(formatted) <= ALLOWED_TAGS


def test_a_new_closed_and_bot_touched_issue() -> None:
    fresh = issue(
        state=IssueState.RAISED,
        forum_name=KONF,
        owner=None,
        followup_at=None,
        actor_name=None,
        description=None,
        events=(event(at(), "raised", KONF, "x"),),
    )
    text, _ = render_issue(SV, ZONE, fresh)
    assert "Ägare: ingen ännu (!tilldela 12 AKTÖR|@användare|FUNKTION)" in text
    assert "Väg:" not in text and "Uppföljning" not in text
    assert f"Lyft av @tib:ex i {KONF}, torsdag 2026-11-26 kl. 16:10" in text
    closed = issue(
        state=IssueState.CLOSED,
        closed_at=at(days=60),
        events=(
            *EXAMPLE_1.events,
            event(at(days=49), "followed_up", None, None, SYSTEM),
            event(at(days=60), "closed", None, "Klart", "@rsk:ex"),
        ),
    )
    text, _ = render_issue(EN, ZONE, closed)
    assert "State: closed" in text
    assert "Closed Monday 2027-01-25 at 16:10" in text
    assert "Follow-up:" not in text  # no reminder is pending for a closed issue
    assert f"the bot followed up the issue in {RSG}" in text
    assert "@rsk:ex closed the issue: “Klart”" in text


def test_an_unknown_history_kind_is_shown_as_it_is() -> None:
    odd = issue(events=(event(at(), "commented", None, "hej"),))
    text, _ = render_issue(SV, ZONE, odd)
    assert "@tib:ex: commented: ”hej”" in text


def test_no_history_no_history_heading() -> None:
    text, formatted = render_issue(SV, ZONE, issue(events=()))
    assert "Historik" not in text and "<ul>" not in formatted


# --- the listing ---------------------------------------------------------------------------


def test_issue_list() -> None:
    second = issue(number=13, title="Teknikstöd", state=IssueState.PROPOSED, owner=None)
    second = replace(second, followup_at=None, forum_name=RCG)
    text, formatted = render_issue_list(SV, ZONE, [EXAMPLE_1, second], "Öppna ärenden")
    assert text.splitlines() == [
        "Öppna ärenden",
        "- #12 Händelse hanterades inte enligt rutin (genomförs, "
        f"{RSG}, ägare: kommunikatör, uppföljning 2027-01-14 16:10)",
        f"- #13 Teknikstöd (förslag framtaget, {RCG})",
    ]
    assert formatted.startswith("<h4>Öppna ärenden</h4><ul><li><b>#12 Händelse")
    text, _ = render_issue_list(EN, ZONE, [second], "Open issues")
    assert f"- #13 Teknikstöd (proposal ready, {RCG})" in text


def test_an_empty_list_says_so() -> None:
    text, formatted = render_issue_list(SV, ZONE, [], "Öppna ärenden i RSG")
    assert text == "Öppna ärenden i RSG\nInga öppna ärenden."
    assert "<i>Inga öppna ärenden.</i>" in formatted
    text, _ = render_issue_list(EN, ZONE, [], "Open issues")
    assert "No open issues." in text


# --- the agenda ----------------------------------------------------------------------------


def test_agenda_lists_the_standing_items_in_order() -> None:
    text, formatted = render_agenda(SV, ZONE, RSG, at(days=7), [], [])
    lines = text.splitlines()
    assert lines[0] == f"Dagordning: {RSG}, torsdag 2026-12-03 kl. 16:10"
    points = [line for line in lines if line[:1].isdigit()]
    assert points == [
        "1. Upprop",
        "2. Lägesbilder",
        "3. Gemensam analys",
        "4. Behov av samordning",
        "5. Kommunikation",
        "6. Ärenden",
        "7. Nästa möte",
    ]
    assert "Inga ärenden lyfta hit eller att följa upp." in text
    assert "<li><b>1. Upprop</b></li>" in formatted
    assert "<i>Inga ärenden lyfta hit eller att följa upp.</i>" in formatted
    text, _ = render_agenda(EN, ZONE, RSG, at(days=7), [], [])
    assert "1. Roll call" in text and "6. Issues" in text and "7. Next meeting" in text
    assert "Agenda: Regional samordningsgrupp, Thursday 2026-12-03 at 16:10" in text


def test_agenda_lists_lifted_and_due_issues_once_each() -> None:
    due = issue(
        number=7,
        title="Övning vintern",
        forum_name=RSG,
        origin_forum_name=RSG,
        state=IssueState.IMPLEMENTING,
        owner=None,
        followup_at=at(days=6),
        events=(event(at(), "raised", RSG, "Övning vintern"),),
    )
    text, formatted = render_agenda(SV, ZONE, RSG, at(days=7), [EXAMPLE_1], [due, EXAMPLE_1])
    issues_part = text.split("6. Ärenden\n", 1)[1].split("7. Nästa möte", 1)[0]
    assert issues_part.splitlines() == [
        "   Lyfta hit:",
        "   - #12 Händelse hanterades inte enligt rutin (från Regional samverkanskonferens; "
        "genomförs; ägare: kommunikatör; uppföljning 2027-01-14 16:10)",
        "   Att följa upp:",
        "   - #7 Övning vintern (genomförs; uppföljning 2026-12-02 16:10)",
    ]
    assert text.count("#12") == 1
    assert formatted.index("<b>6. Ärenden</b>") < formatted.index("#12") < formatted.index("#7")
    assert formatted.index("#7") < formatted.index("<b>7. Nästa möte</b>")
    text, _ = render_agenda(EN, ZONE, RSG, at(days=7), [EXAMPLE_1], [due])
    assert "Lifted to this forum:" in text and "To follow up:" in text
    assert "from Regional samverkanskonferens" in text

"""User text is text in every renderer's HTML: a `<script>` and a `&` typed into a report, an
alert, an issue, a duty roster, a webhook payload or an actor's name are escaped in the
`formatted_body`, read back by an HTML parser as typed, and left as typed in the plain body."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from bot.domain.issues import IssueAction, IssueEventView, IssueState, IssueView
from bot.domain.picture import (
    ActorRef,
    CombinedPicture,
    DirectionInfo,
    GroupReportEntry,
    MeetingInfo,
    ReportEntry,
    compile_picture,
)
from bot.domain.reports import SituationReport
from bot.domain.timeline import ActivationInfo, AlertInfo, HostChange, RecipientInfo, RoundInfo
from bot.matrix.content import notice
from bot.render.catalogue import Catalogue
from bot.render.duty import HandoffBrief, OnDutyLine, render_duty_list, render_handoff_in
from bot.render.issue import render_agenda, render_issue, render_issue_list
from bot.render.picture import render_picture, render_picture_head, render_picture_parts
from bot.render.picture_document import render_picture_document
from bot.render.report_link import with_report_links
from bot.render.timeline import render_activation_summary, render_alert_list, render_alert_status
from bot.render.webhook import activation_proposal, hook_event

ZONE = ZoneInfo("Europe/Stockholm")
START = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # Thursday 16:00 in Stockholm
EVIL = "<script>alert('x')</script> & \"<b>fet</b>\""
LANGUAGES = ("sv", "en")


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


class _Read(HTMLParser):
    """What a client shows of some HTML: its text, and the elements in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def assert_escaped(text: str, formatted: str) -> None:
    assert EVIL in text  # the plain body is plain: shown as typed
    assert "<script" not in formatted and "<b>fet</b>" not in formatted
    assert "&lt;script&gt;" in formatted and " &amp; " in formatted
    assert " & " not in formatted
    read = _Read()
    read.feed(formatted)
    read.close()
    assert EVIL in "".join(read.text)
    assert "script" not in read.tags


# --- the activation summary and the alerts (bot/render/timeline.py) ------------------------


def test_the_timeline_and_the_alerts_escape_user_text() -> None:
    alert = AlertInfo(
        id=7,
        function=EVIL,
        message=EVIL,
        raised_by=EVIL,
        created_at=at(1),
        exercise=False,
        escalated_at=at(40),
        escalated_to=(EVIL,),
        cancelled_at=at(50),
        recipients=(
            RecipientInfo(EVIL, EVIL, 1, at(3), "reaction"),
            RecipientInfo("@polisen:ex", None, 3, None, None),
        ),
    )
    activation = ActivationInfo(
        id=1,
        forum_name=EVIL,
        reason=EVIL,
        exercise=False,
        requested_by=EVIL,
        requested_at=at(0),
        activated_by=EVIL,
        activated_at=at(5),
        ended_by=EVIL,
        ended_at=at(135),
        host=EVIL,
    )
    rounds = [RoundInfo(1, at(5), at(125), ((EVIL, at(30)),), (EVIL,))]
    hosts = [HostChange(at(20), EVIL, EVIL)]
    for language in LANGUAGES:
        t = Catalogue(language)
        for text, formatted in (
            render_activation_summary(t, ZONE, activation, [alert], rounds, hosts),
            render_alert_status(t, ZONE, alert),
            render_alert_list(t, ZONE, [alert, alert]),
        ):
            assert_escaped(text, formatted)


# --- issues (bot/render/issue.py) ---------------------------------------------------------


def test_issues_their_listing_and_the_agenda_escape_user_text() -> None:
    events = tuple(
        IssueEventView(at(n), EVIL, kind, EVIL, EVIL)
        for n, kind in enumerate(
            [
                IssueAction.RAISE,
                IssueAction.ESCALATE,
                IssueAction.ASSIGN,
                IssueAction.DECIDE,
                IssueAction.CLOSE,
                "made-up-kind",
            ]
        )
    )
    issue = IssueView(
        number=3,
        title=EVIL,
        description=EVIL,
        state=IssueState.DECIDED,
        forum_name=EVIL,
        origin_forum_name=EVIL,
        raised_by=EVIL,
        actor_name=EVIL,
        owner=EVIL,
        followup_at=at(60 * 24),
        created_at=at(0),
        closed_at=None,
        events=events,
    )
    for language in LANGUAGES:
        t = Catalogue(language)
        for text, formatted in (
            render_issue(t, ZONE, issue),
            render_issue_list(t, ZONE, [issue, issue], EVIL),
            render_agenda(t, ZONE, EVIL, at(60 * 24 * 7), [issue], [issue]),
        ):
            assert_escaped(text, formatted)


# --- duty (bot/render/duty.py) -------------------------------------------------------------


def test_who_is_on_duty_and_the_hand_off_escape_user_text() -> None:
    lines = [
        OnDutyLine(EVIL, EVIL, EVIL, at(60), True, EVIL),
        OnDutyLine(EVIL, EVIL, None, None, False, None),
    ]
    everything_open = HandoffBrief(
        EVIL, EVIL, at(60), (EVIL,), ((1, EVIL),), ((2, EVIL),), (EVIL, at(90))
    )
    for language in LANGUAGES:
        t = Catalogue(language)
        for text, formatted in (
            render_duty_list(t, ZONE, lines),
            render_handoff_in(t, ZONE, everything_open),
            render_handoff_in(t, ZONE, HandoffBrief(EVIL, EVIL, None)),
        ):
            assert_escaped(text, formatted)


# --- webhooks (bot/render/webhook.py) ------------------------------------------------------


def test_a_webhook_event_and_its_activation_proposal_escape_what_came_in() -> None:
    for language in LANGUAGES:
        t = Catalogue(language)
        proposal = activation_proposal(
            t,
            source=EVIL,
            forum_name=EVIL,
            forum_id="samordnande",
            reason=EVIL,
            activators=["@tib:example.se"],
        )
        for content in (
            hook_event(t, EVIL, f"{EVIL}\n{EVIL}"),
            hook_event(t, EVIL, EVIL),
            proposal,
        ):
            assert_escaped(content["body"], content["formatted_body"])
        assert '<a href="https://matrix.to/#/@tib:example.se">' in proposal["formatted_body"]


# --- report links in a call-in (bot/render/report_link.py) ---------------------------------


def test_the_report_links_escape_the_actor_and_keep_the_call_in() -> None:
    call_in = notice("Kallelse", "<p><b>Kallelse</b></p>")
    for language in LANGUAGES:
        content = with_report_links(
            Catalogue(language), call_in, [(EVIL, "https://h.example/r/a?b=1&c=2")], at(60), ZONE
        )
        formatted = content["formatted_body"]
        assert_escaped(content["body"], formatted)
        assert formatted.startswith("<p><b>Kallelse</b></p>")  # the call-in's HTML is kept
        assert '<a href="https://h.example/r/a?b=1&amp;c=2">' in formatted


# --- the picture, split, and as a file (bot/render/picture*.py) ----------------------------


def _picture() -> CombinedPicture:
    villain = ActorRef("villain", EVIL, "kommun")
    lst = ActorRef("lst", "Länsstyrelsen", "stat")
    report = SituationReport(
        situation=EVIL,
        impact=EVIL,
        actions=EVIL,
        needs=EVIL,
        resources=EVIL,
        communication=EVIL,
        outlook=EVIL,
        contact=EVIL,
        readiness=EVIL,
    )
    return compile_picture(
        MeetingInfo(EVIL, at(0), at(-15), 2, host=EVIL, exercise=True, reason=EVIL),
        [lst, villain, ActorRef("sos", EVIL, "blåljus")],
        [ReportEntry(villain, EVIL, at(-30), report), ReportEntry(lst, EVIL, at(-20), report)],
        ("normalläge", "stabsläge"),
        group_reports=[GroupReportEntry(EVIL, EVIL, EVIL, at(-10))],
        direction=DirectionInfo(4, EVIL, EVIL, EVIL, EVIL),
    )


RenderPicture = Callable[[Catalogue], tuple[str, str]]


@pytest.mark.parametrize(
    "render",
    [
        lambda t: render_picture(_picture(), t, ZONE),
        lambda t: render_picture_head(_picture(), t, ZONE, EVIL, budget=3000, link=EVIL),
    ],
    ids=["whole", "head"],
)
def test_the_picture_escapes_user_text(render: RenderPicture) -> None:
    for language in LANGUAGES:
        text, formatted = render(Catalogue(language))
        assert_escaped(text, formatted)


def test_every_part_of_a_split_picture_escapes_user_text() -> None:
    parts = render_picture_parts(_picture(), Catalogue("sv"), ZONE, budget=3000)
    assert len(parts) > 2
    for text, formatted in parts:
        assert "<script" not in formatted and " & " not in formatted
        if EVIL in text:
            assert_escaped(text, formatted)


def test_the_picture_as_a_file_escapes_user_text_in_its_title_and_body() -> None:
    for language in LANGUAGES:
        document = render_picture_document(_picture(), Catalogue(language), ZONE)
        page = document.data.decode()
        assert page.startswith(f'<!doctype html>\n<html lang="{language}">')
        title = page.split("<title>", 1)[1].split("</title>", 1)[0]
        assert "&lt;script&gt;" in title and "<" not in title
        body = page.split("<body>", 1)[1]
        assert_escaped(EVIL, body)

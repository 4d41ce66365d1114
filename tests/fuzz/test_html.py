"""User text in the bot's HTML is text: escaped in every renderer, so a report containing
`<img src=x onerror=alert(1)>` or a fake mention pill shows as typed and pings nobody.

Two levels: the renderers (bot/render and the services' message builders), fuzzed with text
full of HTML metacharacters, must give the same elements and attributes as for plain words;
and a scenario through the router, whose outbox rows are read as a client would read them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.issues import IssueAction, IssueEventView, IssueState, IssueView
from bot.domain.picture import (
    ActorRef,
    DirectionInfo,
    GroupReportEntry,
    MeetingInfo,
    ReportEntry,
    compile_picture,
)
from bot.domain.reports import SituationReport
from bot.domain.timeline import ActivationInfo, AlertInfo, HostChange, RecipientInfo, RoundInfo
from bot.matrix.content import marked, notice, pill
from bot.matrix.incoming import Incoming
from bot.render.catalogue import Catalogue
from bot.render.issue import render_agenda, render_issue, render_issue_list
from bot.render.picture import render_picture
from bot.render.timeline import render_activation_summary, render_alert_list, render_alert_status
from bot.services.core import Core
from bot.services.directions import DirectionService
from commands.context import text_to_html
from storage.db import Database
from storage.models.directions import Direction
from tests.fuzz.html_check import BOT_TAGS, message_problems, parse
from tests.fuzz.profiles import fuzzed
from tests.fuzz.strategies import FAKE_PILL, HOSTILE, META, SETTINGS, VICTIM
from tests.fuzz.world import World

pytestmark = pytest.mark.fuzz

ZONE = ZoneInfo("Europe/Stockholm")
START = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
LEVELS = tuple(SETTINGS.reports.readiness_levels)
INTENDED = frozenset({m.user for m in SETTINGS.members} | set(SETTINGS.bot.admins))

#: Text anyone can type, with HTML, markdown and Matrix metacharacters; never blank (a blank
#: field is left out of a message, which changes its shape for a reason other than escaping).
USER_TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(alphabet=st.one_of(META, st.characters()), min_size=1, max_size=60),
    st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=3).map(" ".join),
).map(lambda text: text if text.strip() else text + "x")


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


# --- the renderers, each from one piece of user text ---------------------------------------


def issue(text: str) -> IssueView:
    events = tuple(
        IssueEventView(at(n), by, kind, forum, typed)
        for n, (by, kind, forum, typed) in enumerate(
            [
                ("@tib:example.se", IssueAction.RAISE, "Regional samverkanskonferens", text),
                ("@tib:example.se", IssueAction.ESCALATE, "Regional chefsgrupp", text),
                ("@tib:example.se", IssueAction.ASSIGN, None, text),
                ("@tib:example.se", IssueAction.DECIDE, None, text),
                ("@tib:example.se", IssueAction.CLOSE, None, text),
                ("@tib:example.se", "made-up-kind", None, text),
            ]
        )
    )
    return IssueView(
        number=3,
        title=text,
        description=text,
        state=IssueState.DECIDED,
        forum_name="Regional chefsgrupp",
        origin_forum_name="Regional samverkanskonferens",
        raised_by="@tib:example.se",
        actor_name="Länsstyrelsen Stockholm",
        owner=text,
        followup_at=at(60 * 24),
        created_at=at(0),
        closed_at=None,
        events=events,
    )


def picture(text: str) -> tuple[str, str]:
    lst = ActorRef("lst", "Länsstyrelsen Stockholm", "stat")
    polisen = ActorRef("polisen", "Polisen region Stockholm", "blåljus")
    report = SituationReport(
        situation=text,
        impact=text,
        actions=text,
        needs=text,
        resources=text,
        communication=text,
        outlook=text,
        contact=text,
        readiness=LEVELS[1],
    )
    compiled = compile_picture(
        MeetingInfo(
            forum_name="Regionalt samordnande forum",
            starts_at=at(0),
            deadline_at=at(-15),
            round_number=2,
            host=text,
            exercise=True,
            reason=text,
        ),
        [lst, polisen, ActorRef("sos", "SOS Alarm", "blåljus")],
        [
            ReportEntry(lst, "@tib:example.se", at(-30), report),
            ReportEntry(
                polisen, "@polisen-rlc:example.se", at(-20), replace(report, readiness=text)
            ),
        ],
        LEVELS,
        group_reports=[GroupReportEntry(text, "@tib:example.se", text, at(-10))],
        direction=DirectionInfo(4, text, text, text, text),
    )
    return render_picture(compiled, Catalogue("sv"), ZONE)


def alert(text: str) -> AlertInfo:
    return AlertInfo(
        id=7,
        function=text,
        message=text,
        raised_by="@tib:example.se",
        created_at=at(1),
        exercise=False,
        escalated_at=at(40),
        escalated_to=("@tib:example.se",),
        cancelled_at=None,
        recipients=(
            RecipientInfo("@solna-sakerhet:example.se", text, 1, at(3), "reaction"),
            RecipientInfo("@polisen-kommunikation:example.se", None, 3, None, None),
        ),
    )


def activation_summary(text: str) -> tuple[str, str]:
    activation = ActivationInfo(
        id=1,
        forum_name="Regionalt samordnande forum",
        reason=text,
        exercise=False,
        requested_by="@polisen-rlc:example.se",
        requested_at=at(0),
        activated_by="@tib:example.se",
        activated_at=at(5),
        ended_by="@tib:example.se",
        ended_at=at(135),
        host=text,
    )
    rounds = [RoundInfo(1, at(5), at(125), ((text, at(30)),), (text,))]
    hosts = [HostChange(at(20), "@tib:example.se", text)]
    return render_activation_summary(
        Catalogue("en"), ZONE, activation, [alert(text)], rounds, hosts
    )


def direction(text: str) -> tuple[str, str]:
    row = Direction(
        id=2,
        forum_id="samordnande",
        state="adopted",
        goal=text,
        priorities=text,
        guidelines=text,
        joint_messages=text,
        drafted_by="@tib:example.se",
        adopted_forum_id="inriktande",
    )
    # Only the message builder is used: it needs the config and the catalogue, nothing else.
    service = DirectionService(Core.of(SETTINGS, cast(Database, None)), *cast(Any, [None] * 3))
    content = service.content(row)
    return str(content["body"]), str(content["formatted_body"])


def reply(text: str) -> tuple[str, str]:
    """What `CommandContext.reply` sends for a plain answer that quotes the user."""
    content = marked(notice(text, text_to_html(text)), "ÖVNING")
    return str(content["body"]), str(content["formatted_body"])


RENDERERS: dict[str, Callable[[str], tuple[str, str]]] = {
    "issue": lambda text: render_issue(Catalogue("sv"), ZONE, issue(text)),
    "issue list": lambda text: render_issue_list(
        Catalogue("en"), ZONE, [issue(text), issue(text)], "Open issues"
    ),
    "agenda": lambda text: render_agenda(
        Catalogue("sv"), ZONE, "Regional chefsgrupp", at(0), [issue(text)], [issue(text)]
    ),
    "picture": picture,
    "alert status": lambda text: render_alert_status(Catalogue("sv"), ZONE, alert(text)),
    "alert list": lambda text: render_alert_list(Catalogue("en"), ZONE, [alert(text)] * 2),
    "activation summary": activation_summary,
    "direction": direction,
    "reply": reply,
    "pill": lambda text: (text, pill("@tib:example.se", text)),
}

#: What plain words look like in each renderer: the elements and attributes it makes itself.
PLAIN = "ord"


@fuzzed()
@given(name=st.sampled_from(sorted(RENDERERS)), text=USER_TEXT)
def test_user_text_adds_no_element_or_attribute(name: str, text: str) -> None:
    render = RENDERERS[name]
    _, plain_html = render(PLAIN)
    _, hostile_html = render(text)
    plain, hostile = parse(plain_html), parse(hostile_html)
    assert hostile.skeleton() == plain.skeleton(), hostile_html
    assert not hostile.other, hostile_html
    assert {tag for tag, _ in hostile.tags} <= BOT_TAGS


@pytest.mark.parametrize("name", sorted(RENDERERS))
@pytest.mark.parametrize("payload", HOSTILE[:5])
def test_the_payloads_of_issue_6_show_as_text(name: str, payload: str) -> None:
    """The exact strings issue 6 names are read back as the text the user typed."""
    body, formatted = RENDERERS[name](payload)
    parsed = parse(formatted)
    assert payload in parsed.text
    assert payload in body
    assert parsed.skeleton() == parse(RENDERERS[name](PLAIN)[1]).skeleton()
    assert VICTIM not in parsed.pills()


# --- through the router --------------------------------------------------------------------

#: What the scenario types: each payload of issue 6 in one piece, so it can be looked for.
PAYLOAD = f"<img src=x onerror=alert(1)> <script>alert(1)</script> {FAKE_PILL} @room"


@pytest.fixture
def english_world(tmp_path: Path) -> Iterator[World]:
    running = World(f"sqlite+aiosqlite:///{tmp_path / 'html.db'}", language="en")
    try:
        yield running
    finally:
        running.close()


def test_hostile_text_through_the_router_shows_as_text_and_pings_nobody(
    english_world: World,
) -> None:
    world = english_world
    numbers = itertools.count(1)
    tib, police = "@tib:example.se", "@polisen-rlc:example.se"
    conference = world.forum_room("konferens")
    coordinating = world.forum_room("samordnande")
    rows: list[dict[str, Any]] = []

    def say(sender: str, room_id: str, body: str) -> None:
        incoming = Incoming("message", room_id, f"$html{next(numbers)}", sender, 0, body=body)
        answered = world.handle(incoming)
        assert answered, body
        rows.extend(r.content for r in answered if r.event_type == "m.room.message")

    say(tib, conference, f"!raise {PAYLOAD} | {PAYLOAD}")
    say(tib, conference, f"!assign 1 {FAKE_PILL}")  # refused: not an owner, quoted back
    say(tib, conference, f"!decide 1 {PAYLOAD}")
    say(tib, conference, "!issue 1")
    say(tib, conference, "!issues")
    say(police, conference, f"!status läge: {PAYLOAD}\nbehov: {PAYLOAD}\nberedskap: {PAYLOAD}")
    say(police, conference, f"!status läge: {PAYLOAD}\nbehov: {PAYLOAD}\nberedskap: stab")
    say(tib, conference, "!picture")
    say(tib, coordinating, f"!activate samordnande {PAYLOAD}")
    say(tib, coordinating, f"!alert kommunikatör {PAYLOAD}")
    say(tib, coordinating, "!alerts")
    say(tib, coordinating, "!alerts 2")
    say(tib, coordinating, f"!group create {PAYLOAD} --task {PAYLOAD}")
    say(tib, coordinating, "!groups")
    say(tib, coordinating, f"!direction draft mål: {PAYLOAD}\nbudskap: {PAYLOAD}")
    say(tib, coordinating, "!direction show")
    say(police, coordinating, f"!status läge: {PAYLOAD}")
    say(tib, coordinating, "!picture")
    say(tib, coordinating, "!deactivate samordnande")

    shown = 0
    for content in rows:
        assert not message_problems(content, INTENDED), content
        formatted = content.get("formatted_body")
        if formatted is None:
            continue
        parsed = parse(str(formatted))
        for piece in ("<img src=x onerror=alert(1)>", "<script>alert(1)</script>", FAKE_PILL):
            if piece in str(content["body"]):
                assert piece in parsed.text, formatted
                shown += 1
        assert VICTIM not in content["m.mentions"].get("user_ids", [])
    # The payloads went into issues, reports, the picture, alerts, groups, the direction and
    # the activation summary; far more than a handful of messages show them.
    assert shown >= 20, shown

"""The dashboard's pages rendered from hand-made read-model views: what a person reads, in
Swedish and English; injected HTML shown as text; readiness readable without colour; display
options kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.domain.picture import (
    ActorRef,
    CombinedPicture,
    MeetingInfo,
    ReportEntry,
    compile_picture,
)
from bot.domain.reports import SituationReport
from bot.domain.timeline import ActivationInfo, AlertInfo, RecipientInfo, compile_timeline
from bot.render.catalogue import Catalogue, Language
from bot.render.timeline import entry_text
from bot.services.views import (
    ActivationDetail,
    ActivationView,
    ActorReadiness,
    ActorView,
    ForumRef,
    ForumView,
    GroupView,
    IssueItem,
    MeetingDetail,
    MeetingView,
    ReportView,
    TimelineItem,
)
from bot.web.pages import Display, Overview, Pages, level_bar, level_class

ZONE = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)
LEVELS = ("normalläge", "stabsläge", "förstärkningsläge", "katastrofläge")
LST = ActorRef("lst", "Länsstyrelsen Stockholm", "stat")
TV = ActorRef("trafikverket", "Trafikverket", "trafik")
POLIS = ActorRef("polisen", "Polisen region Stockholm", "blåljus")
SCRIPT = "<script>window.injected = 1</script>"
IMG = '<img src=x onerror="window.injected = 2">'
KONFERENS = ForumRef("konferens", "Regional samverkanskonferens", "samordnande", "ordinarie")
SAMORDNANDE = ForumRef("samordnande", "Regionalt samordnande forum", "samordnande", "aktiverat")
INRIKTANDE = ForumRef("inriktande", "Regionalt inriktande forum", "inriktande", "aktiverat")


class Page(HTMLParser):
    """What a page holds: its visible text, its elements, their attributes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.chunks: list[str] = []
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def pages(language: Language = "sv") -> Pages:
    return Pages(Catalogue(language), ZONE)


def actor(ref: ActorRef) -> ActorView:
    return ActorView(ref.id, ref.name, ref.category)


def picture() -> CombinedPicture:
    reports = [
        ReportEntry(
            LST,
            "@tib:example.se",
            NOW,
            SituationReport(
                situation="Snöoväder", needs="Samordnad kommunikation", readiness="stabsläge"
            ),
        ),
        ReportEntry(
            TV,
            "@tv:example.se",
            NOW,
            SituationReport(situation=f"E4 stängd {SCRIPT}", needs=IMG, readiness="katastrofläge"),
        ),
    ]
    info = MeetingInfo(SAMORDNANDE.name, NOW, NOW, round_number=2, exercise=True)
    return compile_picture(info, [LST, TV, POLIS], reports, LEVELS)


def meeting_view(forum: ForumRef = SAMORDNANDE, **changes: Any) -> MeetingView:
    values: dict[str, Any] = {
        "id": 9,
        "forum": forum,
        "kind": "activated",
        "state": "open",
        "round_number": 2,
        "scheduled_at": NOW,
        "call_in_at": NOW,
        "deadline_at": NOW,
        "opened_at": NOW,
        "closed_at": None,
        "activation_id": 4,
        "exercise": True,
    }
    values.update(changes)
    return MeetingView(**values)


def activation_view(**changes: Any) -> ActivationView:
    values: dict[str, Any] = {
        "id": 4,
        "forum": SAMORDNANDE,
        "state": "active",
        "reason": f"Snöstorm {SCRIPT}",
        "exercise": True,
        "requested_by": "@tib:example.se",
        "requested_at": NOW,
        "activated_by": "@tib:example.se",
        "activated_at": NOW,
        "ended_by": None,
        "ended_at": None,
        "host": actor(LST),
    }
    values.update(changes)
    return ActivationView(**values)


def group(name: str, **changes: Any) -> GroupView:
    values: dict[str, Any] = {
        "id": 1,
        "slug": name.casefold(),
        "name": name,
        "forum": SAMORDNANDE,
        "task": None,
        "standing": False,
        "activation_id": None,
        "closed_at": None,
        "members": (),
        "reports": (),
    }
    values.update(changes)
    return GroupView(**values)


def forum_view(forum: ForumRef, **changes: Any) -> ForumView:
    values: dict[str, Any] = {
        "forum": forum,
        "room": "#room:example.se",
        "participants": (actor(LST), actor(TV), actor(POLIS)),
        "host_function": None,
        "host": None,
        "activation": None,
        "next_meeting": None,
        "current_meeting": None,
        "latest_meeting": None,
        "latest_picture": None,
        "groups": (),
        "open_issues": 0,
    }
    values.update(changes)
    return ForumView(**values)


def issue(number: int, title: str, state: str = "raised", **changes: Any) -> IssueItem:
    values: dict[str, Any] = {
        "number": number,
        "title": title,
        "description": None,
        "state": state,
        "forum": SAMORDNANDE,
        "origin_forum": KONFERENS,
        "raised_by": "@tib:example.se",
        "actor": actor(LST),
        "owner": None,
        "followup_at": None,
        "created_at": NOW,
        "updated_at": NOW,
        "closed_at": NOW if state == "closed" else None,
        "meeting_id": None,
        "events": (),
    }
    values.update(changes)
    return IssueItem(**values)


def overview() -> Overview:
    forums = (
        forum_view(
            KONFERENS,
            next_meeting=NOW + timedelta(hours=2),
            host=actor(LST),
            open_issues=2,
        ),
        forum_view(
            SAMORDNANDE,
            activation=activation_view(),
            current_meeting=meeting_view(),
            latest_meeting=meeting_view(),
            latest_picture=picture(),
            groups=(group("Analys", task=IMG, activation_id=4),),
            host=actor(LST),
        ),
        forum_view(INRIKTANDE),
    )
    readiness = (
        ActorReadiness(actor(TV), "katastrofläge", 3, True, SAMORDNANDE, NOW),
        ActorReadiness(actor(LST), "stabsläge", 1, True, SAMORDNANDE, NOW),
        ActorReadiness(actor(POLIS), None, None, False, None, None),
    )
    return Overview(forums, readiness, LEVELS)


def assert_no_injected_markup(page: Page) -> None:
    scripts = page.all("script")
    assert all(attrs.get("src") == "/static/refresh.js" for attrs in scripts), scripts
    assert page.all("img") == []
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)


def test_overview_shows_the_model_the_forums_and_the_exercise() -> None:
    html = pages().overview(overview(), Display(), NOW)
    page = Page(html)
    text = page.text
    assert "Samverkansmodellen" in text
    assert "Regional samverkanskonferens" in text and "Regionalt samordnande forum" in text
    assert "ÖVNING" in text and "AKTIVERAT" in text
    assert "ej aktiverat" in text  # the dormant activated-mode forum
    assert "nästa möte torsdag 2026-11-26 kl. 17:00" in text
    # the model is inline SVG with its lit forum
    assert len(page.all("svg")) == 1
    lit = [a for a in page.all("g") if a.get("data-lit") == "true"]
    assert [a.get("data-forum") for a in lit] == ["samordnande"]
    # links to the pages behind
    hrefs = {a.get("href") for a in page.all("a")}
    assert {"/meetings/9", "/activations/4", "/issues"} <= hrefs
    # the live section that the script refreshes
    live = [a for a in page.all("div") if a.get("id") == "live"]
    assert live == [
        {
            "id": "live",
            "data-live": "1",
            "data-fragment": "/fragments/overview",
            "data-refresh-ms": "0",
        }
    ]


def test_user_text_is_shown_as_text_never_as_markup() -> None:
    html = pages().overview(overview(), Display(), NOW)
    page = Page(html)
    assert_no_injected_markup(page)
    assert SCRIPT in page.text and IMG in page.text
    assert "&lt;script&gt;" in html


def test_readiness_reads_without_colour() -> None:
    page = Page(pages().overview(overview(), Display(), NOW))
    rows = [a for a in page.all("tr") if a.get("data-actor")]
    assert [(a.get("data-actor"), a.get("class")) for a in rows] == [
        ("trafikverket", "level-3"),
        ("lst", "level-1"),
        ("polisen", "level-none"),
    ]
    # the level's own text, and its place on the scale as a bar
    assert "■■■■ katastrofläge" in page.text
    assert "■■□□ stabsläge" in page.text
    assert "ej rapporterad" in page.text


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (4, ["level-0", "level-1", "level-2", "level-3"]),
        (2, ["level-0", "level-3"]),
        (1, ["level-0"]),
        (6, ["level-0", "level-1", "level-1", "level-2", "level-2", "level-3"]),
    ],
)
def test_level_classes_spread_any_scale_over_four_looks(count: int, expected: list[str]) -> None:
    assert [level_class(rank, count) for rank in range(count)] == expected
    bars = [level_bar(rank, count) for rank in range(count)]
    assert [bar.count("■") for bar in bars] == list(range(1, count + 1))
    assert all(len(bar) == count for bar in bars)


def test_the_overview_in_english() -> None:
    page = Page(pages("en").overview(overview(), Display(), NOW))
    assert "The collaboration model" in page.text
    assert "EXERCISE" in page.text and "ACTIVATED" in page.text
    assert "Readiness per actor" in page.text
    assert page.tags[0] == ("html", {"lang": "en"})


def test_wall_screen_and_refresh_are_kept_in_links() -> None:
    page = Page(pages().overview(overview(), Display(wall=True, refresh_s=5), NOW))
    assert ("body", {"class": "wall"}) in page.tags
    hrefs = {a.get("href") for a in page.all("a")}
    assert "/meetings/9?wall=1&refresh=5" in hrefs
    live = next(a for a in page.all("div") if a.get("id") == "live")
    assert live["data-fragment"] == "/fragments/overview?wall=1&refresh=5"
    assert live["data-refresh-ms"] == "5000"
    # every picture is open on a wall screen
    assert all("open" in a for a in page.all("details"))


def test_the_fragment_is_only_the_live_section() -> None:
    html = pages().overview_fragment(overview(), Display(), NOW)
    page = Page(html)
    assert page.tags[0][0] == "div" and page.tags[0][1]["id"] == "live"
    assert page.all("header") == [] and page.all("script") == []
    assert "Regionalt samordnande forum" in page.text


def test_meeting_page_shows_reports_missing_needs_issues_and_groups() -> None:
    pic = picture()
    detail = MeetingDetail(
        meeting=meeting_view(),
        activation=activation_view(),
        reports=(
            ReportView(
                actor(TV),
                "@tv:example.se",
                NOW,
                {"situation": f"E4 stängd {SCRIPT}", "needs": IMG, "contact": "Vakthavande"},
                raised=True,
                source="web-link",
            ),
        ),
        missing=(actor(POLIS),),
        needs=pic.needs,
        picture=pic,
        issues=(issue(3, f"Saltlager {SCRIPT}"),),
        groups=(group("Analys", task="Läget i trafiken", members=("Trafikverket",)),),
    )
    page = Page(pages().meeting(detail, Display(), NOW))
    text = page.text
    assert "Regionalt samordnande forum, torsdag 2026-11-26 kl. 15:00" in text
    assert "ÖVNING" in text
    assert "Aktörernas lägesbilder" in text and "Trafikverket" in text
    assert f"E4 stängd {SCRIPT}" in text and "Vakthavande" in text
    assert "Källa: webbformulär via rapportlänk" in text
    assert "Saknas Polisen region Stockholm" in text
    assert "Behov av samordning" in text and "Samordnad kommunikation" in text
    assert f"#3 Saltlager {SCRIPT}" in text and "lyft" in text
    assert "Analys" in text and "Läget i trafiken" in text
    assert "2 av 3" in text
    assert_no_injected_markup(page)


def test_activation_page_shows_the_timeline_and_who_acknowledged() -> None:
    info = ActivationInfo(
        id=4,
        forum_name="Regionalt samordnande forum",
        reason=f"Snö {SCRIPT}",
        exercise=True,
        requested_by="@tib:example.se",
        requested_at=NOW,
        activated_by="@tib:example.se",
        activated_at=NOW,
        ended_by=None,
        ended_at=None,
        host="Länsstyrelsen Stockholm",
    )
    alert = AlertInfo(
        id=1,
        function="kommunikatör",
        message=f"Samverkan aktiverad {IMG}",
        raised_by="system",
        created_at=NOW,
        exercise=True,
        escalated_at=None,
        escalated_to=(),
        cancelled_at=None,
        recipients=(
            RecipientInfo(
                "@komm1:example.se", "Solna stad", 1, NOW + timedelta(minutes=1), "reaction"
            ),
            RecipientInfo("@komm2:example.se", "Polisen region Stockholm", 2, None, None),
        ),
    )
    entries = compile_timeline(info, [alert], [], [])
    data = ActivationDetail(
        activation=activation_view(reason=f"Snö {SCRIPT}"),
        timeline=tuple(
            TimelineItem(e.at, e.kind, dict(e.values), entry_text(Catalogue("sv"), e))
            for e in entries
        ),
        alerts=(alert,),
        rounds=(meeting_view(),),
        groups=(),
    )
    page = Page(pages().activation(data, Display(), NOW))
    text = page.text
    assert "Aktivering av Regionalt samordnande forum" in text
    assert "ÖVNING" in text and "aktiv" in text
    assert "Larm #1 till kommunikatör" in text
    assert "1 av 2 har kvitterat" in text
    assert "EJ KVITTERAT" in text
    assert "@komm1:example.se" in text and "reaktion" in text
    assert f"Snö {SCRIPT}" in text
    assert_no_injected_markup(page)


def test_issue_list_separates_open_and_closed() -> None:
    issues = [
        issue(1, "Reservkraft", "investigating", owner="Solna stad"),
        issue(2, "Skyltning", "closed", forum=KONFERENS),
    ]
    page = Page(pages("en").issues(issues, Display(), NOW))
    text = page.text
    assert text.index("Open issues") < text.index("Reservkraft") < text.index("Closed issues")
    assert text.index("Closed issues") < text.index("Skyltning")
    assert "under investigation" in text and "Solna stad" in text
    assert "Raised in: Regional samverkanskonferens" in text  # lifted from the conference

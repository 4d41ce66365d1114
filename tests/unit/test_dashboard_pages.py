"""The dashboard's pages rendered from hand-made page data: what a person reads, in Swedish and
English; injected HTML shown as text; readiness readable without colour; display options kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
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
from bot.web.pages import (
    ActivationPage,
    ForumCard,
    GroupCard,
    IssueRow,
    MeetingPage,
    Overview,
    ReadinessCell,
    ReportView,
)
from bot.web.views import Display, Views, level_bar, level_class

ZONE = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)
LEVELS = ("normalläge", "stabsläge", "förstärkningsläge", "katastrofläge")
LST = ActorRef("lst", "Länsstyrelsen Stockholm", "stat")
TV = ActorRef("trafikverket", "Trafikverket", "trafik")
POLIS = ActorRef("polisen", "Polisen region Stockholm", "blåljus")
SCRIPT = "<script>window.injected = 1</script>"
IMG = '<img src=x onerror="window.injected = 2">'


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


def views(language: Language = "sv") -> Views:
    return Views(Catalogue(language), ZONE)


def picture(exercise: bool = True) -> CombinedPicture:
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
    info = MeetingInfo("Regionalt samordnande forum", NOW, NOW, round_number=2, exercise=exercise)
    return compile_picture(info, [LST, TV, POLIS], reports, LEVELS)


def overview() -> Overview:
    forums = (
        ForumCard(
            "konferens",
            "Regional samverkanskonferens",
            "samordnande",
            "ordinarie",
            next_meeting=NOW + timedelta(hours=2),
            host="Länsstyrelsen Stockholm",
        ),
        ForumCard(
            "samordnande",
            "Regionalt samordnande forum",
            "samordnande",
            "aktiverat",
            activation_id=4,
            exercise=True,
            reason=f"Snöstorm {SCRIPT}",
            activated_at=NOW,
            latest_meeting_id=9,
            picture=picture(),
            groups=(GroupCard("Analys", task=IMG, lit=True),),
        ),
        ForumCard("inriktande", "Regionalt inriktande forum", "inriktande", "aktiverat"),
    )
    readiness = (
        ReadinessCell(TV, "katastrofläge", 3, "Regionalt samordnande forum", NOW),
        ReadinessCell(LST, "stabsläge", 1, "Regionalt samordnande forum", NOW),
        ReadinessCell(POLIS),
    )
    return Overview(forums, readiness, LEVELS)


def assert_no_injected_markup(page: Page) -> None:
    scripts = page.all("script")
    assert all(attrs.get("src") == "/static/refresh.js" for attrs in scripts), scripts
    assert page.all("img") == []
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)


def test_overview_shows_the_model_the_forums_and_the_exercise() -> None:
    html = views().overview(overview(), Display(), NOW)
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
    html = views().overview(overview(), Display(), NOW)
    page = Page(html)
    assert_no_injected_markup(page)
    assert SCRIPT in page.text and IMG in page.text
    assert "&lt;script&gt;" in html


def test_readiness_reads_without_colour() -> None:
    page = Page(views().overview(overview(), Display(), NOW))
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
    page = Page(views("en").overview(overview(), Display(), NOW))
    assert "The collaboration model" in page.text
    assert "EXERCISE" in page.text and "ACTIVATED" in page.text
    assert "Readiness per actor" in page.text
    assert page.tags[0] == ("html", {"lang": "en"})


def test_wall_screen_and_refresh_are_kept_in_links() -> None:
    page = Page(views().overview(overview(), Display(wall=True, refresh_s=5), NOW))
    assert ("body", {"class": "wall"}) in page.tags
    hrefs = {a.get("href") for a in page.all("a")}
    assert "/meetings/9?wall=1&refresh=5" in hrefs
    live = next(a for a in page.all("div") if a.get("id") == "live")
    assert live["data-fragment"] == "/fragments/overview?wall=1&refresh=5"
    assert live["data-refresh-ms"] == "5000"
    # every picture is open on a wall screen
    assert all("open" in a for a in page.all("details"))


def test_the_fragment_is_only_the_live_section() -> None:
    html = views().overview_fragment(overview(), Display(), NOW)
    page = Page(html)
    assert page.tags[0][0] == "div" and page.tags[0][1]["id"] == "live"
    assert page.all("header") == [] and page.all("script") == []
    assert "Regionalt samordnande forum" in page.text


def test_meeting_page_shows_reports_missing_needs_issues_and_groups() -> None:
    pic = picture()
    page_data = MeetingPage(
        id=9,
        forum_id="samordnande",
        forum_name="Regionalt samordnande forum",
        kind="activated",
        state="open",
        starts_at=NOW,
        deadline_at=NOW,
        picture=pic,
        reports=(
            ReportView(
                TV,
                "@tv:example.se",
                NOW,
                SituationReport(situation=f"E4 stängd {SCRIPT}", needs=IMG, contact="Vakthavande"),
                source="rapportlänk",
            ),
        ),
        issues=(
            IssueRow(
                3, f"Saltlager {SCRIPT}", "raised", "Regionalt samordnande forum", "Konferensen"
            ),
        ),
        groups=(GroupCard("Analys", task="Läget i trafiken", members=("Trafikverket",)),),
        round_number=2,
        activation_id=4,
        exercise=True,
    )
    page = Page(views().meeting(page_data, Display(), NOW))
    text = page.text
    assert "Regionalt samordnande forum, torsdag 2026-11-26 kl. 15:00" in text
    assert "ÖVNING" in text
    assert "Aktörernas lägesbilder" in text and "Trafikverket" in text
    assert f"E4 stängd {SCRIPT}" in text and "Vakthavande" in text
    assert "Källa: rapportlänk" in text
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
    data = ActivationPage(
        info=info,
        state="active",
        forum_id="samordnande",
        entries=compile_timeline(info, [alert], [], []),
        alerts=(alert,),
    )
    page = Page(views().activation(data, Display(), NOW))
    text = page.text
    assert "Aktivering av Regionalt samordnande forum" in text
    assert "ÖVNING" in text and "aktiv" in text
    assert "Larm 1 till kommunikatör" in text
    assert "1 av 2 har kvitterat" in text
    assert "EJ KVITTERAT" in text
    assert "@komm1:example.se" in text and "reaktion" in text
    assert f"Snö {SCRIPT}" in text
    assert_no_injected_markup(page)


def test_issue_list_separates_open_and_closed() -> None:
    issues = [
        IssueRow(
            1,
            "Reservkraft",
            "investigating",
            "Regional samordningsgrupp",
            "Konferensen",
            owner="Solna stad",
        ),
        IssueRow(
            2, "Skyltning", "closed", "Regional samverkanskonferens", "Regional samverkanskonferens"
        ),
    ]
    page = Page(views("en").issues(issues, Display(), NOW))
    text = page.text
    assert text.index("Open issues") < text.index("Reservkraft") < text.index("Closed issues")
    assert text.index("Closed issues") < text.index("Skyltning")
    assert "under investigation" in text and "Solna stad" in text

"""The combined picture (samlad lägesbild): compiling it, and writing it out for Matrix."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from bot.config import ActorConfig, Category
from bot.domain.picture import (
    ActorRef,
    CombinedPicture,
    Contribution,
    DirectionInfo,
    GroupReportEntry,
    MeetingInfo,
    ReportEntry,
    compile_picture,
    missing,
)
from bot.domain.reports import SituationReport
from bot.render.catalogue import MESSAGES, Catalogue, placeholders
from bot.render.picture import render_picture, render_receipt, render_report_format
from bot.render.picture_messages import PICTURE_MESSAGES

LEVELS = ("normalläge", "stabsläge", "förstärkningsläge", "katastrofläge")
ZONE = ZoneInfo("Europe/Stockholm")
THURSDAY = datetime(2025, 1, 16, 15, 0, tzinfo=UTC)  # 16:00 in Stockholm (CET)


_CATALOGUE_BEFORE = {key: dict(entry) for key, entry in MESSAGES.items()}


@pytest.fixture(autouse=True)
def _messages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The lead merges PICTURE_MESSAGES into the catalogue; until then, merge per test."""
    for key, entry in PICTURE_MESSAGES.items():
        monkeypatch.setitem(MESSAGES, key, entry)
    yield


def actor(id: str, name: str, category: str) -> ActorRef:
    return ActorRef(id, name, category)


LST = actor("lst", "Länsstyrelsen Stockholm", "stat")
FM = actor("fm", "Försvarsmakten", "stat")
REGION = actor("region", "Region Stockholm", "region")
STHLM = actor("stockholm", "Stockholms stad", "kommun")
SOLNA = actor("solna", "Solna stad", "kommun")
NACKA = actor("nacka", "Nacka kommun", "kommun")
SODERTALJE = actor("sodertalje", "Södertälje kommun", "kommun")
POLISEN = actor("polisen", "Polisen region Stockholm", "blåljus")
SSBF = actor("ssbf", "Storstockholms brandförsvar", "blåljus")
SOS = actor("sos", "SOS Alarm", "blåljus")
TRV = actor("trv", "Trafikverket", "trafik")
SL = actor("sl", "Trafikförvaltningen (SL)", "trafik")
ELLEVIO = actor("ellevio", "Ellevio", "övrig")
FRG = actor("frg", "Frivilliga resursgruppen", "övrig")  # reports without being called in

PARTICIPANTS = [
    LST,
    FM,
    REGION,
    STHLM,
    SOLNA,
    NACKA,
    SODERTALJE,
    POLISEN,
    SSBF,
    SOS,
    TRV,
    SL,
    ELLEVIO,
]


def entry(who: ActorRef, minutes: int = 0, **fields: str) -> ReportEntry:
    return ReportEntry(
        actor=who,
        author=f"@{who.id}:example.se",
        received_at=THURSDAY - timedelta(hours=1) + timedelta(minutes=minutes),
        report=SituationReport(**fields),
    )


REPORTS = [
    entry(SL, situation="Pendeltåg inställda norr om Solna", readiness="stabsläge"),
    entry(
        LST,
        situation="SMHI varning klass 2 för snö",
        actions="Samverkanskonferens varannan timme",
        communication="Gemensamt budskap kl 18 på krisinformation.se",
        readiness="stabsläge",
    ),
    entry(FM, situation="Inget särskilt", readiness="normalläge"),
    entry(
        REGION,
        situation="Ökat tryck på akutmottagningar",
        impact="Halkolyckor",
        needs="Prioriterad snöröjning till sjukhusen",
        readiness="förstärkningsläge",
    ),
    entry(
        STHLM,
        situation="Kraftigt snöfall",
        impact="Hemtjänsten försenad",
        actions="Extra plogning",
        needs="Bandvagnar till hemtjänsten\nSamordnad information om kollektivtrafiken",
        resources="Evakueringsplatser i tre skolor",
        outlook="Mer snö i natt",
        contact="TiB 08-508 000 00",
        readiness="stabsläge",
    ),
    entry(SOLNA, situation="Lugnt", readiness="normalläge"),
    entry(POLISEN, situation="Många trafikolyckor", readiness="katastrofläge"),
    entry(SSBF, readiness="stabsläge", resources="Två bandvagnar"),
    entry(SOS, situation="Hög belastning i 112", outlook="Oförändrat till i morgon"),
    entry(
        TRV,
        situation="E4 avstängd vid Häggvik",
        needs="Polisens hjälp att leda om trafiken",
        communication="Trafikinformation i radio varje halvtimme",
        readiness="förstärkningsläge",
    ),
    entry(FRG, situation="Frivilliga i beredskap", resources="40 frivilliga"),
]

MEETING = MeetingInfo(
    forum_name="Regional samverkanskonferens",
    starts_at=THURSDAY,
    deadline_at=THURSDAY - timedelta(minutes=15),
    host="Länsstyrelsen Stockholm",
)


def picture(
    *,
    meeting: MeetingInfo = MEETING,
    reports: Sequence[ReportEntry] = REPORTS,
    direction: DirectionInfo | None = None,
    group_reports: Sequence[GroupReportEntry] = (),
) -> CombinedPicture:
    return compile_picture(
        meeting, PARTICIPANTS, reports, LEVELS, direction=direction, group_reports=group_reports
    )


def names(items: Sequence[Contribution]) -> list[str]:
    return [item.actor.name for item in items]


# --- compiling ---------------------------------------------------------------------------------


def test_missing_participants_in_config_order() -> None:
    assert missing(PARTICIPANTS, REPORTS) == [NACKA, SODERTALJE, ELLEVIO]
    assert missing(PARTICIPANTS, []) == PARTICIPANTS
    assert missing([LST, LST, FM], [entry(FM)]) == [LST]


def test_counts_and_missing() -> None:
    result = picture()
    assert (result.reported, result.expected) == (10, 13)
    assert result.missing == (NACKA, SODERTALJE, ELLEVIO)
    assert result.extras == 1
    assert not result.complete


def test_readiness_most_raised_first_then_normal_then_not_stated() -> None:
    rows = picture().readiness
    assert [(row.actor.id, row.level, row.raised) for row in rows] == [
        ("polisen", "katastrofläge", True),
        ("region", "förstärkningsläge", True),
        ("trv", "förstärkningsläge", True),
        ("lst", "stabsläge", True),
        ("stockholm", "stabsläge", True),
        ("ssbf", "stabsläge", True),
        ("sl", "stabsläge", True),
        ("fm", "normalläge", False),
        ("solna", "normalläge", False),
        ("frg", None, False),
        ("sos", None, False),
    ]
    assert [row.rank for row in rows[:2]] == [3, 2]
    assert [row.actor.id for row in picture().raised] == [
        "polisen", "region", "trv", "lst", "stockholm", "ssbf", "sl"
    ]  # fmt: skip


def test_sections_follow_category_order_then_participant_order() -> None:
    result = picture()
    assert [s.category for s in result.sections] == [
        "stat", "region", "kommun", "blåljus", "trafik", "övrig"
    ]  # fmt: skip
    assert [[a.actor.id for a in s.actors] for s in result.sections] == [
        ["lst", "fm"],
        ["region"],
        ["stockholm", "solna"],
        ["polisen", "ssbf", "sos"],
        ["trv", "sl"],  # config order, not alphabetical
        ["frg"],
    ]
    stockholm = result.sections[2].actors[0]
    assert (stockholm.situation, stockholm.impact, stockholm.actions) == (
        "Kraftigt snöfall",
        "Hemtjänsten försenad",
        "Extra plogning",
    )
    assert result.sections[-1].actors[0].extra is True
    assert not any(a.extra for s in result.sections[:-1] for a in s.actors)


def test_custom_category_order_and_unknown_category_last() -> None:
    odd = actor("odd", "Okänd aktör", "näringsliv")
    result = compile_picture(
        MEETING,
        [LST, TRV, odd],
        [entry(LST, situation="a"), entry(TRV, situation="b"), entry(odd, situation="c")],
        LEVELS,
        category_order=("trafik", "stat"),
    )
    assert [s.category for s in result.sections] == ["trafik", "stat", "näringsliv"]


def test_every_need_is_gathered_with_who_needs_it() -> None:
    needs = picture().needs
    assert [(n.actor.name, n.text) for n in needs] == [
        ("Region Stockholm", "Prioriterad snöröjning till sjukhusen"),
        (
            "Stockholms stad",
            "Bandvagnar till hemtjänsten\nSamordnad information om kollektivtrafiken",
        ),
        ("Trafikverket", "Polisens hjälp att leda om trafiken"),
    ]


def test_resources_communication_outlook_and_contacts() -> None:
    result = picture()
    assert [(c.actor.id, c.text, c.extra) for c in result.resources] == [
        ("stockholm", "Evakueringsplatser i tre skolor", False),
        ("ssbf", "Två bandvagnar", False),
        ("frg", "40 frivilliga", True),
    ]
    assert names(result.communication) == ["Länsstyrelsen Stockholm", "Trafikverket"]
    assert names(result.outlook) == ["Stockholms stad", "SOS Alarm"]
    assert [(c.actor.id, c.text) for c in result.contacts] == [("stockholm", "TiB 08-508 000 00")]


def test_a_duplicate_report_keeps_the_latest() -> None:
    result = picture(
        reports=[
            entry(LST, minutes=10, situation="ny", readiness="stabsläge"),
            entry(LST, minutes=0, situation="gammal", readiness="normalläge"),
        ]
    )
    assert [a.situation for s in result.sections for a in s.actors] == ["ny"]
    assert [row.level for row in result.readiness] == ["stabsläge"]
    assert result.reported == 1


def test_a_level_removed_from_the_config_is_still_highlighted() -> None:
    result = picture(
        reports=[
            entry(LST, readiness="gul"),
            entry(TRV, readiness="stabsläge"),
            entry(SOS, readiness="normalläge"),
        ]
    )
    assert [(r.actor.id, r.rank, r.raised) for r in result.readiness] == [
        ("trv", 1, True),
        ("lst", None, True),
        ("sos", 0, False),
    ]


def test_group_reports_in_time_order() -> None:
    early = GroupReportEntry(
        "Kommunikation", "@a:x", "Budskap klart", THURSDAY - timedelta(hours=2)
    )
    late = GroupReportEntry("Analys", "@b:x", "Underlag klart", THURSDAY - timedelta(hours=1))
    assert picture(group_reports=[late, early]).group_reports == (early, late)


def test_actor_ref_from_config() -> None:
    config = ActorConfig(id="polisen", name="Polisen", category=Category.BLALJUS)
    assert ActorRef.of(config) == ActorRef("polisen", "Polisen", "blåljus")


# --- rendering ---------------------------------------------------------------------------------

ALLOWED_TAGS = {
    "h3", "h4", "h5", "p", "b", "i", "ul", "li", "table", "thead", "tbody", "tr", "th", "td",
    "br", "code", "em", "strong",
}  # fmt: skip


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        assert not attrs, (tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(formatted: str) -> _Tags:
    parser = _Tags()
    parser.feed(formatted)
    parser.close()
    return parser


def sv() -> Catalogue:
    return Catalogue("sv")


def test_swedish_picture_reads_as_the_conference_expects() -> None:
    text, formatted = render_picture(picture(), sv(), ZONE)
    lines = text.split("\n")
    assert lines[0] == "Samlad lägesbild – Regional samverkanskonferens"
    assert lines[1] == "torsdag 2025-01-16 kl. 16:00"
    assert "Värd: Länsstyrelsen Stockholm" in lines
    assert "Sista tid för rapporter: kl. 15:45" in lines
    assert "10 av 13 aktörer har rapporterat." in lines
    assert "7 aktörer har en beredskapsnivå över normalläge." in lines
    assert "- Polisen region Stockholm: ⚠️ katastrofläge" in lines
    assert "- Solna stad: normalläge" in lines
    assert "- SOS Alarm: ej angiven" in lines
    assert "ÖVNING" not in text
    # sections, in order, with Swedish category names and labels
    order = [
        "Beredskap", "Statliga myndigheter", "Region", "Kommuner", "Blåljus", "Trafik", "Övriga",
        "Behov av samordning", "Resurser som erbjuds", "Planerad kommunikation", "Prognos",
        "Kontaktvägar", "Har inte rapporterat",
    ]  # fmt: skip
    assert [lines.index(title) for title in order] == sorted(lines.index(t) for t in order)
    assert "  Påverkan: Hemtjänsten försenad" in lines
    assert "• Storstockholms brandförsvar" in lines
    assert "• Frivilliga resursgruppen (ej kallad)" in lines
    assert "Dessutom en rapport från en aktör som inte är kallad till forumet." in lines
    assert lines[-1] == "Nacka kommun, Södertälje kommun, Ellevio"
    assert "<h3>Samlad lägesbild – Regional samverkanskonferens</h3>" in formatted
    assert "<h4>Kommuner</h4>" in formatted


def test_raised_readiness_is_highlighted_and_normal_is_not() -> None:
    _, formatted = render_picture(picture(), sv(), ZONE)
    assert (
        "<tr><td><b>Polisen region Stockholm</b></td><td><b>⚠️ katastrofläge</b></td></tr>"
        in formatted
    )
    assert "<tr><td>Solna stad</td><td>normalläge</td></tr>" in formatted
    assert "<td><i>ej angiven</i></td>" in formatted
    assert formatted.count("⚠️") == 7


def test_needs_are_a_table_of_who_needs_what() -> None:
    text, formatted = render_picture(picture(), sv(), ZONE)
    needs = formatted.split("<h4>Behov av samordning</h4>")[1].split("</table>")[0]
    assert needs.startswith("<table><thead><tr><th>Aktör</th><th>Behov</th></tr></thead>")
    rows = re.findall(r"<tr><td><b>(.*?)</b></td><td>(.*?)</td></tr>", needs)
    assert rows == [
        ("Region Stockholm", "Prioriterad snöröjning till sjukhusen"),
        (
            "Stockholms stad",
            "Bandvagnar till hemtjänsten<br>Samordnad information om kollektivtrafiken",
        ),
        ("Trafikverket", "Polisens hjälp att leda om trafiken"),
    ]
    assert (
        "- Stockholms stad: Bandvagnar till hemtjänsten\n"
        "  Samordnad information om kollektivtrafiken"
    ) in text


def test_no_needs_says_so() -> None:
    text, _ = render_picture(picture(reports=[entry(LST, situation="lugnt")]), sv(), ZONE)
    assert "Behov av samordning\nInga behov av samordning har rapporterats." in text
    assert "Resurser som erbjuds" not in text


def test_everyone_reported() -> None:
    everyone = [entry(a, situation="lugnt") for a in PARTICIPANTS]
    text, formatted = render_picture(picture(reports=everyone), sv(), ZONE)
    assert text.endswith("Alla har rapporterat.")
    assert formatted.endswith("<p><b>Alla har rapporterat.</b></p>")
    assert "Har inte rapporterat" not in text
    assert "13 av 13 aktörer har rapporterat." in text
    assert "Ingen aktör har en beredskapsnivå över normalläge." in text


def test_no_reports_yet() -> None:
    text, _ = render_picture(picture(reports=[]), sv(), ZONE)
    assert "Inga lägesbilder har kommit in ännu." in text
    assert "0 av 13 aktörer har rapporterat." in text
    assert "Beredskap" not in text


def test_actor_with_only_readiness_has_nothing_in_particular() -> None:
    text, _ = render_picture(picture(reports=[entry(FM, readiness="normalläge")]), sv(), ZONE)
    assert "• Försvarsmakten\n  Inget särskilt att rapportera." in text


def test_exercise_marker_on_top_and_at_the_end() -> None:
    meeting = MeetingInfo(
        forum_name="Regionalt samordnande forum",
        starts_at=THURSDAY,
        round_number=3,
        exercise=True,
        reason="Övning snöstorm",
    )
    text, formatted = render_picture(picture(meeting=meeting), sv(), ZONE)
    banner = "⚠️ ÖVNING ÖVNING ÖVNING – detta är en övning, inte en verklig händelse."
    assert text.startswith(banner + "\n\n")
    assert text.endswith("\n\n" + banner)
    assert formatted.startswith(f"<p><b>{banner}</b></p><h3>")
    assert "torsdag 2025-01-16 kl. 16:00 (rapportrunda 3)" in text
    assert "Anledning: Övning snöstorm" in text
    english, _ = render_picture(picture(meeting=meeting), Catalogue("en"), ZONE)
    assert english.startswith("⚠️ EXERCISE EXERCISE EXERCISE")


def test_english_picture() -> None:
    text, formatted = render_picture(picture(), Catalogue("en"), ZONE)
    assert text.startswith(
        "Combined situation picture – Regional samverkanskonferens\nThursday 2025-01-16 at 16:00"
    )
    for title in (
        "Readiness",
        "State agencies",
        "Municipalities",
        "Emergency services",
        "Needs for coordination",
        "Resources offered",
        "Planned communication",
        "Outlook",
        "Not reported",
    ):
        assert f"<h4>{title}</h4>" in formatted
    assert "10 of 13 actors have reported." in text
    assert "Frivilliga resursgruppen (not called in)" in text
    assert "  Impact: Hemtjänsten försenad" in text
    assert "Samlad" not in text


def test_local_time_follows_daylight_saving() -> None:
    summer = MeetingInfo("Konferens", datetime(2025, 6, 12, 14, 0, tzinfo=UTC))
    assert "torsdag 2025-06-12 kl. 16:00" in render_picture(picture(meeting=summer), sv(), ZONE)[0]
    naive_utc = MeetingInfo("Konferens", datetime(2025, 6, 12, 14, 0))
    assert "kl. 16:00" in render_picture(picture(meeting=naive_utc), sv(), ZONE)[0]


def test_direction_is_shown_first() -> None:
    direction = DirectionInfo(
        number=2,
        goal="Samhällsviktig verksamhet fungerar",
        priorities="1. Vård och omsorg\n2. Framkomlighet",
        messages="Undvik onödiga resor",
    )
    text, formatted = render_picture(picture(direction=direction), sv(), ZONE)
    assert text.index("Gemensam regional inriktning nr 2") < text.index("\nBeredskap\n")
    assert "Prioriteringar: 1. Vård och omsorg\n  2. Framkomlighet" in text
    assert "Riktlinjer" not in text
    assert "<b>Gemensamma budskap:</b> Undvik onödiga resor" in formatted


def test_group_reports_are_shown_with_local_time() -> None:
    group = GroupReportEntry("Kommunikation", "@komm:x", "Budskap klart", THURSDAY)
    text, formatted = render_picture(picture(group_reports=[group]), sv(), ZONE)
    assert "Rapporter från arbetsgrupper\n- Kommunikation (@komm:x, 16:00): Budskap klart" in text
    assert "<li><b>Kommunikation</b> (@komm:x, 16:00): Budskap klart</li>" in formatted


def test_html_uses_only_matrix_safe_tags_and_plain_text_has_none() -> None:
    direction = DirectionInfo(number=1, goal="a", priorities="b", guidelines="c", messages="d")
    group = GroupReportEntry("Analys", "@a:x", "klart", THURSDAY)
    meeting = MeetingInfo("F", THURSDAY, THURSDAY, 2, "LST", exercise=True, reason="r")
    for language in ("sv", "en"):
        text, formatted = render_picture(
            picture(meeting=meeting, direction=direction, group_reports=[group]),
            Catalogue(language),
            ZONE,
        )
        assert set(parse_html(formatted).tags) <= ALLOWED_TAGS
        assert {"h3", "h4", "table", "th", "td", "ul", "li", "b", "br"} <= set(
            parse_html(formatted).tags
        )
        assert not re.search(r"</?[a-z][a-z0-9]*[ />]", text)
        assert "&" not in text


def test_user_text_is_escaped() -> None:
    evil = "<script>alert('x')</script> & <b>"
    villain = actor("evil", "Ond <img src=x>", "kommun")
    reports = [
        entry(villain, situation=evil, needs=evil, resources=evil, readiness="stabsläge"),
        entry(LST, communication=evil, contact=evil, outlook=evil),
    ]
    meeting = MeetingInfo(evil, THURSDAY, host=evil, reason=evil)
    direction = DirectionInfo(goal=evil)
    group = GroupReportEntry(evil, evil, evil, THURSDAY)
    text, formatted = render_picture(
        compile_picture(
            meeting, [LST, villain], reports, LEVELS, direction=direction, group_reports=[group]
        ),
        sv(),
        ZONE,
    )
    assert "<script" not in formatted
    assert "<img" not in formatted
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;" in formatted
    assert set(parse_html(formatted).tags) <= ALLOWED_TAGS
    assert evil in text  # the plain body is plain: shown as typed, not escaped
    assert "Ond <img src=x>" in text


def test_report_format_help_in_the_bot_language() -> None:
    text, formatted = render_report_format(sv(), LEVELS)
    lines = text.split("\n")
    assert lines[0] == "Så rapporterar ni er lägesbild"
    assert lines[1].startswith("Skriv !läge följt av en rad per fält")
    assert [line.split(":")[0].strip() for line in lines[2:11]] == [
        "läge", "påverkan", "åtgärder", "behov", "resurser", "kommunikation", "prognos",
        "kontakt", "beredskap",
    ]  # fmt: skip
    assert "  behov: behov av samordning, stöd eller resurser från andra" in lines
    assert lines[-1] == (
        "Beredskapsnivåer: normalläge, stabsläge, förstärkningsläge, katastrofläge. "
        "Allt över normalläge markeras i den samlade lägesbilden."
    )
    assert "<li><code>åtgärder:</code> vidtagna och planerade åtgärder</li>" in formatted
    assert set(parse_html(formatted).tags) <= ALLOWED_TAGS
    english, formatted_en = render_report_format(Catalogue("en"), ["green", "red"])
    assert "Type !status followed by" in english
    assert "  needs: needs for coordination, support or resources from others" in english
    assert "Anything above green is highlighted" in english
    assert "<code>readiness:</code>" in formatted_en


def test_receipt() -> None:
    report = SituationReport(situation="snö", readiness="stabsläge")
    assert render_receipt(sv(), "Polisen region Stockholm", report) == (
        "Lägesbild mottagen från Polisen region Stockholm (beredskap: stabsläge)."
    )
    assert render_receipt(Catalogue("en"), "Trafikverket", SituationReport(situation="x")) == (
        "Situation report received from Trafikverket."
    )


def test_messages_have_both_languages_and_the_same_placeholders() -> None:
    for key, entry_ in PICTURE_MESSAGES.items():
        assert key.startswith(("picture.", "report.")), key
        assert set(entry_) == {"sv", "en"}, key
        assert entry_["sv"] and entry_["en"], key
        assert placeholders(entry_["sv"]) == placeholders(entry_["en"]), key
        # merging must not change a text someone else already put in the catalogue
        assert _CATALOGUE_BEFORE.get(key, entry_) == entry_, key


def test_report_errors_have_messages() -> None:
    from bot.domain.reports import ReportError, parse_report

    for text in ("", "beredskap: hög", "beredskap: gulo"):
        with pytest.raises(ReportError) as caught:
            parse_report(text, ("grön", "gulorange", "guloranger"))
        message = sv()(caught.value.key, **caught.value.values)
        assert message and "{" not in message
    assert sv()("report.readiness_unknown", value="hög", levels="a, b") == (
        '"hög" är ingen beredskapsnivå. Ange en av: a, b.'
    )


def test_singular_and_plural_counts() -> None:
    other = actor("other", "Annan frivillig", "övrig")
    reports = [
        entry(LST, readiness="stabsläge"),
        entry(FRG, situation="a"),
        entry(other, situation="b"),
    ]
    text, _ = render_picture(picture(reports=reports), sv(), ZONE)
    assert "1 aktör har en beredskapsnivå över normalläge." in text
    assert "Dessutom rapporter från 2 aktörer som inte är kallade till forumet." in text
    english, _ = render_picture(picture(reports=reports), Catalogue("en"), ZONE)
    assert "1 actor reports a readiness level above normalläge." in english
    assert "Also reports from 2 actors not called in to the forum." in english

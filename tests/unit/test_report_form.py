"""A report link's form: fields in, a report out by the chat's rules; pages escaped; the call-in
section and the picture say where a report came from."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.picture import ActorRef, MeetingInfo, ReportEntry, compile_picture
from bot.domain.reports import ReportError, SituationReport, report_from_fields
from bot.matrix.content import ping
from bot.render.catalogue import Catalogue
from bot.render.picture import render_picture
from bot.render.report_form import form_fields, render_form, render_message
from bot.render.report_link import with_report_links

LEVELS = ["normalläge", "stabsläge", "förstärkningsläge", "katastrofläge"]
ZONE = ZoneInfo("Europe/Stockholm")


def test_fields_become_a_report_like_typed_in_chat() -> None:
    report = report_from_fields(
        {
            "situation": "  Snöoväder\r\nvägar stängda ",
            "needs": "Bandvagnar",
            "readiness": "stab",
            "unknown": "ignored",
            "impact": "   ",
        },
        LEVELS,
    )
    assert report == SituationReport(
        situation="Snöoväder\nvägar stängda", needs="Bandvagnar", readiness="stabsläge"
    )


def test_an_empty_form_or_an_unknown_level_is_refused_with_the_reason() -> None:
    with pytest.raises(ReportError) as empty:
        report_from_fields({"situation": " ", "needs": ""}, LEVELS)
    assert empty.value.key == "report.empty"
    with pytest.raises(ReportError) as level:
        report_from_fields({"situation": "x", "readiness": "röd"}, LEVELS)
    assert level.value.key == "report.readiness_unknown"


def test_the_form_escapes_what_comes_back_and_names_fields_in_the_language() -> None:
    t = Catalogue("sv")
    evil = '</textarea><script>alert("x")</script>'
    page = render_form(
        t,
        title=t("link.form.title", actor="Kommun <b>"),
        intro="intro",
        notes=["note"],
        fields=form_fields(t, LEVELS, {"situation": evil, "readiness": "stabsläge"}),
        nonce='n"once',
        problem=t("link.form.problem", reason="<i>fel</i>"),
    )
    assert "<script>" not in page and "<b>" not in page and "<i>fel" not in page
    assert "&lt;/textarea&gt;&lt;script&gt;" in page
    assert 'value="n&#34;once"' in page
    assert "Lägesbild: Kommun &lt;b&gt;" in page
    assert '<html lang="sv">' in page
    for label in ("Läge", "Påverkan", "Åtgärder", "Behov", "Resurser", "Beredskap"):
        assert f">{label}<small>" in page
    assert '<option value="stabsläge" selected>' in page
    assert "Skicka lägesbild" in page and "<script" not in page.lower()
    english = render_message(Catalogue("en"), "Invalid link", ["<x>"])
    assert '<html lang="en">' in english and "&lt;x&gt;" in english


def test_the_call_in_lists_the_links_escaped_for_the_host() -> None:
    t = Catalogue("sv")
    content = ping("Kallelse", "<p>Kallelse</p>", ["@a:example.se"])
    at = datetime(2026, 11, 26, 16, 0, tzinfo=UTC)
    links = [("Norrtälje <kommun>", "http://127.0.0.1:8080/r/abc.def")]
    result = with_report_links(t, content, links, at, ZONE)
    assert result["body"].startswith("Kallelse\n\n🔗 Rapportlänkar")
    assert "Norrtälje <kommun>: http://127.0.0.1:8080/r/abc.def" in result["body"]
    assert "torsdag 2026-11-26 kl. 17:00" in result["body"]
    assert "Norrtälje &lt;kommun&gt;" in result["formatted_body"]
    assert '<a href="http://127.0.0.1:8080/r/abc.def">' in result["formatted_body"]
    assert result["m.mentions"] == content["m.mentions"]
    assert with_report_links(t, content, [], at, ZONE) is content


def test_the_picture_shows_a_reports_source() -> None:
    norrtalje = ActorRef("norrtalje", "Norrtälje kommun", "kommun")
    lst = ActorRef("lst", "Länsstyrelsen", "stat")
    at = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
    picture = compile_picture(
        MeetingInfo("Konferens", at),
        [lst, norrtalje],
        [
            ReportEntry(lst, "@tib:x", at, SituationReport(situation="Lugnt")),
            ReportEntry(
                norrtalje, "web-link", at, SituationReport(situation="Snö"), source="web-link"
            ),
        ],
        LEVELS,
    )
    for language, label in (("sv", "via webblänk"), ("en", "via web link")):
        text, html = render_picture(picture, Catalogue(language), ZONE)  # type: ignore[arg-type]
        assert f"Norrtälje kommun ({label})" in text
        assert f"<b>Norrtälje kommun ({label})</b>" in html
        assert "Länsstyrelsen (" not in text

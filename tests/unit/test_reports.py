"""Reading situation reports as people type them in chat, and readiness levels."""

from __future__ import annotations

import time

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.domain.reports import (
    FIELDS,
    KEYS,
    Language,
    ReportError,
    SituationReport,
    format_report,
    is_key_line,
    is_raised,
    parse_report,
    readiness_rank,
    resolve_readiness,
)

LEVELS = ("normalläge", "stabsläge", "förstärkningsläge", "katastrofläge")
LANGUAGES: tuple[Language, ...] = ("sv", "en")


def test_swedish_report_with_every_field() -> None:
    text = (
        "läge: Kraftigt snöfall, 30 cm sedan i morse\n"
        "påverkan: Hemtjänsten försenad i norra delarna\n"
        "åtgärder: Extra plogning beställd\n"
        "behov: Samordning av prioriterade vägar med Trafikverket\n"
        "resurser: Två bandvagnar\n"
        "kommunikation: Pressmeddelande kl 18\n"
        "prognos: Mer snö under natten\n"
        "kontakt: TiB 08-123 45 67\n"
        "beredskap: stabsläge"
    )
    assert parse_report(text, LEVELS) == SituationReport(
        situation="Kraftigt snöfall, 30 cm sedan i morse",
        impact="Hemtjänsten försenad i norra delarna",
        actions="Extra plogning beställd",
        needs="Samordning av prioriterade vägar med Trafikverket",
        resources="Två bandvagnar",
        communication="Pressmeddelande kl 18",
        outlook="Mer snö under natten",
        contact="TiB 08-123 45 67",
        readiness="stabsläge",
    )


def test_english_keys_any_case_bold_and_space_before_colon() -> None:
    text = (
        "**Situation**: Power cut in Solna\n"
        "IMPACT : 4000 households\n"
        "**Needs:** Generators\n"
        "__readiness__: Stab"
    )
    report = parse_report(text, LEVELS)
    assert report.situation == "Power cut in Solna"
    assert report.impact == "4000 households"
    assert report.needs == "Generators"
    assert report.readiness == "stabsläge"


def test_keys_without_swedish_accents() -> None:
    report = parse_report("lage: a\npaverkan: b\natgarder: c\nATGÄRDER: d", LEVELS)
    assert (report.situation, report.impact, report.actions) == ("a", "b", "c\nd")


def test_unbalanced_emphasis_is_not_a_key() -> None:
    report = parse_report("**behov: inget", LEVELS)
    assert report == SituationReport(situation="**behov: inget")


def test_bold_inside_value_is_kept() -> None:
    assert parse_report("behov: **akut** sandsäckar", LEVELS).needs == "**akut** sandsäckar"


def test_continuation_lines_keep_line_breaks() -> None:
    text = "åtgärder: Plogning\n  - huvudleder först\n\n  - sedan bussgator\nbehov: inga"
    report = parse_report(text, LEVELS)
    assert report.actions == "Plogning\n  - huvudleder först\n\n  - sedan bussgator"
    assert report.needs == "inga"


def test_text_before_any_key_is_the_situation_and_joins_a_later_situation() -> None:
    report = parse_report("Det snöar.\nMycket.\nbehov: plog\nläge: Och blåser.", LEVELS)
    assert report.situation == "Det snöar.\nMycket.\nOch blåser."
    assert report.needs == "plog"


def test_only_free_text_is_a_situation() -> None:
    assert parse_report("  Inget särskilt att rapportera.  ", LEVELS) == SituationReport(
        situation="Inget särskilt att rapportera."
    )


def test_repeated_key_appends() -> None:
    report = parse_report("behov: sandsäckar\nbehov: personal till kriscentret", LEVELS)
    assert report.needs == "sandsäckar\npersonal till kriscentret"


def test_words_with_colons_that_are_not_keys_are_text() -> None:
    text = "läge: se https://krisinformation.se\nObs: kl 16:00 möte\nKl 16:00: ny info"
    assert parse_report(text, LEVELS).situation == (
        "se https://krisinformation.se\nObs: kl 16:00 möte\nKl 16:00: ny info"
    )


def test_windows_line_endings() -> None:
    report = parse_report("läge: a\r\nb\r\nbehov: c", LEVELS)
    assert (report.situation, report.needs) == ("a\nb", "c")


def test_empty_key_is_ignored() -> None:
    report = parse_report("läge:\nbehov: plog\nberedskap:", LEVELS)
    assert report == SituationReport(needs="plog")


@pytest.mark.parametrize("text", ["", "   \n\n ", "läge:", "**behov:**\nberedskap:  "])
def test_empty_report_is_refused(text: str) -> None:
    with pytest.raises(ReportError) as caught:
        parse_report(text, LEVELS)
    assert caught.value.key == "report.empty"


@pytest.mark.parametrize(
    ("typed", "level"),
    [
        ("normalläge", "normalläge"),
        ("Stabsläge", "stabsläge"),
        ("STABSLAGE", "stabsläge"),
        ("normal", "normalläge"),
        ("stab", "stabsläge"),
        ("förstärkning", "förstärkningsläge"),
        ("forstarkning", "förstärkningsläge"),
        ("katastrof", "katastrofläge"),
        ("kat", "katastrofläge"),
        ("förs", "förstärkningsläge"),
        ("**stabsläge**.", "stabsläge"),
    ],
)
def test_readiness_forms(typed: str, level: str) -> None:
    assert resolve_readiness(typed, LEVELS) == level
    assert parse_report(f"beredskap: {typed}", LEVELS).readiness == level


@pytest.mark.parametrize("typed", ["hög", "k", "st", "stabsläge sedan 14", "förhöjd"])
def test_unknown_readiness_is_refused_with_the_levels(typed: str) -> None:
    with pytest.raises(ReportError) as caught:
        parse_report(f"läge: snö\nberedskap: {typed}", LEVELS)
    assert caught.value.key == "report.readiness_unknown"
    assert caught.value.values == {"value": typed, "levels": ", ".join(LEVELS)}


def test_ambiguous_readiness_prefix_names_the_candidates() -> None:
    levels = ("grön", "gul", "gulorange", "röd")
    assert resolve_readiness("gul", levels) == "gul"  # exact beats prefix
    with pytest.raises(ReportError) as caught:
        resolve_readiness("gulo", ("grön", "gulorange", "guloranger"))
    assert caught.value.key == "report.readiness_ambiguous"
    assert caught.value.values["candidates"] == "gulorange, guloranger"


def test_short_forms_win_over_an_ambiguous_prefix() -> None:
    levels = ("normalläge", "stabsläge", "stabsläge förstärkt")
    assert resolve_readiness("stab", levels) == "stabsläge"
    levels = ("normal", "normalläge")
    assert resolve_readiness("normal", levels) == "normal"


def test_a_long_refused_value_is_shortened_in_the_answer() -> None:
    with pytest.raises(ReportError) as caught:
        resolve_readiness("stab " * 1000, LEVELS)
    shown = str(caught.value.values["value"])
    assert len(shown) == 60 and shown.endswith("…")


def test_custom_scale_without_läge_suffix() -> None:
    levels = ("grön", "gul", "röd")
    assert resolve_readiness("GRON", levels) == "grön"
    with pytest.raises(ReportError):
        resolve_readiness("stab", levels)


def test_multi_line_readiness_is_refused_on_one_line() -> None:
    with pytest.raises(ReportError) as caught:
        parse_report("beredskap: stabsläge\nsedan kl 14", LEVELS)
    assert caught.value.values["value"] == "stabsläge sedan kl 14"


def test_rank_and_raised() -> None:
    assert [readiness_rank(level, LEVELS) for level in LEVELS] == [0, 1, 2, 3]
    assert readiness_rank("STABSLÄGE", LEVELS) == 1
    assert [is_raised(level, LEVELS) for level in LEVELS] == [False, True, True, True]
    assert is_raised("Normalläge", LEVELS) is False
    assert is_raised("borttagen nivå", LEVELS) is True  # unknown: highlight rather than hide
    with pytest.raises(ValueError):
        readiness_rank("borttagen nivå", LEVELS)


def test_storage_helpers() -> None:
    report = SituationReport(situation="snö", needs="plog", readiness="stabsläge")
    assert report.as_dict() == {"situation": "snö", "needs": "plog", "readiness": "stabsläge"}
    assert list(report.as_dict()) == ["situation", "needs", "readiness"]  # FIELDS order
    assert report.fields() == [("situation", "snö"), ("needs", "plog"), ("readiness", "stabsläge")]
    assert SituationReport.from_dict({**report.as_dict(), "junk": "x", "impact": ""}) == report
    assert SituationReport().is_empty and not report.is_empty


def test_format_report_reads_back() -> None:
    report = SituationReport(situation="a\nb", actions="c", readiness="katastrofläge")
    assert format_report(report, "sv") == "läge: a\nb\nåtgärder: c\nberedskap: katastrofläge"
    assert format_report(report, "en").startswith("situation: a\nb\nactions: c")
    for language in LANGUAGES:
        assert parse_report(format_report(report, language), LEVELS) == report


def test_every_field_has_both_keys() -> None:
    assert set(KEYS) == set(FIELDS)
    for field in FIELDS:
        for language in LANGUAGES:
            assert is_key_line(f"{KEYS[field][language]}: x")


# --- properties ------------------------------------------------------------------------------

_LINE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30
)


@st.composite
def _values(draw: st.DrawFn) -> str:
    lines = draw(st.lists(_LINE, min_size=1, max_size=4))
    value = "\n".join(lines).strip()
    assume(value)
    assume(not any(is_key_line(line) for line in value.split("\n")))
    return value


def _spell(key: str, style: int) -> str:
    unaccented = key.translate(str.maketrans("åäö", "aao"))
    return [
        f"{key}: ",
        f"{key.upper()} : ",
        f"**{key.capitalize()}**: ",
        f"**{key}:** ",
        f"{unaccented}:",
        f"*{key}*:\t",
    ][style]


@st.composite
def _reports(draw: st.DrawFn) -> tuple[dict[str, str], str]:
    chosen = draw(st.lists(st.sampled_from(FIELDS[:-1]), unique=True))
    values = {field: draw(_values()) for field in chosen}
    if draw(st.booleans()):
        values["readiness"] = draw(st.sampled_from(LEVELS))
    assume(values)
    lines = []
    for field in draw(st.permutations(list(values))):
        language = draw(st.sampled_from(LANGUAGES))
        prefix = _spell(KEYS[field][language], draw(st.integers(0, 5)))
        value = values[field]
        if field == "readiness" and draw(st.booleans()):
            value = value.removesuffix("läge")  # the short form
        lines.append(prefix + value)
    return values, "\n".join(lines)


@given(_reports())
def test_rendered_fields_parse_back_to_the_same_values(case: tuple[dict[str, str], str]) -> None:
    values, text = case
    assert parse_report(text, LEVELS).as_dict() == values


@given(st.dictionaries(st.sampled_from(FIELDS[:-1]), _values(), min_size=1))
def test_bare_situation_first_then_keys(values: dict[str, str]) -> None:
    situation = values.pop("situation", "Läget är lugnt")
    text = "\n".join([situation, *(f"{KEYS[f]['sv']}: {v}" for f, v in values.items())])
    assert parse_report(text, LEVELS).as_dict() == {"situation": situation, **values}


@given(st.text(), st.lists(st.text(min_size=1), max_size=5))
def test_arbitrary_text_only_ever_raises_report_error(text: str, levels: list[str]) -> None:
    try:
        report = parse_report(text, levels)
    except ReportError as error:
        assert error.key.startswith("report.")
    else:
        assert not report.is_empty
        assert report.readiness is None or report.readiness in levels


@given(st.text(max_size=200))
def test_arbitrary_lines_with_keys_never_crash(noise: str) -> None:
    text = f"läge: {noise}\nberedskap: {noise}\n**behov:** {noise}"
    try:
        parse_report(text, LEVELS)
    except ReportError:
        pass


@pytest.mark.parametrize(
    "text",
    [
        " " * 60_000 + "x",
        "läge" + " " * 60_000 + ":" + " " * 60_000,
        "**" + " " * 60_000 + "läge:",
        ("läge:" + " " * 5_000 + "\n") * 12,
        "a" * 60_000 + ":",
        "\t" * 60_000,
    ],
)
def test_large_hostile_input_is_read_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    try:
        parse_report(text, LEVELS)
    except ReportError:
        pass
    assert time.perf_counter() - started < 0.5

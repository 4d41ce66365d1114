"""Command argument parsing, before any handler runs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commands.args import ArgumentError, Flag, Option, Rest, Word, parse_args
from commands.router import split_command

ACTIVATE = (
    Flag("exercise", "--exercise", "--övning"),
    Word("forum"),
    Rest("reason", optional=True),
)


def test_flags_words_and_rest() -> None:
    assert parse_args(ACTIVATE, "--övning samordnande Snöoväder klass 2") == {
        "exercise": True,
        "forum": "samordnande",
        "reason": "Snöoväder klass 2",
    }
    assert parse_args(ACTIVATE, "samordnande") == {
        "exercise": False,
        "forum": "samordnande",
        "reason": None,
    }


def test_rest_keeps_lines_and_flags_after_it() -> None:
    specs = (Option("actor", "--actor", "--aktör"), Rest("report"))
    text = "--actor lst\nläge: snö\nbehov: plogning --inte-en-flagga"
    assert parse_args(specs, text) == {
        "actor": "lst",
        "report": "läge: snö\nbehov: plogning --inte-en-flagga",
    }


def test_missing_and_unexpected_arguments_are_errors() -> None:
    with pytest.raises(ArgumentError) as missing:
        parse_args(ACTIVATE, "--exercise")
    assert (missing.value.key, missing.value.values) == ("args.missing", {"name": "forum"})
    with pytest.raises(ArgumentError) as unexpected:
        parse_args((Word("a"),), "a b")
    assert (unexpected.value.key, unexpected.value.values) == ("args.unexpected", {"word": "b"})
    with pytest.raises(ArgumentError) as no_value:
        parse_args((Option("actor", "--actor"),), "--actor")
    assert no_value.value.key == "args.needs_value"


def test_converters_turn_words_into_typed_values() -> None:
    specs = (Word("number", convert=int),)
    assert parse_args(specs, "12") == {"number": 12}
    with pytest.raises(ArgumentError) as invalid:
        parse_args(specs, "tolv")
    assert invalid.value.values == {"name": "number", "value": "tolv"}


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_rest_is_the_text_itself(text: str) -> None:
    parsed = parse_args((Rest("text", optional=True),), text)
    assert parsed["text"] == (text.strip() or None)


def test_split_command() -> None:
    assert split_command("!help vem") == ("help", "vem")
    assert split_command("  !HJÄLP") == ("hjälp", "")
    assert split_command("!status\nläge: lugnt") == ("status", "läge: lugnt")
    assert split_command("hej !help") is None
    assert split_command("! help") is None
    assert split_command("!") is None
    # Any whitespace ends the name: a tab, a no-break space, CR LF.
    assert split_command("!status\tläge: lugnt") == ("status", "läge: lugnt")
    assert split_command("!hjälp\u00a0vem") == ("hjälp", "vem")
    assert split_command("!status\r\nläge: lugnt\r\nbehov: sand") == (
        "status",
        "läge: lugnt\r\nbehov: sand",
    )

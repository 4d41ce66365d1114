"""The parsers of what people type, fuzzed: every input is understood or refused with a clear
error (a catalogue key that formats in both languages), never an exception of another kind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.dates import MAX_AHEAD_MONTHS, DateError, add_months, parse_date
from bot.domain.directions import DirectionDraft, parse_direction
from bot.domain.errors import Refusal
from bot.domain.issues import (
    TITLE_MAX,
    USER_ID_MAX,
    IssueRuleError,
    Owner,
    parse_owner,
    split_raise,
)
from bot.domain.reports import FIELDS, ReportError, parse_report, resolve_readiness
from bot.domain.slugs import fold, slugify
from bot.domain.text import readable
from bot.matrix.incoming import strip_reply_fallback
from bot.render.catalogue import MESSAGES, Catalogue
from commands.activation import EXERCISE_SPELLINGS, without_exercise_flag
from commands.alerts import alert_number
from commands.args import ArgumentError, Flag, Option, Rest, Word, parse_args
from commands.groups import _head, split_task
from commands.issues import issue_number
from commands.meetings import _action
from commands.registry import CommandSpec, registry
from commands.router import split_command
from tests.fuzz.profiles import fuzzed
from tests.fuzz.strategies import (
    BODIES,
    DATES,
    HOSTILE_TEXT,
    NAMES,
    NUMBERS,
    OWNERS,
    REPORT_LINES,
    SETTINGS,
    TOKENS,
    USERS,
    WHITESPACE,
)

pytestmark = pytest.mark.fuzz

CATALOGUES = (Catalogue("sv"), Catalogue("en"))
LEVELS = tuple(SETTINGS.reports.readiness_levels)
ACTOR_IDS = tuple(a.id for a in SETTINGS.actors)
FUNCTIONS = tuple(sorted({f for m in SETTINGS.members for f in m.functions}))


def assert_clear(error: Refusal | ArgumentError, prefix: str) -> None:
    """A refusal the router can answer: its key is in the catalogue, under the right family,
    and its values fill the text in both languages."""
    assert error.key.startswith(prefix), error.key
    assert error.key in MESSAGES, f"{error.key} is not in the catalogue"
    for t in CATALOGUES:
        assert t(error.key, **error.values).strip()


@st.composite
def lines(draw: st.DrawFn, items: st.SearchStrategy[str] = TOKENS) -> str:
    parts = draw(st.lists(st.tuples(WHITESPACE, items), max_size=10))
    return "".join(space + item for space, item in parts)


TEXT = st.one_of(lines(), st.text(max_size=300), HOSTILE_TEXT)


# --- the command line --------------------------------------------------------------------


@fuzzed()
@given(body=st.one_of(BODIES, TEXT))
def test_split_command(body: str) -> None:
    parsed = split_command(body)
    if parsed is None:
        return
    name, rest = parsed
    assert body.lstrip().startswith("!")
    assert name and name == name.casefold()
    assert " " not in name and "\n" not in name
    # Nothing is lost or reordered: the words after the name are the words typed after it.
    words = body.lstrip()[1:].split()
    count = len(name.split())
    assert name.split() == [word.casefold() for word in words[:count]]
    assert rest.split() == words[count:]


@fuzzed()
@given(spec=st.sampled_from(list(registry)), text=TEXT)
def test_parse_args_of_every_command(spec: CommandSpec, text: str) -> None:
    for t in CATALOGUES:
        assert t(f"cmd.{spec.name}.usage") and t(f"cmd.{spec.name}.summary")
    try:
        values = parse_args(spec.args, text)
    except ArgumentError as error:
        assert_clear(error, "args.")
        return
    assert set(values) == {arg.name for arg in spec.args}
    for arg in spec.args:
        value = values[arg.name]
        if isinstance(arg, Flag):
            assert isinstance(value, bool)
        elif isinstance(arg, Option):
            assert value is None or (value and not any(c.isspace() for c in value))
        elif isinstance(arg, Rest):
            assert value is None or (value.strip() == value and value)
        elif isinstance(arg, Word) and not arg.optional:
            assert value is not None


@fuzzed()
@given(text=st.one_of(NUMBERS, TEXT))
def test_numbers_are_database_ids(text: str) -> None:
    for convert in (issue_number, alert_number):
        try:
            number = convert(text)
        except ValueError:
            continue
        assert number in range(1, 2**31)


@fuzzed()
@given(text=TEXT)
def test_argument_splitters(text: str) -> None:
    kept, flagged = without_exercise_flag(text)
    assert flagged == any(w.casefold() in EXERCISE_SPELLINGS for w in text.split(" "))
    assert flagged or kept == text.strip()
    name, task = split_task(text)
    assert name == name.strip() and (task is None or task.strip() == task)
    head, rest = _head(text)
    assert " " not in head and "\n" not in head
    assert [*head.split(), *rest.split()] == text.split()
    try:
        assert _action(text) in ("start", "close")
    except ValueError:
        pass


@fuzzed()
@given(body=st.one_of(TEXT, st.text(alphabet=st.characters(codec=None, categories=None))))
def test_what_arrives_is_storable_text(body: str) -> None:
    """A body from the event's JSON may hold lone surrogates and NULs; what the bot keeps of it
    encodes as UTF-8 and has no NUL (PostgreSQL's text refuses both), and loses nothing else."""
    text = readable(body)
    text.encode("utf-8")
    assert "\x00" not in text
    if body.isascii() or not any("\ud800" <= c <= "\udfff" for c in body):
        assert text == body.replace("\x00", "")
    assert strip_reply_fallback(text) in text


# --- reports and directions ------------------------------------------------------------


REPORTS = st.one_of(lines(st.one_of(REPORT_LINES, TOKENS)), TEXT)


@fuzzed()
@given(text=REPORTS, levels=st.one_of(st.just(LEVELS), st.lists(st.text(max_size=12))))
def test_parse_report(text: str, levels: list[str] | tuple[str, ...]) -> None:
    try:
        report = parse_report(text, levels)
    except ReportError as error:
        assert_clear(error, "report.")
        return
    assert not report.is_empty
    for name, value in report.fields():
        assert name in FIELDS and value == value.strip() and value
    if report.readiness is not None:
        assert report.readiness in levels


@fuzzed()
@given(value=st.one_of(st.sampled_from(LEVELS), TEXT, st.text(max_size=5)))
def test_resolve_readiness(value: str) -> None:
    try:
        level = resolve_readiness(value, LEVELS)
    except ReportError as error:
        assert_clear(error, "report.")
        assert len(str(error.values.get("value", ""))) <= 60
        return
    assert level in LEVELS


@fuzzed()
@given(text=st.one_of(lines(st.one_of(REPORT_LINES, TOKENS)), TEXT))
def test_parse_direction(text: str) -> None:
    try:
        draft = parse_direction(text)
    except Refusal as error:
        assert_clear(error, "direction.")
        return
    assert isinstance(draft, DirectionDraft) and draft.goal


# --- dates, owners, titles, names ------------------------------------------------------

ZONES = st.sampled_from(
    [ZoneInfo("Europe/Stockholm"), ZoneInfo("UTC"), ZoneInfo("Pacific/Kiritimati")]
)
NOW = st.one_of(
    st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
    ),
    st.datetimes(timezones=st.just(UTC)),
    st.datetimes(),
)


@fuzzed()
@given(text=st.one_of(lines(DATES), DATES, TEXT), now=NOW, zone=ZONES)
def test_parse_date(text: str, now: datetime, zone: ZoneInfo) -> None:
    try:
        moment = parse_date(text, now, zone)
    except DateError as error:
        assert_clear(error, "date.")
        return
    aware_now = now if now.tzinfo else now.replace(tzinfo=UTC)
    assert moment.tzinfo is not None and moment > aware_now
    try:
        limit = add_months(aware_now.astimezone(zone).date(), MAX_AHEAD_MONTHS)
    except OverflowError:
        return
    assert moment.astimezone(zone).date() <= limit + timedelta(days=1)


@fuzzed()
@given(text=st.one_of(USERS, OWNERS, NAMES, TEXT))
def test_parse_owner(text: str) -> None:
    try:
        owner = parse_owner(text, ACTOR_IDS, FUNCTIONS)
    except IssueRuleError as error:
        assert_clear(error, "issue.owner.")
        return
    assert isinstance(owner, Owner)
    if owner.kind == "actor":
        assert owner.ref in ACTOR_IDS
    elif owner.kind == "function":
        assert owner.ref in FUNCTIONS
    else:
        assert owner.ref.startswith("@") and not any(c.isspace() for c in owner.ref)
        assert len(owner.ref) <= USER_ID_MAX


@fuzzed()
@given(text=TEXT)
def test_split_raise(text: str) -> None:
    try:
        title, description = split_raise(text)
    except IssueRuleError as error:
        assert_clear(error, "issue.rule.")
        return
    assert title and len(title) <= TITLE_MAX
    assert title == " ".join(title.split())
    assert description is None or description == description.strip()


@fuzzed()
@given(text=st.one_of(NAMES, TEXT))
def test_names(text: str) -> None:
    slug = slugify(text)
    assert len(slug) <= 64 and all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    folded = fold(text)
    assert folded == " ".join(folded.split())
    found = [f for f in SETTINGS.forums if fold(f.id) == folded or fold(f.name) == folded]
    assert len(found) <= 1

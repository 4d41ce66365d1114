"""The rules of issues (ärenden): the lifecycle, owners, permissions and the history's places."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.domain import issues as issues_module
from bot.domain.issues import (
    OPEN_STATES,
    TITLE_MAX,
    IssueAction,
    IssueEventView,
    IssueRuleError,
    IssueState,
    IssueView,
    Owner,
    assign,
    came_from,
    check_act,
    check_decide,
    escalate,
    followup_event_text,
    followup_event_time,
    history,
    may_act,
    may_decide,
    next_state,
    parse_owner,
    route,
    split_raise,
)
from bot.render.catalogue import MESSAGES, Catalogue
from storage.models.issues import IssueState as StoredIssueState

A = IssueAction
S = IssueState

ACTORS = ("lst", "polisen", "stockholm")
FUNCTIONS = ("tib", "rsk-koordinator", "kommunikatör")


def refused(key: str) -> Any:
    """``pytest.raises`` for an ``IssueRuleError`` with that key."""
    return pytest.raises(IssueRuleError, match=rf"^{key} ")


def test_the_states_are_the_ones_storage_keeps() -> None:
    assert [state.value for state in IssueState] == [state.value for state in StoredIssueState]
    assert S.CLOSED not in OPEN_STATES and len(OPEN_STATES) == len(IssueState) - 1


def test_the_history_kinds_are_the_action_values() -> None:
    assert A.RAISE == "raised"  # what storage.issues.create records
    assert {action.value for action in IssueAction} == {
        "raised",
        "accepted",
        "escalated",
        "assigned",
        "proposed",
        "decided",
        "followup_scheduled",
        "followed_up",
        "closed",
        "reopened",
    }


# --- the lifecycle -------------------------------------------------------------------------


def test_example_1_conference_to_samordningsgrupp_decided_implemented_followed_up() -> None:
    """Model description, example 1: raised at the conference, lifted to the samordningsgrupp
    (1), which has it investigated (2a-3), decides (4b), gives the communications officer the
    task (5), informs the chefsgrupp, and follows up at a coming meeting (6)."""
    state = next_state(None, A.RAISE)
    assert state is S.RAISED
    state = escalate(state, number=1, from_forum_id="konf", to_forum_id="rsg", to_forum_name="RSG")
    assert state is S.INVESTIGATING
    assert next_state(state, A.PROPOSE) is S.PROPOSED
    state = next_state(state, A.DECIDE)
    assert state is S.DECIDED
    state = assign(state, number=1, current=None, new=Owner("function", "kommunikatör"))
    assert state is S.IMPLEMENTING
    state = escalate(state, number=1, from_forum_id="rsg", to_forum_id="rcg", to_forum_name="RCG")
    assert state is S.IMPLEMENTING  # the chefsgrupp is informed; the issue is not reopened
    state = next_state(state, A.SCHEDULE_FOLLOWUP)
    assert state is S.IMPLEMENTING
    state = next_state(state, A.FOLLOW_UP)
    assert state is S.FOLLOWED_UP
    assert next_state(state, A.CLOSE) is S.CLOSED


def test_example_2_proposal_lifted_to_chefsgrupp_which_decides() -> None:
    """Example 2: the samordningsgrupp prepares a proposal and sends it to the chefsgrupp
    (2a), which decides and gives a project manager the task (3); reported back and followed
    up in the samordningsgrupp (4a-6)."""
    state = next_state(None, A.RAISE)
    state = next_state(state, A.ACCEPT)
    assert state is S.ACCEPTED
    state = next_state(state, A.PROPOSE)
    assert state is S.PROPOSED
    state = escalate(state, number=2, from_forum_id="rsg", to_forum_id="rcg", to_forum_name="RCG")
    assert state is S.PROPOSED
    state = next_state(state, A.DECIDE)
    state = assign(state, number=2, current=None, new=Owner("user", "@projekt:ex"))
    assert state is S.IMPLEMENTING
    state = escalate(state, number=2, from_forum_id="rcg", to_forum_id="rsg", to_forum_name="RSG")
    state = next_state(state, A.FOLLOW_UP)
    state = next_state(state, A.SCHEDULE_FOLLOWUP)  # another follow-up: still being carried out
    assert state is S.IMPLEMENTING
    assert next_state(next_state(state, A.FOLLOW_UP), A.CLOSE) is S.CLOSED


@pytest.mark.parametrize(
    ("state", "action", "expected"),
    [
        (S.RAISED, A.ESCALATE, S.INVESTIGATING),
        (S.ACCEPTED, A.ESCALATE, S.ACCEPTED),
        (S.DECIDED, A.ESCALATE, S.DECIDED),
        (S.RAISED, A.ASSIGN, S.INVESTIGATING),
        (S.ACCEPTED, A.ASSIGN, S.INVESTIGATING),
        (S.INVESTIGATING, A.ASSIGN, S.INVESTIGATING),
        (S.PROPOSED, A.ASSIGN, S.PROPOSED),
        (S.DECIDED, A.ASSIGN, S.IMPLEMENTING),
        (S.FOLLOWED_UP, A.ASSIGN, S.FOLLOWED_UP),
        (S.RAISED, A.DECIDE, S.DECIDED),
        (S.IMPLEMENTING, A.DECIDE, S.DECIDED),
        (S.RAISED, A.SCHEDULE_FOLLOWUP, S.RAISED),
        (S.INVESTIGATING, A.SCHEDULE_FOLLOWUP, S.INVESTIGATING),
        (S.DECIDED, A.SCHEDULE_FOLLOWUP, S.IMPLEMENTING),
        (S.FOLLOWED_UP, A.SCHEDULE_FOLLOWUP, S.IMPLEMENTING),
        (S.INVESTIGATING, A.FOLLOW_UP, S.INVESTIGATING),
        (S.DECIDED, A.FOLLOW_UP, S.FOLLOWED_UP),
        (S.IMPLEMENTING, A.FOLLOW_UP, S.FOLLOWED_UP),
        (S.RAISED, A.CLOSE, S.CLOSED),
        (S.FOLLOWED_UP, A.CLOSE, S.CLOSED),
        (S.CLOSED, A.REOPEN, S.RAISED),
        ("decided", A.FOLLOW_UP, S.FOLLOWED_UP),
    ],
)
def test_transitions(state: IssueState | str, action: IssueAction, expected: IssueState) -> None:
    assert next_state(state, action, number=5) is expected


@pytest.mark.parametrize("action", [a for a in IssueAction if a is not A.REOPEN])
def test_a_closed_issue_refuses_everything_but_reopening(action: IssueAction) -> None:
    with refused("issue.rule.closed") as info:
        next_state(S.CLOSED, action, number=7)
    assert info.value.values == {"number": 7}


@pytest.mark.parametrize(
    ("state", "action", "key"),
    [
        (None, A.DECIDE, "issue.rule.not_raised"),
        (S.RAISED, A.RAISE, "issue.rule.already_raised"),
        (S.ACCEPTED, A.ACCEPT, "issue.rule.already_accepted"),
        (S.DECIDED, A.ACCEPT, "issue.rule.already_accepted"),
        (S.DECIDED, A.PROPOSE, "issue.rule.already_decided"),
        (S.FOLLOWED_UP, A.PROPOSE, "issue.rule.already_decided"),
        (S.INVESTIGATING, A.REOPEN, "issue.rule.not_closed"),
    ],
)
def test_refusals(state: IssueState | None, action: IssueAction, key: str) -> None:
    with refused(key):
        next_state(state, action, number=3)


def test_escalating_to_the_forum_it_is_in_names_that_forum() -> None:
    with refused("issue.rule.same_forum") as info:
        escalate(S.RAISED, number=4, from_forum_id="rsg", to_forum_id="rsg", to_forum_name="RSG")
    assert info.value.values == {"number": 4, "forum": "RSG"}
    with refused("issue.rule.closed"):  # the closed issue is the first thing to say
        escalate(S.CLOSED, number=4, from_forum_id="rsg", to_forum_id="rsg", to_forum_name="RSG")


def test_assigning_the_owner_it_already_has() -> None:
    owner = Owner("actor", "lst")
    with refused("issue.rule.same_owner") as info:
        assign(S.INVESTIGATING, number=4, current=owner, new=owner, new_label="Länsstyrelsen")
    assert info.value.values == {"number": 4, "owner": "Länsstyrelsen"}
    new = Owner("function", "lst")  # same ref, another kind: a different owner
    assert assign(S.INVESTIGATING, number=4, current=owner, new=new) is S.INVESTIGATING


@pytest.mark.parametrize("state", [None, *IssueState])
@pytest.mark.parametrize("action", list(IssueAction))
def test_every_answer_is_a_state_or_a_refusal_with_a_message(
    state: IssueState | None, action: IssueAction
) -> None:
    try:
        result = next_state(state, action, number=9)
    except IssueRuleError as error:
        for language in ("sv", "en"):
            assert "#9" in Catalogue(language)(error.key, **error.values)
    else:
        assert isinstance(result, IssueState)


# --- raising -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title", "description"),
    [
        ("Rutin ej följd", "Rutin ej följd", None),
        ("  Rutin   ej följd | Händelsen i tisdags  ", "Rutin ej följd", "Händelsen i tisdags"),
        ("Rutin ej följd |", "Rutin ej följd", None),
        (
            "Teknikstöd\nVi behöver utveckla\nteknikstödet",
            "Teknikstöd",
            "Vi behöver utveckla\nteknikstödet",
        ),
        ("A | b | c", "A", "b | c"),
    ],
)
def test_split_raise(text: str, title: str, description: str | None) -> None:
    assert split_raise(text) == (title, description)


def test_split_raise_refusals() -> None:
    for text in ("", "   ", " | bara beskrivning"):
        with refused("issue.rule.no_title"):
            split_raise(text)
    assert split_raise("x" * TITLE_MAX)[0] == "x" * TITLE_MAX
    with refused("issue.rule.title_too_long") as info:
        split_raise("x" * (TITLE_MAX + 1))
    assert info.value.values == {"max": TITLE_MAX, "length": TITLE_MAX + 1}


# --- owners --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("lst", Owner("actor", "lst")),
        (" LST ", Owner("actor", "lst")),
        ("kommunikatör", Owner("function", "kommunikatör")),
        ("Kommunikatör", Owner("function", "kommunikatör")),
        ("TIB", Owner("function", "tib")),
        ("@anna:example.org", Owner("user", "@anna:example.org")),
        ("@anna:localhost:8448", Owner("user", "@anna:localhost:8448")),
        ("aktör:polisen", Owner("actor", "polisen")),
        ("funktion: tib", Owner("function", "tib")),
    ],
)
def test_parse_owner(text: str, owner: Owner) -> None:
    assert parse_owner(text, ACTORS, FUNCTIONS) == owner


def test_an_unknown_owner_lists_what_is_accepted() -> None:
    with refused("issue.owner.unknown") as info:
        parse_owner("brandkåren", ACTORS, FUNCTIONS)
    assert info.value.values == {
        "value": "brandkåren",
        "actors": "lst, polisen, stockholm",
        "functions": "kommunikatör, rsk-koordinator, tib",
    }
    message = Catalogue("sv")(info.value.key, **info.value.values)
    assert "lst, polisen, stockholm" in message and "@namn:server" in message
    with refused("issue.owner.unknown"):
        parse_owner("funktion:lst", ACTORS, FUNCTIONS)  # lst is an actor, not a function


def test_owner_refusals() -> None:
    with refused("issue.owner.missing"):
        parse_owner("  ", ACTORS, FUNCTIONS)
    with refused("issue.owner.bad_user") as info:
        parse_owner("@anna", ACTORS, FUNCTIONS)
    assert info.value.values == {"value": "@anna"}
    with refused("issue.owner.ambiguous"):
        parse_owner("tib", ("tib", "lst"), FUNCTIONS)
    assert parse_owner("actor:tib", ("tib",), FUNCTIONS) == Owner("actor", "tib")
    assert parse_owner("function:tib", ("tib",), FUNCTIONS) == Owner("function", "tib")
    with refused("issue.owner.missing") as info:
        parse_owner("", (), ())
    assert info.value.values == {"actors": "—", "functions": "—"}


def test_a_custom_user_pattern() -> None:
    only_example = re.compile(r"^@[a-z]+:example\.org$")
    assert parse_owner("@anna:example.org", ACTORS, FUNCTIONS, only_example).kind == "user"
    with refused("issue.owner.bad_user"):
        parse_owner("@anna:other.org", ACTORS, FUNCTIONS, only_example)


# --- permissions ---------------------------------------------------------------------------


def test_may_act() -> None:
    assert may_act(["polisen"], ["lst", "polisen"], admin=False)
    assert not may_act(["sos"], ["lst", "polisen"], admin=False)
    assert not may_act([], ["lst"], admin=False)
    assert may_act([], ["lst"], admin=True)
    assert may_act(["sos"], ["*"], admin=False)
    assert not may_act([], ["*"], admin=False)  # a non-member is not every actor


def test_may_decide() -> None:
    assert may_decide(["tib"], "tib", admin=False)
    assert not may_decide(["kommunikatör"], "tib", admin=False)
    assert not may_decide(["tib"], None, admin=False)
    assert may_decide([], None, admin=True)


def test_permission_refusals_say_why() -> None:
    check_act(["lst"], ["lst"], False, forum_name="RSG")
    with refused("perm.issue_act") as info:
        check_act(["sos"], ["lst"], False, forum_name="RSG")
    assert info.value.values == {"forum": "RSG"}
    check_decide(["tib"], "tib", False, forum_name="Konferensen")
    with refused("perm.issue_decide") as info:
        check_decide(["kommunikatör"], "tib", False, forum_name="Konferensen")
    assert info.value.values == {"function": "tib", "forum": "Konferensen"}
    assert "tib" in Catalogue("sv")(info.value.key, **info.value.values)
    with refused("perm.issue_decide_no_host"):
        check_decide(["tib"], None, False, forum_name="RSG")


def test_every_rule_key_is_in_the_catalogue() -> None:
    with open(issues_module.__file__, encoding="utf-8") as file:
        source = file.read()
    keys = set(re.findall(r'"((?:issue|perm)\.[a-z_.]+)"', source))
    assert len(keys) >= 15
    for key in keys:
        assert key in MESSAGES, key


# --- the history and its places ------------------------------------------------------------

T0 = datetime(2026, 11, 26, 15, 10, tzinfo=UTC)


def event(
    minutes: float, kind: str, forum: str | None = None, text: str | None = None
) -> IssueEventView:
    return IssueEventView(T0 + timedelta(minutes=minutes), "@tib:ex", kind, forum, text)


def issue(*events: IssueEventView, forum: str = "RCG", origin: str = "Konf") -> IssueView:
    return IssueView(
        number=1,
        title="Rutin",
        description=None,
        state=S.INVESTIGATING,
        forum_name=forum,
        origin_forum_name=origin,
        raised_by="@tib:ex",
        actor_name=None,
        owner=None,
        followup_at=None,
        created_at=T0,
        closed_at=None,
        events=events,
    )


def test_history_is_oldest_first_with_escalations_from_and_to() -> None:
    view = issue(
        event(60, "escalated", "RCG"),
        event(0, "raised", "Konf"),
        event(30, "escalated", "RSG", "mönster"),
        event(45, "decided", None, "utred"),
    )
    steps = history(view)
    assert [step.event.kind for step in steps] == ["raised", "escalated", "decided", "escalated"]
    assert [(step.source, step.forum) for step in steps] == [
        (None, "Konf"),
        ("Konf", "RSG"),
        (None, "RSG"),
        ("RSG", "RCG"),
    ]
    assert route(view) == ("Konf", "RSG", "RCG")
    assert came_from(view) == "RSG"


def test_history_keeps_the_given_order_at_one_moment_and_mixes_naive_and_aware() -> None:
    naive = IssueEventView(T0.replace(tzinfo=None), "@a:ex", "escalated", "RSG", None)
    view = issue(event(0, "raised", "Konf"), naive, forum="RSG")
    assert [step.event.kind for step in history(view)] == ["raised", "escalated"]
    assert came_from(view) == "Konf"


def test_an_escalation_without_a_forum_goes_to_the_current_one() -> None:
    view = issue(event(0, "raised"), event(5, "escalated"), forum="RSG")
    assert route(view) == ("Konf", "RSG")
    assert issue(event(0, "raised", "Konf"), forum="Konf").is_open
    assert came_from(issue(event(0, "raised", "Konf"), forum="Konf")) is None


def test_followup_event_text_round_trips() -> None:
    moment = datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    text = followup_event_text(moment)
    assert text == "2026-12-03T08:00:00+00:00"
    assert followup_event_time(text) == moment
    assert followup_event_time("2026-12-03T08:00:00") == datetime(2026, 12, 3, 8, tzinfo=UTC)
    assert followup_event_time("nästa vecka") is None
    assert followup_event_time(None) is None

"""The rules of issues (ärenden) as plain functions: what each action does to an issue's state,
which actions a state refuses, who may act and decide, and how an owner is named.

The lifecycle follows examples 1 and 2 of the model description. A question comes up in one
forum (raised), is taken up and investigated there or lifted to another forum that does so
(accepted, investigating), an investigation ends in a proposal (proposed), a forum decides what
to do (decided), someone is given the task of carrying it out (implementing), the measure is
checked at a later meeting (followed up), and the issue is closed. Real issues skip steps
(example 1's forum decides at once that the matter is to be investigated), so most actions are
allowed in every open state; a refusal is kept for what cannot make sense: changing a closed
issue, lifting an issue to the forum it is already in, giving it to the owner it already has.

Refusals are ``IssueRuleError(key, **values)`` with a catalogue key (``issue.rule.*``,
``issue.owner.*``, ``perm.issue_*``), like ``ReportError``, so the caller answers in the bot's
language. Kept apart from I/O so the rules are tested without a database or a homeserver.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Literal

from bot.domain.errors import Refusal
from bot.domain.timeline import as_utc

__all__ = [
    "EVERY_ACTOR",
    "OPEN_STATES",
    "TITLE_MAX",
    "USER_ID_MAX",
    "USER_ID_RE",
    "HistoryStep",
    "IssueAction",
    "IssueEventView",
    "IssueRuleError",
    "IssueState",
    "IssueView",
    "Owner",
    "OwnerKind",
    "assign",
    "came_from",
    "check_act",
    "check_decide",
    "escalate",
    "followup_event_text",
    "followup_event_time",
    "history",
    "is_user_id",
    "may_act",
    "may_decide",
    "next_state",
    "parse_owner",
    "route",
    "split_raise",
]


class IssueState(StrEnum):
    """Where an issue is in its lifecycle; the values are what storage keeps
    (``storage.models.issues.IssueState`` has the same ones, a test holds them together)."""

    RAISED = "raised"
    ACCEPTED = "accepted"
    INVESTIGATING = "investigating"
    PROPOSED = "proposed"
    DECIDED = "decided"
    IMPLEMENTING = "implementing"
    FOLLOWED_UP = "followed_up"
    CLOSED = "closed"


OPEN_STATES = frozenset(state for state in IssueState if state is not IssueState.CLOSED)

_BEFORE_DECISION = frozenset(
    {IssueState.RAISED, IssueState.ACCEPTED, IssueState.INVESTIGATING, IssueState.PROPOSED}
)


class IssueAction(StrEnum):
    """What can happen to an issue. The value is the ``kind`` of the history entry it leaves
    (``IssueEvent.kind``; storage writes ``"raised"`` itself when it creates an issue), so the
    rules and the history speak one vocabulary."""

    RAISE = "raised"
    ACCEPT = "accepted"
    ESCALATE = "escalated"
    ASSIGN = "assigned"
    PROPOSE = "proposed"
    DECIDE = "decided"
    SCHEDULE_FOLLOWUP = "followup_scheduled"
    FOLLOW_UP = "followed_up"
    CLOSE = "closed"
    REOPEN = "reopened"


class IssueRuleError(Refusal):
    """The action is not possible; nothing changes and the sender is told why.

    ``key`` names the explanation in the message catalogue and ``values`` fill it in, as with
    ``bot.domain.reports.ReportError``; a service passes them on as a ``Refusal``.
    """


# --- the lifecycle -------------------------------------------------------------------------


def next_state(
    state: IssueState | str | None, action: IssueAction, *, number: int = 0
) -> IssueState:
    """The state ``action`` leaves an issue in, or ``IssueRuleError`` when ``state`` refuses it.

    ``state`` None means there is no issue yet: only ``RAISE`` starts one. ``number`` only
    names the issue in a refusal. What each action does:

    - ``RAISE``: a new issue is ``raised``.
    - ``ACCEPT``: a forum takes up a raised issue (``accepted``); refused once it is past that.
    - ``ESCALATE``: lifting a raised issue to another forum hands it over for investigation
      (``investigating``); later the state stays, since a decided issue is also lifted "for
      information" (example 1: the chefsgrupp is told at its next meeting).
    - ``ASSIGN``: an owner for a raised or accepted issue is someone to investigate it
      (``investigating``); for a decided one, someone to carry the decision out
      (``implementing``: example 1, step 5, gives the communications officer the task).
      Otherwise the state stays.
    - ``PROPOSE``: an investigation's proposal (``proposed``); refused after a decision, where
      a new proposal is a new decision.
    - ``DECIDE``: ``decided``, from any open state; deciding again (a forum higher up decides
      on what one lower down proposed, or a follow-up shows more is needed) is a new decision.
    - ``SCHEDULE_FOLLOWUP``: a decided (or already followed-up) issue is being implemented
      until the follow-up (``implementing``); before a decision the reminder is only a
      reminder and the state stays.
    - ``FOLLOW_UP``: the follow-up of a decided issue took place (``followed_up``); before a
      decision there was nothing to follow up and the state stays, so a reminder job never
      fails on it.
    - ``CLOSE``: ``closed``, from any open state.
    - ``REOPEN``: a closed issue is back on the table as ``raised``, for a forum to take up
      again; its history (decisions included) stays.
    """
    action = IssueAction(action)  # a stored kind string works too
    if state is None:
        if action is IssueAction.RAISE:
            return IssueState.RAISED
        raise IssueRuleError("issue.rule.not_raised", number=number)
    state = IssueState(state)
    if action is IssueAction.REOPEN:
        if state is not IssueState.CLOSED:
            raise IssueRuleError("issue.rule.not_closed", number=number)
        return IssueState.RAISED
    if state is IssueState.CLOSED:
        raise IssueRuleError("issue.rule.closed", number=number)
    match action:
        case IssueAction.RAISE:
            raise IssueRuleError("issue.rule.already_raised", number=number)
        case IssueAction.ACCEPT:
            if state is not IssueState.RAISED:
                raise IssueRuleError("issue.rule.already_accepted", number=number)
            return IssueState.ACCEPTED
        case IssueAction.ESCALATE:
            return IssueState.INVESTIGATING if state is IssueState.RAISED else state
        case IssueAction.ASSIGN:
            if state in (IssueState.RAISED, IssueState.ACCEPTED):
                return IssueState.INVESTIGATING
            return IssueState.IMPLEMENTING if state is IssueState.DECIDED else state
        case IssueAction.PROPOSE:
            if state not in _BEFORE_DECISION:
                raise IssueRuleError("issue.rule.already_decided", number=number)
            return IssueState.PROPOSED
        case IssueAction.DECIDE:
            return IssueState.DECIDED
        case IssueAction.SCHEDULE_FOLLOWUP:
            return state if state in _BEFORE_DECISION else IssueState.IMPLEMENTING
        case IssueAction.FOLLOW_UP:
            return state if state in _BEFORE_DECISION else IssueState.FOLLOWED_UP
        case IssueAction.CLOSE:
            return IssueState.CLOSED
    raise AssertionError(f"unhandled action {action!r}")  # pragma: no cover


def escalate(
    state: IssueState | str,
    *,
    number: int,
    from_forum_id: str,
    to_forum_id: str,
    to_forum_name: str,
) -> IssueState:
    """``!escalate N FORUM``: the state after lifting the issue to ``to_forum_id``.

    Refused for a closed issue and for the forum the issue already sits in (the answer names
    it, so the user sees where the issue is).
    """
    state = next_state(state, IssueAction.ESCALATE, number=number)
    if from_forum_id == to_forum_id:
        raise IssueRuleError("issue.rule.same_forum", number=number, forum=to_forum_name)
    return state


def assign(
    state: IssueState | str,
    *,
    number: int,
    current: Owner | None,
    new: Owner,
    new_label: str | None = None,
) -> IssueState:
    """``!assign N OWNER``: the state after giving the issue to ``new``.

    Refused for a closed issue and for the owner it already has (``new_label`` is how the
    answer names that owner; the ref when not given).
    """
    state = next_state(state, IssueAction.ASSIGN, number=number)
    if current == new:
        raise IssueRuleError("issue.rule.same_owner", number=number, owner=new_label or new.ref)
    return state


# --- raising -------------------------------------------------------------------------------

TITLE_MAX = 255
"""Longest title: storage keeps 255 characters, and a title is read in listings and agendas."""


def split_raise(text: str) -> tuple[str, str | None]:
    """``!raise title | description`` → (title, description or None), both stripped.

    The title is one line: a longer text after a line break, without ``|``, is taken as the
    description, since that is what someone typing a paragraph means. Raises ``IssueRuleError``
    (``issue.rule.no_title``, ``issue.rule.title_too_long``).
    """
    head, bar, tail = text.partition("|")
    if not bar:
        head, _, tail = text.strip().partition("\n")
    title = " ".join(head.split())
    description = tail.strip() or None
    if not title:
        raise IssueRuleError("issue.rule.no_title")
    if len(title) > TITLE_MAX:
        raise IssueRuleError("issue.rule.title_too_long", max=TITLE_MAX, length=len(title))
    return title, description


# --- owners --------------------------------------------------------------------------------

OwnerKind = Literal["actor", "user", "function"]

USER_ID_RE = re.compile(r"^@[^\s:]+:(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::[0-9]{1,5})?$")
"""A Matrix user id (``@name:server``), the same form the config accepts."""

USER_ID_MAX = 255
"""The Matrix spec's limit on a user id's length (sigil and server included); storage keeps
no more."""


def is_user_id(text: str, user_re: re.Pattern[str] = USER_ID_RE) -> bool:
    """Whether ``text`` is a Matrix user id: ``@name:server``, at most ``USER_ID_MAX`` long."""
    return len(text) <= USER_ID_MAX and user_re.match(text) is not None


_KIND_PREFIXES: dict[str, OwnerKind] = {
    "actor": "actor",
    "aktör": "actor",
    "aktor": "actor",
    "function": "function",
    "funktion": "function",
}


@dataclass(frozen=True)
class Owner:
    """Who carries an issue forward: an actor (organisation), one person, or a function (a
    role with a mandate, the model's way of calling people). Stored as
    ``owner_kind``/``owner_ref``."""

    kind: OwnerKind
    ref: str
    """Actor id, Matrix user id or function name, as in the config."""


def parse_owner(
    text: str,
    actor_ids: Iterable[str],
    functions: Iterable[str],
    user_re: re.Pattern[str] = USER_ID_RE,
) -> Owner:
    """``lst``, ``@anna:example.org`` or ``kommunikatör`` → the owner it names.

    Actor ids and function names are matched without regard to case. A name that is both an
    actor and a function is refused as ambiguous; ``aktör:NAME`` / ``funktion:NAME`` (or
    ``actor:``/``function:``) say which. Refusals list what is accepted: ``issue.owner.missing``,
    ``issue.owner.bad_user``, ``issue.owner.ambiguous``, ``issue.owner.unknown``.
    """
    actors = {actor.casefold(): actor for actor in actor_ids}
    known_functions = {function.casefold(): function for function in functions}
    listed = {
        "actors": ", ".join(sorted(actors.values())) or "—",
        "functions": ", ".join(sorted(known_functions.values())) or "—",
    }
    value = text.strip()
    if not value:
        raise IssueRuleError("issue.owner.missing", **listed)
    if value.startswith("@"):
        if not is_user_id(value, user_re):
            raise IssueRuleError("issue.owner.bad_user", value=value)
        return Owner("user", value)
    prefix, colon, rest = value.partition(":")
    wanted: OwnerKind | None = None
    if colon and prefix.strip().casefold() in _KIND_PREFIXES:
        wanted, value = _KIND_PREFIXES[prefix.strip().casefold()], rest.strip()
    key = value.casefold()
    if wanted != "function" and key in actors:
        if wanted is None and key in known_functions:
            raise IssueRuleError("issue.owner.ambiguous", value=value)
        return Owner("actor", actors[key])
    if wanted != "actor" and key in known_functions:
        return Owner("function", known_functions[key])
    raise IssueRuleError("issue.owner.unknown", value=value, **listed)


# --- permissions ---------------------------------------------------------------------------

EVERY_ACTOR = "*"
"""A forum's participants written as ``"*"`` in the config: every actor takes part."""


def may_act(
    user_actor_ids: Iterable[str], forum_participant_ids: Iterable[str], admin: bool
) -> bool:
    """Raising, escalating, assigning, scheduling and closing an issue is the forum's business:
    open to members of the actors that take part in the forum the issue sits in, and admins."""
    if admin:
        return True
    participants = set(forum_participant_ids)
    mine = set(user_actor_ids)
    return bool(mine) and (EVERY_ACTOR in participants or bool(mine & participants))


def may_decide(user_functions: Iterable[str], host_function: str | None, admin: bool) -> bool:
    """A decision is recorded by the forum's host function (the TiB hosts the conference, and
    the model has the host lead the forum to its decisions), or an admin. A forum without a
    host function has nobody to record decisions but admins."""
    if admin:
        return True
    return host_function is not None and host_function in set(user_functions)


def check_act(
    user_actor_ids: Iterable[str],
    forum_participant_ids: Iterable[str],
    admin: bool,
    *,
    forum_name: str,
) -> None:
    """``may_act`` or ``IssueRuleError("perm.issue_act", forum=…)``."""
    if not may_act(user_actor_ids, forum_participant_ids, admin):
        raise IssueRuleError("perm.issue_act", forum=forum_name)


def check_decide(
    user_functions: Iterable[str], host_function: str | None, admin: bool, *, forum_name: str
) -> None:
    """``may_decide`` or ``IssueRuleError``: ``perm.issue_decide`` (function, forum) names the
    function to hold; ``perm.issue_decide_no_host`` (forum) says the forum has none configured."""
    if may_decide(user_functions, host_function, admin):
        return
    if host_function is None:
        raise IssueRuleError("perm.issue_decide_no_host", forum=forum_name)
    raise IssueRuleError("perm.issue_decide", function=host_function, forum=forum_name)


# --- history entries' text -----------------------------------------------------------------


def followup_event_text(moment: datetime) -> str:
    """The ``text`` of a ``followup_scheduled`` history entry: the time, ISO 8601 in UTC, so
    the history shows it in the reader's zone and language rather than the writer's."""
    return as_utc(moment).isoformat()


def followup_event_time(text: str | None) -> datetime | None:
    """The time a ``followup_scheduled`` entry's text holds; None when it holds none."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# --- plain data for display ----------------------------------------------------------------


@dataclass(frozen=True)
class IssueEventView:
    """One step of an issue's history, with names resolved for display.

    ``kind`` is an ``IssueAction`` value (an unknown kind is shown as it is). ``forum_name``
    is where it happened; for ``escalated`` the receiving forum. ``text`` is what was typed
    (the decision, the closing note, a reason), for ``assigned`` the new owner as shown, for
    ``followup_scheduled`` the time (``followup_event_text``).
    """

    at: datetime
    by: str
    """A Matrix user id, or ``bot.domain.timeline.SYSTEM`` when the bot did it."""
    kind: str
    forum_name: str | None
    text: str | None


@dataclass(frozen=True)
class IssueView:
    """One issue as a reader sees it: names instead of ids, the owner as a label."""

    number: int
    title: str
    description: str | None
    state: IssueState
    forum_name: str
    """Where it sits now."""
    origin_forum_name: str
    """Where it was raised."""
    raised_by: str
    actor_name: str | None
    """The raiser's organisation, when known."""
    owner: str | None
    followup_at: datetime | None
    created_at: datetime
    closed_at: datetime | None
    events: tuple[IssueEventView, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.state is not IssueState.CLOSED


@dataclass(frozen=True)
class HistoryStep:
    """One history entry with the places resolved: where it happened, and for an escalation
    where the issue came from (the entry itself names only the receiving forum)."""

    event: IssueEventView
    forum: str
    """Where it happened: the entry's forum, else where the issue was at the time."""
    source: str | None
    """For an escalation, the forum it was lifted from; None for every other entry."""


def history(issue: IssueView) -> tuple[HistoryStep, ...]:
    """The history oldest first, each step with its places.

    Entries at the same moment keep the order given (storage's insertion order), so a raise
    and an escalation in one command read cause before effect. The issue starts in its origin
    forum; each escalation moves it to the entry's forum (the current forum if not named).
    """
    where = issue.origin_forum_name
    steps: list[HistoryStep] = []
    for event in sorted(issue.events, key=lambda event: as_utc(event.at)):
        if event.kind == IssueAction.ESCALATE:
            target = event.forum_name or issue.forum_name
            steps.append(HistoryStep(event, target, where))
            where = target
            continue
        if event.kind == IssueAction.RAISE and event.forum_name:
            where = event.forum_name
        steps.append(HistoryStep(event, event.forum_name or where, None))
    return tuple(steps)


def route(issue: IssueView) -> tuple[str, ...]:
    """Where the issue has been: the origin forum, then each forum it was lifted to."""
    return (issue.origin_forum_name, *(step.forum for step in history(issue) if step.source))


def came_from(issue: IssueView) -> str | None:
    """The forum that last lifted the issue to where it is now; None if it was never lifted
    there (raised in its current forum and never moved away)."""
    arrivals = [
        step.source
        for step in history(issue)
        if step.source is not None and step.forum == issue.forum_name
    ]
    return arrivals[-1] if arrivals else None

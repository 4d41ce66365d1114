"""Who may use a command: the kinds of rule, and judging one against a person (pure).

The rules themselves are declared with each command (`@command(..., rule=...)`; all of them:
`commands.permissions.rules()`); the router judges them with `judge` before a handler runs. An
administrator (`bot.admins`) passes every rule.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import Enum, Flag, auto


class Who(Flag):
    """Who passes; several may be combined (`Who.ACTIVATOR | Who.HOST`)."""

    ANYONE = auto()
    """Anyone in a room with the bot, also people the config does not know."""
    MEMBER = auto()
    """A member of any actor in the config."""
    PARTICIPANT = auto()
    """A member of an actor that takes part in the forum concerned."""
    HOST = auto()
    """Holds the host function (`host_function`) of the forum concerned."""
    ACTIVATOR = auto()
    """Holds one of the forum's `activators` functions."""
    ESCALATION = auto()
    """Holds one of the `[alerts] escalate_to` functions."""
    GROUP_MEMBER = auto()
    """Belongs to the working group concerned, in person or through an actor."""


class Scope(Enum):
    """Which forum a forum-bound rule (participant, host, activator) is judged against."""

    NONE = "none"
    """The rule needs no forum."""
    ROOM = "room"
    """The forum whose room this is, or whose working group's room this is."""
    FORUM_ARG = "forum"
    """The forum the command names (its `forum` argument), else the room's."""
    ISSUE = "issue"
    """The forum where the issue the command names sits now."""
    GROUP = "group"
    """The working group the command names (the word after its action), and its forum."""
    ANY = "any"
    """Any forum of the config: e.g. a host function of some forum."""


@dataclass(frozen=True)
class Rule:
    who: Who
    scope: Scope = Scope.NONE

    @property
    def forum_bound(self) -> bool:
        bound = Who.PARTICIPANT | Who.HOST | Who.ACTIVATOR | Who.GROUP_MEMBER
        return bool(self.who & bound) and self.scope not in (Scope.NONE, Scope.ANY)


@dataclass(frozen=True)
class Person:
    """What the rules need to know about the one who typed the command."""

    user_id: str
    actors: frozenset[str]
    functions: frozenset[str]
    admin: bool

    @property
    def member(self) -> bool:
        return bool(self.actors)


@dataclass(frozen=True)
class ForumFacts:
    """What the rules need to know about a forum."""

    name: str
    participants: frozenset[str]
    host_function: str | None
    activators: frozenset[str]


@dataclass(frozen=True)
class GroupFacts:
    """A working group: its forum, and its members as user ids and actor ids."""

    forum: ForumFacts
    members: frozenset[str]


@dataclass(frozen=True)
class Refused:
    """Why not: a catalogue key (`perm.*`) and its values."""

    key: str
    values: dict[str, str]


def judge(
    rule: Rule,
    person: Person,
    forum: ForumFacts | None,
    *,
    group: GroupFacts | None = None,
    every_forum: Collection[ForumFacts] = (),
    escalation: Collection[str] = (),
) -> Refused | None:
    """None when `person` may, else why not. A forum-bound rule without a forum (`forum` is
    None: the command is used outside any forum's room, or names one that does not exist) is
    judged only as far as membership: the command itself then answers where to use it. For a
    group-scoped rule, `forum` is the group's."""
    who = rule.who
    if person.admin or Who.ANYONE in who:
        return None
    if Who.MEMBER in who and person.member:
        return None
    if group is not None:
        forum = group.forum
        if Who.GROUP_MEMBER in who and group.members & {person.user_id, *person.actors}:
            return None
    forums = list(every_forum) if rule.scope == Scope.ANY else [forum] if forum else []
    for facts in forums:
        if Who.PARTICIPANT in who and person.actors & facts.participants:
            return None
        if Who.HOST in who and facts.host_function in person.functions:
            return None
        if Who.ACTIVATOR in who and person.functions & facts.activators:
            return None
    if Who.ESCALATION in who and person.functions & set(escalation):
        return None
    if rule.forum_bound and forum is None:
        return None if person.member else Refused("perm.member", {})
    return _reason(rule, forum)


def judge_membership(rule: Rule, person: Person) -> Refused | None:
    """The part of `judge` that needs no forum: every rule but `Who.ANYONE` is for members of
    an actor (functions belong to members) or admins. Judged before a command's arguments are
    read, so someone the config does not know learns nothing from usage errors."""
    if Who.ANYONE in rule.who or person.admin or person.member:
        return None
    return Refused("perm.member", {})


def _reason(rule: Rule, forum: ForumFacts | None) -> Refused:
    """The refusal that names what was missing: the strictest thing the rule accepts."""
    who, name = rule.who, forum.name if forum else "–"
    if rule.scope == Scope.ANY or Who.ESCALATION in who:
        return Refused("perm.alert", {})
    if Who.ACTIVATOR in who and Who.HOST in who:
        names = [*sorted(forum.activators), forum.host_function or ""] if forum else []
        listed = ", ".join(n for n in names if n) or "–"
        return Refused("perm.host_activated", {"forum": name, "functions": listed})
    if Who.ACTIVATOR in who:
        listed = ", ".join(sorted(forum.activators)) if forum else ""
        return Refused("perm.activator", {"forum": name, "functions": listed or "–"})
    if Who.HOST in who:
        function = forum.host_function if forum else None
        return Refused("perm.host", {"forum": name, "function": function or "–"})
    if Who.PARTICIPANT in who:
        return Refused("perm.participant", {"forum": name})
    return Refused("perm.member", {})


#: How each kind reads in the docs (README's permission table is checked against these).
WHO_WORDS = {
    Who.ANYONE: "anyone",
    Who.MEMBER: "members",
    Who.PARTICIPANT: "participants",
    Who.ACTIVATOR: "activators",
    Who.HOST: "the host function",
    Who.ESCALATION: "escalation functions",
}
SCOPE_WORDS = {
    Scope.NONE: "",
    Scope.ROOM: "of this room's forum",
    Scope.FORUM_ARG: "of the forum named (else this room's)",
    Scope.ISSUE: "of the issue's forum",
    Scope.GROUP: "of the group's forum",
    Scope.ANY: "of any forum",
}


def describe(rule: Rule) -> str:
    """`participants of the issue's forum`, `activators or the host function of this room's
    forum`; admins pass every rule and are not named."""
    kinds = [words for flag, words in WHO_WORDS.items() if flag in rule.who]
    text = ", ".join(kinds[:-1]) + (" or " if len(kinds) > 1 else "") + kinds[-1]
    if rule.forum_bound or rule.scope == Scope.ANY:
        text += " " + SCOPE_WORDS[rule.scope]
    if Who.GROUP_MEMBER in rule.who:
        text += ", or the group's members"
    return text

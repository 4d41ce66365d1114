"""The kinds of rule, judged against each kind of person, and the per-person rate limit."""

from __future__ import annotations

from pathlib import Path

import pytest

import commands  # noqa: F401  (registers the commands)
from bot.domain.access import (
    ForumFacts,
    GroupFacts,
    Person,
    Rule,
    Scope,
    Who,
    describe,
    judge,
    judge_membership,
)
from bot.domain.ratelimit import CommandRateLimit, Verdict
from commands.permissions import rule_for, rules
from commands.registry import registry

FORUM = ForumFacts(
    name="Regionalt samordnande forum",
    participants=frozenset({"lst", "polisen"}),
    host_function="rsk",
    activators=frozenset({"tib"}),
)
OTHER = ForumFacts("Konferens", frozenset({"kommun"}), "värd", frozenset())

PEOPLE = {
    "admin": Person("@admin:x", frozenset(), frozenset(), admin=True),
    "activator": Person("@activator:x", frozenset({"lst"}), frozenset({"tib"}), admin=False),
    "host": Person("@host:x", frozenset({"polisen"}), frozenset({"rsk"}), admin=False),
    "participant": Person(
        "@participant:x", frozenset({"lst"}), frozenset({"handläggare"}), admin=False
    ),
    "outsider": Person(
        "@outsider:x", frozenset({"kommun"}), frozenset({"säkerhetschef"}), admin=False
    ),
    "unknown": Person("@unknown:x", frozenset(), frozenset(), admin=False),
}

ALLOWED = {
    Who.ANYONE: set(PEOPLE),
    Who.MEMBER: set(PEOPLE) - {"unknown"},
    Who.PARTICIPANT: {"admin", "activator", "host", "participant"},
    Who.HOST: {"admin", "host"},
    Who.ACTIVATOR: {"admin", "activator"},
    Who.ACTIVATOR | Who.HOST: {"admin", "activator", "host"},
}


@pytest.mark.parametrize("who", list(ALLOWED), ids=lambda w: str(w.name))
def test_each_kind_of_rule_lets_in_exactly_its_people(who: Who) -> None:
    rule = Rule(who, Scope.ROOM)
    allowed = {name for name, p in PEOPLE.items() if judge(rule, p, FORUM) is None}
    assert allowed == ALLOWED[who]


def test_refusals_name_what_is_missing() -> None:
    outsider = PEOPLE["outsider"]
    assert judge(Rule(Who.HOST, Scope.ROOM), outsider, FORUM).values == {  # type: ignore[union-attr]
        "forum": FORUM.name,
        "function": "rsk",
    }
    refused = judge(Rule(Who.PARTICIPANT, Scope.ISSUE), outsider, FORUM)
    assert refused is not None and refused.key == "perm.participant"
    refused = judge(Rule(Who.ACTIVATOR | Who.HOST, Scope.ROOM), outsider, FORUM)
    assert refused is not None and refused.values["functions"] == "tib, rsk"


def test_a_rule_over_any_forum_and_the_escalation_functions() -> None:
    rule = Rule(Who.ACTIVATOR | Who.HOST | Who.ESCALATION, Scope.ANY)
    forums = [FORUM, OTHER]
    host_elsewhere = Person("@v:x", frozenset({"kommun"}), frozenset({"värd"}), admin=False)
    escalation = Person("@e:x", frozenset({"kommun"}), frozenset({"rsk-koordinator"}), admin=False)
    assert judge(rule, host_elsewhere, None, every_forum=forums) is None
    assert judge(rule, escalation, None, every_forum=forums) is not None
    assert judge(rule, escalation, None, every_forum=forums, escalation=["rsk-koordinator"]) is None


def test_a_group_rule_lets_in_the_groups_members_and_the_forums_participants() -> None:
    rule = Rule(Who.PARTICIPANT | Who.GROUP_MEMBER, Scope.GROUP)
    group = GroupFacts(FORUM, frozenset({"kommun", "@guest:x"}))
    guest = Person("@guest:x", frozenset({"region"}), frozenset(), admin=False)
    allowed = {n for n, p in PEOPLE.items() if judge(rule, p, None, group=group) is None}
    assert allowed == {"admin", "activator", "host", "participant", "outsider"}
    assert judge(rule, guest, None, group=group) is None
    refused = judge(Rule(Who.PARTICIPANT, Scope.GROUP), PEOPLE["outsider"], None, group=group)
    assert refused is not None and refused.values == {"forum": FORUM.name}


def test_without_a_forum_a_forum_bound_rule_is_left_to_the_command() -> None:
    rule = Rule(Who.HOST, Scope.ROOM)
    assert judge(rule, PEOPLE["participant"], None) is None  # the command says where to use it
    refused = judge(rule, PEOPLE["unknown"], None)
    assert refused is not None and refused.key == "perm.member"


def test_membership_is_judged_before_the_arguments() -> None:
    assert judge_membership(Rule(Who.ANYONE), PEOPLE["unknown"]) is None
    assert judge_membership(Rule(Who.HOST, Scope.ISSUE), PEOPLE["participant"]) is None
    refused = judge_membership(Rule(Who.HOST, Scope.ISSUE), PEOPLE["unknown"])
    assert refused is not None and refused.key == "perm.member"


def test_every_command_and_action_has_its_rule_in_the_table() -> None:
    declared = set()
    for spec in registry:
        if spec.actions:
            declared |= {f"{spec.name} {a}" for a in set(spec.actions.values())}
        else:
            declared.add(spec.name)
    assert declared == set(rules())
    assert rule_for("group", "create") == rules()["group create"]
    assert rule_for("no-such-command") == Rule(Who.MEMBER)


def test_the_readme_lists_every_rule_as_the_table_declares_it() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for key, rule in rules().items():
        assert f"| `!{key}` | {describe(rule)} |" in readme, key


def test_rate_limit_tells_once_then_stays_quiet_until_the_window_moves() -> None:
    limit = CommandRateLimit(limit=3, window=60)
    verdicts = [limit.take("@a:x", now).verdict for now in (0, 1, 2, 3, 4, 5)]
    assert verdicts == [Verdict.ALLOWED] * 3 + [Verdict.TELL, Verdict.QUIET, Verdict.QUIET]
    assert limit.take("@b:x", 5).verdict == Verdict.ALLOWED  # one person's flood is theirs
    assert limit.take("@a:x", 30).retry_after == pytest.approx(30)
    assert limit.take("@a:x", 60.5).verdict == Verdict.ALLOWED  # the first one left the window
    limit.forget_idle(1000)
    assert limit.take("@a:x", 1000).verdict == Verdict.ALLOWED


def test_a_limit_of_zero_is_off() -> None:
    limit = CommandRateLimit(limit=0, window=60)
    assert {limit.take("@a:x", float(n)).verdict for n in range(100)} == {Verdict.ALLOWED}

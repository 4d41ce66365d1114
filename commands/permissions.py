"""Who may use which command: the one table, enforced by the router before any handler runs.

Keys are command names (`"group create"` for a command's action); see `bot.domain.access` for
what each kind of rule means. Services keep their own checks on top (e.g. only an issue's forum
may decide it), so a refusal there is answered and audited the same way.
"""

from __future__ import annotations

from bot.domain.access import Rule, Scope, Who

ANYONE = Rule(Who.ANYONE)
MEMBER = Rule(Who.MEMBER)

RULES: dict[str, Rule] = {
    # about the bot and the calendar: anyone in a room with the bot
    "help": ANYONE,
    "whoami": ANYONE,
    "calendar": ANYONE,
    # the meeting routine
    "status": Rule(Who.PARTICIPANT, Scope.ROOM),
    "picture": Rule(Who.PARTICIPANT, Scope.FORUM_ARG),
    "missing": Rule(Who.PARTICIPANT, Scope.FORUM_ARG),
    "meeting": Rule(Who.HOST, Scope.FORUM_ARG),
    "summary": Rule(Who.HOST, Scope.FORUM_ARG),
    # activated mode: activators activate, any other member sends a request
    "activate": MEMBER,
    "deactivate": Rule(Who.ACTIVATOR, Scope.FORUM_ARG),
    "host": Rule(Who.ACTIVATOR | Who.HOST, Scope.ROOM),
    # alerts: raised by those who convene, acknowledged by the alerted
    "alert": Rule(Who.ACTIVATOR | Who.HOST | Who.ESCALATION, Scope.ANY),
    "ack": MEMBER,
    "alerts": MEMBER,
    # duty rosters: anyone listed may look; the service checks who may take or give a shift
    "duty show": MEMBER,
    "duty take": MEMBER,
    "duty give": MEMBER,
    "duty release": MEMBER,
    # issues (ärenden)
    "raise": Rule(Who.PARTICIPANT, Scope.ROOM),
    "issues": MEMBER,
    "issue": MEMBER,
    "escalate": Rule(Who.PARTICIPANT, Scope.ISSUE),
    "assign": Rule(Who.PARTICIPANT, Scope.ISSUE),
    "decide": Rule(Who.HOST, Scope.ISSUE),
    "followup": Rule(Who.PARTICIPANT, Scope.ISSUE),
    "close": Rule(Who.PARTICIPANT, Scope.ISSUE),
    # working groups and the joint direction
    "group create": Rule(Who.PARTICIPANT, Scope.ROOM),
    "group assign": Rule(Who.PARTICIPANT, Scope.GROUP),
    "group report": Rule(Who.PARTICIPANT | Who.GROUP_MEMBER, Scope.GROUP),
    "groups": MEMBER,
    "direction draft": Rule(Who.PARTICIPANT, Scope.ROOM),
    "direction adopt": Rule(Who.ACTIVATOR | Who.HOST, Scope.ROOM),
    "direction show": MEMBER,
}


def rule_for(name: str, action: str | None = None) -> Rule:
    """The rule of `!name` (and its `action`, for commands that have actions); commands missing
    from the table are for members only, so a forgotten entry never opens a command to all."""
    if action is not None and f"{name} {action}" in RULES:
        return RULES[f"{name} {action}"]
    return RULES.get(name, MEMBER)

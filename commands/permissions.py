"""Who may use which command: each command declares its rule next to its handler
(`@command(..., rule=...)`, or `rules=` per action), and the router enforces it before the
handler runs.

See `bot.domain.access` for what each kind of rule means. Services keep their own checks on
top (e.g. only an issue's forum may decide it), so a refusal there is answered and audited the
same way.
"""

from __future__ import annotations

from bot.domain.access import Rule, Who

ANYONE = Rule(Who.ANYONE)
MEMBER = Rule(Who.MEMBER)


def rules() -> dict[str, Rule]:
    """Every command's rule, as declared with it (`"group create"` for an action), in the
    order the commands were registered: what the README's table and the tests read."""
    from commands.registry import registry  # the commands register themselves on import

    found: dict[str, Rule] = {}
    for spec in registry:
        if spec.action_rules:
            found |= {f"{spec.name} {action}": r for action, r in spec.action_rules.items()}
        else:
            found[spec.name] = spec.rule
    return found


def rule_for(name: str, action: str | None = None) -> Rule:
    """The rule of `!name` (and its `action`); an unknown command is for members only."""
    from commands.registry import registry

    spec = registry.find(name)
    return spec.rule_for(action) if spec is not None else MEMBER

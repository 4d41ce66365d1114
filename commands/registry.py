"""Commands are declared next to their handlers with `@command(...)` and collected here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.domain.access import Rule, Who
from commands.args import Arg

Handler = Callable[..., Awaitable[None]]
#: The rule of a command that declares none: members only, so a forgotten rule opens nothing.
MEMBERS_ONLY = Rule(Who.MEMBER)


@dataclass(frozen=True)
class CommandSpec:
    name: str
    aliases: tuple[str, ...]
    args: tuple[Arg, ...]
    handler: Handler
    rule: Rule = MEMBERS_ONLY
    """Who may use the command (for a command with actions: an unknown action)."""
    actions: Mapping[str, str] | None = None
    """For commands whose first word is an action (`!group create …`): spelling → action, so
    each action can have its own rule."""
    action_rules: Mapping[str, Rule] | None = None
    """The rule of each action, for commands with actions."""

    def rule_for(self, action: str | None) -> Rule:
        if action is not None and self.action_rules and action in self.action_rules:
            return self.action_rules[action]
        return self.rule

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class Registry:
    def __init__(self) -> None:
        self._by_name: dict[str, CommandSpec] = {}
        self.specs: list[CommandSpec] = []

    def command(
        self,
        name: str,
        *aliases: str,
        rule: Rule = MEMBERS_ONLY,
        args: tuple[Arg, ...] = (),
        actions: Mapping[str, str] | None = None,
        rules: Mapping[str, Rule] | None = None,
    ) -> Callable[[Handler], Handler]:
        """Registers a command with its rule (`rule`, or per action: `rules`, which must name
        every action), its typed arguments and its action spellings."""
        if actions is not None and set(actions.values()) != set(rules or {}):
            raise ValueError(f"command {name!r}: give a rule for each action in rules=")

        def register(handler: Handler) -> Handler:
            spec = CommandSpec(name, aliases, args, handler, rule, actions, rules)
            for key in spec.names:
                if key.casefold() in self._by_name:
                    raise ValueError(f"command name {key!r} registered twice")
                self._by_name[key.casefold()] = spec
            self.specs.append(spec)
            return handler

        return register

    def find(self, name: str) -> CommandSpec | None:
        return self._by_name.get(name.casefold())

    def action_of(self, spec: CommandSpec, rest: str) -> str | None:
        """The action the command's first word names, if the command has actions."""
        if not spec.actions:
            return None
        words = rest.split(maxsplit=1)
        return spec.actions.get(words[0].casefold()) if words else None

    def all_names(self) -> list[str]:
        return list(self._by_name)

    def __iter__(self) -> Any:
        return iter(self.specs)


#: The registry every command module registers into.
registry = Registry()
command = registry.command

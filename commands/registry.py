"""Commands are declared next to their handlers with `@command(...)` and collected here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from commands.args import Arg

Handler = Callable[..., Awaitable[None]]


@dataclass(frozen=True)
class CommandSpec:
    name: str
    aliases: tuple[str, ...]
    args: tuple[Arg, ...]
    handler: Handler
    actions: Mapping[str, str] | None = None
    """For commands whose first word is an action (`!group create …`): spelling → action, so
    each action can have its own rule in `commands.permissions.RULES`."""

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
        args: tuple[Arg, ...] = (),
        actions: Mapping[str, str] | None = None,
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            spec = CommandSpec(name, aliases, args, handler, actions)
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

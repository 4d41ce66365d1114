"""Commands are declared next to their handlers with `@command(...)` and collected here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from commands.args import Arg

if TYPE_CHECKING:
    from commands.context import CommandContext

Handler = Callable[..., Awaitable[None]]
#: Returns None when allowed, else the catalogue key of the refusal (why, and what is missing).
Permission = Callable[["CommandContext"], str | None]


@dataclass(frozen=True)
class CommandSpec:
    name: str
    aliases: tuple[str, ...]
    args: tuple[Arg, ...]
    handler: Handler
    permission: Permission | None = None

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
        permission: Permission | None = None,
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            spec = CommandSpec(name, aliases, args, handler, permission)
            for key in spec.names:
                if key.casefold() in self._by_name:
                    raise ValueError(f"command name {key!r} registered twice")
                self._by_name[key.casefold()] = spec
            self.specs.append(spec)
            return handler

        return register

    def find(self, name: str) -> CommandSpec | None:
        return self._by_name.get(name.casefold())

    def all_names(self) -> list[str]:
        return list(self._by_name)

    def __iter__(self) -> Any:
        return iter(self.specs)


#: The registry every command module registers into.
registry = Registry()
command = registry.command

"""Typed command arguments, parsed before the handler runs (maubot style).

A command declares its arguments next to its handler, e.g.
`args=(Flag("exercise", "--exercise", "--övning"), Word("forum"), Rest("reason", optional=True))`;
the handler then receives `exercise: bool, forum: str, reason: str | None`.
Flags and options may stand anywhere before the rest-of-line argument, which keeps its
original spacing and line breaks (situation reports are multi-line).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_TOKEN = re.compile(r"\S+")

#: The largest number a command takes as an issue, alert or direction number: those are
#: database integers (32 bits in PostgreSQL), so a larger one is a typo that must be answered
#: with the usage line, not reach the database and fail there.
MAX_NUMBER = 2**31 - 1


class ArgumentError(ValueError):
    """The arguments do not fit the command; the router answers with the usage line.

    `key` names the explanation in the message catalogue (`args.*`), `values` fill it in.
    """

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(f"{key} {values}")
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Word:
    """One whitespace-separated word, converted by `convert` (which may raise ValueError)."""

    name: str
    optional: bool = False
    convert: Callable[[str], Any] = str

    def placeholder(self) -> str:
        return f"[{self.name}]" if self.optional else self.name.upper()


@dataclass(frozen=True)
class Rest:
    """Everything after the preceding arguments, verbatim."""

    name: str
    optional: bool = False

    def placeholder(self) -> str:
        return f"[{self.name}…]" if self.optional else f"{self.name.upper()}…"


@dataclass(frozen=True, init=False)
class _Named:
    name: str
    spellings: tuple[str, ...] = field(default_factory=tuple)

    def __init__(self, name: str, *spellings: str) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "spellings", tuple(s.casefold() for s in spellings))


class Flag(_Named):
    """A boolean switch such as `--exercise` / `--övning`."""


class Option(_Named):
    """A named value such as `--actor lst`."""


Arg = Word | Rest | Flag | Option


def parse_args(specs: tuple[Arg, ...], text: str) -> dict[str, Any]:
    """Parses `text` (what follows the command name) into keyword arguments for the handler."""
    flags = {s: spec for spec in specs if isinstance(spec, Flag | Option) for s in spec.spellings}
    positional = [spec for spec in specs if isinstance(spec, Word | Rest)]
    values: dict[str, Any] = {spec.name: False for spec in specs if isinstance(spec, Flag)}
    values.update({spec.name: None for spec in specs if not isinstance(spec, Flag)})
    tokens = list(_TOKEN.finditer(text))
    i = 0
    pos = 0
    while i < len(tokens):
        token = tokens[i].group()
        spec = flags.get(token.casefold())
        if spec is not None:
            if isinstance(spec, Flag):
                values[spec.name] = True
            else:
                if i + 1 >= len(tokens):
                    raise ArgumentError("args.needs_value", option=token)
                values[spec.name] = tokens[i + 1].group()
                i += 1
            i += 1
            continue
        if pos >= len(positional):
            raise ArgumentError("args.unexpected", word=token)
        target = positional[pos]
        pos += 1
        if isinstance(target, Rest):
            values[target.name] = text[tokens[i].start() :].strip()
            break
        try:
            values[target.name] = target.convert(token)
        except ValueError as exc:
            raise ArgumentError("args.invalid", name=target.name, value=token) from exc
        i += 1
    for missing in positional[pos:]:
        if not missing.optional and values.get(missing.name) is None:
            raise ArgumentError("args.missing", name=missing.name)
    return values

"""The small template language of incoming webhooks: ``{field.path}`` over a JSON body.

An admin writes in ``[[webhooks]] template`` how an event reads in the forum room, e.g.
``"{warning.level} varning: {warning.event} i {warning.area|hela länet}"``. The language is
deliberately tiny, because the template runs on input from outside: it can only *look up*
values, never call anything (no Jinja, no ``str.format`` attribute access).

- ``{a.b.c}``: the value at that path; a number segment indexes a list (``{areas.0.name}``).
- ``{a.b|text}``: ``text`` when the value is missing, null or empty.
- ``{{`` and ``}}``: literal braces.

A value must be a string, number or boolean, or a list of those (joined with ", "); an object
in its place is a mismatch, as is a missing value without a fallback. Rendering reports *every*
mismatch at once, so the sender learns all of them from one refused call. The result is plain
text; whoever turns it into HTML escapes it (``bot.render.webhook``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.domain.text import readable

__all__ = [
    "MAX_TEXT",
    "Field",
    "HookTemplate",
    "TemplateMismatch",
    "TemplateSyntaxError",
    "parse_template",
]

MAX_TEXT = 8000
"""Longest rendered text; more is cut with "…" (a Matrix event holds 64 KiB, body and HTML)."""

_MAX_PATH = 200


class TemplateSyntaxError(ValueError):
    """The template itself is wrong (found by check-config, before any call arrives)."""


class TemplateMismatch(ValueError):
    """The body does not fit the template; ``problems`` says, per placeholder, what is wrong."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Field:
    """One placeholder: the path to look up and the text used when it is missing."""

    path: tuple[str, ...]
    fallback: str | None = None

    @property
    def name(self) -> str:
        return ".".join(self.path)


Part = str | Field


@dataclass(frozen=True)
class HookTemplate:
    parts: tuple[Part, ...]

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(part for part in self.parts if isinstance(part, Field))

    def render(self, data: object) -> str:
        """The text for the JSON value ``data``; ``TemplateMismatch`` lists what did not fit."""
        out: list[str] = []
        problems: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            try:
                value = _text(_lookup(data, part.path))
            except _Missing as missing:
                if part.fallback is None:
                    problems.append(f"{{{part.name}}}: {missing.reason}")
                    continue
                value = part.fallback
            except _NotAValue as wrong:
                problems.append(f"{{{part.name}}}: {wrong.reason}")
                continue
            if not value and part.fallback is not None:
                value = part.fallback
            out.append(value)
        if problems:
            raise TemplateMismatch(problems)
        text = readable("".join(out)).strip()  # JSON's "\ud800" is no Unicode text
        if len(text) > MAX_TEXT:
            text = text[: MAX_TEXT - 1] + "…"
        return text


def parse_template(source: str) -> HookTemplate:
    """Reads a template; ``TemplateSyntaxError`` says where it is wrong and how to write it."""
    parts: list[Part] = []
    literal: list[str] = []
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "{" and source.startswith("{{", i):
            literal.append("{")
            i += 2
        elif ch == "}" and source.startswith("}}", i):
            literal.append("}")
            i += 2
        elif ch == "}":
            raise TemplateSyntaxError(
                f"a lone '}}' at position {i}; write '}}}}' for a literal brace"
            )
        elif ch == "{":
            end = source.find("}", i + 1)
            if end < 0:
                raise TemplateSyntaxError(
                    f"the '{{' at position {i} is never closed; write {{field.path}}, "
                    "or '{{' for a literal brace"
                )
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append(_field(source[i + 1 : end], i))
            i = end + 1
        else:
            literal.append(ch)
            i += 1
    if literal:
        parts.append("".join(literal))
    if not any(isinstance(part, Field) for part in parts):
        raise TemplateSyntaxError(
            "the template has no {field.path} placeholder; it would post the same text for "
            "every call"
        )
    return HookTemplate(tuple(parts))


def _field(inner: str, position: int) -> Field:
    path_text, bar, fallback = inner.partition("|")
    path_text = path_text.strip()
    if "{" in inner:
        raise TemplateSyntaxError(f"a '{{' inside the placeholder at position {position}")
    if not path_text or len(path_text) > _MAX_PATH:
        raise TemplateSyntaxError(
            f"an empty or overlong placeholder at position {position}; write {{field.path}}"
        )
    path = tuple(segment.strip() for segment in path_text.split("."))
    if any(not segment for segment in path):
        raise TemplateSyntaxError(
            f"{{{path_text}}} at position {position} has an empty part; write "
            "{a.b.c} with names or list positions between the dots"
        )
    return Field(path, fallback if bar else None)


class _Missing(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason


class _NotAValue(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason


def _lookup(data: object, path: tuple[str, ...]) -> object:
    current = data
    for depth, segment in enumerate(path):
        where = ".".join(path[:depth]) or "the body"
        if isinstance(current, Mapping):
            if segment not in current:
                raise _Missing(f"{where} has no {segment!r}")
            current = current[segment]
        elif isinstance(current, list):
            if not segment.isdigit():
                raise _Missing(f"{where} is a list; use a position (0, 1, …), not {segment!r}")
            index = int(segment)
            if index >= len(current):
                raise _Missing(f"{where} has {len(current)} entries, no position {index}")
            current = current[index]
        else:
            raise _Missing(f"{where} is a single value, it has no {segment!r}")
    if current is None:
        raise _Missing("is null")
    return current


def _scalar(value: object) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return None


def _text(value: object) -> str:
    single = _scalar(value)
    if single is not None:
        return single
    if isinstance(value, list):
        items = [_scalar(item) for item in value if item is not None]
        if all(item is not None for item in items):
            return ", ".join(item for item in items if item)
        raise _NotAValue("is a list of objects; name one field of an entry, e.g. .0.name")
    raise _NotAValue("is an object, not a value; name one of its fields")

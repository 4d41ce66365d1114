"""The value types of the config: Matrix ids, slugs, durations, and the enums of the model."""

from __future__ import annotations

import re
from datetime import timedelta
from email.errors import HeaderParseError
from email.headerregistry import Address
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
)

from bot.scheduling.durations import parse_duration

CONFIG_ENV_VAR = "SAMVERKAN_CONFIG"
ENV_PREFIX = "SAMVERKAN_"
ALL_ACTORS = "*"
"""In ``forums[].participants``: every configured actor."""


_SERVER = r"(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::[0-9]{1,5})?"
_USER_ID_RE = re.compile(rf"^@[^\s:]+:{_SERVER}$")
_ROOM_ALIAS_RE = re.compile(rf"^#[^\s:]+:{_SERVER}$")
_ROOM_ID_RE = re.compile(r"^![^\s]+$")  # room version 12 ids have no ":server" part
_SLUG_RE = re.compile(r"^[a-z0-9åäö][a-z0-9åäö_-]*$")


def _user_id(value: str) -> str:
    if not _USER_ID_RE.match(value):
        raise ValueError(f"{value!r} is not a Matrix user id; expected @name:server")
    return value


def _room(value: str) -> str:
    if not (_ROOM_ID_RE.match(value) or _ROOM_ALIAS_RE.match(value)):
        raise ValueError(
            f"{value!r} is not a Matrix room; expected a room id (!abc...) "
            "or an alias (#name:server)"
        )
    return value


def _slug(value: str) -> str:
    """Ids and function names are typed in chat commands, so: lower case, no spaces."""
    if not _SLUG_RE.match(value):
        raise ValueError(
            f"{value!r} is not a valid id; use lower-case letters (a-z, å, ä, ö), digits, "
            "'-' and '_', starting with a letter or digit"
        )
    return value


def duration_value(value: object) -> object:
    if isinstance(value, str):
        return parse_duration(value)
    if isinstance(value, timedelta):
        return value
    raise ValueError('write a duration as text with a unit, e.g. "3h", "15m" or "1h30m"')


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise ValueError("must be longer than zero")
    return value


def _email(value: str) -> str:
    """An address the SMTP server will take: one addr-spec (no display name), a domain with a
    dot, and never a line break (which would let config text forge mail headers)."""
    problem = f"{value!r} is not an e-mail address; write it as name@example.se"
    try:
        address = Address(addr_spec=value)
    except (ValueError, IndexError, HeaderParseError):
        raise ValueError(problem) from None
    domain = address.domain
    if not address.username or "." not in domain.strip(".") or domain.endswith("."):
        raise ValueError(problem)
    return value


UserId = Annotated[str, AfterValidator(_user_id)]
EmailAddress = Annotated[str, AfterValidator(_email)]
RoomRef = Annotated[str, AfterValidator(_room)]
Slug = Annotated[str, AfterValidator(_slug)]
Duration = Annotated[timedelta, BeforeValidator(duration_value)]
PositiveDuration = Annotated[timedelta, BeforeValidator(duration_value), AfterValidator(_positive)]
Text = Annotated[str, Field(min_length=1)]


class Category(StrEnum):
    """Kind of actor; the model rotates shared duties within kommun, blåljus and trafik."""

    KOMMUN = "kommun"
    BLALJUS = "blåljus"
    TRAFIK = "trafik"
    REGION = "region"
    STAT = "stat"
    OVRIG = "övrig"


class Level(StrEnum):
    """Samverkansnivå."""

    INRIKTANDE = "inriktande"
    SAMORDNANDE = "samordnande"
    VERKSTALLANDE = "verkställande"


class Mode(StrEnum):
    """Läge: planned recurring work, or convened because something happened."""

    ORDINARIE = "ordinarie"
    AKTIVERAT = "aktiverat"

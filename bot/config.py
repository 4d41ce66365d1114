"""The bot's configuration: one TOML file, secrets and overrides from ``SAMVERKAN_*`` variables.

Config is data (see DESIGN.md): actors, members and their functions, forums with rooms and
schedules, alerts and working groups are described in TOML and validated here, so that every
mistake is found by ``samverkan check-config`` before a Thursday conference, not during it.

Validation happens in two passes, and both report *every* problem with its key path
(``forums[2].schedule: ...``), not just the first:

1. shapes and values (pydantic): types, enums, Matrix ids, durations, unknown keys (typos);
2. cross-checks, once the shapes are right: unique ids, references between sections
   (participants, members' actors, group members, ``reports_to``, functions), the time zone,
   schedules and the order of a meeting's lead times.

Precedence is init kwargs > environment > TOML. Secrets (``matrix.password``,
``matrix.access_token``, ``web.token``, ``web.link_secret``, ``webhook.secret``, ``crypto.key``,
and each webhook source's secret, named by ``webhooks[].secret_env``) come only from the
environment; the file is meant to live in a repository, so they are rejected there, and so is a
``storage.url`` that carries a database password.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
import typing
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from apscheduler.triggers.cron import CronTrigger
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic_core import ErrorDetails
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.domain.hook_template import parse_template
from bot.domain.rosters import Rotation, rotation_trigger
from bot.scheduling.durations import format_duration, parse_duration
from bot.scheduling.schedules import parse_schedule

__all__ = [
    "ALL_ACTORS",
    "ActorConfig",
    "AlertsConfig",
    "BotConfig",
    "Category",
    "ConfigError",
    "ConfigProblem",
    "CryptoConfig",
    "ForumConfig",
    "GroupConfig",
    "HealthConfig",
    "Level",
    "LogConfig",
    "MatrixConfig",
    "MemberConfig",
    "Mode",
    "ReportsConfig",
    "Settings",
    "StorageConfig",
    "WebConfig",
    "WebhookConfig",
    "WebhookSourceConfig",
    "check_config",
    "load_config",
]

CONFIG_ENV_VAR = "SAMVERKAN_CONFIG"
ENV_PREFIX = "SAMVERKAN_"
ALL_ACTORS = "*"
"""In ``forums[].participants``: every configured actor."""

# Keys whose values must never be echoed: secrets, and the storage URL (it may hold a password).
_SECRET_KEYS = (
    "matrix.password",
    "matrix.access_token",
    "web.token",
    "web.link_secret",
    "webhook.secret",
    "crypto.key",
)
_UNECHOED_KEYS = frozenset({*_SECRET_KEYS, "storage.url"})


# --- problems ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with the config: where (``forums[2].schedule``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ConfigError(Exception):
    """The config cannot be used; ``problems`` lists every reason found, in file order."""

    def __init__(self, problems: Iterable[ConfigProblem]) -> None:
        self.problems: list[ConfigProblem] = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


# --- value types ---------------------------------------------------------------------------

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


def _duration(value: object) -> object:
    if isinstance(value, str):
        return parse_duration(value)
    if isinstance(value, timedelta):
        return value
    raise ValueError('write a duration as text with a unit, e.g. "3h", "15m" or "1h30m"')


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise ValueError("must be longer than zero")
    return value


UserId = Annotated[str, AfterValidator(_user_id)]
RoomRef = Annotated[str, AfterValidator(_room)]
Slug = Annotated[str, AfterValidator(_slug)]
Duration = Annotated[timedelta, BeforeValidator(_duration)]
PositiveDuration = Annotated[timedelta, BeforeValidator(_duration), AfterValidator(_positive)]
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


# --- sections ------------------------------------------------------------------------------


class _Section(BaseModel):
    # Unknown keys are errors so that a typo ("shedule") is reported instead of ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class MatrixConfig(_Section):
    homeserver: str
    user_id: UserId
    device_name: Text = "samverkan"
    device_id: str | None = None
    store_path: Path = Path("data/store")
    password: SecretStr | None = None
    access_token: SecretStr | None = None

    @field_validator("homeserver")
    @classmethod
    def _homeserver_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not a URL like https://matrix.example.se")
        return value.rstrip("/")


class BotConfig(_Section):
    timezone: str = "Europe/Stockholm"
    language: Literal["sv", "en"] = "sv"
    admins: list[UserId] = Field(default_factory=list)
    require_encryption: bool = False
    undecryptable_grace: PositiveDuration = timedelta(minutes=2)
    """How long an encrypted message the bot cannot decrypt waits for its room key before the
    sender is told to send it again (it is still handled if the key comes later)."""


class StorageConfig(_Section):
    url: str = Field(default="sqlite+aiosqlite:///data/samverkan.db", repr=False)

    @field_validator("url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            backend = make_url(value).get_backend_name()
        except ArgumentError:
            backend = ""
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(
                "expected an SQLAlchemy URL like sqlite+aiosqlite:///data/samverkan.db "
                "or postgresql+psycopg://user@host/db"
            )
        return value

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        # The URL may carry a database password; show it masked.
        yield "url", make_url(self.url).render_as_string(hide_password=True)


_ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _env_name(value: str) -> str:
    if not _ENV_NAME_RE.match(value):
        # The value is not echoed: a token pasted here by mistake must not reach the output.
        raise ValueError(
            "is not an environment variable name: give the variable's name (letters, digits "
            "and '_', e.g. SAMVERKAN_WEB_TOKEN_LST), never the secret itself"
        )
    return value


EnvName = Annotated[str, AfterValidator(_env_name)]


class WebConfig(_Section):
    enabled: bool = False
    host: Text = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    token: SecretStr | None = None
    actor_tokens_env: dict[Slug, EnvName] = Field(default_factory=dict)
    """Per-actor read tokens: actor id → the name of the environment variable holding its token
    (the file names the variable, never the token)."""
    session_lifetime: PositiveDuration = timedelta(hours=12)
    """How long a login through the form lasts before the browser is asked again."""
    public_url: str | None = None
    """Where people reach the web from outside (behind the TLS proxy), for report links;
    default ``http://{host}:{port}``."""
    link_secret: SecretStr | None = None
    """Signs report links (environment only); without it a key derived from ``web.token``."""

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
            raise ValueError(f"{value!r} is not a URL like https://samverkan.example.se")
        return value.rstrip("/")

    @property
    def base_url(self) -> str:
        """The public URL links start with (no trailing slash)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return self.public_url or f"http://{host}:{self.port}"


class WebhookConfig(_Section):
    secret: SecretStr | None = None


DEFAULT_WEBHOOK_SECRET_ENV = f"{ENV_PREFIX}WEBHOOK__SECRET"
_KIB = 1024


def _template(value: str) -> str:
    parse_template(value)  # raises with where and how to fix it
    return value


class WebhookSourceConfig(_Section):
    """A source that may post events into a forum room: ``POST /hooks/{name}``, signed with
    HMAC-SHA256 under the secret in the environment variable ``secret_env`` (README, "Warnings
    in by webhook")."""

    name: Annotated[Slug, Field(max_length=64)]
    forum: Slug
    """The forum whose room the events are posted in."""
    template: Annotated[str, Field(min_length=1), AfterValidator(_template)]
    """How an event reads: ``{field.path}`` placeholders over the JSON body (see
    `bot.domain.hook_template`)."""
    title: Text | None = None
    """How the source is named in the room; default: `name`."""
    secret_env: EnvName = DEFAULT_WEBHOOK_SECRET_ENV
    """The environment variable that holds this source's secret (never the secret itself)."""
    propose_activation: bool = False
    """Also ping the activators with a ready ``!activate`` suggestion."""
    activate_forum: Slug | None = None
    """The forum the suggestion activates; default: `forum`."""
    require_timestamp: bool = False
    """Refuse calls without ``X-Samverkan-Timestamp`` (replay protection)."""
    max_body: int = Field(default=64 * _KIB, ge=1, le=1024 * _KIB)
    """Largest body accepted, in bytes."""

    @property
    def label(self) -> str:
        return self.title or self.name

    @property
    def proposed_forum(self) -> str:
        return self.activate_forum or self.forum


class CryptoConfig(_Section):
    key: SecretStr | None = None
    """Protects the bot's cross-signing keys at rest."""


class LimitsConfig(_Section):
    """Keeps one person (or a runaway script) from drowning the bot and the rooms."""

    commands_per_window: int = Field(default=20, ge=0)
    """Commands one person may give per `window`; beyond that they are told once to wait,
    and further commands in the window are ignored. 0 turns the limit off."""
    window: PositiveDuration = timedelta(minutes=1)
    max_message_length: int = Field(default=20_000, ge=100)
    """Longer commands (in characters) are answered with a request to shorten or split them."""


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


#: The bot long-polls /sync for 30 s, so a healthy bot completes one at least that often.
SYNC_POLL = timedelta(seconds=30)


def _not_below_two_polls(value: timedelta) -> timedelta:
    if value < 2 * SYNC_POLL:
        raise ValueError(
            f"must be at least {format_duration(2 * SYNC_POLL)}: the bot long-polls /sync for "
            f"{format_duration(SYNC_POLL)}, so anything shorter reports a healthy bot as failing"
        )
    return value


class HealthConfig(_Section):
    """What ``/healthz`` calls healthy."""

    max_sync_age: Annotated[
        timedelta, BeforeValidator(_duration), AfterValidator(_not_below_two_polls)
    ] = 4 * SYNC_POLL
    """The last successful /sync may be this old; default four long-polls (2 minutes)."""


class LogConfig(_Section):
    """How `samverkan run` logs; secrets are redacted in every format."""

    format: Literal["text", "json"] = "text"
    """``json``: one object per line (time, level, logger, message, exception) for collectors."""
    level: Annotated[Literal["DEBUG", "INFO", "WARNING", "ERROR"], BeforeValidator(_upper)] = "INFO"


class ActorConfig(_Section):
    id: Slug
    name: Text
    category: Category
    home_room: RoomRef | None = None
    """Where summaries for the home organisation go; none means they are not posted."""
    report_by_link: bool = False
    """The actor has nobody on Matrix: call-ins carry a signed web link for it, for the host to
    pass on, to a form that stores the report as ``!status`` would."""


class MemberConfig(_Section):
    """A person, by the function(s) and mandate they hold for one actor."""

    user: UserId
    actor: Slug
    functions: list[Slug] = Field(default_factory=list)


class RosterConfig(_Section):
    """A duty roster (jourlista): who of `members` holds `function` for `actor`, in turns."""

    function: Slug
    actor: Slug
    rotation: str = "weekly"
    """`daily`, `weekly` or a 5-field cron expression of hand-off times."""
    handoff: str | None = None
    """`"mon 08:00"` for weekly (the default), `"08:00"` for daily, in `bot.timezone`."""
    start: date
    """The first shift starts at the first hand-off on or after this day."""
    members: list[UserId] = Field(min_length=1)

    def rotation_for(self, zone: ZoneInfo) -> Rotation:
        return Rotation(
            self.function,
            self.members,
            rotation_trigger(self.rotation, self.handoff, zone),
            self.start,
        )


class ForumConfig(_Section):
    id: Slug
    name: Text
    level: Level
    mode: Mode
    room: RoomRef
    participants: list[str] = Field(min_length=1)
    """Actor ids, or ``"*"`` for every actor."""
    host_function: Slug | None = None
    schedule: str | None = None
    call_in_before: Duration = timedelta(hours=3)
    reminder_before: Duration = timedelta(hours=1)
    report_deadline_before: Duration = timedelta(minutes=15)
    meeting_duration: PositiveDuration = timedelta(hours=1)
    """A scheduled meeting closes this long after it starts (or earlier with !meeting close)."""
    activators: list[Slug] = Field(default_factory=list)
    alert_functions: list[Slug] = Field(default_factory=list)
    report_interval: PositiveDuration = timedelta(hours=2)

    def trigger(self, tz: ZoneInfo) -> CronTrigger | None:
        """The meeting trigger in ``tz``, or None for a forum that only meets when activated."""
        return None if self.schedule is None else parse_schedule(self.schedule, tz)


class AlertsConfig(_Section):
    room: RoomRef | None = None
    ack_timeout: PositiveDuration = timedelta(minutes=10)
    max_repeats: int = Field(default=3, ge=0)
    escalate_to: list[Slug] = Field(default_factory=list)
    #: An activation request nobody confirms or declines lapses after this (recorded, and the
    #: requester is told), so a forgotten request never activates a forum hours later.
    request_timeout: PositiveDuration = timedelta(minutes=30)


_DEFAULT_READINESS = ["normalläge", "stabsläge", "förstärkningsläge", "katastrofläge"]


class ReportsConfig(_Section):
    readiness_levels: list[Text] = Field(
        default_factory=lambda: list(_DEFAULT_READINESS), min_length=1
    )
    """Lowest first; anything above the first is highlighted in the combined picture."""
    picture_thread_parts: int = Field(20, ge=0)
    """A picture too large for one message is a head and parts in its thread; one that would
    need more parts than this is a head and the whole picture as an attached HTML file."""

    @field_validator("readiness_levels")
    @classmethod
    def _unique_levels(cls, levels: list[str]) -> list[str]:
        seen: set[str] = set()
        for level in levels:
            if level.casefold() in seen:
                raise ValueError(f"{level!r} is listed twice")
            seen.add(level.casefold())
        return levels


class GroupConfig(_Section):
    """A standing working group (tematisk arbetsgrupp)."""

    id: Slug
    name: Text
    reports_to: Slug
    """A forum id."""
    members: list[str] = Field(default_factory=list)
    """Actor ids or user ids of configured members."""
    room: RoomRef | None = None
    task: str | None = None


# --- settings ------------------------------------------------------------------------------

# The TOML file for the Settings being built; a context variable because pydantic-settings
# asks the class, not the instance, for its sources.
_TOML_FILE: ContextVar[Path | None] = ContextVar("samverkan_toml_file", default=None)


class Settings(BaseSettings):
    """The whole configuration. Build it with ``load_config``, which also runs the cross-checks."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
    )

    matrix: MatrixConfig
    bot: BotConfig = Field(default_factory=BotConfig)
    storage: StorageConfig = Field(default_factory=StorageConfig)
    web: WebConfig = Field(default_factory=WebConfig)
    webhook: WebhookConfig = Field(default_factory=WebhookConfig)
    crypto: CryptoConfig = Field(default_factory=CryptoConfig)
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    log: LogConfig = Field(default_factory=LogConfig)
    health: HealthConfig = Field(default_factory=HealthConfig)
    actors: list[ActorConfig] = Field(default_factory=list)
    members: list[MemberConfig] = Field(default_factory=list)
    rosters: list[RosterConfig] = Field(default_factory=list)
    forums: list[ForumConfig] = Field(default_factory=list)
    alerts: AlertsConfig = Field(default_factory=AlertsConfig)
    reports: ReportsConfig = Field(default_factory=ReportsConfig)
    groups: list[GroupConfig] = Field(default_factory=list)
    webhooks: list[WebhookSourceConfig] = Field(default_factory=list)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = _TOML_FILE.get()
        if toml_file is None:
            return init_settings, env_settings
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file)

    # -- lookups (pure; unknown ids give None or an empty list) --

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.bot.timezone)

    def actor(self, actor_id: str) -> ActorConfig | None:
        return next((actor for actor in self.actors if actor.id == actor_id), None)

    def forum(self, forum_id: str) -> ForumConfig | None:
        return next((forum for forum in self.forums if forum.id == forum_id), None)

    def group(self, group_id: str) -> GroupConfig | None:
        return next((group for group in self.groups if group.id == group_id), None)

    def webhook_source(self, name: str) -> WebhookSourceConfig | None:
        return next((hook for hook in self.webhooks if hook.name == name), None)

    def member(self, user_id: str) -> MemberConfig | None:
        return next((member for member in self.members if member.user == user_id), None)

    def members_of(self, actor_id: str) -> list[MemberConfig]:
        return [member for member in self.members if member.actor == actor_id]

    def actors_of_user(self, user_id: str) -> list[ActorConfig]:
        ids = {member.actor for member in self.members if member.user == user_id}
        return [actor for actor in self.actors if actor.id in ids]

    def functions_of(self, user_id: str) -> list[str]:
        """The user's functions, in config order, each once: those under [[members]], then the
        rostered functions whose roster lists them (a roster member holds the function's
        mandate at all times; being on duty decides only whom it reaches)."""
        found = [fn for m in self.members if m.user == user_id for fn in m.functions]
        found += [r.function for r in self.rosters if user_id in r.members]
        return list(dict.fromkeys(found))

    def users_with_function(self, function: str) -> list[str]:
        """Who holds `function` by [[members]], each once; a rostered function's holder now
        is asked of `bot.services.duty.Duty`, which adds the person on duty."""
        found = (member.user for member in self.members if function in member.functions)
        return list(dict.fromkeys(found))

    def roster(self, function: str) -> RosterConfig | None:
        return next((r for r in self.rosters if r.function == function), None)

    @property
    def functions(self) -> set[str]:
        """Every function some member holds, or a roster fills."""
        held = {function for member in self.members for function in member.functions}
        return held | {roster.function for roster in self.rosters}

    def participants_of(self, forum: ForumConfig | str) -> list[ActorConfig]:
        """The forum's actors, ``"*"`` expanded; an unknown forum id has none."""
        found = self.forum(forum) if isinstance(forum, str) else forum
        if found is None:
            return []
        if ALL_ACTORS in found.participants:
            return list(self.actors)
        return [actor for actor in self.actors if actor.id in found.participants]

    def trigger_of(self, forum: ForumConfig | str) -> CronTrigger | None:
        """The forum's meeting trigger in the configured zone; None when it has no schedule."""
        found = self.forum(forum) if isinstance(forum, str) else forum
        return None if found is None else found.trigger(self.zone)

    # -- checks --

    def require_login_secret(self) -> None:
        """Raise ``ConfigError`` unless the bot can log in; the runner calls this, check-config
        does not, so a config can be checked on a machine without the secrets."""
        if self.matrix.password is None and self.matrix.access_token is None:
            raise ConfigError(
                [
                    ConfigProblem(
                        "matrix.password",
                        "the bot needs a password or an access token to log in: set "
                        f"{ENV_PREFIX}MATRIX__PASSWORD or {ENV_PREFIX}MATRIX__ACCESS_TOKEN",
                    )
                ]
            )

    def web_secret_problems(self, environ: Mapping[str, str]) -> list[ConfigProblem]:
        """What keeps the enabled web from starting: its token, and each actor token's variable
        (read from ``environ``); empty when the web is disabled or has what it needs."""
        if not self.web.enabled:
            return []
        problems = []
        if self.web.token is None or not self.web.token.get_secret_value():
            problems.append(
                ConfigProblem(
                    "web.token",
                    "the web is enabled but has no token: set "
                    f"{ENV_PREFIX}WEB__TOKEN in the environment (or set web.enabled = false)",
                )
            )
        for actor, variable in self.web.actor_tokens_env.items():
            if not environ.get(variable):
                problems.append(
                    ConfigProblem(
                        f"web.actor_tokens_env.{actor}",
                        f"{variable} is not set; set it to {actor}'s read token in the "
                        "environment, or remove the entry",
                    )
                )
        return problems

    def require_web_secrets(self, environ: Mapping[str, str] | None = None) -> None:
        """Raise ``ConfigError`` when the enabled web lacks a token (see `web_secret_problems`);
        like `require_login_secret`, called by the runner and not by check-config."""
        problems = self.web_secret_problems(os.environ if environ is None else environ)
        if problems:
            raise ConfigError(problems)

    def cross_check(self) -> list[ConfigProblem]:
        """Problems between sections, all of them, in file order (empty when consistent)."""
        problems = [
            *_unique_ids(self),
            *_reference_problems(self),
            *_roster_problems(self),
            *_web_problems(self),
            *_function_problems(self),
            *_time_problems(self),
        ]
        return sorted(problems, key=_file_order)


# --- cross-checks --------------------------------------------------------------------------


def _duplicates(values: Iterable[str], path: str) -> Iterator[ConfigProblem]:
    """One problem per repeat of a value; ``path`` is formatted with the index."""
    first_seen: dict[str, int] = {}
    for index, value in enumerate(values):
        if value in first_seen:
            where = path.format(first_seen[value])
            yield ConfigProblem(path.format(index), f"{value!r} is already used at {where}")
        else:
            first_seen[value] = index


def _unique_ids(s: Settings) -> Iterator[ConfigProblem]:
    yield from _duplicates((actor.id for actor in s.actors), "actors[{}].id")
    listed: dict[tuple[str, str], int] = {}
    for index, member in enumerate(s.members):  # one person may be listed for several actors
        first = listed.setdefault((member.user, member.actor), index)
        if first != index:
            yield ConfigProblem(
                f"members[{index}].user",
                f"{member.user!r} is already listed for actor {member.actor!r} at "
                f"members[{first}]; give that entry all their functions",
            )
    yield from _duplicates((roster.function for roster in s.rosters), "rosters[{}].function")
    yield from _duplicates((forum.id for forum in s.forums), "forums[{}].id")
    yield from _duplicates((forum.room for forum in s.forums), "forums[{}].room")
    yield from _duplicates((group.id for group in s.groups), "groups[{}].id")
    yield from _duplicates((hook.name for hook in s.webhooks), "webhooks[{}].name")


def _reference_problems(s: Settings) -> Iterator[ConfigProblem]:
    actor_ids = {actor.id for actor in s.actors}
    forum_ids = {forum.id for forum in s.forums}
    member_ids = {member.user for member in s.members}
    for i, member in enumerate(s.members):
        if member.actor not in actor_ids:
            yield ConfigProblem(f"members[{i}].actor", _unknown("actor", member.actor, actor_ids))
    for i, forum in enumerate(s.forums):
        for j, participant in enumerate(forum.participants):
            path = f"forums[{i}].participants[{j}]"
            if participant == ALL_ACTORS:
                if len(forum.participants) > 1:
                    yield ConfigProblem(path, '"*" already means every actor; list nothing else')
            elif participant not in actor_ids:
                yield ConfigProblem(path, _unknown("actor", participant, actor_ids))
    for actor in s.web.actor_tokens_env:
        if actor not in actor_ids:
            yield ConfigProblem(
                f"web.actor_tokens_env.{actor}", _unknown("actor", actor, actor_ids)
            )
    for i, group in enumerate(s.groups):
        if group.reports_to not in forum_ids:
            yield ConfigProblem(
                f"groups[{i}].reports_to", _unknown("forum", group.reports_to, forum_ids)
            )
        for j, name in enumerate(group.members):
            path = f"groups[{i}].members[{j}]"
            if name.startswith("@"):
                if name not in member_ids:
                    yield ConfigProblem(path, f"{name!r} is not listed under [[members]]")
            elif name not in actor_ids:
                yield ConfigProblem(path, _unknown("actor", name, actor_ids))


def _roster_problems(s: Settings) -> Iterator[ConfigProblem]:
    """A roster's actor must exist, its rotation parse, and its members be the actor's people."""
    actor_ids = {actor.id for actor in s.actors}
    try:
        zone = ZoneInfo(s.bot.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")  # the time zone's own problem is reported elsewhere
    for i, roster in enumerate(s.rosters):
        if roster.actor not in actor_ids:
            yield ConfigProblem(f"rosters[{i}].actor", _unknown("actor", roster.actor, actor_ids))
        try:
            rotation_trigger(roster.rotation, roster.handoff, zone)
        except ValueError as exc:
            path = "handoff" if roster.handoff and "hand-off is" in str(exc) else "rotation"
            yield ConfigProblem(f"rosters[{i}].{path}", str(exc))
        people = {m.user for m in s.members_of(roster.actor)}
        for j, user in enumerate(roster.members):
            if user not in people:
                yield ConfigProblem(
                    f"rosters[{i}].members[{j}]",
                    f"{user!r} is not listed under [[members]] for actor {roster.actor!r}; "
                    "add them there (functions may stay empty)",
                )
        yield from _duplicates(roster.members, f"rosters[{i}].members[{{}}]")


def _web_problems(s: Settings) -> Iterator[ConfigProblem]:
    """Webhooks and report links arrive through the web server, so they need it enabled; a
    source's forums must exist, and a forum it proposes to activate must have activators."""
    forum_ids = {forum.id for forum in s.forums}
    needs_web = "needs the web server: set enabled = true under [web]"
    for i, actor in enumerate(s.actors):
        if actor.report_by_link and not s.web.enabled:
            yield ConfigProblem(f"actors[{i}].report_by_link", f"report links {needs_web}")
    for i, hook in enumerate(s.webhooks):
        if not s.web.enabled:
            yield ConfigProblem(f"webhooks[{i}].name", f"a webhook {needs_web}")
        if hook.forum not in forum_ids:
            yield ConfigProblem(f"webhooks[{i}].forum", _unknown("forum", hook.forum, forum_ids))
        if hook.activate_forum is not None and hook.activate_forum not in forum_ids:
            yield ConfigProblem(
                f"webhooks[{i}].activate_forum", _unknown("forum", hook.activate_forum, forum_ids)
            )
        target = s.forum(hook.proposed_forum)
        if hook.propose_activation and target is not None and not target.activators:
            yield ConfigProblem(
                f"webhooks[{i}].propose_activation",
                f"forum {target.id!r} has no activators to ping; give it activators = [...] "
                "or set activate_forum to a forum that has",
            )


def _function_problems(s: Settings) -> Iterator[ConfigProblem]:
    known = s.functions
    references: list[tuple[str, str]] = []
    for i, forum in enumerate(s.forums):
        if forum.host_function is not None:
            references.append((f"forums[{i}].host_function", forum.host_function))
        references += [(f"forums[{i}].activators[{j}]", f) for j, f in enumerate(forum.activators)]
        references += [
            (f"forums[{i}].alert_functions[{j}]", f) for j, f in enumerate(forum.alert_functions)
        ]
    references += [(f"alerts.escalate_to[{j}]", f) for j, f in enumerate(s.alerts.escalate_to)]
    for path, function in references:
        if function not in known:
            yield ConfigProblem(
                path,
                f"no member has the function {function!r}"
                + _suggestion(function, known)
                + "; give it to someone under [[members]]",
            )


def _time_problems(s: Settings) -> Iterator[ConfigProblem]:
    try:
        zone = ZoneInfo(s.bot.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        yield ConfigProblem(
            "bot.timezone",
            f"unknown time zone {s.bot.timezone!r}"
            + _suggestion(s.bot.timezone, available_timezones())
            + "; use an IANA name like 'Europe/Stockholm'",
        )
        zone = ZoneInfo("UTC")  # still check the schedules' syntax
    for i, forum in enumerate(s.forums):
        if forum.schedule is None:
            continue
        try:
            parse_schedule(forum.schedule, zone)
        except ValueError as exc:
            yield ConfigProblem(f"forums[{i}].schedule", str(exc))
        steps = [
            ("call_in_before", forum.call_in_before),
            ("reminder_before", forum.reminder_before),
            ("report_deadline_before", forum.report_deadline_before),
        ]
        # Before a meeting: call-in, then reminder, then the combined picture.
        for (earlier, earlier_td), (later, later_td) in pairwise(steps):
            if later_td >= earlier_td:
                yield ConfigProblem(
                    f"forums[{i}].{later}",
                    f"{later} ({format_duration(later_td)}) must be shorter than {earlier} "
                    f"({format_duration(earlier_td)}): {earlier} comes first before a meeting",
                )


_PATH_START_RE = re.compile(r"^(?P<section>[a-z_]+)(?:\[(?P<index>[0-9]+)\])?")


def _file_order(problem: ConfigProblem) -> tuple[int, int]:
    """Sort key: section in the order of the model, then entry; stable within one entry."""
    match = _PATH_START_RE.match(problem.path)
    if match is None or match["section"] not in Settings.model_fields:
        return (-1, 0)
    section = list(Settings.model_fields).index(match["section"])
    return (section, int(match["index"] or 0))


def _unknown(kind: str, value: str, known: set[str]) -> str:
    return f"unknown {kind} {value!r}" + _suggestion(value, known)


def _suggestion(value: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --- loading -------------------------------------------------------------------------------


def load_config(
    path: str | Path | None = None, *, overrides: Mapping[str, Any] | None = None
) -> Settings:
    """Read, validate and cross-check the config; raise ``ConfigError`` with every problem.

    ``path`` defaults to ``$SAMVERKAN_CONFIG``. ``overrides`` (init kwargs, e.g.
    ``{"matrix": {"access_token": ...}}`` in tests) win over the environment, which wins over
    the file. Login secrets are not required here; see ``Settings.require_login_secret``.
    """
    toml_file = _config_path(path)
    problems = _secrets_in_file(_read_toml(toml_file))
    token = _TOML_FILE.set(toml_file)
    try:
        settings = Settings(**dict(overrides or {}))
    except ValidationError as exc:
        # A secret in the file is reported once, saying where it belongs, not also as unknown.
        reported = {problem.path for problem in problems}
        rest = [p for p in _validation_problems(exc) if p.path not in reported]
        raise ConfigError([*problems, *rest]) from None
    except SettingsError as exc:
        raise ConfigError([*problems, ConfigProblem("environment", str(exc))]) from None
    finally:
        _TOML_FILE.reset(token)
    problems += settings.cross_check()
    if problems:
        raise ConfigError(sorted(problems, key=_file_order))
    return settings


def check_config(path: str | Path | None = None) -> list[str]:
    """The lines ``samverkan check-config`` prints, one per problem; empty when valid."""
    try:
        load_config(path)
    except ConfigError as exc:
        return [str(problem) for problem in exc.problems]
    return []


def _config_path(path: str | Path | None) -> Path:
    chosen = path if path is not None else os.environ.get(CONFIG_ENV_VAR)
    if not chosen:
        raise ConfigError(
            [
                ConfigProblem(
                    CONFIG_ENV_VAR,
                    f"no config file given: use --config PATH or set {CONFIG_ENV_VAR}",
                )
            ]
        )
    return Path(chosen)


def _read_toml(toml_file: Path) -> dict[str, Any]:
    try:
        with toml_file.open("rb") as stream:
            return tomllib.load(stream)
    except FileNotFoundError:
        message = "no such file"
    except tomllib.TOMLDecodeError as exc:
        message = f"TOML syntax error: {exc}"
    except (OSError, ValueError) as exc:  # a directory, no permission, not UTF-8
        message = f"cannot read the file: {exc}"
    raise ConfigError([ConfigProblem(str(toml_file), message)])


def _secrets_in_file(data: Mapping[str, Any]) -> list[ConfigProblem]:
    problems = []
    for key in _SECRET_KEYS:
        section, name = key.split(".")
        table = data.get(section)
        if isinstance(table, dict) and name in table:
            variable = f"{ENV_PREFIX}{section.upper()}__{name.upper()}"
            problems.append(
                ConfigProblem(
                    key,
                    f"secrets do not belong in the config file; set {variable} in the environment",
                )
            )
    hooks = data.get("webhooks")
    for i, hook in enumerate(hooks if isinstance(hooks, list) else []):
        if isinstance(hook, dict) and "secret" in hook:
            variable = hook.get("secret_env", f"{ENV_PREFIX}WEBHOOK__SECRET")
            problems.append(
                ConfigProblem(
                    f"webhooks[{i}].secret",
                    "secrets do not belong in the config file; set the environment variable "
                    f"{variable} and name it in secret_env",
                )
            )
    storage = data.get("storage")
    url = storage.get("url") if isinstance(storage, dict) else None
    if isinstance(url, str) and _url_password(url):
        problems.append(
            ConfigProblem(
                "storage.url",
                "the URL holds a database password, which does not belong in the config file; "
                f"set the whole URL in {ENV_PREFIX}STORAGE__URL in the environment",
            )
        )
    return problems


def _url_password(url: str) -> bool:
    try:
        return bool(make_url(url).password)
    except ArgumentError:
        return False


def _validation_problems(error: ValidationError) -> list[ConfigProblem]:
    return [
        ConfigProblem(_key_path(detail["loc"]), _message(detail))
        for detail in error.errors(include_url=False)
    ]


def _key_path(loc: tuple[int | str, ...]) -> str:
    """``("forums", 2, "schedule")`` -> ``"forums[2].schedule"``."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path or "(top level)"


def _message(detail: ErrorDetails) -> str:
    kind, loc = detail["type"], detail["loc"]
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        keys = _keys_at(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), keys, n=1)
        hint = f"did you mean {close[0]!r}?" if close else "known keys here: " + ", ".join(keys)
        return f"unknown key; {hint}"
    message = detail["msg"].removeprefix("Value error, ")
    value = detail.get("input")
    echo = isinstance(value, str | int | float) and not isinstance(value, bool)
    if kind != "value_error" and echo and _plain_path(loc) not in _UNECHOED_KEYS:
        message += f" (got {value!r})"
    return message


def _plain_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc if isinstance(part, str))


def _keys_at(loc: tuple[int | str, ...]) -> list[str]:
    """The keys the config model allows at ``loc``, for "did you mean" hints."""
    model: type[BaseModel] = Settings
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        inner = _model_in(field.annotation) if field is not None else None
        if inner is None:
            return []
        model = inner
    return list(model.model_fields)


def _model_in(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None

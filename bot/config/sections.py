"""The sections of the TOML file, one model each, validated for shape and value."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.config.values import (
    ENV_PREFIX,
    Category,
    Duration,
    EmailAddress,
    Level,
    Mode,
    PositiveDuration,
    RoomRef,
    Slug,
    Text,
    UserId,
    duration_value,
)
from bot.domain.hook_template import parse_template
from bot.domain.rosters import Rotation, rotation_trigger
from bot.scheduling.durations import format_duration
from bot.scheduling.schedules import parse_schedule


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
        timedelta, BeforeValidator(duration_value), AfterValidator(_not_below_two_polls)
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
    email: EmailAddress | None = None
    """The home organisation's functional mailbox: its summary goes there when its home room
    cannot be reached (or always, with ``[email] summaries = "always"``)."""


class MemberConfig(_Section):
    """A person, by the function(s) and mandate they hold for one actor."""

    user: UserId
    actor: Slug
    functions: list[Slug] = Field(default_factory=list)
    email: EmailAddress | None = None
    """Where an alert goes when it is not acknowledged in Matrix in time (``[alerts]
    email_after``), or at once when the homeserver cannot be reached."""


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
    email_to: list[EmailAddress] = Field(default_factory=list)
    """Who gets the combined picture by e-mail at each deadline (a reservväg off Matrix)."""

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
    #: An alert not acknowledged in Matrix this long after it was raised is e-mailed to each
    #: recipient with an ``email`` (needs ``[email] host``).
    email_after: PositiveDuration = timedelta(minutes=5)


class EmailConfig(_Section):
    """The reservväg off Matrix: an SMTP server the bot sends through. Off without ``host``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    host: Text | None = None
    port: int = Field(default=587, ge=1, le=65535)
    starttls: bool = True
    from_address: EmailAddress | None = Field(default=None, alias="from")
    user: Text | None = None
    password: SecretStr | None = None
    #: The homeserver unreachable this long: open alerts go by e-mail at once.
    matrix_down_after: PositiveDuration = timedelta(minutes=2)
    #: "fallback": a home organisation's summary is e-mailed when its home room cannot be
    #: reached; "always": every summary is e-mailed too.
    summaries: Literal["fallback", "always"] = "fallback"
    #: With ``bot.require_encryption``, mail carries only a notice and a link to the web view
    #: unless this is true.
    content: bool = False
    timeout: PositiveDuration = timedelta(seconds=30)

    @property
    def enabled(self) -> bool:
        return self.host is not None


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

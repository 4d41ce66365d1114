"""The bot's configuration: one TOML file, secrets and overrides from ``SAMVERKAN_*`` variables.

Config is data (see docs/design.md): actors, members and their functions, forums with rooms and
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

from bot.config.directory import Directory, WhoIs
from bot.config.loading import (
    check_config,
    load_config,
)
from bot.config.problems import (
    ConfigError,
    ConfigProblem,
)
from bot.config.sections import (
    DEFAULT_WEBHOOK_SECRET_ENV,
    SYNC_POLL,
    ActorConfig,
    AlertsConfig,
    BotConfig,
    CryptoConfig,
    EmailConfig,
    EnvName,
    ForumConfig,
    GroupConfig,
    HealthConfig,
    LimitsConfig,
    LogConfig,
    MatrixConfig,
    MemberConfig,
    ReportsConfig,
    RosterConfig,
    StorageConfig,
    WebConfig,
    WebhookConfig,
    WebhookSourceConfig,
)
from bot.config.settings import (
    Settings,
)
from bot.config.values import (
    ALL_ACTORS,
    CONFIG_ENV_VAR,
    ENV_PREFIX,
    Category,
    Duration,
    Level,
    Mode,
    PositiveDuration,
    RoomRef,
    Slug,
    Text,
    UserId,
)

__all__ = [
    "ALL_ACTORS",
    "CONFIG_ENV_VAR",
    "DEFAULT_WEBHOOK_SECRET_ENV",
    "ENV_PREFIX",
    "SYNC_POLL",
    "ActorConfig",
    "AlertsConfig",
    "BotConfig",
    "Category",
    "ConfigError",
    "ConfigProblem",
    "CryptoConfig",
    "Directory",
    "Duration",
    "EmailConfig",
    "EnvName",
    "ForumConfig",
    "GroupConfig",
    "HealthConfig",
    "Level",
    "LimitsConfig",
    "LogConfig",
    "MatrixConfig",
    "MemberConfig",
    "Mode",
    "PositiveDuration",
    "ReportsConfig",
    "RoomRef",
    "RosterConfig",
    "Settings",
    "Slug",
    "StorageConfig",
    "Text",
    "UserId",
    "WebConfig",
    "WebhookConfig",
    "WebhookSourceConfig",
    "WhoIs",
    "check_config",
    "load_config",
]

"""The whole configuration as one object, with the lookups the bot asks of it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from pydantic import (
    Field,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from bot.config.problems import ConfigError, ConfigProblem
from bot.config.sections import (
    ActorConfig,
    AlertsConfig,
    BotConfig,
    CryptoConfig,
    EmailConfig,
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
from bot.config.values import ENV_PREFIX

# The TOML file for the Settings being built; a context variable because pydantic-settings
# asks the class, not the instance, for its sources.
TOML_FILE: ContextVar[Path | None] = ContextVar("samverkan_toml_file", default=None)


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
    email: EmailConfig = Field(default_factory=EmailConfig)
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
        toml_file = TOML_FILE.get()
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

    def roster(self, function: str) -> RosterConfig | None:
        return next((r for r in self.rosters if r.function == function), None)

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
        from bot.config.checks import cross_check  # the checks read Settings' own fields

        return cross_check(self)

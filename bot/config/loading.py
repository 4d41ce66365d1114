"""Reading the TOML file and the environment, refusing secrets in the file, and turning
pydantic's errors into problems with key paths."""

from __future__ import annotations

import difflib
import os
import tomllib
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ValidationError,
)
from pydantic_core import ErrorDetails
from pydantic_settings import (
    SettingsError,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.config.checks import file_order
from bot.config.problems import ConfigError, ConfigProblem
from bot.config.settings import TOML_FILE, Settings
from bot.config.values import CONFIG_ENV_VAR, ENV_PREFIX

"""In ``forums[].participants``: every configured actor."""

# Keys whose values must never be echoed: secrets, and the storage URL (it may hold a password).
_SECRET_KEYS = (
    "matrix.password",
    "matrix.access_token",
    "web.token",
    "web.link_secret",
    "webhook.secret",
    "crypto.key",
    "email.password",
)
_UNECHOED_KEYS = frozenset({*_SECRET_KEYS, "storage.url"})


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
    token = TOML_FILE.set(toml_file)
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
        TOML_FILE.reset(token)
    problems += settings.cross_check()
    if problems:
        raise ConfigError(sorted(problems, key=file_order))
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

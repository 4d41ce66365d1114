"""How the bot logs: plain text or one JSON object per line, and never a secret.

`samverkan run` calls `configure_logging` once the config is loaded. Every record passes
`RedactSecrets` on the way out, whatever its format or logger (nio, aiohttp, SQLAlchemy and our
own): the message, its arguments and a formatted traceback are searched for every known secret,
and each occurrence becomes ``[redacted]``. The secrets are collected from the settings at start
(`secrets_of`: every secret value in them, the variables they name, the database
password) and, for values that only exist at run time such as the access token a password
login returns, added with `redact`.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import IO, Any, Literal
from urllib.parse import quote, quote_plus

from pydantic import BaseModel, SecretStr
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.config import Settings

REDACTED = "[redacted]"
#: Shorter values are not searched for: redacting every "ab" would make the logs unreadable,
#: and no credential the bot accepts is that short.
MIN_SECRET_LENGTH = 4
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: Loggers that are chatty at INFO; they log at WARNING unless the level asks for DEBUG.
NOISY_LOGGERS = ("nio", "alembic", "apscheduler.scheduler", "peewee")


class SecretSet:
    """The values to hide, longest first so a secret containing another is hidden whole."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._ordered: tuple[str, ...] = ()
        self._lock = threading.Lock()

    def add(self, *values: str | None) -> None:
        with self._lock:
            for value in values:
                if value and len(value) >= MIN_SECRET_LENGTH:
                    # The same secret as it appears in a URL or a form body.
                    self._values.update({value, quote(value, safe=""), quote_plus(value)})
            self._ordered = tuple(sorted(self._values, key=len, reverse=True))

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._ordered = ()

    def hide(self, text: str) -> str:
        for value in self._ordered:
            if value in text:
                text = text.replace(value, REDACTED)
        return hide_credentials(text)

    def __bool__(self) -> bool:
        return bool(self._ordered)


#: The process's secrets; the filter on the configured handler reads them on every record.
SECRETS = SecretSet()

# Credentials recognised by where they stand, for values no one told us about in time: nio logs
# the login response (with the new access token) at DEBUG before the bot learns the token.
_CREDENTIAL_KEYS = "|".join(
    (
        "access_token",
        "refresh_token",
        "password",
        "new_password",
        "token",
        "secret",
        "session_key",
        "pickle_key",
        "passphrase",
    )
)
_QUOTED = re.compile(
    rf"""(?P<head>(?P<q>['"])(?:{_CREDENTIAL_KEYS})(?P=q)\s*:\s*(?P<v>['"]))"""
    r"""(?P<value>.*?)(?<!\\)(?P=v)"""
)
_QUERY = re.compile(rf"(?P<head>[?&;](?:{_CREDENTIAL_KEYS})=)(?P<value>[^&\s'\"#]+)")
_BEARER = re.compile(r"(?P<head>\bBearer\s+)(?P<value>[A-Za-z0-9._~+/=-]+)")


def hide_credentials(text: str) -> str:
    """Replaces the values of well-known credential fields: ``"access_token": "..."`` (JSON or a
    Python dict), ``?token=...`` in a URL or form, and ``Bearer ...``."""
    if not any(word in text for word in ("token", "password", "secret", "_key", "pass", "Bearer")):
        return text
    text = _QUOTED.sub(lambda m: m["head"] + REDACTED + m["v"], text)
    text = _QUERY.sub(lambda m: m["head"] + REDACTED, text)
    return _BEARER.sub(lambda m: m["head"] + REDACTED, text)


def redact(*values: str | None) -> None:
    """Adds secrets learnt at run time (e.g. a fresh access token) to those hidden in logs."""
    SECRETS.add(*values)


def secrets_of(settings: Settings, environ: Mapping[str, str] | None = None) -> list[str]:
    """Every secret the settings lead to: each `SecretStr` anywhere in them (login, web token,
    link secret, webhook secret, crypto key), each variable a ``*_env`` key names (actor read
    tokens, webhook sources' secrets; read from ``environ``), and the database password."""
    environ = os.environ if environ is None else environ
    values = [secret.get_secret_value() for secret in _secret_fields(settings)]
    values += [environ[name] for name in _env_names(settings) if environ.get(name)]
    try:
        password = make_url(settings.storage.url).password
    except ArgumentError:
        password = None
    if password:
        values.append(str(password))
    return [value for value in values if value]


def _secret_fields(value: object) -> Iterator[SecretStr]:
    if isinstance(value, SecretStr):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _secret_fields(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _secret_fields(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _secret_fields(item)


def _env_names(value: object) -> Iterator[str]:
    """Values of keys named ``*_env``: names of environment variables that hold secrets."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            field = getattr(value, name)
            if name.endswith("_env") and isinstance(field, str):
                yield field
            elif name.endswith("_env") and isinstance(field, dict):
                yield from (item for item in field.values() if isinstance(item, str))
            else:
                yield from _env_names(field)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _env_names(item)


class RedactSecrets(logging.Filter):
    """Rewrites each record so no known secret survives in its message or traceback.

    The message is formatted here (``msg % args``) and the traceback rendered, both redacted,
    so that formatters downstream only ever see the cleaned text.
    """

    def __init__(self, secrets: SecretSet = SECRETS) -> None:
        super().__init__()
        self.secrets = secrets
        self._renderer = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what there is, still redacted
            message = f"{record.msg!r} % {record.args!r}"
        record.msg = self.secrets.hide(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._renderer.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.secrets.hide(record.exc_text)
            # Formatters render exc_info again only when exc_text is empty; keep the type for
            # those that look at it, drop the traceback object that holds the raw values.
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.secrets.hide(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False)


def log_handler(
    log_format: Literal["text", "json"], *, stream: IO[str] | None = None
) -> logging.Handler:
    """The handler `samverkan run` logs through: the format, and the redaction filter."""
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(
        JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    )
    handler.addFilter(RedactSecrets())
    return handler


def configure_logging(
    settings: Settings, *, verbose: bool = False, extra_secrets: Iterable[str] = ()
) -> None:
    """Replaces the root logger's handlers with the configured one; `-v` forces DEBUG for
    the bot's own loggers."""
    SECRETS.add(*secrets_of(settings), *extra_secrets)
    configured = logging.getLevelNamesMapping()[settings.log.level]
    level = logging.DEBUG if verbose else configured
    logging.basicConfig(level=level, handlers=[log_handler(settings.log.format)], force=True)
    # `-v` is for the bot's own debugging; `level = "DEBUG"` in the config opens everything.
    libraries = logging.DEBUG if configured <= logging.DEBUG else logging.WARNING
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(libraries)

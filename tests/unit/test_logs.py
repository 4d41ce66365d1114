"""Logs: JSON lines with the fields collectors expect, and no known secret in any format."""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_config
from bot.observability.logs import (
    REDACTED,
    SECRETS,
    configure_logging,
    log_handler,
    redact,
    secrets_of,
)

MINIMAL = """
[matrix]
homeserver = "https://matrix.example.se"
user_id = "@samverkan:example.se"

[web]
actor_tokens_env = { lst = "LST_READ_TOKEN" }

[[actors]]
id = "lst"
name = "Länsstyrelsen Stockholm"
category = "stat"
"""

SECRET_ENV = {
    "SAMVERKAN_MATRIX__PASSWORD": "pw-correct-horse",
    "SAMVERKAN_MATRIX__ACCESS_TOKEN": "syt_access_token_value",
    "SAMVERKAN_WEB__TOKEN": "web-bearer-value",
    "SAMVERKAN_WEBHOOK__SECRET": "hook-shared-value",
    "SAMVERKAN_CRYPTO__KEY": "crypto-key-value",
    "SAMVERKAN_STORAGE__URL": "postgresql+psycopg://samverkan:db-pass/word@db/samverkan",
    "LST_READ_TOKEN": "lst-read-token-value",
}
PLAIN_SECRETS = [value for name, value in SECRET_ENV.items() if "STORAGE" not in name]


@pytest.fixture(autouse=True)
def clean(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.upper().startswith("SAMVERKAN_"):
            monkeypatch.delenv(name)
    SECRETS.clear()
    yield
    SECRETS.clear()


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO, logging.Handler]]:
    """A logger whose records go through the production handler into a buffer."""
    stream = io.StringIO()
    handler = log_handler("json", stream=stream)
    logger = logging.getLogger("samverkan.test.logs")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream, handler
    logger.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def settings_with_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name, value in SECRET_ENV.items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "config.toml"
    path.write_text(MINIMAL)
    return load_config(path)


def test_every_secret_of_the_settings_is_collected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = secrets_of(settings_with_secrets(tmp_path, monkeypatch))
    for value in PLAIN_SECRETS:
        assert value in found
    assert "db-pass/word" in found  # the database password, not the whole URL
    assert not any("postgresql" in value for value in found)


def test_json_lines_have_time_level_logger_message_and_exception(
    captured: tuple[logging.Logger, io.StringIO, logging.Handler],
) -> None:
    logger, stream, _ = captured
    logger.info("call-in for %s posted", "konferens")
    try:
        raise RuntimeError("the homeserver went away")
    except RuntimeError:
        logger.exception("sending failed")
    first, second = lines(stream)
    assert first["level"] == "INFO" and first["logger"] == "samverkan.test.logs"
    assert first["message"] == "call-in for konferens posted"
    assert str(first["time"]).endswith("+00:00") and "T" in str(first["time"])
    assert "exception" not in first
    assert second["level"] == "ERROR" and second["message"] == "sending failed"
    assert "RuntimeError: the homeserver went away" in str(second["exception"])
    assert "Traceback" in str(second["exception"])


def test_secrets_are_redacted_in_message_arguments_traceback_and_stack(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    captured: tuple[logging.Logger, io.StringIO, logging.Handler],
) -> None:
    logger, stream, _ = captured
    SECRETS.add(*secrets_of(settings_with_secrets(tmp_path, monkeypatch)))
    logger.debug("login with %s", "pw-correct-horse")
    logger.info("headers: {'Authorization': 'Bearer syt_access_token_value'}")
    logger.warning("url %s", "https://x/hook?token=web-bearer-value&x=1", stack_info=True)
    try:
        raise ValueError("key crypto-key-value, secret hook-shared-value, db-pass/word")
    except ValueError:
        logger.exception("failed with %r", "lst-read-token-value")
    text = stream.getvalue()
    for value in [*PLAIN_SECRETS, "db-pass/word", "db-pass%2Fword"]:
        assert value not in text, value
    records = lines(stream)
    assert records[0]["message"] == f"login with {REDACTED}"
    assert REDACTED in str(records[3]["exception"]) and "ValueError" in str(records[3]["exception"])
    assert "stack" in records[2]


def test_a_secret_learnt_at_run_time_is_redacted_from_then_on(
    captured: tuple[logging.Logger, io.StringIO, logging.Handler],
) -> None:
    logger, stream, _ = captured
    logger.info("token syt_fresh_login_token")
    redact("syt_fresh_login_token")
    logger.info("token syt_fresh_login_token")
    before, after = lines(stream)
    assert before["message"] == "token syt_fresh_login_token"
    assert after["message"] == f"token {REDACTED}"


def test_the_text_format_is_redacted_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    SECRETS.add(*secrets_of(settings_with_secrets(tmp_path, monkeypatch)))
    stream = io.StringIO()
    handler = log_handler("text", stream=stream)
    record = logging.LogRecord(
        "nio.http", logging.DEBUG, __file__, 1, "POST /login %s", ("pw-correct-horse",), None
    )
    handler.handle(record)
    assert stream.getvalue().endswith(f"DEBUG nio.http: POST /login {REDACTED}\n")


def test_short_values_are_not_treated_as_secrets() -> None:
    SECRETS.add("ab", "", None)
    assert not SECRETS
    assert SECRETS.hide("a tab") == "a tab"


def test_configure_logging_sets_format_level_and_redaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_with_secrets(tmp_path, monkeypatch)
    settings = settings.model_copy(
        update={"log": settings.log.model_copy(update={"format": "json", "level": "WARNING"})}
    )
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        configure_logging(settings)
        (handler,) = root.handlers
        assert root.level == logging.WARNING
        stream = io.StringIO()
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(stream)
        logging.getLogger("samverkan.test").warning("web token %s", "web-bearer-value")
        logging.getLogger("samverkan.test").info("not shown")
        (line,) = lines(stream)
        assert line["message"] == f"web token {REDACTED}"
        configure_logging(settings, verbose=True)
        assert root.level == logging.DEBUG
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])


def test_log_format_and_level_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(MINIMAL + '\n[log]\nformat = "xml"\nlevel = "loud"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert [p.path for p in info.value.problems] == ["log.format", "log.level"]
    path.write_text(MINIMAL + '\n[log]\nformat = "json"\nlevel = "debug"\n')
    settings = load_config(path)
    assert (settings.log.format, settings.log.level) == ("json", "DEBUG")


def test_credentials_are_recognised_by_their_field_before_anyone_knows_them(
    captured: tuple[logging.Logger, io.StringIO, logging.Handler],
) -> None:
    logger, stream, _ = captured
    # As nio logs a login response at DEBUG, before the bot has seen the new token.
    logger.debug(
        "Validating response schema %s: %s",
        {"properties": {"access_token": {"type": "string"}}},
        {"user_id": "@samverkan:example.se", "access_token": "syt_c2Ft_unknown_1a2b", "x": 1},
    )
    logger.info('{"type": "m.login.password", "password": "not-known-either"}')
    logger.info('GET /calendar.ics?forum=konferens&token=unknown-web-token HTTP/1.1 "-"')
    logger.info("headers {'Authorization': 'Bearer unknown.bearer-value'}")
    text = stream.getvalue()
    for value in ("syt_c2Ft_unknown_1a2b", "not-known-either", "unknown-web-token", "unknown.b"):
        assert value not in text, value
    first, second, third, fourth = lines(stream)
    assert "'access_token': {'type': 'string'}" in str(first["message"])  # a schema, kept
    assert f"'access_token': '{REDACTED}'" in str(first["message"])
    assert "'user_id': '@samverkan:example.se'" in str(first["message"])
    assert second["message"] == f'{{"type": "m.login.password", "password": "{REDACTED}"}}'
    assert f"forum=konferens&token={REDACTED} HTTP/1.1" in str(third["message"])
    assert f"Bearer {REDACTED}'" in str(fourth["message"])


def test_samverkan_run_logs_json_lines_and_its_fatal_error_redacted(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port on loopback where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = tmp_path / "config.toml"
    config.write_text(
        f'[matrix]\nhomeserver = "http://127.0.0.1:{port}"\nuser_id = "@samverkan:example.se"\n'
        f'store_path = "{tmp_path / "store"}"\n\n'
        f'[storage]\nurl = "sqlite+aiosqlite:///{tmp_path / "bot.db"}"\n\n'
        '[log]\nformat = "json"\nlevel = "DEBUG"\n'
    )
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("SAMVERKAN_")}
    env["SAMVERKAN_MATRIX__PASSWORD"] = "pw-correct-horse"
    env["SAMVERKAN_CRYPTO__KEY"] = "crypto-key-value"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stderr.splitlines()]  # every line is JSON
    assert {"time", "level", "logger", "message"} <= set(records[0])
    assert any(r["level"] == "DEBUG" for r in records)
    (fatal,) = [r for r in records if r["message"] == "the bot stopped on an unexpected error"]
    assert fatal["level"] == "ERROR" and "Cannot connect to host" in str(fatal["exception"])
    assert "pw-correct-horse" not in result.stderr and "crypto-key-value" not in result.stderr

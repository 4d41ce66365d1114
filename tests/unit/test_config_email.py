"""The reservväg's keys: addresses are checked where they are written, need an SMTP server,
and alert mail needs the web for its acknowledgement link; the password only from the
environment."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import ConfigError, ConfigProblem, Directory, load_config
from tests.unit.test_config import MINIMAL, clean_environment

__all__ = ["clean_environment"]  # the developer's SAMVERKAN_* variables stay out (autouse)

EMAIL = """
[email]
host = "smtp.example.se"
from = "samverkan@example.se"
"""
WEB = """
[web]
enabled = true
public_url = "https://samverkan.example.se"
"""


def _problems(tmp_path: Path, text: str) -> list[ConfigProblem]:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return info.value.problems


def _with_member_email(address: str) -> str:
    return MINIMAL.replace('functions = ["tib"]', f'functions = ["tib"]\nemail = "{address}"')


@pytest.mark.parametrize(
    "address",
    ["tib", "tib@", "@example.se", "tib@example", "Tib <tib@example.se>", "t b@example.se"],
)
def test_a_bad_address_is_refused_with_how_to_write_it(tmp_path: Path, address: str) -> None:
    (problem,) = _problems(tmp_path, _with_member_email(address) + EMAIL + WEB)
    assert problem.path == "members[0].email"
    assert "name@example.se" in problem.message


def test_a_line_break_cannot_smuggle_a_header(tmp_path: Path) -> None:
    text = _with_member_email("tib@example.se\\nBcc: all@example.se") + EMAIL + WEB
    (problem,) = _problems(tmp_path, text)
    assert problem.path == "members[0].email"


def test_addresses_need_an_smtp_server(tmp_path: Path) -> None:
    text = _with_member_email("tib@lst.example.se").replace(
        "[[forums]]", '[[forums]]\nemail_to = ["stab@lst.example.se"]'
    )
    paths = {p.path: p.message for p in _problems(tmp_path, text)}
    assert set(paths) == {"members[0].email", "forums[0].email_to"}
    assert all("[email]" in message for message in paths.values())


def test_alert_mail_needs_the_web_for_its_link_and_a_sender(tmp_path: Path) -> None:
    text = _with_member_email("tib@lst.example.se") + EMAIL.replace(
        'from = "samverkan@example.se"\n', ""
    )
    paths = {p.path: p.message for p in _problems(tmp_path, text)}
    assert set(paths) == {"email.from", "email.host"}
    assert "public_url" in paths["email.host"]


def test_the_password_belongs_in_the_environment(tmp_path: Path) -> None:
    text = MINIMAL + EMAIL + 'password = "hunter2"\n'
    (problem,) = _problems(tmp_path, text)
    assert problem.path == "email.password"
    assert "SAMVERKAN_EMAIL__PASSWORD" in problem.message


def test_a_valid_reservvag_and_its_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAMVERKAN_EMAIL__PASSWORD", "from-the-environment")
    path = tmp_path / "config.toml"
    path.write_text(_with_member_email("tib@länsstyrelsen.se") + EMAIL + WEB, encoding="utf-8")
    settings = load_config(path)
    assert settings.email.enabled and settings.email.port == 587 and settings.email.starttls
    assert settings.email.password is not None
    assert settings.email.password.get_secret_value() == "from-the-environment"
    assert settings.alerts.email_after == timedelta(minutes=5)
    assert settings.email.matrix_down_after == timedelta(minutes=2)
    assert settings.email.summaries == "fallback" and not settings.email.content
    assert Directory(settings).email_of("@tib:example.se") == "tib@länsstyrelsen.se"

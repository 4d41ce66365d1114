"""Every secret written into the TOML file is refused, naming the environment variable to use
instead, and `samverkan run` does not start with such a file; the value is never echoed."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config

MINIMAL = """
[matrix]
homeserver = "https://matrix.example.se"
user_id = "@samverkan:example.se"
{matrix}
[[actors]]
id = "lst"
name = "Länsstyrelsen Stockholm"
category = "stat"

[[forums]]
id = "konferens"
name = "Regional samverkanskonferens"
level = "samordnande"
mode = "ordinarie"
room = "#samverkanskonferens:example.se"
participants = ["*"]
"""

VALUE = "s3cret-value-in-file"

#: (TOML added, the problem's key path, the variable the message must name)
CASES = [
    ("", f'password = "{VALUE}"', "matrix.password", "SAMVERKAN_MATRIX__PASSWORD"),
    ("", f'access_token = "{VALUE}"', "matrix.access_token", "SAMVERKAN_MATRIX__ACCESS_TOKEN"),
    (f'[web]\ntoken = "{VALUE}"', "", "web.token", "SAMVERKAN_WEB__TOKEN"),
    (f'[web]\nlink_secret = "{VALUE}"', "", "web.link_secret", "SAMVERKAN_WEB__LINK_SECRET"),
    (f'[webhook]\nsecret = "{VALUE}"', "", "webhook.secret", "SAMVERKAN_WEBHOOK__SECRET"),
    (f'[crypto]\nkey = "{VALUE}"', "", "crypto.key", "SAMVERKAN_CRYPTO__KEY"),
    (
        f'[storage]\nurl = "postgresql+psycopg://samverkan:{VALUE}@db/samverkan"',
        "",
        "storage.url",
        "SAMVERKAN_STORAGE__URL",
    ),
    (
        '[[webhooks]]\nname = "smhi"\nforum = "konferens"\ntemplate = "{event}"\n'
        f'secret_env = "SMHI_HOOK_SECRET"\nsecret = "{VALUE}"',
        "",
        "webhooks[0].secret",
        "SMHI_HOOK_SECRET",
    ),
]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.upper().startswith("SAMVERKAN_"):
            monkeypatch.delenv(name)
    yield


def config_with(tmp_path: Path, section: str, matrix_line: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(MINIMAL.format(matrix=matrix_line) + "\n" + section + "\n")
    return path


@pytest.mark.parametrize(("section", "matrix_line", "key", "variable"), CASES)
def test_a_secret_in_the_file_is_refused_naming_the_variable(
    tmp_path: Path, section: str, matrix_line: str, key: str, variable: str
) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(config_with(tmp_path, section, matrix_line))
    problems = info.value.problems
    assert [p.path for p in problems] == [key]
    assert variable in problems[0].message
    assert VALUE not in str(info.value)


def test_a_database_url_without_password_is_fine(tmp_path: Path) -> None:
    section = '[storage]\nurl = "postgresql+psycopg://samverkan@db/samverkan"'
    settings = load_config(config_with(tmp_path, section, ""))
    assert settings.storage.url.endswith("@db/samverkan")


@pytest.mark.parametrize(("section", "matrix_line", "key", "variable"), CASES[:3])
def test_run_does_not_start_and_names_the_variable(
    tmp_path: Path, section: str, matrix_line: str, key: str, variable: str
) -> None:
    path = config_with(tmp_path, section, matrix_line)
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("SAMVERKAN_")}
    env["SAMVERKAN_MATRIX__PASSWORD"] = "from-the-environment"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 1
    assert f"{key}: secrets do not belong in the config file" in result.stderr
    assert variable in result.stderr
    assert VALUE not in result.stderr + result.stdout

"""Config of what comes in through the web: webhook sources, report links, the public URL; and
their secrets, which come only from the environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_config
from bot.services.report_links import link_key
from bot.services.webhooks import webhook_secrets

BASE = """
[matrix]
homeserver = "https://matrix.example.se"
user_id = "@samverkan:example.se"

[web]
enabled = true

[[actors]]
id = "lst"
name = "Länsstyrelsen Stockholm"
category = "stat"

[[actors]]
id = "hamnar"
name = "Stockholms hamnar"
category = "övrig"
report_by_link = true

[[members]]
user = "@tib:example.se"
actor = "lst"
functions = ["tib"]

[[forums]]
id = "konferens"
name = "Regional samverkanskonferens"
level = "samordnande"
mode = "ordinarie"
room = "#konferens:example.se"
participants = ["*"]
schedule = "thu 16:00"

[[forums]]
id = "samordnande"
name = "Regionalt samordnande forum"
level = "samordnande"
mode = "aktiverat"
room = "#samordnande:example.se"
participants = ["*"]
activators = ["tib"]
"""

HOOK = """
[[webhooks]]
name = "smhi"
forum = "konferens"
template = "{warning.level}: {warning.event}"
"""


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.upper().startswith("SAMVERKAN_"):
            monkeypatch.delenv(name)
    yield


def load(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def problems(tmp_path: Path, text: str) -> dict[str, str]:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    return {p.path: p.message for p in caught.value.problems}


def test_a_webhook_source_with_its_defaults(tmp_path: Path) -> None:
    settings = load(tmp_path, BASE + HOOK)
    hook = settings.webhook_source("smhi")
    assert hook is not None and settings.webhook_source("nope") is None
    assert hook.secret_env == "SAMVERKAN_WEBHOOK__SECRET"
    assert (hook.max_body, hook.propose_activation, hook.require_timestamp) == (65536, False, False)
    assert (hook.label, hook.proposed_forum) == ("smhi", "konferens")
    assert settings.actor("hamnar").report_by_link  # type: ignore[union-attr]
    assert not settings.actor("lst").report_by_link  # type: ignore[union-attr]


def test_webhook_mistakes_are_found_by_check_config(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        BASE
        + HOOK
        + """
[[webhooks]]
name = "smhi"
forum = "konferns"
template = "{warning.level"
secret_env = "SMHI SECRET"
max_body = 0

[[webhooks]]
name = "polis"
forum = "konferens"
template = "{text}"
propose_activation = true
activate_forum = "ingen"

[[webhooks]]
name = "sos"
forum = "samordnande"
template = "{text}"
propose_activation = true
""",
    )
    assert "never closed" in found["webhooks[1].template"]
    assert "not an environment variable name" in found["webhooks[1].secret_env"]
    assert "webhooks[1].max_body" in found
    # Cross-checks run only once the shapes are right, so fix them and look again.
    found = problems(
        tmp_path,
        BASE
        + HOOK
        + """
[[webhooks]]
name = "smhi"
forum = "konferns"
template = "{text}"

[[webhooks]]
name = "polis"
forum = "konferens"
template = "{text}"
propose_activation = true
activate_forum = "ingen"

[[webhooks]]
name = "sos"
forum = "konferens"
template = "{text}"
propose_activation = true
""",
    )
    assert "already used at webhooks[0].name" in found["webhooks[1].name"]
    assert "did you mean 'konferens'" in found["webhooks[1].forum"]
    assert "unknown forum 'ingen'" in found["webhooks[2].activate_forum"]
    assert "has no activators" in found["webhooks[3].propose_activation"]


def test_links_and_webhooks_need_the_web_enabled(tmp_path: Path) -> None:
    found = problems(tmp_path, BASE.replace("enabled = true", "enabled = false") + HOOK)
    assert "enabled = true under [web]" in found["actors[1].report_by_link"]
    assert "enabled = true under [web]" in found["webhooks[0].name"]


def test_the_public_url_defaults_to_where_the_web_listens(tmp_path: Path) -> None:
    settings = load(tmp_path, BASE.replace("enabled = true", "enabled = true\nport = 9090"))
    assert settings.web.base_url == "http://127.0.0.1:9090"
    text = BASE.replace("enabled = true", 'enabled = true\npublic_url = "https://s.example.se/"')
    assert load(tmp_path, text).web.base_url == "https://s.example.se"
    bad = BASE.replace("enabled = true", 'enabled = true\npublic_url = "s.example.se"')
    assert "not a URL" in problems(tmp_path, bad)["web.public_url"]


def test_secrets_stay_out_of_the_file(tmp_path: Path) -> None:
    text = BASE.replace("enabled = true", 'enabled = true\nlink_secret = "hunter2"')
    message = problems(tmp_path, text)["web.link_secret"]
    assert "SAMVERKAN_WEB__LINK_SECRET" in message and "hunter2" not in message


def test_each_source_reads_its_secret_from_the_variable_it_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = HOOK + '\n[[webhooks]]\nname = "sos"\nforum = "konferens"\ntemplate = "{t}"\n'
    extra += 'secret_env = "SOS_SECRET"\n'
    monkeypatch.setenv("SAMVERKAN_WEBHOOK__SECRET", "default-secret")
    settings = load(tmp_path, BASE + extra)
    assert settings.webhook.secret is not None
    assert webhook_secrets(settings, {}) == {"smhi": b"default-secret", "sos": None}
    assert webhook_secrets(settings, {"SOS_SECRET": "x"})["sos"] == b"x"


def test_report_links_are_signed_with_the_link_secret_or_a_key_from_the_web_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert link_key(load(tmp_path, BASE)) is None
    monkeypatch.setenv("SAMVERKAN_WEB__TOKEN", "web-token")
    from_token = link_key(load(tmp_path, BASE))
    monkeypatch.setenv("SAMVERKAN_WEB__LINK_SECRET", "link-secret")
    from_secret = link_key(load(tmp_path, BASE))
    assert from_token is not None and from_secret is not None and from_token != from_secret
    assert b"web-token" not in from_token and b"link-secret" not in from_secret

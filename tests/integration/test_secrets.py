"""The secrets floor: a bot that logs in by password and holds a crypto key, a web token, an
actor's read token, a webhook secret and a database password runs a scenario on the real
homeserver, and none of those (nor the access token its login returns) appears in any log line
at DEBUG (the bot's, nio's, aiohttp's, SQLAlchemy's), in any message it sent, or in any answer
of its web, wrong requests included.

Logs go through the handler `samverkan run` installs (`bot.observability.logs`), fed the
secrets the way `configure_logging` does, so this checks what an operator's log would hold.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import io
import json
import logging
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy.engine import make_url

from bot.config import load_config
from bot.demo.homeserver import free_port
from bot.observability.logs import SECRETS, log_handler, secrets_of
from tests.fixtures.homeserver import World

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (ROOT / "deploy" / "webhooks" / "smhi-warning.json").read_bytes()
#: Loggers that stay quiet unless asked; at DEBUG here so the test sees what they would say.
LIBRARIES = ("nio", "aiohttp", "sqlalchemy", "peewee", "apscheduler", "alembic", "asyncio")


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """Every record of the process at DEBUG, through the production handler (JSON, redacted)."""
    stream = io.StringIO()
    handler = log_handler("json", stream=stream)
    root = logging.getLogger()
    saved = {name: logging.getLogger(name).level for name in ("", *LIBRARIES)}
    root.addHandler(handler)
    for name in saved:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)
        SECRETS.clear()


def found_in(secret: str, text: str) -> bool:
    """The secret itself, or as it would appear in a URL or a form."""
    from urllib.parse import quote, quote_plus

    return any(form in text for form in {secret, quote(secret, safe=""), quote_plus(secret)})


async def fetch(
    http: aiohttp.ClientSession, method: str, url: str, **kwargs: Any
) -> tuple[int, str]:
    """Status and headers + body (a stream is read for a moment, then left)."""
    async with http.request(method, url, allow_redirects=False, **kwargs) as resp:
        try:
            body = await asyncio.wait_for(resp.content.read(256 * 1024), 5)
        except TimeoutError:
            body = b""
        headers = "\n".join(f"{k}: {v}" for k, v in resp.headers.items())
        return resp.status, headers + "\n\n" + body.decode(errors="replace")


async def test_no_secret_in_logs_messages_or_web(
    world: World,
    fresh_postgres_url: str,
    debug_log: io.StringIO,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alice = await world.member("alice")
    polis = await world.member("polis")
    bot = await world.bot_account()
    room = await alice.create_room(
        "Samverkanskonferens", encrypted=True, invite=[bot.user_id, polis.user_id]
    )
    await polis.join(room)

    crypto_key = secrets.token_urlsafe(32)
    web_token = secrets.token_urlsafe(32)
    actor_token = secrets.token_urlsafe(32)
    hook_secret = secrets.token_urlsafe(32)
    db_password = secrets.token_urlsafe(24)
    database = make_url(fresh_postgres_url).set(password=db_password)  # trust auth ignores it
    world.bot_env.update(
        {
            "SAMVERKAN_CRYPTO__KEY": crypto_key,
            "SAMVERKAN_WEB__TOKEN": web_token,
            "SAMVERKAN_STORAGE__URL": database.render_as_string(hide_password=False),
        }
    )
    # Read from the environment while the bot runs (named by the config, not settings).
    monkeypatch.setenv("SAMVERKAN_TEST_POLIS_TOKEN", actor_token)
    monkeypatch.setenv("SAMVERKAN_TEST_HOOK_SECRET", hook_secret)
    port = free_port()
    config = world.config(
        forum_room=room,
        members={alice.user_id: ("lst", ["tib"]), polis.user_id: ("polisen", ["rlc"])},
        admins=(alice.user_id,),
        extra={
            "web": {
                "enabled": True,
                "host": "127.0.0.1",
                "port": port,
                "actor_tokens_env": {"polisen": "SAMVERKAN_TEST_POLIS_TOKEN"},
            },
            "webhooks": [
                {
                    "name": "smhi",
                    "forum": "konferens",
                    "secret_env": "SAMVERKAN_TEST_HOOK_SECRET",
                    "template": "{warningAreas.0.warningLevel.sv} varning: {event.sv}",
                }
            ],
        },
    )
    # What `samverkan run` does before anything logs: collect the settings' secrets.
    os.environ.update(world.env())
    try:
        SECRETS.add(*secrets_of(load_config(config)))
    finally:
        for key in world.env():
            os.environ.pop(key, None)

    app = await world.start_bot(config)
    access_tokens = {app.client.access_token}
    url = f"http://127.0.0.1:{port}"

    # -- chat: answers, refusals, usage errors, an unknown command --------------------------
    for body in ("!vem", "!hjälp", "!kalender", "!okänt", "!ärende 99999", "!aktivera"):
        await alice.ask(room, body, bot.user_id)
    await polis.ask(room, "!vem", bot.user_id)

    # -- web: every route, with every kind of credential and with wrong ones ----------------
    responses: list[str] = []
    signature = hmac.new(hook_secret.encode(), SAMPLE, hashlib.sha256).hexdigest()
    assert app.web is not None
    routes = sorted(
        {
            re.sub(r"\{[^}]+\}", "1", resource.canonical)
            for resource in app.web.app.router.resources()
        }
    )
    assert {"/healthz", "/metrics", "/calendar.ics", "/login"} <= set(routes)
    credentials: list[dict[str, Any]] = [
        {},
        {"headers": {"Authorization": f"Bearer {web_token}"}},
        {"headers": {"Authorization": f"Bearer {actor_token}"}},
        {"headers": {"Authorization": "Bearer wrong-token"}},
        {"params": {"token": web_token}},
        {"headers": {"Accept": "text/html"}},
    ]
    async with aiohttp.ClientSession() as http:
        for path in routes:
            for credential in credentials:
                status, text = await fetch(http, "GET", url + path, **credential)
                responses.append(f"GET {path} {status}\n{text}")
        # The login form, right and wrong; the dashboard through the cookie it sets.
        for token in (web_token, "wrong-token", actor_token):
            status, text = await fetch(
                http, "POST", f"{url}/login", data={"token": token, "next": "/"}
            )
            responses.append(f"POST /login {status}\n{text}")
        status, text = await fetch(http, "GET", f"{url}/", headers={"Accept": "text/html"})
        responses.append(f"GET / (cookie) {status}\n{text}")
        # Webhooks: a signed warning is posted; a wrong signature and an unknown source are not.
        hook_calls = [
            ("smhi", {"X-Samverkan-Signature": f"sha256={signature}"}),
            ("smhi", {"X-Samverkan-Signature": "sha256=" + "0" * 64}),
            ("smhi", {}),
            ("okand", {"X-Samverkan-Signature": f"sha256={signature}"}),
        ]
        statuses = []
        for name, headers in hook_calls:
            status, text = await fetch(
                http,
                "POST",
                f"{url}/hooks/{name}",
                data=SAMPLE,
                headers={"Content-Type": "application/json", **headers},
            )
            statuses.append(status)
            responses.append(f"POST /hooks/{name} {status}\n{text}")
        assert statuses[0] == 202 and all(400 <= s < 500 for s in statuses[1:]), statuses
    await alice.wait_until(
        lambda: any("varning" in m.body for m in alice.messages(room, sender=bot.user_id))
    )
    # A refusal on the web says why without echoing what was sent.
    assert any(" 401\n" in r for r in responses if r.startswith("GET /metrics"))

    sent = alice.messages(room, sender=bot.user_id) + polis.messages(room, sender=bot.user_id)
    assert len(sent) >= 8
    messages = "\n".join(json.dumps(m.content, ensure_ascii=False) for m in sent)
    access_tokens.add(app.client.access_token)
    await world.stop_bot(app)

    logged = debug_log.getvalue()
    lines = [json.loads(line) for line in logged.splitlines()]
    loggers = {line["logger"] for line in lines}
    # The capture saw the libraries at DEBUG, the web's access log and the bot's own lines.
    assert any(name.startswith("nio") for name in loggers)
    assert "aiohttp.access" in loggers
    assert any(name.startswith("bot.") for name in loggers)
    assert any(line["level"] == "DEBUG" for line in lines)
    assert any("token=" in line["message"] for line in lines)  # the calendar's query was logged

    checked = {
        "the Matrix password": bot.password,
        "the crypto key": crypto_key,
        "the web token": web_token,
        "the actor's read token": actor_token,
        "the webhook secret": hook_secret,
        "the database password": db_password,
        **{f"access token {i}": token for i, token in enumerate(access_tokens) if token},
    }
    web = "\n".join(responses)
    for what, secret in checked.items():
        assert len(secret) >= 12, what
        assert not found_in(secret, logged), f"{what} is in the log"
        assert not found_in(secret, messages), f"{what} is in a message the bot sent"
        assert not found_in(secret, web), f"{what} is in a web answer"

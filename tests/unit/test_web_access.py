"""Access to the web: tokens and actor tokens (only from the environment), the signed session
value of the login form, public paths, and the middleware's answers, served by a real aiohttp
server on 127.0.0.1 in front of a one-route app (no bot needed for the rules themselves)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp import ClientSession, CookieJar, web
from yarl import URL

from bot.config import ConfigError, load_config
from bot.render.catalogue import Catalogue
from bot.web import server
from bot.web.access import (
    COOKIE,
    LoginRoutes,
    Tokens,
    access_middleware,
    is_public,
    safe_next,
)
from bot.web.keys import VIEWER, Viewer

FULL = "full-token-0123456789"
LST = "lst-read-token-abcdef"

CONFIG = """
[matrix]
homeserver = "https://matrix.example.se"
user_id = "@samverkan:example.se"

[web]
enabled = true
{web}

[[actors]]
id = "lst"
name = "Länsstyrelsen Stockholm"
category = "stat"

[[actors]]
id = "solna"
name = "Solna stad"
category = "kommun"

[[forums]]
id = "konferens"
name = "Regional samverkanskonferens"
level = "samordnande"
mode = "ordinarie"
room = "#konferens:example.se"
participants = ["*"]
"""


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.upper().startswith("SAMVERKAN_"):
            monkeypatch.delenv(name)
    yield


def config(tmp_path: Path, web: str = "") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG.format(web=web), encoding="utf-8")
    return path


# -- tokens ------------------------------------------------------------------------------------


def test_a_token_is_matched_to_its_viewer_and_nothing_else_is() -> None:
    tokens = Tokens(FULL, {"lst": LST})
    assert tokens.match(FULL) == Viewer(None)
    assert tokens.match(LST) == Viewer("lst")
    for wrong in ("", FULL[:-1], FULL + "x", LST.upper(), " " + FULL):
        assert tokens.match(wrong) is None, wrong


def test_a_session_value_stands_for_its_viewer_until_it_expires() -> None:
    tokens = Tokens(FULL, {"lst": LST}, lifetime_s=3600)
    value = tokens.session_value(Viewer("lst"), now=1_000_000)
    assert LST not in value and FULL not in value  # the cookie never holds a token
    assert tokens.session_viewer(value, now=1_000_000 + 3599) == Viewer("lst")
    assert tokens.session_viewer(value, now=1_000_000 + 3600) is None
    full = tokens.session_value(Viewer(None), now=1_000_000)
    assert tokens.session_viewer(full, now=1_000_001) == Viewer(None)


def test_a_forged_stretched_or_foreign_session_value_is_refused() -> None:
    tokens = Tokens(FULL, {"lst": LST}, lifetime_s=3600)
    value = tokens.session_value(Viewer("lst"), now=1_000_000)
    version, who, expires, signature = value.split(".")
    full_who = tokens.session_value(Viewer(None), now=1_000_000).split(".")[1]
    later = str(int(expires) + 10_000_000)
    for forged in (
        f"{version}.{who}.{later}.{signature}",  # stretched
        f"{version}.{full_who}.{expires}.{signature}",  # promoted to the full token
        f"{version}.{who}.{expires}.{'0' * len(signature)}",
        f"v0.{who}.{expires}.{signature}",
        "garbage",
        "",
        "v1.!!!.1.2",
    ):
        assert tokens.session_viewer(forged, now=1_000_001) is None, forged
    # Rotating a token ends its sessions; the other viewers' sessions stay valid.
    rotated = Tokens(FULL, {"lst": "a-new-lst-token"}, lifetime_s=3600)
    assert rotated.session_viewer(value, now=1_000_001) is None
    full = tokens.session_value(Viewer(None), now=1_000_000)
    assert rotated.session_viewer(full, now=1_000_001) == Viewer(None)


def test_tokens_come_from_the_environment_and_a_missing_one_is_named(tmp_path: Path) -> None:
    path = config(tmp_path, 'actor_tokens_env = { lst = "SAMVERKAN_TEST_LST_TOKEN" }')
    settings = load_config(path, overrides={"web": {"enabled": True}})
    with pytest.raises(ConfigError) as missing:
        Tokens.from_settings(settings, {})
    messages = [str(p) for p in missing.value.problems]
    assert any("SAMVERKAN_WEB__TOKEN" in m for m in messages)
    assert any("SAMVERKAN_TEST_LST_TOKEN" in m for m in messages)

    os.environ["SAMVERKAN_WEB__TOKEN"] = FULL
    try:
        settings = load_config(path)
    finally:
        del os.environ["SAMVERKAN_WEB__TOKEN"]
    tokens = Tokens.from_settings(settings, {"SAMVERKAN_TEST_LST_TOKEN": LST})
    assert tokens.match(LST) == Viewer("lst") and tokens.match(FULL) == Viewer(None)
    with pytest.raises(ConfigError, match="same token as SAMVERKAN_WEB__TOKEN"):
        Tokens.from_settings(settings, {"SAMVERKAN_TEST_LST_TOKEN": FULL})


def test_the_config_names_variables_never_tokens(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as in_file:
        load_config(config(tmp_path, f'token = "{FULL}"'))
    assert [p.path for p in in_file.value.problems] == ["web.token"]
    assert FULL not in str(in_file.value) and "SAMVERKAN_WEB__TOKEN" in str(in_file.value)

    with pytest.raises(ConfigError) as bad_name:
        load_config(config(tmp_path, 'actor_tokens_env = { lst = "not a name" }'))
    assert [p.path for p in bad_name.value.problems] == ["web.actor_tokens_env.lst"]
    # A token pasted where the variable's name belongs is not echoed back.
    with pytest.raises(ConfigError) as pasted:
        load_config(config(tmp_path, 'actor_tokens_env = { lst = "s3cr3t-t0ken/x" }'))
    assert "s3cr3t-t0ken" not in str(pasted.value)
    assert "never the secret" in pasted.value.problems[0].message
    assert "environment variable name" in bad_name.value.problems[0].message

    with pytest.raises(ConfigError) as unknown:
        load_config(config(tmp_path, 'actor_tokens_env = { solan = "X" }'))
    assert [str(p) for p in unknown.value.problems] == [
        "web.actor_tokens_env.solan: unknown actor 'solan' (did you mean 'solna'?)"
    ]


def test_the_web_disabled_needs_no_token(tmp_path: Path) -> None:
    settings = load_config(config(tmp_path), overrides={"web": {"enabled": False}})
    settings.require_web_secrets({})  # no error


# -- paths -------------------------------------------------------------------------------------


def test_public_paths_are_exactly_those_that_carry_their_own_proof() -> None:
    for path in ("/healthz", "/hooks/smhi", "/r/abc", "/login", "/logout", "/static/app.css"):
        assert is_public(path), path
    for path in ("/", "/api/v1/forums", "/healthzx", "/loginx", "/static", "/metrics", "/hooks"):
        assert not is_public(path), path


def test_after_login_only_a_local_path_is_followed() -> None:
    assert safe_next("/meetings/3?x=1") == "/meetings/3?x=1"
    for target in (None, "", "https://evil.example", "//evil.example", "/\\evil", "/login", "x"):
        assert safe_next(target) == "/", target


# -- the middleware, served --------------------------------------------------------------------


@pytest.fixture
async def site() -> AsyncIterator[str]:
    tokens = Tokens(FULL, {"lst": LST})
    catalogue = Catalogue("en")
    app = web.Application(middlewares=[access_middleware(tokens, catalogue)])
    app.on_response_prepare.append(server._security_headers)
    LoginRoutes(tokens, catalogue, "en").setup(app)

    async def whoami(request: web.Request) -> web.Response:
        return web.json_response({"actor": request[VIEWER].actor})

    async def health(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app.router.add_get("/api/v1/whoami", whoami)
    app.router.add_get("/page", whoami)
    app.router.add_get("/healthz", health)
    running = server.WebServer(app, "127.0.0.1", 0)
    await running.start()
    try:
        yield running.url
    finally:
        await running.stop()


async def test_missing_or_wrong_tokens_get_401_that_leaks_nothing(site: str) -> None:
    async with ClientSession() as http:
        for headers in (
            {},
            {"Authorization": "Bearer wrong"},
            {"Authorization": f"Basic {FULL}"},
            {"Authorization": "Bearer"},
        ):
            for path in ("/api/v1/whoami", "/api/v1/no-such-route", "/static/../api/v1/whoami"):
                async with http.get(site + path, headers=headers) as resp:
                    assert resp.status == 401, (path, headers)
                    assert await resp.json() == {"error": "unauthorized"}
                    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
            async with http.get(site + "/page", headers=headers) as resp:
                assert resp.status == 401
                assert await resp.text() == "Sign-in required."
        # A browser without credentials is shown the way to the login form instead.
        async with http.get(
            site + "/page?x=1", headers={"Accept": "text/html"}, allow_redirects=False
        ) as resp:
            assert resp.status == 303
            target = URL(resp.headers["Location"])
            assert target.path == "/login" and target.query["next"] == "/page?x=1"
        async with http.get(site + "/healthz") as resp:
            assert resp.status == 200  # public


async def test_bearer_tokens_name_the_viewer(site: str) -> None:
    async with ClientSession() as http:
        for token, actor in ((FULL, None), (LST, "lst")):
            headers = {"Authorization": f"Bearer {token}"}
            async with http.get(site + "/api/v1/whoami", headers=headers) as resp:
                assert resp.status == 200 and await resp.json() == {"actor": actor}
                assert resp.headers["Cache-Control"] == "no-store"
                assert resp.headers["X-Content-Type-Options"] == "nosniff"
                assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
                assert resp.headers["Referrer-Policy"] == "no-referrer"


async def test_the_login_form_sets_a_strict_httponly_session_cookie(site: str) -> None:
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as http:
        async with http.get(site + "/login?next=/page") as resp:
            form = await resp.text()
            assert resp.status == 200 and 'name="token"' in form and 'value="/page"' in form
        async with http.post(
            site + "/login", data={"token": "nope", "next": "/page"}, allow_redirects=False
        ) as resp:
            assert resp.status == 401 and "Wrong token" in await resp.text()
            assert COOKIE not in resp.cookies
        async with http.post(
            site + "/login", data={"token": LST, "next": "/page"}, allow_redirects=False
        ) as resp:
            assert resp.status == 303 and resp.headers["Location"] == "/page"
            cookie = resp.headers["Set-Cookie"]
            assert cookie.startswith(f"{COOKIE}=") and LST not in cookie
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
            assert "Secure" not in cookie  # plain http on loopback
        async with http.get(site + "/api/v1/whoami") as resp:
            assert resp.status == 200 and await resp.json() == {"actor": "lst"}
        # A wrong bearer header is not rescued by a good cookie.
        headers = {"Authorization": "Bearer wrong"}
        async with http.get(site + "/api/v1/whoami", headers=headers) as resp:
            assert resp.status == 401
        async with http.get(site + "/logout", allow_redirects=False) as resp:
            assert resp.status == 303 and resp.headers["Location"] == "/login"
        async with http.get(site + "/api/v1/whoami") as resp:
            assert resp.status == 401


async def test_the_login_form_escapes_what_it_echoes(site: str) -> None:
    async with ClientSession() as http:
        async with http.get(site + '/login?next=/"><script>alert(1)</script>') as resp:
            page = await resp.text()
    assert "<script>" not in page
    assert "&quot;&gt;&lt;script&gt;" in page


async def test_behind_an_https_proxy_the_cookie_is_secure() -> None:
    tokens = Tokens(FULL)
    app = web.Application(middlewares=[access_middleware(tokens, Catalogue("sv"))])
    LoginRoutes(tokens, Catalogue("sv"), "sv", https=True).setup(app)
    running = server.WebServer(app, "127.0.0.1", 0)
    await running.start()
    try:
        async with ClientSession() as http:
            async with http.post(
                running.url + "/login", data={"token": FULL}, allow_redirects=False
            ) as resp:
                assert resp.status == 303
                assert "Secure" in resp.headers["Set-Cookie"]
    finally:
        await running.stop()

"""Who may look: the web token, per-actor read tokens, and the login form's session cookie.

Every path outside `PUBLIC_PREFIXES` needs a credential, as either

* ``Authorization: Bearer <token>`` (scripts, the API), or
* the session cookie set by the login form (``GET``/``POST /login``, browsers).

The full token (``SAMVERKAN_WEB__TOKEN``) sees everything; an actor's read token (its variable
named under ``[web] actor_tokens_env``) yields ``Viewer(actor=...)``, and the read model shows such
a viewer only what that actor's members may see in chat (see `bot.services.readmodel`). Tokens
come only from the environment, like every secret of the bot.

The cookie never holds a token: it holds who logged in, when the session ends and an HMAC of both
under a key derived from that viewer's token, so rotating a token ends its sessions and a forged
or stretched cookie is refused. It is HttpOnly, SameSite=Strict, and Secure when the request came
over https or ``[web] public_url`` is an https address (behind a TLS proxy). Tokens are
compared through their SHA-256 digests with `hmac.compare_digest`, so neither the content nor
the length of a token leaks through timing.

A refusal says nothing about what exists behind it: 401 with a short body (JSON for the API),
the same for unknown paths; a browser asking for a page without any credential is sent to the
login form instead.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from bot.config import ConfigError, ConfigProblem, Settings
from bot.render.catalogue import Catalogue
from bot.web.keys import PUBLIC_PREFIXES, VIEWER, Viewer

COOKIE = "samverkan_session"
_SESSION_VERSION = "v1"
_SESSION_CONTEXT = b"samverkan web session v1"
_FULL = "*"


@dataclass(frozen=True)
class _Credential:
    viewer: Viewer
    digest: bytes
    session_key: bytes


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


class Tokens:
    """The credentials the web accepts, and the signed session values that stand for them."""

    def __init__(
        self, full: str, actors: Mapping[str, str] | None = None, *, lifetime_s: float = 43200
    ) -> None:
        if not full:
            raise ValueError("the full web token must not be empty")
        self.lifetime_s = lifetime_s
        tokens = {_FULL: full, **dict(actors or {})}
        self._by_who = {
            who: _Credential(
                Viewer(None if who == _FULL else who),
                _digest(token),
                hmac.new(token.encode(), _SESSION_CONTEXT, hashlib.sha256).digest(),
            )
            for who, token in tokens.items()
        }

    @classmethod
    def from_settings(cls, settings: Settings, environ: Mapping[str, str]) -> Tokens:
        """The tokens of ``settings`` with actor tokens read from ``environ``; raises
        `ConfigError` naming the variable when one is missing or two viewers share a token."""
        settings.require_web_secrets(environ)
        assert settings.web.token is not None  # checked just above
        full = settings.web.token.get_secret_value()
        actors = {
            actor: environ[variable] for actor, variable in settings.web.actor_tokens_env.items()
        }
        problems = []
        seen = {full: "SAMVERKAN_WEB__TOKEN"}
        for actor, token in actors.items():
            variable = settings.web.actor_tokens_env[actor]
            if token in seen:
                problems.append(
                    ConfigProblem(
                        f"web.actor_tokens_env.{actor}",
                        f"{variable} holds the same token as {seen[token]}; every viewer "
                        "needs a token of its own",
                    )
                )
            seen.setdefault(token, variable)
        if problems:
            raise ConfigError(problems)
        return cls(full, actors, lifetime_s=settings.web.session_lifetime.total_seconds())

    def match(self, presented: str) -> Viewer | None:
        """The viewer whose token was presented, or None; every credential is compared, in
        constant time, whatever matched."""
        digest = _digest(presented)
        found: Viewer | None = None
        for credential in self._by_who.values():
            if hmac.compare_digest(digest, credential.digest):
                found = credential.viewer
        return found

    # -- sessions ------------------------------------------------------------------------

    def session_value(self, viewer: Viewer, now: float | None = None) -> str:
        """A cookie value for ``viewer``, valid for the session lifetime from ``now``."""
        who = viewer.actor or _FULL
        expires = int((time.time() if now is None else now) + self.lifetime_s)
        name = base64.urlsafe_b64encode(who.encode()).decode().rstrip("=")
        return f"{_SESSION_VERSION}.{name}.{expires}.{self._sign(who, expires)}"

    def session_viewer(self, value: str, now: float | None = None) -> Viewer | None:
        """The viewer a cookie value stands for, or None when it is malformed, forged, signed
        under a rotated token, or expired."""
        parts = value.split(".")
        if len(parts) != 4 or parts[0] != _SESSION_VERSION or not parts[2].isdigit():
            return None
        try:
            who = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)).decode()
        except (ValueError, UnicodeDecodeError):
            return None
        credential = self._by_who.get(who)
        expires = int(parts[2])
        if credential is None:
            return None
        if not hmac.compare_digest(parts[3], self._sign(who, expires)):
            return None
        if expires <= (time.time() if now is None else now):
            return None
        return credential.viewer

    def _sign(self, who: str, expires: int) -> str:
        key = self._by_who[who].session_key
        return hmac.new(key, f"{who}|{expires}".encode(), hashlib.sha256).hexdigest()


# -- the middleware ----------------------------------------------------------------------


def is_public(path: str) -> bool:
    """Whether ``path`` skips the token check: a prefix ending in ``/`` covers everything under
    it; one without covers itself and its sub-paths (``/login``, not ``/loginx``)."""
    for prefix in PUBLIC_PREFIXES:
        if prefix.endswith("/"):
            if path.startswith(prefix):
                return True
        elif path == prefix or path.startswith(prefix + "/"):
            return True
    return False


def is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def bearer(request: web.Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header; "" for any other Authorization."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def authenticate(request: web.Request, tokens: Tokens) -> Viewer | None:
    """The request's viewer: by its bearer token when it sends an Authorization header (a
    wrong one is not rescued by a cookie), else by its session cookie."""
    presented = bearer(request)
    if presented is not None:
        return tokens.match(presented) if presented else None
    cookie = request.cookies.get(COOKIE)
    return tokens.session_viewer(cookie) if cookie else None


def _wants_page(request: web.Request) -> bool:
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and request.method in ("GET", "HEAD")


def refusal(request: web.Request, catalogue: Catalogue) -> web.StreamResponse:
    """401 (or, for a browser without any credential, a way to the login form)."""
    challenge = {"WWW-Authenticate": 'Bearer realm="samverkan"'}
    if is_api(request.path):
        return web.json_response({"error": "unauthorized"}, status=401, headers=challenge)
    if _wants_page(request) and "Authorization" not in request.headers:
        target = "/login?next=" + quote(request.path_qs, safe="")
        return web.HTTPSeeOther(target)
    return web.Response(status=401, text=catalogue("access.unauthorized"), headers=challenge)


def access_middleware(tokens: Tokens, catalogue: Catalogue) -> Middleware:
    @web.middleware
    async def access(request: web.Request, handler: Handler) -> web.StreamResponse:
        if is_public(request.path):
            return await handler(request)
        viewer = authenticate(request, tokens)
        if viewer is None:
            return refusal(request, catalogue)
        request[VIEWER] = viewer
        return await handler(request)

    return access


# -- login and logout ----------------------------------------------------------------------


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a local path only (never ``//host`` or a URL), and never
    back to the login form."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if is_public(target.split("?", 1)[0]) or any(ord(ch) < 32 for ch in target):
        return "/"
    return target


def login_page(catalogue: Catalogue, language: str, *, next_path: str, error: str | None) -> str:
    t = catalogue
    message = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    return (
        "<!doctype html>\n"
        f'<html lang="{html.escape(language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(t('access.login.title'))}</title></head>"
        f"<body><main><h1>{html.escape(t('access.login.heading'))}</h1>"
        f"<p>{html.escape(t('access.login.explain'))}</p>{message}"
        '<form method="post" action="/login">'
        f'<input type="hidden" name="next" value="{html.escape(next_path)}">'
        f'<label for="token">{html.escape(t("access.login.token"))}</label> '
        '<input id="token" name="token" type="password" autocomplete="current-password" '
        "required autofocus> "
        f'<button type="submit">{html.escape(t("access.login.submit"))}</button>'
        "</form></main></body></html>\n"
    )


class LoginRoutes:
    """``GET``/``POST /login`` and ``/logout``: the form, the cookie, and its removal."""

    def __init__(
        self, tokens: Tokens, catalogue: Catalogue, language: str, *, https: bool = False
    ) -> None:
        self.tokens = tokens
        self.catalogue = catalogue
        self.language = language
        #: People come over https (``[web] public_url``), though the TLS proxy in front of the
        #: bot talks plain http to it: the cookie is marked Secure all the same.
        self.https = https

    def setup(self, app: web.Application) -> None:
        app.router.add_get("/login", self.form)
        app.router.add_post("/login", self.submit)
        app.router.add_get("/logout", self.logout)
        app.router.add_post("/logout", self.logout)

    def _page(self, next_path: str, error: str | None = None, status: int = 200) -> web.Response:
        body = login_page(self.catalogue, self.language, next_path=next_path, error=error)
        return web.Response(text=body, content_type="text/html", status=status)

    async def form(self, request: web.Request) -> web.Response:
        return self._page(safe_next(request.query.get("next")))

    async def submit(self, request: web.Request) -> web.StreamResponse:
        data = await request.post()
        token, next_raw = data.get("token"), data.get("next")
        next_path = safe_next(next_raw if isinstance(next_raw, str) else None)
        if not isinstance(token, str) or not token.strip():
            return self._page(next_path, self.catalogue("access.login.missing"), status=400)
        viewer = self.tokens.match(token.strip())
        if viewer is None:
            return self._page(next_path, self.catalogue("access.login.wrong"), status=401)
        response = web.HTTPSeeOther(next_path)
        response.set_cookie(
            COOKIE,
            self.tokens.session_value(viewer),
            max_age=int(self.tokens.lifetime_s),
            path="/",
            httponly=True,
            samesite="Strict",
            secure=self.https or request.secure,
        )
        return response

    async def logout(self, request: web.Request) -> web.StreamResponse:
        response = web.HTTPSeeOther("/login")
        response.del_cookie(COOKIE, path="/")
        return response

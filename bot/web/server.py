"""The web application and its server: one aiohttp app, every route module mounted into it.

`build_app` makes the `web.Application`: the services and the bot's health under their keys, the
access middleware in front of everything, security headers on every response, and the routes of
each module in `ROUTE_MODULES`. `WebServer` runs it on ``[web] host``/``port`` next to the bot
(started and stopped by `bot.app.App`).

To mount a route module, give it ``setup(app: web.Application) -> None`` and add that function to
`ROUTE_MODULES`; route modules find what they need under the keys of `bot.web.keys`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping

from aiohttp import web

from bot.services import Services
from bot.web import (
    ack_link,
    api,
    calendar,
    dashboard,
    health,
    hooks,
    journal,
    metrics,
    report_link,
)
from bot.web.access import LoginRoutes, Tokens, access_middleware, is_public
from bot.web.keys import HEALTH, SERVICES, HealthSource

log = logging.getLogger(__name__)

#: The route modules' ``setup`` functions, mounted in this order.
ROUTE_MODULES: tuple[Callable[[web.Application], None], ...] = (
    api.setup,
    health.setup,
    metrics.setup,
    calendar.setup,
    dashboard.setup,
    hooks.setup,
    report_link.setup,
    ack_link.setup,
    journal.setup,
)

#: Sent with every response, errors and static files included; a route may set its own value.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if not is_public(request.path):
        # What is behind the token must not stay in a shared or back-button cache.
        response.headers.setdefault("Cache-Control", "no-store")


def build_app(
    services: Services,
    health: HealthSource,
    *,
    environ: Mapping[str, str] | None = None,
    route_modules: tuple[Callable[[web.Application], None], ...] = ROUTE_MODULES,
) -> web.Application:
    """The application for ``services``; raises `bot.config.ConfigError` (naming the variable)
    when the web token or a configured actor token is missing."""
    settings = services.settings
    tokens = Tokens.from_settings(settings, os.environ if environ is None else environ)
    app = web.Application(
        middlewares=[access_middleware(tokens, services.catalogue)],
        client_max_size=1024 * 1024,
    )
    app[SERVICES] = services
    app[HEALTH] = health
    app.on_response_prepare.append(_security_headers)
    https = (settings.web.public_url or "").startswith("https://")
    LoginRoutes(tokens, services.catalogue, settings.bot.language, https=https).setup(app)
    for setup in route_modules:
        setup(app)
    return app


class WebServer:
    """Runs an application on a host and port until stopped."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.requested_port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        runner = web.AppRunner(self.app, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.requested_port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        log.info("web listening on http://%s:%s", self.host, self.port)

    @property
    def port(self) -> int:
        """The bound port (the requested one, or the one chosen when 0 was asked for)."""
        if self._runner is not None:
            for address in self._runner.addresses:
                if isinstance(address, tuple) and len(address) >= 2:
                    return int(address[1])
        return self.requested_port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

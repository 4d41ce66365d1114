"""What the web application carries, and who a request is made by.

Route modules each expose ``setup(app)`` and find the services under `SERVICES`; the access
middleware puts the `Viewer` of each request under `VIEWER`.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from bot.services import Services


@dataclass(frozen=True)
class Viewer:
    """Who is looking. `actor` is None for the full token, which sees everything; an actor's
    read token sees only what that actor's members may see in chat."""

    actor: str | None = None

    @property
    def full(self) -> bool:
        return self.actor is None


SERVICES = web.AppKey("services", Services)
#: Request key of the `Viewer`, set by the access middleware.
VIEWER = "viewer"
#: Paths that carry their own proof instead of the web token: the health probe (for container
#: health checks), webhooks (HMAC of the body), report links (signed per actor and round), the
#: login form and static files.
PUBLIC_PREFIXES = ("/healthz", "/hooks/", "/r/", "/login", "/static/")

"""What the web application carries, and who a request is made by.

Route modules each expose ``setup(app)`` and find the services under `SERVICES`; the access
middleware puts the `Viewer` of each request under `VIEWER`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

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


class HealthSource(Protocol):
    """What the health probe asks the running bot (implemented by `bot.app.App`)."""

    def last_sync_age(self) -> float | None:
        """Seconds since the last successful /sync; None before the first one."""

    async def db_ok(self) -> bool:
        """Whether the database answers a trivial query (within a few seconds)."""

    def scheduler_running(self) -> bool:
        """Whether the job scheduler runs."""


SERVICES = web.AppKey("services", Services)
#: The running bot's health, for /healthz.
HEALTH: web.AppKey[HealthSource] = web.AppKey("health")
#: Request key of the `Viewer`, set by the access middleware.
VIEWER = web.RequestKey("viewer", Viewer)
#: Paths that carry their own proof instead of the web token: the health probe (for container
#: health checks), webhooks (HMAC of the body), report links (signed per actor and round), the
#: login form and static files.
PUBLIC_PREFIXES = ("/healthz", "/hooks/", "/r/", "/a/", "/login", "/logout", "/static/")


def path_id(request: web.Request) -> int:
    """The number in the path's ``{id}``; anything else is refused with 400, in the bot's
    language, saying what the address should end with."""
    raw = request.match_info["id"]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise web.HTTPBadRequest(text=request.app[SERVICES].catalogue("web.bad_id", value=raw))
    return int(raw)


def viewer_of(request: web.Request) -> Viewer:
    """The request's `Viewer`, set by the access middleware. A public path has none (nobody
    was checked), so asking there is refused with 401 rather than guessed."""
    found = request.get(VIEWER)
    if not isinstance(found, Viewer):
        raise web.HTTPUnauthorized(text="no viewer: this path is not behind the access check")
    return found

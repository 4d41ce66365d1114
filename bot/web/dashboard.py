"""The dashboard's routes: the overview, a page per meeting and activation, the issue list.

``setup(app)`` mounts them and the static files under ``/static/``. Each handler asks the read
model for what the request's viewer may see (an actor's read token sees only what that actor's
members see in chat), renders it with `bot.web.pages.Pages` and answers HTML. Query options,
on every page:

* ``wall=1``: large type for a wall screen, every picture open;
* ``refresh=N``: the overview refreshes its live section every N seconds (2–600) while a forum
  is activated, four times as slowly otherwise (default 15 s and 60 s).

Something that does not exist and something the viewer may not see get the same 404, so a page
never tells an actor's token what is behind it.
"""

from __future__ import annotations

from datetime import datetime

from aiohttp import web

from bot.services.readmodel import ReadModel
from bot.web.keys import SERVICES, path_id, viewer_of
from bot.web.pages import STATIC, Display, Overview, Pages

__all__ = ["PAGES", "REFRESH_RANGE", "setup"]

REFRESH_RANGE = (2, 600)
"""Seconds between refreshes a page may ask for with ``?refresh=``."""
HTML = "text/html"

PAGES: web.AppKey[Pages] = web.AppKey("dashboard_pages", Pages)


def _page(text: str) -> web.Response:
    return web.Response(text=text, content_type=HTML, charset="utf-8")


class Dashboard:
    """The handlers; the pages and the read model are looked up on the app per request."""

    def __init__(self, app: web.Application) -> None:
        self.app = app

    @property
    def pages(self) -> Pages:
        return self.app[PAGES]

    def now(self) -> datetime:
        return self.app[SERVICES].clock.now()

    @property
    def readmodel(self) -> ReadModel:
        found = self.app[SERVICES].readmodel
        if found is None:  # only where Services are built by hand without a database
            raise web.HTTPServiceUnavailable(text="the read model is not wired")
        return found

    def display(self, request: web.Request) -> Display:
        """The display options of the request; a malformed refresh is refused saying what
        works."""
        wall = request.query.get("wall", "").casefold() in ("1", "true", "yes", "ja")
        raw = request.query.get("refresh")
        if raw is None:
            return Display(wall=wall)
        low, high = REFRESH_RANGE
        if not (raw.isascii() and raw.isdigit() and low <= int(raw) <= high):
            raise web.HTTPBadRequest(
                text=self.pages.t("web.bad_refresh", value=raw, low=low, high=high)
            )
        return Display(wall=wall, refresh_s=int(raw))

    def not_found(self, request: web.Request, display: Display, key: str, number: int) -> None:
        t = self.pages.t
        text = self.pages.message(
            t("web.not_found.title"), t(key, id=number), display, request.path, self.now()
        )
        raise web.HTTPNotFound(text=text, content_type=HTML)

    async def overview_data(self, request: web.Request) -> Overview:
        viewer = viewer_of(request)
        forums = await self.readmodel.forums(viewer)
        readiness = await self.readmodel.readiness(viewer)
        levels = self.app[SERVICES].settings.reports.readiness_levels
        # Activated forums first: on a wall screen they are what people look for.
        ordered = sorted(forums, key=lambda view: not view.activated)
        duty = tuple(self.app[SERVICES].duty.lines())
        return Overview(tuple(ordered), tuple(readiness), tuple(levels), duty)

    async def overview(self, request: web.Request) -> web.Response:
        display = self.display(request)
        data = await self.overview_data(request)
        return _page(self.pages.overview(data, display, self.now()))

    async def overview_fragment(self, request: web.Request) -> web.Response:
        display = self.display(request)
        data = await self.overview_data(request)
        return _page(self.pages.overview_fragment(data, display, self.now()))

    async def meeting(self, request: web.Request) -> web.Response:
        display = self.display(request)
        number = path_id(request)
        detail = await self.readmodel.meeting(viewer_of(request), number)
        if detail is None:
            self.not_found(request, display, "web.not_found.meeting", number)
        assert detail is not None
        return _page(self.pages.meeting(detail, display, self.now()))

    async def activation(self, request: web.Request) -> web.Response:
        display = self.display(request)
        number = path_id(request)
        detail = await self.readmodel.activation(viewer_of(request), number)
        if detail is None:
            self.not_found(request, display, "web.not_found.activation", number)
        assert detail is not None
        return _page(self.pages.activation(detail, display, self.now()))

    async def issues(self, request: web.Request) -> web.Response:
        display = self.display(request)
        found = await self.readmodel.issues(viewer_of(request), include_closed=True)
        return _page(self.pages.issues(found, display, self.now()))


def setup(app: web.Application) -> None:
    """Mounts the dashboard's pages and ``/static/``."""
    services = app[SERVICES]
    app[PAGES] = Pages(services.catalogue, services.settings.zone)
    routes = Dashboard(app)
    app.router.add_get("/", routes.overview, name="overview")
    app.router.add_get("/fragments/overview", routes.overview_fragment)
    app.router.add_get("/meetings/{id}", routes.meeting)
    app.router.add_get("/activations/{id}", routes.activation)
    app.router.add_get("/issues", routes.issues)
    app.router.add_static("/static/", STATIC, name="static")

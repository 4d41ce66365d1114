"""``/metrics``: the bot's Prometheus metrics (see `bot.observability.metrics` for the list).

Behind the web token like every page (a scraper sends ``Authorization: Bearer``), and only for
the full token: the figures cover every forum, more than an actor's read token may see. The
database figures are read at each scrape through `bot.services.status`.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.observability import metrics
from bot.web.keys import SERVICES, viewer_of

log = logging.getLogger(__name__)

PATH = "/metrics"


async def scrape(request: web.Request) -> web.Response:
    if not viewer_of(request).full:
        raise web.HTTPForbidden(text="the metrics need the full web token, not an actor's token")
    status = request.app[SERVICES].status
    try:
        if status is None:
            raise RuntimeError("no status service wired")
        metrics.set_figures(await status.figures())
    except Exception:  # the rest is still worth scraping; the gauges say they are unknown
        log.warning("metrics: could not read the figures from the database", exc_info=True)
        metrics.clear_figures()
    return web.Response(body=metrics.exposition(), headers={"Content-Type": metrics.CONTENT_TYPE})


def setup(app: web.Application) -> None:
    app.router.add_get(PATH, scrape)

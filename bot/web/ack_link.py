"""``/a/<token>``: the acknowledgement link of an alert e-mail (`bot.services.alert_mail`).

A public path: the signed token is the proof. ``GET`` only shows what the link acknowledges
and a button (mail scanners open links to look at them, so a GET must change nothing); the
``POST`` of that button acknowledges as ``!ack`` would. A forged link is answered 403; an
expired one, or one whose place is acknowledged already (by the link or any other way), 410.
Pages as those of report links: the bot's language, no script, not cached, no referrer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.domain.link_tokens import LinkRefused
from bot.render.catalogue import Catalogue
from bot.render.report_form import render_confirm, render_message
from bot.render.times import when
from bot.services.alert_mail import AckLink, AlertMail
from bot.web.keys import SERVICES
from bot.web.report_link import link_page, refused_page

__all__ = ["setup"]

#: What a request does with the link's token: look at it, or acknowledge with it.
Use = Callable[[AlertMail, str], Awaitable[AckLink]]
#: The page for a link that worked.
Page = Callable[[AlertMail, Catalogue, AckLink], str]


async def _answer(request: web.Request, use: Use, page: Page) -> web.Response:
    services = request.app[SERVICES]
    links, t = services.alert_mail, services.catalogue
    try:
        if links is None:  # no mail configured: no link of ours can exist
            raise LinkRefused("forged")
        link = await use(links, request.match_info["token"])
    except LinkRefused as refusal:
        return refused_page(t, refusal, "ack")
    return link_page(page(links, t, link))


def _confirm(links: AlertMail, t: Catalogue, link: AckLink) -> str:
    moment = when(t, link.created_at, links.settings.zone)
    body = t("ack.page.body", function=link.function, time=moment)
    title = t("ack.page.title", id=link.alert_id)
    return render_confirm(t, title, [body], t("ack.page.button"))


def _done(links: AlertMail, t: Catalogue, link: AckLink) -> str:
    body = t("ack.done.body", id=link.alert_id, user=link.user_id)
    return render_message(t, t("ack.done.title"), [body])


async def show(request: web.Request) -> web.Response:
    return await _answer(request, AlertMail.open_link, _confirm)


async def acknowledge(request: web.Request) -> web.Response:
    return await _answer(request, AlertMail.acknowledge, _done)


def setup(app: web.Application) -> None:
    app.router.add_get("/a/{token}", show)
    app.router.add_post("/a/{token}", acknowledge)

"""``/a/<token>``: the acknowledgement link of an alert e-mail (`bot.services.alert_mail`).

A public path: the signed token is the proof. ``GET`` only shows what the link acknowledges
and a button (mail scanners open links to look at them, so a GET must change nothing); the
``POST`` of that button acknowledges as ``!ack`` would. A forged link is answered 403; an
expired one, or one whose place is acknowledged already (by the link or any other way), 410.
Pages as those of report links: the bot's language, no script, not cached, no referrer.
"""

from __future__ import annotations

from aiohttp import web

from bot.render.catalogue import Catalogue
from bot.render.report_form import render_confirm, render_message
from bot.render.times import when
from bot.services.alert_mail import AckLinkRefused, AlertMail
from bot.web.keys import SERVICES
from bot.web.report_link import link_page

__all__ = ["setup"]

_REFUSAL_STATUS = {"forged": 403, "expired": 410, "used": 410}


def _parts(request: web.Request) -> tuple[AlertMail | None, Catalogue]:
    services = request.app[SERVICES]
    return services.alert_mail, services.catalogue


def _refused(t: Catalogue, refusal: AckLinkRefused) -> web.Response:
    kind = refusal.kind
    text = render_message(t, t(f"ack.error.{kind}.title"), [t(f"ack.error.{kind}.body")])
    return link_page(text, _REFUSAL_STATUS[kind])


async def show(request: web.Request) -> web.Response:
    links, t = _parts(request)
    if links is None:
        return _refused(t, AckLinkRefused("forged"))
    try:
        link = await links.open_link(request.match_info["token"])
    except AckLinkRefused as refusal:
        return _refused(t, refusal)
    moment = when(t, link.created_at, links.settings.zone)
    body = t("ack.page.body", function=link.function, time=moment)
    title = t("ack.page.title", id=link.alert_id)
    return link_page(render_confirm(t, title, [body], t("ack.page.button")))


async def acknowledge(request: web.Request) -> web.Response:
    links, t = _parts(request)
    if links is None:
        return _refused(t, AckLinkRefused("forged"))
    try:
        link = await links.acknowledge(request.match_info["token"])
    except AckLinkRefused as refusal:
        return _refused(t, refusal)
    body = t("ack.done.body", id=link.alert_id, user=link.user_id)
    return link_page(render_message(t, t("ack.done.title"), [body]))


def setup(app: web.Application) -> None:
    app.router.add_get("/a/{token}", show)
    app.router.add_post("/a/{token}", acknowledge)

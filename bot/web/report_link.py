"""``/r/<token>``: the web form of a report link (`bot.services.report_links`).

A public path (`bot.web.keys.PUBLIC_PREFIXES`): the signed token is the proof, not the web token.
``GET`` shows the form with a fresh one-time nonce; ``POST`` stores the report once per nonce.
A forged link is answered 403, an expired one (or its meeting over) 410, a form that does not
belong to the link 403, a report that cannot be taken 422 with the form and what was typed;
every page in the bot's language, with no script, not cached and not sent on as a referrer (the
token is in the URL).
"""

from __future__ import annotations

from aiohttp import web

from bot.domain.link_tokens import LinkRefused
from bot.domain.reports import FIELDS, ReportError
from bot.render.catalogue import Catalogue
from bot.render.report_form import form_fields, render_form, render_message
from bot.render.times import clock, when
from bot.services.report_links import LinkContext, ReportLinks
from bot.web.keys import SERVICES

__all__ = ["PAGE_HEADERS", "link_page", "refused_page", "setup"]

#: On every page of a link, over the server's defaults: inline style only, posts only to itself.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex, nofollow",
}

_REFUSAL_STATUS = {"forged": 403, "stale_form": 403, "expired": 410, "used": 410}


def link_page(text: str, status: int = 200) -> web.Response:
    """A page of a link (report or acknowledgement): HTML with `PAGE_HEADERS`."""
    return web.Response(
        text=text, status=status, content_type="text/html", charset="utf-8", headers=PAGE_HEADERS
    )


def _parts(request: web.Request) -> tuple[ReportLinks | None, Catalogue]:
    services = request.app[SERVICES]
    return services.report_links, services.catalogue


def refused_page(t: Catalogue, refusal: LinkRefused, prefix: str = "link") -> web.Response:
    """Why a link does not work, as its page: 403 for a link or form not made by the bot, 410
    for one that did work once. `prefix` is the link's family in the catalogue (``link`` for
    report links, ``ack`` for acknowledgement links)."""
    kind = refusal.kind
    title, body = t(f"{prefix}.error.{kind}.title"), t(f"{prefix}.error.{kind}.body")
    return link_page(render_message(t, title, [body]), _REFUSAL_STATUS[kind])


def _form(
    links: ReportLinks,
    t: Catalogue,
    context: LinkContext,
    nonce: str,
    values: dict[str, str],
    problem: str | None = None,
) -> str:
    zone = links.settings.zone
    notes = []
    if context.deadline_at is not None:
        notes.append(t("link.form.deadline", time=clock(context.deadline_at, zone)))
    notes.append(t("link.form.expires", time=when(t, context.claim.expires_at, zone)))
    return render_form(
        t,
        title=t("link.form.title", actor=context.actor.name),
        intro=t("link.form.intro", forum=context.forum.name, meeting=context.meeting_label),
        notes=notes,
        fields=form_fields(t, links.settings.reports.readiness_levels, values),
        nonce=nonce,
        problem=t("link.form.problem", reason=problem) if problem else None,
    )


async def show(request: web.Request) -> web.Response:
    links, t = _parts(request)
    if links is None:
        return refused_page(t, LinkRefused("forged"))
    token = request.match_info["token"]
    try:
        context = await links.open(token)
    except LinkRefused as refusal:
        return refused_page(t, refusal)
    return link_page(_form(links, t, context, links.nonce(token), {}))


async def submit(request: web.Request) -> web.Response:
    links, t = _parts(request)
    if links is None:
        return refused_page(t, LinkRefused("forged"))
    token = request.match_info["token"]
    form = await request.post()
    nonce = form.get("nonce")
    values = {name: value for name in FIELDS if isinstance(value := form.get(name), str)}
    try:
        sent = await links.submit(token, nonce if isinstance(nonce, str) else "", values)
    except LinkRefused as refusal:
        return refused_page(t, refusal)
    except ReportError as problem:
        try:
            context = await links.open(token)
        except LinkRefused as refusal:
            return refused_page(t, refusal)
        reason = t(problem.key, **problem.values)
        return link_page(_form(links, t, context, str(nonce), values, reason), 422)
    context = sent.context
    if not sent.stored:
        return link_page(render_message(t, t("link.already.title"), [t("link.already.body")]))
    lines = [
        t(
            "link.done.body",
            actor=context.actor.name,
            forum=context.forum.name,
            meeting=context.meeting_label,
        )
    ]
    if sent.replaced:
        lines.append(t("link.done.replaced"))
    lines.append(t("link.done.again"))
    return link_page(render_message(t, t("link.done.title"), lines))


def setup(app: web.Application) -> None:
    app.router.add_get("/r/{token}", show)
    app.router.add_post("/r/{token}", submit)

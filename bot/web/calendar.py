"""``/calendar.ics``: upcoming meetings of the scheduled forums, to subscribe to in a calendar.

``?forum=ID`` narrows it to one forum; ``?roster=FUNCTION`` gives a duty roster's shifts instead.
The feed is behind the web token like every page, but a
calendar app cannot send an ``Authorization`` header, so for this path only the token may also
come as ``?token=``: `query_token_middleware` (placed in front of the access check) turns it into
a bearer header, and the access check compares it in constant time as it does any token. The
query parameter is dropped before the handler sees the request; it still travels in the URL, so
serve the web over TLS, and the log redaction (`bot.observability.logs`) hides it in access logs.
"""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import hdrs, web
from aiohttp.typedefs import Handler
from multidict import CIMultiDict, MultiDict

from bot.render.ics import calendar_ics, upcoming_meetings
from bot.render.roster_ics import HORIZON_SHIFTS, roster_ics
from bot.web.keys import SERVICES

PATH = "/calendar.ics"
CONTENT_TYPE = "text/calendar; charset=utf-8"


@web.middleware
async def query_token_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """For `PATH` only: ``?token=T`` counts as ``Authorization: Bearer T`` (a header, if one
    was sent, wins). Must run before the access middleware."""
    if request.path != PATH or "token" not in request.query:
        return await handler(request)
    query = MultiDict(request.query)
    token = query.popall("token")[0]
    headers = CIMultiDict(request.headers)
    headers.setdefault(hdrs.AUTHORIZATION, f"Bearer {token}")
    return await handler(request.clone(headers=headers, rel_url=request.rel_url.with_query(query)))


async def calendar(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    settings, t = services.settings, services.catalogue
    if "roster" in request.query:
        return roster_calendar(request, request.query["roster"])
    scheduled = services.forums.scheduled()
    wanted = request.query.get("forum")
    name = t("ics.name")
    if wanted is not None:
        forum = services.forums.find(wanted)
        known = ", ".join(f.id for f in scheduled) or "–"
        if forum is None:
            raise web.HTTPNotFound(text=t("ics.unknown_forum", forum=wanted, known=known))
        if forum not in scheduled:
            raise web.HTTPNotFound(text=t("ics.unscheduled_forum", forum=forum.name, known=known))
        scheduled = [forum]
        name = t("ics.name.forum", forum=forum.name)
    now = datetime.now(UTC)
    with_triggers = [
        (forum, trigger)
        for forum in scheduled
        if (trigger := forum.trigger(settings.zone)) is not None
    ]
    body = calendar_ics(
        upcoming_meetings(with_triggers, now),
        name=name,
        zone=settings.zone,
        domain=settings.matrix.user_id.split(":", 1)[1],
        t=t,
        now=now,
    )
    return web.Response(body=body, headers={hdrs.CONTENT_TYPE: CONTENT_TYPE})


def roster_calendar(request: web.Request, function: str) -> web.Response:
    """`?roster=FUNCTION`: the roster's coming shifts and overrides."""
    services = request.app[SERVICES]
    settings, t, duty = services.settings, services.catalogue, services.duty
    rotation = duty.rotations.get(function.casefold())
    roster = settings.roster(function.casefold())
    if rotation is None or roster is None:
        known = ", ".join(sorted(duty.rotations)) or "–"
        raise web.HTTPNotFound(text=t("ics.unknown_roster", function=function, known=known))
    now = datetime.now(UTC)
    shifts = rotation.shifts_from(now, HORIZON_SHIFTS)
    actor = settings.actor(roster.actor)
    body = roster_ics(
        roster.function,
        actor.name if actor else roster.actor,
        shifts,
        [o for o in duty.overrides if o.function == roster.function and o.ends_at > now],
        zone=settings.zone,
        domain=settings.matrix.user_id.split(":", 1)[1],
        t=t,
        now=now,
    )
    return web.Response(body=body, headers={hdrs.CONTENT_TYPE: CONTENT_TYPE})


def setup(app: web.Application) -> None:
    # In front of the access check, so the token from the query is checked like any other.
    app.middlewares.insert(0, query_token_middleware)
    app.router.add_get(PATH, calendar)

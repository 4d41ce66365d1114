"""The stabsjournal on the web: ``/meetings/{id}/journal`` and ``/activations/{id}/journal``
(HTML), with ``.pdf`` (the same document printed) and ``.zip`` (the JSON archive with its
manifest of checksums). The access rules of the web view apply: a meeting or activation the
viewer may not see is "not found", like one that never existed."""

from __future__ import annotations

from aiohttp import web

from bot.domain.journal import JournalRecord
from bot.render.journal import ARCHIVE_MIMETYPE, PDF_MIMETYPE, file_stem, journal_html
from bot.web.keys import SERVICES, path_id, viewer_of

__all__ = ["setup"]


async def _record(request: web.Request, scope: str) -> JournalRecord:
    services = request.app[SERVICES]
    number = path_id(request)
    readmodel, journal = services.readmodel, services.journal
    if readmodel is None or journal is None:
        raise web.HTTPServiceUnavailable(text="the journal is not wired")
    viewer = viewer_of(request)
    if scope == "meeting":
        visible = await readmodel.meeting(viewer, number) is not None
        record = await journal.of_meeting(number) if visible else None
    else:
        visible = await readmodel.activation(viewer, number) is not None
        record = await journal.of_activation(number) if visible else None
    if record is None:
        raise web.HTTPNotFound(text=services.catalogue(f"web.not_found.{scope}", id=number))
    return record


def _file(data: bytes, mimetype: str, name: str) -> web.Response:
    return web.Response(
        body=data,
        content_type=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


def _routes(scope: str) -> tuple[web.RouteDef, ...]:
    async def page(request: web.Request) -> web.Response:
        record = await _record(request, scope)
        services = request.app[SERVICES]
        html = journal_html(
            services.catalogue, services.settings.zone, record, services.clock.now()
        )
        return web.Response(text=html, content_type="text/html", charset="utf-8")

    async def pdf(request: web.Request) -> web.Response:
        record = await _record(request, scope)
        journal = request.app[SERVICES].journal
        assert journal is not None
        return _file(await journal.pdf(record), PDF_MIMETYPE, f"{file_stem(record)}.pdf")

    async def archive(request: web.Request) -> web.Response:
        record = await _record(request, scope)
        journal = request.app[SERVICES].journal
        assert journal is not None
        return _file(journal.archive(record), ARCHIVE_MIMETYPE, f"{file_stem(record)}.zip")

    base = f"/{scope}s/{{id}}/journal"
    return (
        web.get(base, page),
        web.get(f"{base}.pdf", pdf),
        web.get(f"{base}.zip", archive),
    )


def setup(app: web.Application) -> None:
    app.router.add_routes([*_routes("meeting"), *_routes("activation")])

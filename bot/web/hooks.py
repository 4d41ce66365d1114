"""``POST /hooks/{name}``: events in by webhook, signed with HMAC-SHA256 of the body.

A public path (`bot.web.keys.PUBLIC_PREFIXES`): the signature is the proof, not the web token.
The contract for senders (README, "Warnings in by webhook"):

* ``X-Samverkan-Signature: sha256=<hex>``, HMAC-SHA256 of the raw body with the source's secret;
* optionally ``X-Samverkan-Timestamp: <unix seconds>``, then the MAC is over
  ``<timestamp>.<body>`` and the call must arrive within 5 minutes;
* optionally ``X-Samverkan-Delivery: <id>``, logged to trace the call.

Answers are JSON: ``202 {"status": "posted", ...}``, ``200 {"status": "duplicate", ...}`` for a
body already posted, or a 4xx/503 ``{"error": code, "reason": how to do it right}``.
"""

from __future__ import annotations

from aiohttp import web

from bot.domain.hook_signature import DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER
from bot.services.webhooks import HookRejected, WebhookService
from bot.web.keys import SERVICES

__all__ = ["STATUS", "setup"]

#: HTTP status of each refusal; every other code is about the signature (401).
STATUS = {
    "unknown_source": 404,
    "too_large": 413,
    "malformed_json": 400,
    "template_mismatch": 422,
    "not_configured": 503,
    "no_room": 503,
}
_CHUNK = 16 * 1024


async def _read_at_most(request: web.Request, limit: int) -> bytes:
    """The body, or its first ``limit + 1`` bytes when it is longer: enough to refuse it
    without reading (or holding) more than the source allows. Nothing is read when the
    declared length is already too long."""
    if request.content_length is not None and request.content_length > limit:
        return b""
    data = bytearray()
    while len(data) <= limit:
        chunk = await request.content.read(min(_CHUNK, limit + 1 - len(data)))
        if not chunk:
            break
        data += chunk
    return bytes(data)


def _refused(refusal: HookRejected) -> web.Response:
    return web.json_response(
        {"error": refusal.code, "reason": refusal.reason},
        status=STATUS.get(refusal.code, 401),
    )


async def receive(request: web.Request) -> web.Response:
    service: WebhookService | None = request.app[SERVICES].webhooks
    name = request.match_info["name"]
    try:
        if service is None:
            raise HookRejected("unknown_source", "this bot takes no webhooks")
        body = b""
        hook = service.settings.webhook_source(name)
        if hook is not None:
            body = await _read_at_most(request, hook.max_body)
        outcome = await service.receive(
            name,
            body,
            signature=request.headers.get(SIGNATURE_HEADER),
            timestamp=request.headers.get(TIMESTAMP_HEADER),
            delivery=request.headers.get(DELIVERY_HEADER),
            declared_size=request.content_length,
        )
    except HookRejected as refusal:
        return _refused(refusal)
    return web.json_response(
        {
            "status": outcome.status,
            "digest": outcome.digest,
            "proposed_activation": outcome.proposed,
        },
        status=202 if outcome.status == "posted" else 200,
    )


def setup(app: web.Application) -> None:
    app.router.add_post("/hooks/{name}", receive)

"""Events in by webhook (an SMHI weather warning, a police or SOS Alarm system): a signed call
posts the event into its forum's room and, for a source that proposes activation, pings the
activators with a ready ``!activate`` suggestion.

A call is taken in this order, and the first thing wrong refuses it with its reason and posts
nothing: the source exists; the body is not too large; the source has its secret; the
signature (and timestamp) proves the body; the body is JSON; it fits the source's template.
Everything a call posts is added to the outbox in one transaction under a key derived from the
body's hash, so a sender that retries (or a replayed call) posts nothing twice.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.config import DEFAULT_WEBHOOK_SECRET_ENV, Settings, WebhookSourceConfig
from bot.domain.hook_signature import SignatureError, body_digest, verify
from bot.domain.hook_template import TemplateMismatch, TemplateSyntaxError, parse_template
from bot.render.webhook import activation_proposal, hook_event, suggested_reason
from bot.services.core import Core, Service
from bot.services.duty import Duty
from bot.services.forums import Forums
from bot.services.outbox import ROUTINE, Outbox
from storage import audit
from storage import outbox as outbox_rows

log = logging.getLogger(__name__)

__all__ = ["HookOutcome", "HookRejected", "WebhookService", "webhook_secrets"]


class HookRejected(Exception):
    """A call that is refused: ``code`` says which rule (the web maps it to a status), and
    ``reason`` tells the sender how to do it right. Never contains the secret."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class HookOutcome:
    status: Literal["posted", "duplicate"]
    #: SHA-256 of the body: the event's identity, what the sender can quote to trace it.
    digest: str
    proposed: bool = False


def webhook_secrets(settings: Settings, environ: Mapping[str, str]) -> dict[str, bytes | None]:
    """Each source's secret from the environment variable it names (None when unset).

    ``SAMVERKAN_WEBHOOK__SECRET``, the default, is also read by the settings (``webhook.secret``),
    which is where a test's or an embedding's overrides put it."""
    found: dict[str, bytes | None] = {}
    for hook in settings.webhooks:
        value = environ.get(hook.secret_env)
        if not value and hook.secret_env == DEFAULT_WEBHOOK_SECRET_ENV and settings.webhook.secret:
            value = settings.webhook.secret.get_secret_value()
        found[hook.name] = value.encode() if value else None
    return found


def _printable(value: str | None, limit: int = 80) -> str:
    """A header value as it may appear in a log line (the sender controls it)."""
    if value is None:
        return "-"
    return repr(value[:limit])


class WebhookService(Service):
    def __init__(
        self,
        core: Core,
        outbox: Outbox,
        forums: Forums,
        secrets: Mapping[str, bytes | None],
        duty: Duty,
    ) -> None:
        super().__init__(core)
        self.duty = duty
        self.outbox = outbox
        self.forums = forums
        self._secrets = dict(secrets)
        self._templates = {
            hook.name: parse_template(hook.template) for hook in self.settings.webhooks
        }
        for hook in self.settings.webhooks:
            if self._secrets.get(hook.name) is None:
                log.error(
                    "webhook %s has no secret: set %s in the environment; its calls are refused",
                    hook.name,
                    hook.secret_env,
                )

    def source(self, name: str) -> WebhookSourceConfig:
        hook = self.settings.webhook_source(name)
        if hook is None:
            raise HookRejected(
                "unknown_source",
                f"no webhook source {name!r}; the sources are declared under [[webhooks]]",
            )
        return hook

    async def receive(
        self,
        name: str,
        body: bytes,
        *,
        signature: str | None,
        timestamp: str | None = None,
        delivery: str | None = None,
        declared_size: int | None = None,
        now: datetime | None = None,
    ) -> HookOutcome:
        """Takes one call; `HookRejected` says why nothing was posted. `declared_size` is the
        request's Content-Length, when the body was not read because it was already too long."""
        size = max(len(body), declared_size or 0)
        try:
            return await self._receive(name, body, size, signature, timestamp, delivery, now)
        except HookRejected as refused:
            log.warning(
                "webhook %s refused (%s): %s [delivery %s, %d bytes]",
                _printable(name, 64),
                refused.code,
                refused.reason,
                _printable(delivery),
                size,
            )
            raise

    async def _receive(
        self,
        name: str,
        body: bytes,
        size: int,
        signature: str | None,
        timestamp: str | None,
        delivery: str | None,
        now: datetime | None,
    ) -> HookOutcome:
        hook = self.source(name)
        if size > hook.max_body:
            raise HookRejected(
                "too_large",
                f"the body is larger than {hook.max_body} bytes, the most this source takes",
            )
        secret = self._secrets.get(hook.name)
        if secret is None:
            raise HookRejected(
                "not_configured",
                "the bot has no secret for this source yet; its administrator sets "
                f"{hook.secret_env} in the environment",
            )
        try:
            verify(
                secret,
                body,
                signature,
                timestamp,
                now=now or self.clock.now(),
                require_timestamp=hook.require_timestamp,
            )
        except SignatureError as wrong:
            raise HookRejected(wrong.code, wrong.reason) from None
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as bad:
            raise HookRejected(
                "malformed_json", f"the body is not JSON in UTF-8 ({bad}); send a JSON object"
            ) from None
        try:
            text = self._templates[hook.name].render(data)
        except TemplateMismatch as mismatch:
            raise HookRejected(
                "template_mismatch",
                "the body does not fit this source's template: " + "; ".join(mismatch.problems),
            ) from None
        except TemplateSyntaxError as broken:  # parsed at start, so only if the config changed
            raise HookRejected("template_mismatch", str(broken)) from None
        if not text:
            raise HookRejected("template_mismatch", "the template gives an empty message")
        digest = body_digest(body)
        outcome = await self._post(hook, text, digest, delivery)
        log.info(
            "webhook %s: %s in forum %s [delivery %s, body %s]",
            hook.name,
            outcome.status,
            hook.forum,
            _printable(delivery),
            digest[:16],
        )
        return outcome

    async def _post(
        self, hook: WebhookSourceConfig, text: str, digest: str, delivery: str | None
    ) -> HookOutcome:
        forum = self.settings.forum(hook.forum)
        room_id = await self.forums.room_of(forum) if forum is not None else None
        if forum is None or room_id is None:
            raise HookRejected(
                "no_room",
                f"the bot cannot reach the room of forum {hook.forum!r} now; send again later",
            )
        key = f"hook:{hook.name}:{digest}"
        async with self.db.session() as session:
            if await outbox_rows.find_by_dedupe_key(session, key) is not None:
                return HookOutcome("duplicate", digest)
            source = hook.label
            await self.outbox.add(
                session, room_id, hook_event(self.t, source, text), dedupe_key=key, priority=ROUTINE
            )
            proposed = False
            target = self.settings.forum(hook.proposed_forum)
            if hook.propose_activation and target is not None:
                activators = self._activators(target.activators)
                content = activation_proposal(
                    self.t,
                    source=source,
                    forum_name=target.name,
                    forum_id=target.id,
                    reason=suggested_reason(text),
                    activators=activators,
                )
                await self.outbox.add(
                    session, room_id, content, dedupe_key=f"{key}:propose", priority=ROUTINE
                )
                proposed = True
            await audit.record(
                session,
                at=self.clock.now(),
                actor=f"webhook:{hook.name}",
                action="webhook.posted",
                subject=f"forum:{hook.forum}",
                details={
                    "digest": digest,
                    "delivery": delivery[:200] if delivery else None,
                    "proposed": proposed,
                },
            )
            await session.commit()
        self.outbox.wake({room_id})
        return HookOutcome("posted", digest, proposed)

    def _activators(self, functions: list[str]) -> list[str]:
        """Everyone holding one of the forum's activator functions; the admins if nobody."""
        users: list[str] = []
        for function in functions:
            users += [u for u in self.duty.holders(function) if u not in users]
        return users or list(self.duty.directory.admins)

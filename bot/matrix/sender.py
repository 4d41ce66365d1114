"""The one way out: sends the outbox's rows, each exactly once.

Every row was persisted (with its stable transaction id) before anyone asked to send it. A row is
marked sent only after the homeserver answered with an event id; a crash before that resends the
row with the *same* transaction id, which the homeserver answers with the same event, so a retry
never posts twice. Rows of one room go in order; each room has its own worker, so a rate-limited
or broken room never holds up the others.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from nio import (
    AsyncClient,
    LocalProtocolError,
    RoomGetStateEventResponse,
    RoomPutStateResponse,
    RoomSendError,
    RoomSendResponse,
    UploadError,
)

from bot.matrix.backoff import Backoff
from bot.matrix.content import with_upload
from bot.observability import metrics
from storage import outbox
from storage.db import Database
from storage.models import OutboxMessage

log = logging.getLogger(__name__)

#: Errors that a later attempt can fix (the bot may be invited or rejoin meanwhile).
PERMANENT_AFTER_ATTEMPTS = 8
#: Refusals of the message itself, which no retry can change: the row fails at once, the
#: admins are told, and the room's queue moves on (an oversized event would block it).
REFUSED_FOR_GOOD = frozenset({"M_TOO_LARGE", "M_BAD_JSON", "M_NOT_JSON", "M_INVALID_PARAM"})

#: `OutboxMessage.relation`: an edit of the related row's event, or a pin of it.
REPLACE = "replace"
PIN = "pin"
PINNED_EVENTS = "m.room.pinned_events"

FailureHook = Callable[[OutboxMessage, str], Awaitable[None]]


def _now() -> datetime:
    return datetime.now(UTC)


class OutboxSender:
    def __init__(
        self,
        client: AsyncClient,
        db: Database,
        *,
        on_failed: FailureHook | None = None,
        retry_first_s: float = 5.0,
        retry_max_s: float = 300.0,
    ) -> None:
        self.client = client
        self.db = db
        self.on_failed = on_failed
        self.retry_first_s = retry_first_s
        self.retry_max_s = retry_max_s
        self._wake = asyncio.Event()
        self._workers: dict[str, asyncio.Task[None]] = {}
        self.sent = 0
        self.rate_limited = 0

    def wake(self, room_id: str | None = None) -> None:
        """Called after rows were committed to the outbox; with the room, its worker starts at
        once instead of waiting for the main loop to look for pending rooms."""
        if room_id is not None:
            self._ensure_worker(room_id)
        self._wake.set()

    def _ensure_worker(self, room_id: str) -> None:
        worker = self._workers.get(room_id)
        if worker is None or worker.done():
            self._workers[room_id] = asyncio.create_task(
                self._room_worker(room_id), name=f"outbox {room_id}"
            )

    async def run(self) -> None:
        while True:
            self._wake.clear()
            try:
                async with self.db.session() as session:
                    rooms = await outbox.rooms_with_pending(session)
                    retry_at = await outbox.earliest_retry(session)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox: could not read pending rows")
                rooms, retry_at = [], None
            for room_id in rooms:
                self._ensure_worker(room_id)
            timeout = 5.0
            if retry_at is not None:
                timeout = max(0.05, min(timeout, (retry_at - _now()).total_seconds()))
            try:
                await asyncio.wait_for(self._wake.wait(), timeout)
            except TimeoutError:
                pass

    async def close(self) -> None:
        for task in self._workers.values():
            task.cancel()
        await asyncio.gather(*self._workers.values(), return_exceptions=True)
        self._workers.clear()

    async def _room_worker(self, room_id: str) -> None:
        while True:
            async with self.db.session() as session:
                row = await outbox.next_pending(session, room_id, _now())
            if row is None:
                return
            await self._send(row)

    async def _related_event(self, row: OutboxMessage) -> str | None:
        """The event id of the row this one edits or pins (sent before it: same room, in
        order); None when that row was never delivered."""
        if row.relates_to is None:
            return None
        async with self.db.session() as session:
            target = await session.get(OutboxMessage, row.relates_to)
        return target.event_id if target is not None else None

    async def _content(self, row: OutboxMessage) -> dict[str, Any]:
        """The row's content; a part of a split message goes into its head's thread (the
        head's own thread, when the head is itself in one); an edit names the event it
        replaces (or, when that was never delivered, is posted as a message of its own)."""
        content = dict(row.content)
        if row.relation == REPLACE:
            event_id = await self._related_event(row)
            if event_id is None:
                return dict(content.get("m.new_content") or content)
            content["m.relates_to"] = {"rel_type": "m.replace", "event_id": event_id}
            return content
        if row.thread_of is None:
            return content
        async with self.db.session() as session:
            head = await session.get(OutboxMessage, row.thread_of)
        if head is None or head.event_id is None:
            return content  # the head was not delivered: the part stands alone
        relates = (head.content or {}).get("m.relates_to") or {}
        root = relates["event_id"] if relates.get("rel_type") == "m.thread" else head.event_id
        content["m.relates_to"] = {
            "rel_type": "m.thread",
            "event_id": root,
            "is_falling_back": True,
            "m.in_reply_to": {"event_id": head.event_id},
        }
        return content

    async def _upload(self, row: OutboxMessage) -> OutboxMessage | None:
        """Uploads the row's file, encrypted unless the room is known to be unencrypted, and
        stores its address in the row, so a later attempt sends without uploading again. None
        when the upload failed: the row was deferred or failed as for a send."""
        if row.attachment is None:
            return row
        room = self.client.rooms.get(row.room_id)
        encrypt = room is None or room.encrypted
        try:
            resp, keys = await self.client.upload(
                io.BytesIO(row.attachment),
                content_type=row.content["info"]["mimetype"],
                filename=row.content["body"],
                encrypt=encrypt,
                filesize=len(row.attachment),
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            await self._retry(row, f"upload: {exc!r}", permanent_after=None)
            return None
        if isinstance(resp, UploadError):
            error = f"upload {resp.message}"
            await self._refused(row, resp.status_code, error, resp.retry_after_ms)
            return None
        async with self.db.session() as session:
            uploaded = await outbox.mark_uploaded(
                session, row.id, with_upload(row.content, resp.content_uri, keys)
            )
            await session.commit()
        return uploaded

    async def _send(self, row: OutboxMessage) -> None:
        uploaded = await self._upload(row)
        if uploaded is None:
            return
        row = uploaded
        content = await self._content(row)
        if row.relation == PIN:
            await self._pin(row)
            return
        try:
            resp = await self.client.room_send(
                row.room_id,
                row.event_type,
                content,
                tx_id=row.txn_id,
                ignore_unverified_devices=True,
            )
        except asyncio.CancelledError:
            raise
        except LocalProtocolError as exc:
            # Typically "No such room": not joined (yet). Retry later, report if it persists.
            await self._retry(row, f"local: {exc}", permanent_after=PERMANENT_AFTER_ATTEMPTS)
            return
        except Exception as exc:
            # Network errors and timeouts: the homeserver may be down. Never give up on these.
            await self._retry(row, f"network: {exc!r}", permanent_after=None)
            return
        if isinstance(resp, RoomSendResponse):
            async with self.db.session() as session:
                sent = await outbox.mark_sent(session, row.id, resp.event_id)
                await session.commit()
            self.sent += 1
            if sent.sent_at is not None:
                metrics.message_sent(sent.created_at, sent.sent_at)
            return
        assert isinstance(resp, RoomSendError)
        await self._refused(row, resp.status_code, resp.message, resp.retry_after_ms)

    async def _pin(self, row: OutboxMessage) -> None:
        """Adds the related row's event to the room's pinned events (keeping those pinned
        already); a PUT of the same state again changes nothing, so a retry is harmless."""
        event_id = await self._related_event(row)
        if event_id is None:
            await self._mark_sent(row, None)
            return
        try:
            current = await self.client.room_get_state_event(row.room_id, PINNED_EVENTS)
            pinned = (
                list(current.content.get("pinned", []))
                if isinstance(current, RoomGetStateEventResponse)
                else []
            )
            if event_id not in pinned:
                pinned.append(event_id)
            resp = await self.client.room_put_state(row.room_id, PINNED_EVENTS, {"pinned": pinned})
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            await self._retry(row, f"network: {exc!r}", permanent_after=None)
            return
        if isinstance(resp, RoomPutStateResponse):
            await self._mark_sent(row, resp.event_id)
            return
        # Not allowed to pin (power levels), or refused: the picture stands unpinned.
        log.warning("could not pin in %s: %s", row.room_id, getattr(resp, "message", resp))
        await self._mark_sent(row, None)

    async def _mark_sent(self, row: OutboxMessage, event_id: str | None) -> None:
        async with self.db.session() as session:
            await outbox.mark_sent(session, row.id, event_id or "")
            await session.commit()

    async def _refused(
        self, row: OutboxMessage, code: str | None, message: str, retry_after_ms: int | None
    ) -> None:
        """The homeserver answered with an error: wait when rate limited, retry what may pass
        later, fail at once what never will."""
        if code == "M_LIMIT_EXCEEDED" or retry_after_ms:
            self.rate_limited += 1
            wait_ms = retry_after_ms or int(self.retry_first_s * 1000)
            await self._defer(row, timedelta(milliseconds=wait_ms), "rate limited")
            return
        transient = code is None or str(code).startswith("5")
        permanent_after = None if transient else PERMANENT_AFTER_ATTEMPTS
        if code in REFUSED_FOR_GOOD:
            permanent_after = 0
        await self._retry(row, f"{code}: {message}", permanent_after)

    async def _retry(self, row: OutboxMessage, error: str, permanent_after: int | None) -> None:
        if permanent_after is not None and row.attempts + 1 >= permanent_after:
            log.error("outbox: giving up on %s in %s: %s", row.id, row.room_id, error)
            async with self.db.session() as session:
                await outbox.mark_failed(session, row.id, error)
                await session.commit()
            if self.on_failed is not None:
                await self.on_failed(row, error)
            return
        backoff = Backoff(self.retry_first_s, 2.0, self.retry_max_s)
        backoff.failures = row.attempts
        await self._defer(row, timedelta(seconds=backoff.next_delay()), error)

    async def _defer(self, row: OutboxMessage, delay: timedelta, error: str) -> None:
        log.info(
            "outbox: %s in %s deferred %.1fs (%s)",
            row.id,
            row.room_id,
            delay.total_seconds(),
            error,
        )
        async with self.db.session() as session:
            await outbox.defer(session, row.id, _now() + delay, error)
            await session.commit()
        self.wake()

"""The one way in: every event of a sync batch passes here before anything acts on it.

Dropped: the bot's own events, events from before the bot's first sync, events already in the
inbox (`storage/events.py`), and events no handler wants. Everything else is stored in the inbox
as *received* (with what is needed to run it again) and queued for its room. Its handler then runs
in one unit of work with the *handled* mark, so its effects and the mark commit together: a
crash leaves the event received, and `recover()` runs it at the next start, once, in room order.
A transient failure (database or homeserver away) is tried again in place with backoff; after
`MAX_TRIES` the event is given up and its sender told.

Encrypted events the bot cannot decrypt yet are kept in the database (`bot/matrix/pending.py`)
and come back through `consider` once their key arrives, under the same rules: a late event is
handled if it is not from before the first sync and was never handled, whenever it is decrypted.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Protocol

from nio import (
    AsyncClient,
    Event,
    InviteMemberEvent,
    MegolmEvent,
    MessageDirection,
    RoomMessagesResponse,
    SyncResponse,
)

from bot.matrix.inbox import with_retries
from bot.matrix.incoming import Incoming, from_nio
from bot.matrix.pending import UndecryptableEvents
from bot.matrix.roomqueues import RoomQueues
from bot.observability import metrics
from storage import events as inbox
from storage.db import Database
from storage.models.infra import INBOX_RECEIVED

log = logging.getLogger(__name__)

#: How many pages of history to fetch to close a gap in a `limited` timeline.
MAX_GAP_PAGES = 5


class EventHandler(Protocol):
    """What the dispatcher hands events to; the app's event router implements it."""

    def wants(self, incoming: Incoming) -> bool: ...

    async def handle(self, incoming: Incoming) -> None: ...


#: Told when an event is given up: the event and the last error.
GivenUp = Callable[[Incoming, str], Awaitable[None]]


class Dispatcher:
    def __init__(
        self,
        client: AsyncClient,
        db: Database,
        handler: EventHandler,
        first_sync_ts: Callable[[], int | None],
        may_join: Callable[[str, str, list[Event]], Awaitable[bool]],
        undecryptable: UndecryptableEvents,
        on_given_up: GivenUp | None = None,
        first_retry_s: float = 1.0,
        synced: asyncio.Event | None = None,
    ) -> None:
        self.client = client
        self.db = db
        self.handler = handler
        self.first_sync_ts = first_sync_ts
        self.may_join = may_join
        self.queues = RoomQueues()
        self.undecryptable = undecryptable
        self.on_given_up = on_given_up
        self.first_retry_s = first_retry_s
        #: Set after this process's first sync: before it, nio knows no rooms or members, so
        #: events recovered at start wait for it (queued first, they keep their room order).
        self.synced = synced
        #: Kept events are retried after the first sync of each start (the crypto store is
        #: loaded by then), and later only after syncs that brought to-device messages.
        self._retried_since_start = False
        self._last_batch_ms: int | None = None
        self.dispatched = 0

    async def handle_batch(self, resp: SyncResponse, initial: bool) -> None:
        batch_started = int(time.time() * 1000)
        for room_id, invite in resp.rooms.invite.items():
            await self._on_invite(room_id, invite.invite_state)
        for room_id in resp.rooms.leave:
            # nio keeps rooms we left or were kicked from; forget them so nobody posts there.
            self.client.rooms.pop(room_id, None)
        for room_id, info in resp.rooms.join.items():
            events = list(info.timeline.events)
            if info.timeline.limited and not initial and info.timeline.prev_batch:
                events = await self._fill_gap(room_id, info.timeline.prev_batch) + events
            for event in events:
                await self.consider(room_id, event)
        await self._after_batch(resp)
        self._last_batch_ms = batch_started

    async def consider(self, room_id: str, event: Event) -> None:
        if event.sender == self.client.user_id:
            return
        first = self.first_sync_ts()
        if first is not None and event.server_timestamp < first:
            return
        if isinstance(event, MegolmEvent):
            await self._keep_undecryptable(room_id, event)
            return
        incoming = from_nio(room_id, event)
        if incoming is None or not self.handler.wants(incoming):
            return
        async with self.db.session() as session:
            new = await inbox.receive(
                session,
                event_id=incoming.event_id,
                room_id=room_id,
                sender=incoming.sender,
                kind=incoming.kind,
                payload=asdict(incoming),
            )
            await session.commit()
        if not new:
            return
        self.dispatched += 1
        metrics.event_handled(incoming.kind)
        self._submit(incoming)

    async def recover(self) -> int:
        """Queues the events received before a crash and never handled, in room order; called
        at start, before the first sync. Returns how many."""
        async with self.db.session() as session:
            rows = await inbox.received_events(session)
        for row in rows:
            if not row.payload:
                log.error("inbox: event %s has nothing to run again; skipped", row.event_id)
                continue
            self._submit(Incoming(**row.payload))
        if rows:
            log.info("inbox: running %d events received before the restart", len(rows))
        return len(rows)

    def _submit(self, incoming: Incoming) -> None:
        self.queues.submit(incoming.room_id, lambda: self._run(incoming))

    async def _run(self, incoming: Incoming) -> None:
        """Runs the handler and marks the event handled, in one unit of work; transient
        failures are tried again (the room waits, so its order holds), others given up."""
        if self.synced is not None:
            await self.synced.wait()

        async def once() -> None:
            async with self.db.unit():
                async with self.db.session() as session:
                    if await inbox.state_of(session, incoming.event_id) != INBOX_RECEIVED:
                        return  # handled already (queued twice)
                await self.handler.handle(incoming)
                async with self.db.session() as session:
                    await inbox.mark_handled(session, incoming.event_id)
                    await session.commit()

        async def count(error: str) -> None:
            await self._count_attempt(incoming, error)

        failed = await with_retries(
            once, f"event {incoming.event_id}", first_s=self.first_retry_s, on_retry=count
        )
        if failed is not None:
            log.error("inbox: giving up %s", incoming.event_id, exc_info=failed)
            await self._give_up(incoming, f"{type(failed).__name__}: {failed}")

    async def _count_attempt(self, incoming: Incoming, error: str) -> None:
        try:
            async with self.db.session() as session:
                await inbox.record_attempt(session, incoming.event_id, error)
                await session.commit()
        except Exception:  # the database is what failed; the try counts in memory
            log.warning("inbox: could not count the failed try of %s", incoming.event_id)

    async def _give_up(self, incoming: Incoming, error: str) -> None:
        """Marks the event given up and tells its sender; if even that fails, the event stays
        received and runs again at the next start."""
        try:
            async with self.db.unit():
                async with self.db.session() as session:
                    if not await inbox.give_up(session, incoming.event_id, error):
                        return
                    await session.commit()
                if self.on_given_up is not None:
                    await self.on_given_up(incoming, error)
        except Exception:
            log.exception("inbox: could not give up %s; it stays received", incoming.event_id)

    async def _on_invite(self, room_id: str, state: list[Event]) -> None:
        me = self.client.user_id
        invited = any(
            isinstance(ev, InviteMemberEvent) and ev.state_key == me and ev.membership == "invite"
            for ev in state
        )
        if not invited or room_id in self.client.rooms:
            return
        inviter = next(
            (ev.sender for ev in state if isinstance(ev, InviteMemberEvent) and ev.state_key == me),
            "",
        )
        if await self.may_join(room_id, inviter, state):
            resp = await self.client.join(room_id)
            log.info("invited to %s by %s: %s", room_id, inviter, type(resp).__name__)
        else:
            log.info("ignoring invite to %s from %s (not a configured room)", room_id, inviter)

    async def _fill_gap(self, room_id: str, prev_batch: str) -> list[Event]:
        """Fetches events a `limited` timeline skipped, back to the previous batch."""
        if self._last_batch_ms is None:
            return []
        found: list[Event] = []
        token = prev_batch
        for _ in range(MAX_GAP_PAGES):
            resp = await self.client.room_messages(
                room_id, start=token, direction=MessageDirection.back, limit=100
            )
            if not isinstance(resp, RoomMessagesResponse) or not resp.chunk:
                break
            older = [e for e in resp.chunk if e.server_timestamp >= self._last_batch_ms - 1000]
            found.extend(older)
            if len(older) < len(resp.chunk) or not resp.end:
                break
            token = resp.end
        found.reverse()
        log.info("filled a gap of %d events in %s", len(found), room_id)
        return found

    async def _keep_undecryptable(self, room_id: str, event: MegolmEvent) -> None:
        """Keeps an event nio could not decrypt, unless it was handled already (a replayed
        batch of an event that was decrypted late before the crash)."""
        async with self.db.session() as session:
            seen = await inbox.is_known(session, event.event_id)
        if not seen:
            await self.undecryptable.keep(room_id, event)

    async def _after_batch(self, resp: SyncResponse) -> None:
        """Room keys arrive as to-device messages: retry kept events when some came (and once
        after each start), then tell the senders of what stays unreadable, then purge."""
        if resp.to_device_events or not self._retried_since_start:
            await self.undecryptable.retry(self.consider)
            self._retried_since_start = True
        await self.undecryptable.notify_overdue()
        await self.undecryptable.purge()

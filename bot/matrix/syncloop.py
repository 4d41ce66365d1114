"""Our own supervised /sync loop, because nio's `sync_forever` dies on one callback exception
and spins without backoff on error responses (docs/matrix-notes.md, "Receiving").

Order per batch: sync → E2EE housekeeping → the dispatcher records and queues the batch's
events → only then is the token saved in our database. A crash in between replays the batch,
and the dispatcher's handled-events table makes that replay harmless.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from nio import AsyncClient, SyncError, SyncResponse, UploadFilterResponse

from bot.matrix.backoff import Backoff
from bot.matrix.crypto import e2ee_housekeeping
from bot.matrix.session import LoginFailed
from bot.observability import metrics
from storage import syncstate
from storage.db import Database

log = logging.getLogger(__name__)

#: Synapse returns 10 timeline events per room by default; a burst would leave a gap.
TIMELINE_LIMIT = 100


def sync_filter(timeline_limit: int) -> dict[str, Any]:
    return {
        "presence": {"not_types": ["*"]},
        "room": {
            "timeline": {"limit": timeline_limit},
            "state": {"lazy_load_members": False},
            "ephemeral": {"not_types": ["*"]},
        },
    }


async def upload_sync_filter(client: AsyncClient, timeline_limit: int) -> str | dict[str, Any]:
    """Uploads the filter once and returns its id (the server then need not parse it on every
    /sync); falls back to the inline filter if the upload fails."""
    spec = sync_filter(timeline_limit)
    resp = await client.upload_filter(presence=spec["presence"], room=spec["room"])
    if isinstance(resp, UploadFilterResponse):
        return resp.filter_id
    log.warning("could not upload the sync filter (%s); sending it inline", resp)
    return spec


BatchHandler = Callable[[SyncResponse, bool], Awaitable[None]]


class SyncLoop:
    """Runs /sync until cancelled; never lets an error escape except a final login failure."""

    def __init__(
        self,
        client: AsyncClient,
        db: Database,
        handle_batch: BatchHandler,
        relogin: Callable[[], Awaitable[None]],
        *,
        timeout_ms: int = 30_000,
        backoff: Backoff | None = None,
    ) -> None:
        self.client = client
        self.db = db
        self.handle_batch = handle_batch
        self.relogin = relogin
        self.timeout_ms = timeout_ms
        self.backoff = backoff or Backoff()
        self.account = client.user_id
        self.first_sync_ts: int | None = None
        self.next_batch: str | None = None
        #: Set once this process has completed a sync (the bot is "up").
        self.ready = asyncio.Event()
        self.last_error: str | None = None
        self.syncs = 0
        #: `time.monotonic()` of the last successful sync, for the health probe.
        self.last_sync_at: float | None = None

    async def run(self) -> None:
        async with self.db.session() as session:
            state = await syncstate.load_sync_state(session, self.account)
        self.next_batch = state.next_batch if state else None
        self.first_sync_ts = state.first_sync_ts if state else None
        full_state = True  # nio keeps no room state across restarts (matrix-nio #525)
        self._filter: str | dict[str, Any] | None = None
        while True:
            try:
                await self._sync_once(full_state)
                full_state = False
            except asyncio.CancelledError:
                raise
            except LoginFailed:
                raise
            except Exception as exc:
                self.last_error = repr(exc)
                delay = self.backoff.next_delay()
                log.warning("sync failed (%s); retrying in %.0fs", exc, delay)
                await asyncio.sleep(delay)

    async def _sync_once(self, full_state: bool) -> None:
        round_started = time.monotonic()
        initial = self.next_batch is None
        if initial:
            # A new device must not see history: timeline limit 0, and remember when we began.
            started_ms = int(time.time() * 1000)
            resp = await self.client.sync(timeout=0, sync_filter=sync_filter(0), full_state=True)
        else:
            if self._filter is None:
                self._filter = await upload_sync_filter(self.client, TIMELINE_LIMIT)
            resp = await self.client.sync(
                timeout=self.timeout_ms,
                sync_filter=self._filter,
                since=self.next_batch,
                full_state=full_state or None,
            )
        if isinstance(resp, SyncError):
            await self._on_sync_error(resp)
            return
        assert isinstance(resp, SyncResponse)
        await e2ee_housekeeping(self.client)
        if initial:
            async with self.db.session() as session:
                await syncstate.set_first_sync_ts(session, self.account, started_ms)
                await session.commit()
            self.first_sync_ts = self.first_sync_ts or started_ms
        await self.handle_batch(resp, initial)
        async with self.db.session() as session:
            await syncstate.save_sync_token(session, self.account, resp.next_batch)
            await session.commit()
        self.next_batch = resp.next_batch
        self.syncs += 1
        self.last_sync_at = time.monotonic()
        metrics.sync_finished(self.last_sync_at - round_started)
        self.last_error = None
        self.backoff.reset()
        self.ready.set()

    async def _on_sync_error(self, resp: SyncError) -> None:
        self.last_error = f"{resp.status_code}: {resp.message}"
        if resp.status_code == "M_UNKNOWN_TOKEN":
            await self.relogin()
            return
        delay = self.backoff.next_delay()
        log.warning("sync error %s; retrying in %.0fs", self.last_error, delay)
        await asyncio.sleep(delay)

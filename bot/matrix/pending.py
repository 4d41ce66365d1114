"""Undecryptable events are not lost: kept in the database until their room key arrives.

An encrypted event whose megolm session the bot does not have yet (the sender's client shares
the key late, or withholds it from devices it does not trust) is stored with its raw JSON in
``pending_events`` before the sync token moves on, and the bot asks the sender's devices for the
key once. After each sync that brought to-device messages (room keys arrive that way), and after
the first sync of every start, each stored event whose session is now known is rebuilt, decrypted
and handed to the dispatcher's normal path, then deleted.

The rule for late events: an event decrypted late is treated exactly like one that arrived
decrypted. It is handled if it is not older than the bot's first ever sync and was never handled
before (``handled_events``); being late, or a restart in between, does not make it "old". The
dispatcher records it before handling it, so a crash between handling and deleting the row only
makes the next retry find it handled: it runs once.

After the grace period (``bot.undecryptable_grace``) the sender is told once, in the room, that
the bot could not read the message and how to fix that. The notice is per megolm session: a
client that withholds one session withholds every message in it, so one notice covers all of
them instead of one ping per message (a later message in a session already told about is only
marked). Rows are kept a day from when they were first seen (the key may still come after the
notice, and then the message is handled, once) and then purged.
"""

from __future__ import annotations

import html
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from nio import (
    AsyncClient,
    BadEvent,
    Event,
    MegolmEvent,
    RoomKeyRequestMessage,
    UnknownBadEvent,
)

from bot.matrix.content import Content, in_reply_to, pill, ping
from storage import outbox
from storage import pending as rows
from storage.db import Database

log = logging.getLogger(__name__)

#: How long an unreadable event is kept at least (the key may come after the notice).
KEEP_FOR = timedelta(days=1)
#: How often kept events are purged (a delete on an indexed column, but not after every sync).
PURGE_EVERY_S = 600.0

Consider = Callable[[str, Event], Awaitable[None]]
Translate = Callable[..., str]


@dataclass(frozen=True)
class Kept:
    """What the notice planning needs of one kept event."""

    event_id: str
    room_id: str
    sender: str
    session_id: str | None
    sent_ms: int


@dataclass(frozen=True)
class Unreadable:
    """One notice: ``sender`` could not be read in ``room_id`` since ``sent_ms``.

    ``event_id`` is the earliest event it covers (the notice replies to it); ``covered`` lists
    every event the notice is about.
    """

    room_id: str
    sender: str
    event_id: str
    sent_ms: int
    covered: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.covered)


SessionKey = tuple[str, str, str]


def session_key(kept: Kept) -> SessionKey:
    """The group one notice covers: a megolm session of a sender in a room (an event without a
    session id is a group of its own)."""
    return (kept.room_id, kept.sender, kept.session_id or f"event:{kept.event_id}")


def plan_notices(
    overdue: Sequence[Kept], told: Iterable[SessionKey]
) -> tuple[list[Unreadable], list[str]]:
    """The notices to send for ``overdue`` events, and the events already covered by an earlier
    notice (their session is in ``told``), which are only marked as told.

    Notices come in the order of their first event; each covers its session's overdue events.
    """
    told_keys = set(told)
    groups: dict[SessionKey, list[Kept]] = {}
    silent: list[str] = []
    for kept in sorted(overdue, key=lambda k: (k.sent_ms, k.event_id)):
        key = session_key(kept)
        if key in told_keys:
            silent.append(kept.event_id)
        else:
            groups.setdefault(key, []).append(kept)
    notices = [
        Unreadable(
            room_id=group[0].room_id,
            sender=group[0].sender,
            event_id=group[0].event_id,
            sent_ms=group[0].sent_ms,
            covered=tuple(k.event_id for k in group),
        )
        for group in groups.values()
    ]
    return notices, silent


def moment(sent_ms: int, zone: ZoneInfo, now: datetime) -> str:
    """``15:02`` for a message sent today (local time), ``2026-11-25 15:02`` for an older one."""
    local = datetime.fromtimestamp(sent_ms / 1000, UTC).astimezone(zone)
    if local.date() == now.astimezone(zone).date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def notice_content(t: Translate, zone: ZoneInfo, notice: Unreadable, now: datetime) -> Content:
    """The notice: pings the sender (``m.text`` with a mention), replies to the first unreadable
    message so their client shows which one, and says how to fix it."""
    when = moment(notice.sent_ms, zone, now)

    def text(user: str) -> str:
        if notice.count == 1:
            return t("crypto.unreadable.one", user=user, time=when)
        return t("crypto.unreadable.many", user=user, count=notice.count, time=when)

    fix = t("crypto.unreadable.fix")
    body = f"{text(notice.sender)}\n{fix}"
    slot = "\ue000"  # stands for the pill while the text is escaped
    first = html.escape(text(slot), quote=False).replace(slot, pill(notice.sender))
    formatted = f"<p>{first}</p><p>{html.escape(fix, quote=False)}</p>"
    return in_reply_to(ping(body, formatted, [notice.sender]), notice.event_id)


def rebuild(room_id: str, source: dict[str, Any]) -> MegolmEvent | None:
    """The nio event from its stored JSON (None if it is not a megolm event after all)."""
    event = Event.parse_encrypted_event({**source, "room_id": room_id})
    if not isinstance(event, MegolmEvent):
        return None
    event.room_id = room_id
    return event


class UndecryptableEvents:
    """Keeps, retries, tells about and purges the encrypted events the bot could not read."""

    def __init__(
        self,
        client: AsyncClient,
        db: Database,
        *,
        grace: timedelta,
        t: Translate,
        zone: ZoneInfo,
        wake: Callable[[str], None],
        keep_for: timedelta = KEEP_FOR,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.client = client
        self.db = db
        self.grace = grace
        self.t = t
        self.zone = zone
        self.wake = wake
        self.keep_for = max(keep_for, 2 * grace)
        self.now = now
        self._last_purge: float | None = None
        self.kept = 0
        self.recovered = 0
        self.noticed = 0

    async def keep(self, room_id: str, event: MegolmEvent) -> None:
        """Stores ``event`` (again is a no-op); a new one also asks for its key."""
        async with self.db.session() as session:
            new = await rows.keep_event(
                session,
                event_id=event.event_id,
                room_id=room_id,
                sender=event.sender,
                session_id=event.session_id,
                source=event.source,
                seen_at=self.now(),
            )
            await session.commit()
        if not new:
            return
        self.kept += 1
        log.info(
            "cannot decrypt %s from %s in %s yet (session %s); kept until its key arrives",
            event.event_id,
            event.sender,
            room_id,
            event.session_id,
        )
        await self._request_key(room_id, event)

    async def _request_key(self, room_id: str, event: MegolmEvent) -> None:
        """Asks the sender's devices for the session once (nio remembers sent requests in its
        store, so not again after a restart either). Clients that do not trust the bot ignore
        it; the notice after the grace period is what reaches the person."""
        if not event.session_id or event.session_id in self.client.outgoing_key_requests:
            return
        if any(  # nio queues one itself for a sender it recently set up an Olm session with
            isinstance(m, RoomKeyRequestMessage) and m.session_id == event.session_id
            for m in self.client.outgoing_to_device_messages
        ):
            return
        event.room_id = room_id
        try:
            message = event.as_key_request(
                event.sender, str(self.client.device_id), event.session_id
            )
            resp = await self.client.to_device(message)
        except Exception:  # asking is a courtesy; the event is kept either way
            log.exception("could not request the room key for %s", event.event_id)
            return
        log.info("requested the room key for %s from %s: %s", event.event_id, event.sender, resp)

    async def retry(self, consider: Consider) -> int:
        """Decrypts every kept event whose session is known now and hands it to ``consider``;
        returns how many were handed on."""
        async with self.db.session() as session:
            kept = [(r.event_id, r.room_id, r.source) for r in await rows.all_pending(session)]
        if not kept:
            return 0
        done: list[str] = []
        recovered = 0
        for event_id, room_id, source in kept:
            event = rebuild(room_id, source)
            if event is None:
                log.warning("dropping kept event %s: not a megolm event", event_id)
                done.append(event_id)
                continue
            if not self._has_session(room_id, event):
                continue
            try:
                decrypted = self.client.decrypt_event(event)
            except Exception as exc:  # e.g. the key starts at a later message index
                log.warning("still cannot decrypt %s: %s", event_id, exc)
                continue
            done.append(event_id)
            if isinstance(decrypted, (MegolmEvent, BadEvent, UnknownBadEvent)):
                log.warning("dropping kept event %s: it decrypts to an invalid event", event_id)
                continue
            decrypted.decrypted = True
            log.info("decrypted kept event %s from %s late", event_id, event.sender)
            await consider(room_id, decrypted)
            recovered += 1
        async with self.db.session() as session:
            await rows.forget(session, done)
            await session.commit()
        self.recovered += recovered
        return recovered

    def _has_session(self, room_id: str, event: MegolmEvent) -> bool:
        olm = self.client.olm
        if olm is None or not event.sender_key or not event.session_id:
            return False
        return olm.inbound_group_store.get(room_id, event.sender_key, event.session_id) is not None

    async def notify_overdue(self) -> int:
        """Tells the senders of events unreadable past the grace period (once per session), in
        the same transaction that marks them told; returns how many notices were queued."""
        now = self.now()
        async with self.db.session() as session:
            overdue = await rows.overdue(session, now - self.grace)
            if not overdue:
                return 0
            told = await rows.noticed_sessions(session)
            kept = [
                Kept(
                    r.event_id,
                    r.room_id,
                    r.sender,
                    r.session_id,
                    int(r.source.get("origin_server_ts") or 0),
                )
                for r in overdue
            ]
            told_keys = {(room, sender, sid) for room, sender, sid in told if sid is not None}
            notices, silent = plan_notices(kept, told_keys)
            for notice in notices:
                await outbox.enqueue(
                    session,
                    room_id=notice.room_id,
                    content=notice_content(self.t, self.zone, notice, now),
                    dedupe_key=f"undecryptable:{notice.event_id}",
                )
            told_ids = [e for n in notices for e in n.covered] + silent
            await rows.mark_noticed(session, told_ids, at=now)
            await session.commit()
        for notice in notices:
            log.warning(
                "told %s that %d encrypted message(s) in %s could not be read",
                notice.sender,
                notice.count,
                notice.room_id,
            )
            self.wake(notice.room_id)
        self.noticed += len(notices)
        return len(notices)

    async def purge(self) -> int:
        """Deletes events kept longer than ``keep_for`` (at most every few minutes)."""
        now_s = time.monotonic()
        if self._last_purge is not None and now_s - self._last_purge < PURGE_EVERY_S:
            return 0
        self._last_purge = now_s
        async with self.db.session() as session:
            purged = await rows.purge(session, self.now() - self.keep_for)
            await session.commit()
        if purged:
            log.warning("purged %d encrypted event(s) that stayed unreadable", purged)
        return purged

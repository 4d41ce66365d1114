"""Infrastructure tables: the outbox, handled and pending events, sync state and the audit log.

These carry the bot's delivery guarantees ("one way out", "one way in" in docs/design.md), so their
shape is a contract other modules are written against.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, utcnow

#: Outbox states: waiting (possibly deferred), delivered, given up.
OUTBOX_PENDING = "pending"
OUTBOX_SENT = "sent"
OUTBOX_FAILED = "failed"
OUTBOX_STATES = (OUTBOX_PENDING, OUTBOX_SENT, OUTBOX_FAILED)


def new_txn_id() -> str:
    """A fresh Matrix transaction id for an outbox row."""
    return uuid4().hex


class OutboxMessage(Base):
    """One message the bot will send, persisted before it is sent.

    ``txn_id`` is generated once at insert and reused on every retry: the homeserver maps the same
    transaction id from the same device to the same event, so a retry after a crash or a timeout
    never posts twice. ``dedupe_key`` lets the database refuse a second copy of a message that must
    exist once (e.g. ``summary:<meeting>:<room>``). Rows of one room are sent strictly in id order.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_room_id_state_id", "room_id", "state", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    room_id: Mapped[str] = mapped_column(String(255))
    event_type: Mapped[str] = mapped_column(String(255), default="m.room.message")
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    txn_id: Mapped[str] = mapped_column(String(64), unique=True, default=new_txn_id)
    dedupe_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    state: Mapped[str] = mapped_column(String(16), index=True, default=OUTBOX_PENDING)
    #: Higher goes first within a room: scheduled output (the picture at the deadline) must not
    #: wait behind a burst of replies. Equal priorities keep their order.
    priority: Mapped[int] = mapped_column(default=0, server_default="0")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    event_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    #: A part of a message too large for one event: posted into the thread of this row's event
    #: (the head, queued before it in the same room).
    thread_of: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    #: A file to upload before the message (an ``m.file`` content) is sent; the sender
    #: uploads it (encrypted in an encrypted room), writes its address into the content and
    #: drops the bytes, so a retry after a crash sends the same file without uploading again.
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: With `relation` "replace": an edit of this row's event (``m.replace``); "pin": this
    #: row's event added to the room's pinned events. Resolved by the sender, once that row
    #: has its event id.
    relates_to: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    relation: Mapped[str | None] = mapped_column(String(16))

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.state} room={self.room_id} txn={self.txn_id}>"


#: Inbox states: taken in and not yet done, done (its effects committed with this mark), and
#: given up after too many failed tries (the sender was told).
INBOX_RECEIVED = "received"
INBOX_HANDLED = "handled"
INBOX_GIVEN_UP = "given_up"


class HandledEvent(Base):
    """The inbox: a Matrix event the dispatcher has taken on, with what it needs to run again.

    A wanted event is stored as *received* (with ``payload``, the event as the handlers see it)
    before the sync token moves past it. Its handler's writes and the *handled* mark commit in one
    transaction, so after a crash an event is either done or still received, and received events
    run again at the next start, in room order. The primary key makes "each event once" a
    database guarantee, even if the same event arrives twice in one sync.
    """

    __tablename__ = "handled_events"

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    room_id: Mapped[str] = mapped_column(String(255))
    sender: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    state: Mapped[str] = mapped_column(
        String(16), index=True, default=INBOX_HANDLED, server_default=INBOX_HANDLED
    )
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    handled_at: Mapped[datetime | None]


class Timer(Base):
    """A one-shot timer (a meeting step, a round step, an alert's timeout, a follow-up).

    Written in the transaction of the change that arms it, and deleted in the transaction of the
    job it runs, so a timer fires exactly once whatever is killed when. APScheduler is only the
    alarm clock in memory, filled from this table at start. ``func`` is ``"module:function"``,
    ``args`` its plain arguments; a timer found more than ``grace_s`` late at start is missed.
    """

    __tablename__ = "timers"

    job_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    func: Mapped[str] = mapped_column(String(255))
    args: Mapped[list[Any]] = mapped_column(JSON)
    run_at: Mapped[datetime] = mapped_column(index=True)
    grace_s: Mapped[int]
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")


class PendingEvent(Base):
    """An encrypted event the bot could not decrypt yet, kept until its room key arrives.

    The raw event (``source``) is stored so it can be rebuilt and decrypted after a restart; the
    row goes when the event is processed or purged. ``notice_sent_at`` records that the sender
    was told once that the message could not be read; the row stays a while longer after that in
    case the key still arrives.
    """

    __tablename__ = "pending_events"

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    room_id: Mapped[str] = mapped_column(String(255))
    sender: Mapped[str] = mapped_column(String(255))
    session_id: Mapped[str | None] = mapped_column(String(255))
    source: Mapped[dict[str, Any]] = mapped_column(JSON)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    notice_sent_at: Mapped[datetime | None]


class SyncState(Base):
    """Where the bot's /sync stream stands, per bot account.

    Kept in our database (not nio's store) so the token is saved only after the batch's events are
    recorded. ``first_sync_ts`` (server milliseconds) marks the bot's first ever sync: older events
    are history and are never run as commands.
    """

    __tablename__ = "sync_state"

    account: Mapped[str] = mapped_column(String(255), primary_key=True)
    next_batch: Mapped[str | None] = mapped_column(Text)
    first_sync_ts: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DirectRoom(Base):
    """The bot's direct-message room with one person, where alerts are sent privately.

    Created once and reused: creating a room per alert would bury people in rooms, and a room
    that already exists lets an alert go out without waiting for a room to be created.
    """

    __tablename__ = "direct_rooms"

    user_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    room_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """Who did what, when: commands that change state, and what the system did on its own."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(index=True)  # the service clock (audit.record)
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(255))
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))

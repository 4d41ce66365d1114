"""Wiring and lifecycle: config → database → Matrix login → sender, dispatcher, sync loop,
scheduler. `App.start()` returns once everything runs; `App.stop()` shuts down in reverse."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from nio import AsyncClient, Event
from sqlalchemy import text

import commands  # noqa: F401  (registers the chat commands)
from bot.config import Directory, Settings
from bot.crypto.room_encryption import unencrypted_rooms
from bot.mail.outage import watch_homeserver
from bot.mail.sender import MailSender
from bot.matrix.backoff import Backoff
from bot.matrix.content import in_reply_to, notice, ping
from bot.matrix.crosssigning import ensure_cross_signing, fingerprint
from bot.matrix.dispatcher import Dispatcher
from bot.matrix.inbox import MAX_TRIES
from bot.matrix.incoming import Incoming
from bot.matrix.pending import UndecryptableEvents
from bot.matrix.rooms import Rooms
from bot.matrix.sender import REFUSED_FOR_GOOD, OutboxSender
from bot.matrix.session import LoginSettings, MatrixSession
from bot.matrix.syncloop import SyncLoop
from bot.render.catalogue import Catalogue
from bot.scheduling.jobs import JobContext, prune_history
from bot.scheduling.planner import plan_meetings
from bot.scheduling.scheduler import (
    SupervisedScheduler,
    build_scheduler,
    watchdog,
)
from bot.scheduling.timers import PersistentTimers, import_legacy_jobs
from bot.services import Services
from bot.services.identity import BotIdentity
from bot.services.mail import MailOutbox
from bot.services.outbox import Outbox
from bot.services.wiring import Ports, build_services
from bot.web.server import WebServer, build_app
from commands.events import EventRouter
from storage import directory as directory_rows
from storage.db import Database
from storage.models import OutboxMessage

log = logging.getLogger(__name__)

#: The dedupe key prefix of the notices about undeliverable messages.
FAILURE_NOTICE = "outbox-failed:"


def login_settings(settings: Settings) -> LoginSettings:
    m = settings.matrix
    return LoginSettings(
        homeserver=m.homeserver,
        user_id=m.user_id,
        device_name=m.device_name,
        store_path=Path(m.store_path),
        password=m.password.get_secret_value() if m.password else None,
        access_token=m.access_token.get_secret_value() if m.access_token else None,
        device_id=m.device_id,
        pickle_key=settings.crypto.key.get_secret_value() if settings.crypto.key else None,
    )


def configured_rooms(settings: Settings) -> set[str]:
    """Every room the config names: forum rooms, home rooms, the alerts room."""
    rooms = {f.room for f in settings.forums}
    rooms |= {a.home_room for a in settings.actors if a.home_room}
    if settings.alerts.room:
        rooms.add(settings.alerts.room)
    return rooms


def _no_op() -> None:
    """The mail outbox's wake-up without a mail sender (no ``[email] host``)."""


class App:
    def __init__(
        self,
        settings: Settings,
        *,
        retry_first_s: float = 5.0,
        sync_timeout_ms: int = 30_000,
    ) -> None:
        self.settings = settings
        self.retry_first_s = retry_first_s
        self.sync_timeout_ms = sync_timeout_ms
        #: Tasks that run as long as the bot does; if one ends, the bot stops (run_forever).
        self._tasks: list[asyncio.Task[None]] = []
        #: Work started at start that may finish (e.g. creating direct rooms ahead).
        self._chores: list[asyncio.Task[None]] = []
        #: The web server, when ``[web] enabled``.
        self.web: WebServer | None = None
        #: The e-mail outbox and its sender, when ``[email] host`` is set.
        self.mail: MailOutbox | None = None
        self.mail_sender: MailSender | None = None

    # -- lifecycle -------------------------------------------------------------------

    async def start(self) -> None:
        s = self.settings
        s.require_web_secrets()  # before anything starts, so a missing token stops nothing
        self.db = await Database.connect(s.storage.url)
        await self._sync_directory()
        self.session = MatrixSession(login_settings(s))
        self.client: AsyncClient = await self.session.open()
        # Before ready: Element withholds room keys from devices that are not cross-signed.
        self.cross_signing = await ensure_cross_signing(
            self.client,
            store_path=Path(s.matrix.store_path),
            secret=s.crypto.key.get_secret_value() if s.crypto.key else None,
            password=self.session.settings.password,
        )
        self.rooms = Rooms(self.client)
        self.catalogue = Catalogue(s.bot.language)
        self.sender = OutboxSender(
            self.client,
            self.db,
            on_failed=self._report_failed_send,
            retry_first_s=self.retry_first_s,
        )
        self.outbox = Outbox(self.db, self.sender.wake)
        if s.email.enabled:
            password = s.email.password.get_secret_value() if s.email.password else None
            self.mail_sender = MailSender(
                s.email, self.db, password=password, retry_first_s=self.retry_first_s
            )
        self.mail = MailOutbox(
            s.email, self.db, self.mail_sender.wake if self.mail_sender else _no_op
        )
        self.scheduler: SupervisedScheduler = build_scheduler(s.zone)
        self.sync_loop = SyncLoop(
            self.client,
            self.db,
            self._handle_batch,
            self.session.relogin,
            timeout_ms=self.sync_timeout_ms,
            backoff=Backoff(first=self.retry_first_s),
        )
        self.timers = PersistentTimers(
            self.scheduler,
            self.db,
            first_retry_s=min(1.0, self.retry_first_s),
            synced=self.sync_loop.ready,
        )
        self.services = self._services()
        self.duty, self.direct = self.services.duty, self.services.direct
        await self.duty.load()
        self.router = EventRouter(self.services, discard=self.db.discard_unit_work)
        self.dispatcher = Dispatcher(
            self.client,
            self.db,
            self.router,
            first_sync_ts=lambda: self.sync_loop.first_sync_ts,
            may_join=self._may_join,
            undecryptable=UndecryptableEvents(
                self.client,
                self.db,
                grace=s.bot.undecryptable_grace,
                t=self.catalogue,
                zone=s.zone,
                wake=self.sender.wake,
            ),
            on_given_up=self._tell_given_up,
            first_retry_s=min(1.0, self.retry_first_s),
            synced=self.sync_loop.ready,
        )
        await self._join_configured_rooms()
        self.timers.context = JobContext(self.services, self.timers, self.db, s)
        self.scheduler.start(paused=True)
        self._schedule_housekeeping()
        await import_legacy_jobs(self.db, self.timers)
        await self.timers.load()
        await plan_meetings(self.timers, s)
        await self.services.activations.resume()
        await self.services.handoff.arm()
        self.scheduler.resume()
        await self.dispatcher.recover()  # before the first sync, so room order holds
        self._spawn(self.sync_loop.run(), "sync loop")
        self._spawn(self.sender.run(), "outbox sender")
        self._spawn(watchdog(self.scheduler), "scheduler watchdog")
        if self.mail_sender is not None and self.services.alert_mail is not None:
            self._spawn(self.mail_sender.run(), "mail sender")
            self._spawn(
                watch_homeserver(
                    self.sync_loop, self.services.alert_mail.matrix_down, s.email.matrix_down_after
                ),
                "homeserver watch",
            )
        self._chores.append(asyncio.create_task(self._prepare_direct_rooms(), name="direct rooms"))
        self._chores.append(asyncio.create_task(self._standing_groups(), name="standing groups"))
        if s.bot.require_encryption:
            self._chores.append(asyncio.create_task(self._warn_unencrypted(), name="encryption"))
        if s.web.enabled:
            web = WebServer(build_app(self.services, self), s.web.host, s.web.port)
            await web.start()
            self.web = web

    async def wait_ready(self, timeout: float = 60.0) -> None:
        """Returns after the first successful sync of this process."""
        await asyncio.wait_for(self.sync_loop.ready.wait(), timeout)

    async def stop(self) -> None:
        """Stops everything, in reverse order; the database is closed whatever else fails."""
        try:
            web, self.web = self.web, None
            if web is not None:
                await web.stop()
            for task in [*self._tasks, *self._chores]:
                task.cancel()
            await asyncio.gather(*self._tasks, *self._chores, return_exceptions=True)
            self._tasks.clear()
            self._chores.clear()
            await self.dispatcher.queues.close()
            await self.sender.close()
            if self.scheduler.running:
                self.scheduler.shutdown(wait=False)
            await self.client.close()
        finally:
            await self.db.dispose()

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Runs until `stop` is set or a core task dies for good (e.g. login revoked)."""
        await self.start()
        try:
            stopper = asyncio.create_task(stop.wait())
            done, _ = await asyncio.wait(
                [stopper, *self._tasks], return_when=asyncio.FIRST_COMPLETED
            )
            stopper.cancel()
            for task in done:
                if task is not stopper and task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]
        finally:
            await self.stop()

    # -- health (bot.web.keys.HealthSource) --------------------------------------------

    def last_sync_age(self) -> float | None:
        last = self.sync_loop.last_sync_at
        return None if last is None else time.monotonic() - last

    async def db_ok(self) -> bool:
        try:
            async with asyncio.timeout(5):
                async with self.db.session() as session:
                    await session.execute(text("SELECT 1"))
        except Exception:
            log.warning("health: the database did not answer", exc_info=True)
            return False
        return True

    def scheduler_running(self) -> bool:
        return bool(self.scheduler.running)

    def _services(self) -> Services:
        ports = Ports(self.db, self.outbox, self.rooms, self.timers, mail=self.mail)
        return build_services(self.settings, ports, environ=os.environ, identity=self._identity())

    def _identity(self) -> BotIdentity:
        published = self.cross_signing
        device_key = (
            self.client.olm.account.identity_keys.get("ed25519") if self.client.olm else None
        )
        master_key = published.master_key if published else None
        return BotIdentity(
            device_id=str(self.client.device_id),
            device_key=fingerprint(device_key) if device_key else None,
            master_key=fingerprint(master_key) if master_key else None,
            cross_signed=bool(published and published.cross_signed),
        )

    async def _standing_groups(self) -> None:
        try:
            await self.services.groups.sync_standing()
        except Exception:  # retried at the next start; groups formed in chat are unaffected
            log.exception("could not set up the standing working groups")

    async def _warn_unencrypted(self) -> None:
        """With `require_encryption`, names every configured room that is not encrypted."""
        await self.sync_loop.ready.wait()

        async def encrypted(room_id: str) -> bool | None:
            room = self.client.rooms.get(room_id)
            return None if room is None else bool(room.encrypted)

        for line in await unencrypted_rooms(self.settings, self.rooms.resolve, encrypted):
            log.warning("require_encryption: %s", line)

    async def _prepare_direct_rooms(self) -> None:
        try:
            await self.direct.prepare(self.services.directory.alerted_people())
        except Exception:  # the rooms are created when an alert needs them instead
            log.exception("could not create direct rooms ahead")

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        self._tasks.append(asyncio.create_task(coro, name=name))

    # -- wiring details --------------------------------------------------------------

    async def _handle_batch(self, resp: Any, initial: bool) -> None:
        await self.dispatcher.handle_batch(resp, initial)

    async def _sync_directory(self) -> None:
        s = self.settings
        people = Directory(s)
        actors = [
            directory_rows.ActorRow(a.id, a.name, str(a.category), a.home_room) for a in s.actors
        ]
        forums = [
            directory_rows.ForumRow(
                f.id,
                f.name,
                str(f.level),
                str(f.mode),
                f.room,
                tuple(a.id for a in people.participants_of(f)),
            )
            for f in s.forums
        ]
        members = [directory_rows.MemberRow(m.user, m.actor, tuple(m.functions)) for m in s.members]
        async with self.db.session() as session:
            await directory_rows.sync_directory(session, actors, forums, members)
            await session.commit()

    async def _join_configured_rooms(self) -> None:
        for room in sorted(configured_rooms(self.settings)):
            await self.rooms.join(room)

    async def _may_join(self, room_id: str, inviter: str, state: list[Event]) -> bool:
        """Accept invites to configured rooms, and to any room an admin invites us to."""
        configured = configured_rooms(self.settings)
        if room_id in self.rooms.known_ids() or room_id in configured:
            return True
        if self.services.directory.is_admin(inviter):
            return True
        for ev in state:
            source = getattr(ev, "source", {}) or {}
            if source.get("type") == "m.room.canonical_alias":
                alias = (source.get("content") or {}).get("alias")
                if alias in configured:
                    self.rooms.remember(alias, room_id)
                    return True
        return False

    def _schedule_housekeeping(self) -> None:
        self.scheduler.add_job(
            prune_history,
            CronTrigger(hour=3, minute=30, timezone=self.settings.zone),
            id="housekeeping",
            args=(self.db,),
            misfire_grace_time=6 * 3600,
            coalesce=True,
            replace_existing=True,
        )

    async def _tell_given_up(self, incoming: Incoming, error: str) -> None:
        """An event the inbox gave up on is answered, so its sender knows to send it again."""
        text = self.catalogue("inbox.gave_up", tries=MAX_TRIES)
        await self.outbox.post(incoming.room_id, in_reply_to(notice(text), incoming.event_id))

    async def _report_failed_send(self, row: OutboxMessage, error: str) -> None:
        """A message that cannot be delivered is logged and, where there is an alerts room,
        reported there; one the server refused for what it is (too large) is also reported in
        its own room, with the admins pinged, since that room can still be reached. It is never
        dropped silently (summaries are checked before they are queued and reported in the
        forum room, see services/summaries.py)."""
        log.error("undeliverable message %s to %s: %s", row.id, row.room_id, error)
        if (row.dedupe_key or "").startswith(FAILURE_NOTICE):
            return  # a notice about a failure that failed itself: the log has it
        text = self.catalogue("outbox.failed", room=row.room_id, error=error)
        targets: list[tuple[str, dict[str, Any]]] = []
        alerts_room = self.settings.alerts.room
        if alerts_room:
            target = await self.rooms.resolve(alerts_room)
            if target and target != row.room_id:
                targets.append((target, notice(text)))
        if error.split(":", 1)[0] in REFUSED_FOR_GOOD:
            admins = list(self.services.directory.admins)
            here = self.catalogue("outbox.refused_here", error=error)
            targets.append((row.room_id, ping(here, None, admins) if admins else notice(here)))
        for room_id, content in targets:
            await self.outbox.post(
                room_id, content, dedupe_key=f"{FAILURE_NOTICE}{row.id}:{room_id}"
            )

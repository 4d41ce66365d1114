"""Sends the mail outbox's rows through the SMTP server, on its own task.

A row is marked sent only after the server accepted it. A server that is down, slow or
answers 4xx leaves the row pending and tries again after a delay that doubles from 5 s up to
5 minutes; one that refuses a recipient for good (5xx) is tried a few more times (an admin may
be fixing the address or the relay) before the row is marked failed and logged; it stays in
the table either way. Matrix never waits for this: the outbox sender and the sync loop are
other tasks, and every SMTP exchange has a timeout.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Literal

import aiosmtplib

from bot.config import EmailConfig
from bot.mail.message import mime_message
from bot.matrix.backoff import Backoff
from bot.services.clock import SYSTEM_CLOCK, Clock
from storage import mail
from storage.db import Database
from storage.models.mail import MailMessage

log = logging.getLogger(__name__)

#: A recipient or message refused (5xx) this many times is given up on.
REFUSED_ATTEMPTS = 5
#: The sender looks at the queue at least this often, woken or not.
POLL_S = 5.0


class MailSender:
    def __init__(
        self,
        config: EmailConfig,
        db: Database,
        *,
        password: str | None = None,
        clock: Clock = SYSTEM_CLOCK,
        retry_first_s: float = 5.0,
        retry_max_s: float = 300.0,
    ) -> None:
        self.config = config
        self.db = db
        self.password = password
        self.clock = clock
        self.retry_first_s = retry_first_s
        self.retry_max_s = retry_max_s
        self._wake = asyncio.Event()
        self.sent = 0

    def wake(self) -> None:
        """Called after mail rows were committed."""
        self._wake.set()

    async def run(self) -> None:
        while True:
            self._wake.clear()
            try:
                await self.send_due()
                async with self.db.session() as session:
                    retry = await mail.earliest_retry(session)
            except Exception:  # the database away: logged, tried again, never fatal
                log.exception("mail outbox: could not read the queue")
                retry = self.clock.now() + timedelta(seconds=self.retry_first_s)
            timeout = POLL_S
            if retry is not None:
                timeout = min(timeout, max(0.05, (retry - self.clock.now()).total_seconds()))
            try:
                await asyncio.wait_for(self._wake.wait(), timeout)
            except TimeoutError:
                pass

    async def send_due(self) -> int:
        """Sends every row that is due now; returns how many went."""
        sent = 0
        while True:
            async with self.db.session() as session:
                rows = await mail.due(session, self.clock.now())
            if not rows:
                return sent
            for row in rows:
                outcome = await self._send(row)
                if outcome == "down":
                    return sent  # the server is unwell: the others wait for the retry
                sent += outcome == "sent"

    async def _send(self, row: MailMessage) -> Literal["sent", "refused", "down"]:
        error: str | None = None
        refused = False
        try:
            await aiosmtplib.send(
                mime_message(row, self.config.from_address or ""),
                hostname=self.config.host,
                port=self.config.port,
                start_tls=self.config.starttls,
                username=self.config.user,
                password=self.password,
                timeout=self.config.timeout.total_seconds(),
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            error, refused = f"refused: {exc.recipients}", True
        except aiosmtplib.SMTPResponseException as exc:
            error, refused = f"{exc.code} {exc.message}", 500 <= exc.code < 600
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        async with self.db.session() as session:
            current = await session.get(MailMessage, row.id)
            if current is None:
                return "sent"
            if error is None:
                mail.mark_sent(current, self.clock.now())
            elif refused and current.attempts + 1 >= REFUSED_ATTEMPTS:
                mail.mark_failed(current, error)
                log.error("mail %s to %s given up: %s", row.id, row.to_address, error)
            else:
                delay = Backoff(self.retry_first_s, 2.0, self.retry_max_s)
                delay.failures = current.attempts
                at = self.clock.now() + timedelta(seconds=delay.next_delay())
                mail.mark_retry(current, error, at)
                log.warning(
                    "mail %s to %s not sent (%s); again at %s", row.id, row.to_address, error, at
                )
            await session.commit()
        if error is None:
            self.sent += 1
            return "sent"
        return "refused" if refused else "down"

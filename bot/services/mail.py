"""The mail outbox as services use it: queue a mail in their unit of work, wake the sender
after the commit. Without ``[email] host`` nothing is queued."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import EmailConfig
from bot.render.mail import Mail
from storage import mail
from storage.db import Database


class MailOutbox:
    def __init__(self, config: EmailConfig, db: Database, wake_sender: Callable[[], None]) -> None:
        self.config = config
        self.db = db
        self._wake_sender = wake_sender
        address = config.from_address or "samverkan@localhost"
        self.domain = address.rpartition("@")[2] or "localhost"

    @property
    def enabled(self) -> bool:
        return self.config.enabled

    async def add(self, session: AsyncSession, to: str, content: Mail, dedupe_key: str) -> bool:
        """Queues `content` for `to` once per `dedupe_key`; False when e-mail is off."""
        if not self.enabled:
            return False
        await mail.enqueue(
            session,
            to_address=to,
            subject=content.subject,
            text_body=content.text,
            html_body=content.html,
            message_id=mail.new_message_id(self.domain),
            dedupe_key=dedupe_key,
        )
        return True

    def wake(self) -> None:
        """Wakes the sender after the current unit of work commits (at once outside one); the
        sender also looks by itself every few seconds, so a wake-up lost to a crash costs only
        that much."""
        self.db.after_commit(self._wake_sender)

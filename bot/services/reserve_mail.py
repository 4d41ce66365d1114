"""Summaries and pictures by e-mail: the reservväg for home organisations and forums when
chat does not reach them.

A home organisation with ``email`` gets its summary by mail when its home room cannot be
reached (the bot is not in it, or it does not resolve), or every time with ``[email]
summaries = "always"``; a forum's ``email_to`` list gets the combined picture at each
deadline. With ``bot.require_encryption`` and not ``[email] content``, a mail says only that
something is ready, with the web view's link. Each mail exists once per key and address.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ActorConfig, ForumConfig
from bot.matrix.content import Content
from bot.render.mail import Mail, carried_mail, withheld_mail
from bot.services.core import Core, Service
from bot.services.mail import MailOutbox


class ReserveMail(Service):
    def __init__(self, core: Core, outbox: MailOutbox) -> None:
        super().__init__(core)
        self.outbox = outbox

    def wants_summary(self, actor: ActorConfig, reachable: bool) -> bool:
        """Whether `actor`'s summary goes by mail too."""
        if not (self.outbox.enabled and actor.email):
            return False
        return not reachable or self.settings.email.summaries == "always"

    async def summary(
        self,
        session: AsyncSession,
        actor: ActorConfig,
        forum: ForumConfig,
        content: Content,
        key: str,
        *,
        exercise: bool,
        link: str = "",
    ) -> bool:
        if actor.email is None:
            return False
        subject = self.t("mail.summary.subject", forum=forum.name)
        notice = self.t("mail.summary.withheld", forum=forum.name, link=self._web(link))
        mail = self._mail(subject, content, notice, exercise)
        return await self.outbox.add(session, actor.email, mail, f"summary-mail:{key}:{actor.id}")

    async def picture(
        self,
        session: AsyncSession,
        forum: ForumConfig,
        content: Content,
        key: str,
        *,
        exercise: bool,
        link: str = "",
    ) -> int:
        """The combined picture to the forum's ``email_to``; returns how many were queued."""
        subject = self.t("mail.picture.subject", forum=forum.name)
        notice = self.t("mail.picture.withheld", forum=forum.name, link=self._web(link))
        mail = self._mail(subject, content, notice, exercise)
        queued = 0
        for address in forum.email_to:
            queued += await self.outbox.add(session, address, mail, f"picture-mail:{key}:{address}")
        return queued

    def wake(self) -> None:
        self.outbox.wake()

    def _mail(self, subject: str, content: Content, notice: str, exercise: bool) -> Mail:
        if self.settings.bot.require_encryption and not self.settings.email.content:
            return withheld_mail(self.t, subject, notice, exercise=exercise)
        return carried_mail(self.t, subject, content, exercise=exercise)

    def _web(self, path: str) -> str:
        public = (self.settings.web.public_url or "").rstrip("/")
        return f"{public}{path}" if public else "–"

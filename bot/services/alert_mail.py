"""Alerts by e-mail when Matrix does not reach people: escalation across contact methods, as
on-call tools do it (chat first, then mail after ``[alerts] email_after``, or at once when the
homeserver has been unreachable for ``[email] matrix_down_after``).

Each mail carries a signed, single-use acknowledgement link (`bot.domain.ack_tokens`) that
acknowledges exactly as ``!ack`` does, recorded with the channel ``email``; the re-pings in
Matrix stop as they do for any acknowledgement. A person gets at most one mail per alert,
whatever triggers it and however often.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.ack_tokens import AckClaim, make_ack_token, read_ack_token
from bot.domain.errors import Refusal
from bot.domain.link_tokens import LinkRefused, LinkTokenError
from bot.render.mail import Mail, alert_mail
from bot.scheduling.kinds import JobKind
from bot.services.alerts import AlertService, timer_prefix
from bot.services.core import Core, Service
from bot.services.mail import MailOutbox
from bot.services.ports import TimersPort
from storage import alerts, audit, mail
from storage.models.activations import Alert, AlertRecipient

log = logging.getLogger(__name__)

#: An acknowledgement link works this long after its mail was made.
ACK_LINK_LIFETIME = timedelta(hours=24)
VIA_EMAIL = "email"


@dataclass(frozen=True)
class AckLink:
    """A link that works now: whose place in which alert it acknowledges."""

    alert_id: int
    function: str
    created_at: datetime
    user_id: str


class AlertMail(Service):
    def __init__(
        self,
        core: Core,
        outbox: MailOutbox,
        alert_service: AlertService,
        timers: TimersPort,
        key: bytes | None,
    ) -> None:
        super().__init__(core)
        self.outbox = outbox
        self.alert_service = alert_service
        self.timers = timers
        self.key = key

    @property
    def enabled(self) -> bool:
        return self.outbox.enabled and self.key is not None and bool(self.settings.web.public_url)

    # -- sending ------------------------------------------------------------------------

    async def arm(self, alert: Alert) -> None:
        """The mail step ``email_after`` after the alert was raised, for those with an address
        (in the caller's unit of work; a fixed time, so arming again finds the same job)."""
        if not self.enabled or not any(self._address(r) for r in alert.recipients):
            return
        await self.timers.at(
            f"{timer_prefix(alert.id)}mail",
            JobKind.ALERT_MAIL,
            alert.created_at + self.settings.alerts.email_after,
            (alert.id,),
            grace=ACK_LINK_LIFETIME,
        )

    async def send(self, alert_id: int, why: str) -> int:
        """Mails every unacknowledged recipient with an address, once each; returns how many
        mails were queued now."""
        if not self.enabled:
            return 0
        queued = 0
        async with self.db.session() as session:
            alert = await alerts.get(session, alert_id)
            if alert is None or alert.cancelled_at is not None:
                return 0
            for row in alert.recipients:
                address = self._address(row)
                key = f"alert-mail:{alert.id}:{row.user_id}"
                if address is None or row.acked_at is not None:
                    continue
                if await mail.by_key(session, key) is not None:
                    continue
                await self.outbox.add(session, address, self._content(alert, row), key)
                await audit.record(
                    session,
                    at=self.clock.now(),
                    actor=audit.SYSTEM,
                    action="alert.mail",
                    subject=f"alert:{alert.id}",
                    details={"user": row.user_id, "why": why},
                )
                queued += 1
            await session.commit()
        if queued:
            log.info("alert %s: %d e-mail(s) queued (%s)", alert_id, queued, why)
            self.outbox.wake()
        return queued

    async def matrix_down(self) -> int:
        """The homeserver cannot be reached: every running alert goes by mail now."""
        async with self.db.session() as session:
            running = [a.id for a in await alerts.running(session)]
        return sum([await self.send(alert_id, "matrix_down") for alert_id in running])

    def _address(self, row: AlertRecipient) -> str | None:
        return self.directory.email_of(row.user_id)

    def _content(self, alert: Alert, row: AlertRecipient) -> Mail:
        assert self.key is not None
        expires = self.clock.now() + ACK_LINK_LIFETIME
        token = make_ack_token(self.key, AckClaim(row.id, expires))
        public = (self.settings.web.public_url or "").rstrip("/")
        withhold = self.settings.bot.require_encryption and not self.settings.email.content
        return alert_mail(
            self.t,
            alert_id=alert.id,
            function=alert.function,
            message=None if withhold else alert.message,
            ack_link=f"{public}/a/{token}",
            expires_at=expires,
            zone=self.settings.zone,
            exercise=alert.exercise,
            web_link=f"{public}/",
        )

    # -- the link -----------------------------------------------------------------------

    async def open_link(self, token: str) -> AckLink:
        """What a link acknowledges, if it still can; `LinkRefused` otherwise."""
        if self.key is None:
            raise LinkRefused("forged")
        try:
            claim = read_ack_token(self.key, token, self.clock.now())
        except LinkTokenError as error:
            raise LinkRefused(error.kind) from None
        async with self.db.session() as session:
            row = await alerts.recipient_by_id(session, claim.recipient_id)
            alert = await alerts.get(session, row.alert_id) if row is not None else None
        if row is None or alert is None:
            raise LinkRefused("forged")
        if row.acked_at is not None or alert.cancelled_at is not None:
            raise LinkRefused("used")
        return AckLink(alert.id, alert.function, alert.created_at, row.user_id)

    async def acknowledge(self, token: str) -> AckLink:
        """Acknowledges as ``!ack N`` by the link's person would; a second use is "used"."""
        link = await self.open_link(token)
        try:
            await self.alert_service.acknowledge(link.user_id, link.alert_id, VIA_EMAIL)
        except Refusal:
            raise LinkRefused("used") from None
        return link

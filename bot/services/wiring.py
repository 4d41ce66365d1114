"""How the services are put together: the one place that knows every constructor.

The app wires them to nio's rooms, the scheduler's persistent timers and the system clock;
`bot.testing` wires the same graph to fakes, so a service test runs the code the bot runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.config import Settings
from bot.services import Services
from bot.services.access import AccessService
from bot.services.activations import ActivationService
from bot.services.alert_mail import AlertMail
from bot.services.alerts import AlertService
from bot.services.clock import SYSTEM_CLOCK, Clock
from bot.services.conference import ConferenceService
from bot.services.core import Core
from bot.services.direct import DirectRooms
from bot.services.directions import DirectionService
from bot.services.duty import Duty
from bot.services.forums import Forums
from bot.services.groups import GroupService
from bot.services.handoff import HandoffService
from bot.services.identity import BotIdentity
from bot.services.issues import IssueService
from bot.services.journal import JournalService
from bot.services.living_picture import LivingPicture
from bot.services.mail import MailOutbox
from bot.services.outbox import Outbox
from bot.services.pictures import PictureService
from bot.services.ports import GroupRoomsPort, TimersPort
from bot.services.readmodel import ReadModel
from bot.services.report_links import ReportLinks, link_key
from bot.services.reports import ReportService
from bot.services.reserve_mail import ReserveMail
from bot.services.status import StatusService
from bot.services.summaries import SummaryService
from bot.services.webhooks import WebhookService, webhook_secrets
from storage.db import Database


@dataclass(frozen=True)
class Ports:
    """What the services reach outside themselves."""

    db: Database
    outbox: Outbox
    rooms: GroupRoomsPort
    timers: TimersPort
    clock: Clock = SYSTEM_CLOCK
    mail: MailOutbox | None = None
    """The e-mail outbox; without one (tests without SMTP), mail is queued nowhere."""


def build_services(
    settings: Settings,
    ports: Ports,
    *,
    environ: Mapping[str, str],
    identity: BotIdentity | None = None,
) -> Services:
    """Every service, wired once; `environ` supplies the webhook sources' secrets."""
    db, outbox, rooms, timers = ports.db, ports.outbox, ports.rooms, ports.timers
    core = Core.of(settings, db, ports.clock)
    mail = ports.mail or MailOutbox(settings.email, db, lambda: None)
    forums = Forums(settings, rooms)
    duty = Duty(core)
    issues = IssueService(core, outbox, forums, timers, duty)
    pictures = PictureService(core)
    reserve = ReserveMail(core, mail)
    summaries = SummaryService(core, outbox, pictures, rooms, issues, reserve=reserve)
    reports = ReportService(core)
    reports.after_report = LivingPicture(core, outbox, forums, pictures).update
    links = ReportLinks(core, reports, outbox, forums, link_key(settings))
    conference = ConferenceService(
        core, outbox, forums, pictures, summaries, issues, duty, links, reserve=reserve
    )
    direct = DirectRooms(db, rooms)
    alerts = AlertService(core, outbox, rooms, direct, timers, duty)
    alert_mail = AlertMail(core, mail, alerts, timers, link_key(settings))
    alerts.also_arm = alert_mail.arm
    groups = GroupService(core, outbox, forums, rooms)
    activations = ActivationService(
        core, outbox, forums, conference, pictures, summaries, alerts, timers, duty
    )
    return Services(
        settings=settings,
        catalogue=core.catalogue,
        directory=core.directory,
        clock=core.clock,
        outbox=outbox,
        forums=forums,
        direct=direct,
        reports=reports,
        conference=conference,
        activations=activations,
        alerts=alerts,
        issues=issues,
        groups=groups,
        directions=DirectionService(core, outbox, forums, summaries),
        access=AccessService(core, forums, groups),
        duty=duty,
        handoff=HandoffService(core, duty, alerts, outbox, direct, timers),
        readmodel=ReadModel(core, pictures, issues, activations, duty),
        identity=identity,
        webhooks=WebhookService(core, outbox, forums, webhook_secrets(settings, environ), duty),
        report_links=links,
        status=StatusService(core),
        mail=mail,
        alert_mail=alert_mail,
        journal=JournalService(core, forums, pictures, outbox),
    )

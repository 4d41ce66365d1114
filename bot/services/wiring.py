"""How the services are put together: the one place that knows every constructor.

The app wires them to nio's rooms, the scheduler's persistent timers and the system clock;
`bot.testing` wires the same graph to fakes, so a service test runs the code the bot runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.config import Directory, Settings
from bot.render.catalogue import Catalogue
from bot.services import Services
from bot.services.access import AccessService
from bot.services.activations import ActivationService
from bot.services.alert_mail import AlertMail
from bot.services.alerts import AlertService
from bot.services.clock import SYSTEM_CLOCK, Clock
from bot.services.conference import ConferenceService
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
    s, db, outbox, rooms, timers, clock = (
        settings,
        ports.db,
        ports.outbox,
        ports.rooms,
        ports.timers,
        ports.clock,
    )
    mail = ports.mail or MailOutbox(s.email, db, lambda: None)
    t = Catalogue(s.bot.language)
    people = Directory(s)
    forums = Forums(s, rooms)
    duty = Duty(s, db, directory=people, clock=clock)
    issues = IssueService(s, db, outbox, forums, timers, t, duty, directory=people, clock=clock)
    pictures = PictureService(s, t, directory=people, clock=clock)
    reserve = ReserveMail(s, mail, t)
    summaries = SummaryService(
        s, outbox, pictures, rooms, issues, t, directory=people, reserve=reserve
    )
    reports = ReportService(s, db, directory=people, clock=clock)
    reports.after_report = LivingPicture(s, db, outbox, forums, pictures, t).update
    links = ReportLinks(
        s, db, reports, outbox, forums, t, link_key(s), directory=people, clock=clock
    )
    conference = ConferenceService(
        s,
        db,
        outbox,
        forums,
        pictures,
        summaries,
        issues,
        t,
        duty,
        report_links=links,
        directory=people,
        clock=clock,
        reserve=reserve,
    )
    direct = DirectRooms(db, rooms)
    alerts = AlertService(
        s, db, outbox, rooms, direct, timers, t, duty, directory=people, clock=clock
    )
    alert_mail = AlertMail(
        s, db, mail, alerts, timers, t, link_key(s), directory=people, clock=clock
    )
    alerts.also_arm = alert_mail.arm
    groups = GroupService(s, db, outbox, forums, rooms, t, directory=people, clock=clock)
    activations = ActivationService(
        s,
        db,
        outbox,
        forums,
        conference,
        pictures,
        summaries,
        alerts,
        timers,
        t,
        duty,
        directory=people,
        clock=clock,
    )
    return Services(
        settings=s,
        catalogue=t,
        directory=people,
        clock=clock,
        outbox=outbox,
        forums=forums,
        direct=direct,
        reports=reports,
        conference=conference,
        activations=activations,
        alerts=alerts,
        issues=issues,
        groups=groups,
        directions=DirectionService(
            s, db, outbox, forums, summaries, t, directory=people, clock=clock
        ),
        access=AccessService(s, db, forums, groups, directory=people, clock=clock),
        duty=duty,
        handoff=HandoffService(s, db, duty, alerts, outbox, direct, timers, t, directory=people),
        readmodel=ReadModel(
            s, db, pictures, issues, activations, t, duty, directory=people, clock=clock
        ),
        identity=identity,
        webhooks=WebhookService(
            s, db, outbox, forums, t, webhook_secrets(s, environ), duty, clock=clock
        ),
        report_links=links,
        status=StatusService(s, db),
        mail=mail,
        alert_mail=alert_mail,
        journal=JournalService(s, db, forums, pictures, outbox, t, directory=people, clock=clock),
    )

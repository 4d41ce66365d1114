"""Domain services: the rules of the forums, called by commands, jobs and the web."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Directory, Settings
from bot.render.catalogue import Catalogue
from bot.services.access import AccessService
from bot.services.activations import ActivationService
from bot.services.alert_mail import AlertMail
from bot.services.alerts import AlertService
from bot.services.clock import Clock
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
from bot.services.mail import MailOutbox
from bot.services.outbox import Outbox
from bot.services.readmodel import ReadModel
from bot.services.report_links import ReportLinks
from bot.services.reports import ReportService
from bot.services.status import StatusService
from bot.services.webhooks import WebhookService


@dataclass(frozen=True)
class Services:
    """Everything a command may call; commands never reach the database or nio directly."""

    settings: Settings
    catalogue: Catalogue
    directory: Directory
    clock: Clock
    outbox: Outbox
    forums: Forums
    direct: DirectRooms
    reports: ReportService
    conference: ConferenceService
    activations: ActivationService
    alerts: AlertService
    issues: IssueService
    groups: GroupService
    directions: DirectionService
    access: AccessService
    duty: Duty
    handoff: HandoffService
    identity: BotIdentity | None = None
    readmodel: ReadModel | None = None
    """What the web shows; None when no app wires it (unit tests)."""
    webhooks: WebhookService | None = None
    """Events in by webhook; None when no app wires it (unit tests)."""
    report_links: ReportLinks | None = None
    """Report links for actors without Matrix; None when no app wires it."""
    status: StatusService | None = None
    """Figures for /metrics; None where no database is wired (unit tests)."""
    mail: MailOutbox | None = None
    """The e-mail outbox (queues nothing without ``[email] host``)."""
    alert_mail: AlertMail | None = None
    """Alerts by e-mail and their acknowledgement links."""
    journal: JournalService | None = None
    """The stabsjournal: `!log`, `!export` and the web's journal pages."""

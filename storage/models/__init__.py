"""All models, imported here so ``Base.metadata`` is complete (Alembic compares against it).

Split by concern: ``infra`` (outbox, handled and pending events, sync state, audit),
``directory`` (mirror of the config), and the domain: ``meetings``, ``activations`` (with alerts),
``issues``, ``groups``, ``directions``. States are stored as plain strings; the ``StrEnum``
classes name the values the domain uses, so a later feature can add a state without a schema
change.
"""

from storage.base import Base
from storage.models.activations import Activation, ActivationState, Alert, AlertRecipient
from storage.models.directions import Direction, DirectionState
from storage.models.directory import Actor, Forum, ForumParticipant, Member, MemberFunction
from storage.models.duty import DutyOverride
from storage.models.groups import GroupMember, GroupReport, WorkingGroup
from storage.models.infra import (
    OUTBOX_FAILED,
    OUTBOX_PENDING,
    OUTBOX_SENT,
    OUTBOX_STATES,
    AuditEntry,
    DirectRoom,
    HandledEvent,
    OutboxMessage,
    PendingEvent,
    SyncState,
    Timer,
)
from storage.models.issues import Issue, IssueEvent, IssueState
from storage.models.mail import MailMessage, MailState
from storage.models.meetings import (
    Attendance,
    Meeting,
    MeetingKind,
    MeetingMinutes,
    MeetingState,
    SituationReport,
)

__all__ = [
    "OUTBOX_FAILED",
    "OUTBOX_PENDING",
    "OUTBOX_SENT",
    "OUTBOX_STATES",
    "Activation",
    "ActivationState",
    "Actor",
    "Alert",
    "AlertRecipient",
    "Attendance",
    "AuditEntry",
    "Base",
    "DirectRoom",
    "Direction",
    "DirectionState",
    "DutyOverride",
    "Forum",
    "ForumParticipant",
    "GroupMember",
    "GroupReport",
    "HandledEvent",
    "Issue",
    "IssueEvent",
    "IssueState",
    "MailMessage",
    "MailState",
    "Meeting",
    "MeetingKind",
    "MeetingMinutes",
    "MeetingState",
    "Member",
    "MemberFunction",
    "OutboxMessage",
    "PendingEvent",
    "SituationReport",
    "SyncState",
    "Timer",
    "WorkingGroup",
]

"""Reports from outside Matrix: signed links in call-ins, for actors marked ``report_by_link``.

Some actors in a round have nobody on Matrix (a small municipality's duty officer reached by
phone). For each such participant, the call-in of a meeting or reporting round carries a link
``{public_url}/r/<token>`` made for that actor and that meeting only; the host passes it on.
The link opens a form with the report fields; a report sent there is stored by the same
`ReportService` path as ``!status``, attributed to the actor and marked with its source, and the
forum room is told (the person who sent it sees the receipt page; the host, the notice).

The link stops working when its meeting stops collecting reports: its token expires when the
meeting (or round) is due to close, and the meeting's state is checked on every use, so a
meeting closed early closes its links too. Each form shown carries a nonce bound to the link;
a form is stored once, and sending it again answers "already received".

The signing key comes from ``SAMVERKAN_WEB__LINK_SECRET``; without it, it is derived from the
web token (``SAMVERKAN_WEB__TOKEN``), so rotating either invalidates the links out there.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.config import ActorConfig, ForumConfig, Settings
from bot.domain.errors import Refusal
from bot.domain.link_tokens import (
    LinkClaim,
    LinkRefused,
    LinkTokenError,
    check_nonce,
    derive_key,
    make_nonce,
    make_token,
    read_token,
)
from bot.domain.reports import FIELDS, ReportError, report_from_fields
from bot.matrix.content import Content, notice
from bot.render.exercise import exercise_marked
from bot.render.report_form import MAX_FIELD
from bot.render.report_link import with_report_links
from bot.render.times import when
from bot.services.core import Core, Service
from bot.services.forums import Forums
from bot.services.outbox import Outbox
from bot.services.reports import SOURCE_WEB_LINK, ReportService
from storage import activations, meetings
from storage.models.meetings import Meeting, MeetingKind

log = logging.getLogger(__name__)

__all__ = [
    "LinkContext",
    "LinkSubmission",
    "ReportLinks",
    "link_key",
]


@dataclass(frozen=True)
class LinkContext:
    """A link that works now: who reports, to which forum and meeting."""

    token: str
    claim: LinkClaim
    actor: ActorConfig
    forum: ForumConfig
    meeting_label: str
    deadline_at: datetime | None
    exercise: bool = False
    """The meeting is a round of an exercise: what the bot posts about it is marked."""


@dataclass(frozen=True)
class LinkSubmission:
    context: LinkContext
    stored: bool
    """False: this form was already received, nothing stored again."""
    replaced: bool = False


def link_key(settings: Settings) -> bytes | None:
    """The key report links are signed with, or None when neither secret is set."""
    web = settings.web
    if web.link_secret is not None and web.link_secret.get_secret_value():
        return derive_key(web.link_secret.get_secret_value())
    if web.token is not None and web.token.get_secret_value():
        return derive_key("web-token:" + web.token.get_secret_value())
    return None


class ReportLinks(Service):
    def __init__(
        self, core: Core, reports: ReportService, outbox: Outbox, forums: Forums, key: bytes | None
    ) -> None:
        super().__init__(core)
        self.reports = reports
        self.outbox = outbox
        self.forums = forums
        self._key = key
        if key is None and any(actor.report_by_link for actor in core.settings.actors):
            log.error(
                "report links cannot be signed: set SAMVERKAN_WEB__LINK_SECRET (or "
                "SAMVERKAN_WEB__TOKEN); call-ins go out without them"
            )

    # -- making links (call-ins) --------------------------------------------------------

    def actors_of(self, forum: ForumConfig) -> list[ActorConfig]:
        """The forum's participants that report by link."""
        return [a for a in self.directory.participants_of(forum) if a.report_by_link]

    def expiry(self, forum: ForumConfig, meeting: Meeting) -> datetime:
        """When the meeting's links stop working: when it is due to close (a round, when the
        next one opens)."""
        start = meeting.scheduled_at or meeting.opened_at or self.clock.now()
        if meeting.kind == MeetingKind.ACTIVATED:
            return start + forum.report_interval
        return start + forum.meeting_duration

    def token(self, actor_id: str, meeting_id: int, expires_at: datetime) -> str:
        if self._key is None:
            raise RuntimeError("report links need SAMVERKAN_WEB__LINK_SECRET or a web token")
        return make_token(self._key, LinkClaim(actor_id, meeting_id, expires_at))

    def url(self, token: str) -> str:
        return f"{self.settings.web.base_url}/r/{token}"

    def with_links(self, content: Content, forum: ForumConfig, meeting: Meeting) -> Content:
        """The call-in `content` with a link per participant that reports by link."""
        actors = self.actors_of(forum)
        if not actors or self._key is None:
            return content
        expires_at = self.expiry(forum, meeting)
        links = [(a.name, self.url(self.token(a.id, meeting.id, expires_at))) for a in actors]
        return with_report_links(self.t, content, links, expires_at, self.settings.zone)

    # -- using links (the web form) -----------------------------------------------------

    async def open(self, token: str, now: datetime | None = None) -> LinkContext:
        """The link's context; `LinkRefused` when it is forged, expired or its meeting over."""
        if self._key is None:
            raise LinkRefused("forged")
        try:
            claim = read_token(self._key, token, now or self.clock.now())
        except LinkTokenError as wrong:
            raise LinkRefused(wrong.kind) from None
        actor = self.settings.actor(claim.actor_id)
        if actor is None or not actor.report_by_link:
            raise LinkRefused("forged")  # the config no longer allows it
        async with self.db.session() as session:
            meeting = await meetings.get_meeting(session, claim.meeting_id)
            activation = (
                await activations.get(session, meeting.activation_id)
                if meeting is not None and meeting.activation_id is not None
                else None
            )
        forum = self.settings.forum(meeting.forum_id) if meeting is not None else None
        if meeting is None or forum is None or meeting.state not in meetings.ACTIVE_STATES:
            raise LinkRefused("expired")
        if actor not in self.directory.participants_of(forum):
            raise LinkRefused("forged")
        exercise = activation is not None and activation.exercise
        label = self._label(meeting)
        return LinkContext(token, claim, actor, forum, label, meeting.deadline_at, exercise)

    def nonce(self, token: str) -> str:
        """A fresh one-time code for a form shown for `token`."""
        assert self._key is not None  # `open` refused the link otherwise
        return make_nonce(self._key, token)

    async def submit(
        self,
        token: str,
        nonce: str,
        values: Mapping[str, str],
        now: datetime | None = None,
    ) -> LinkSubmission:
        """Stores the form's report for the link's actor and meeting, once per nonce.

        Raises `LinkRefused` for a bad link or form, `bot.domain.reports.ReportError` for a
        report that cannot be taken (empty, unknown readiness level)."""
        context = await self.open(token, now)
        assert self._key is not None
        if not check_nonce(self._key, token, nonce):
            raise LinkRefused("stale_form")
        for name in FIELDS:
            if len(values.get(name, "")) > MAX_FIELD:
                field = self.t(f"report.field.{name}")
                raise ReportError("link.form.too_long", field=field, max=MAX_FIELD)
        report = report_from_fields(values, self.settings.reports.readiness_levels)
        try:
            outcome = await self.reports.submit_to_meeting(
                context.claim.meeting_id,
                context.actor,
                report,
                author=SOURCE_WEB_LINK,
                source=SOURCE_WEB_LINK,
                source_key=f"link:{nonce}",
            )
        except Refusal:
            raise LinkRefused("expired") from None
        if outcome is None:
            return LinkSubmission(context, stored=False)
        log.info(
            "report by link for %s to %s meeting %s",
            context.actor.id,
            context.forum.id,
            context.claim.meeting_id,
        )
        await self._tell_room(context, nonce)
        return LinkSubmission(context, stored=True, replaced=outcome.replaced)

    async def _tell_room(self, context: LinkContext, nonce: str) -> None:
        """A notice in the forum room, so the host sees the report came in (once per form)."""
        room_id = await self.forums.room_of(context.forum)
        if room_id is None:
            log.warning("forum room of %s unknown; report by link not announced", context.forum.id)
            return
        text = self.t("link.received", actor=context.actor.name, meeting=context.meeting_label)
        content = exercise_marked(self.t, notice(text), context.exercise)
        await self.outbox.post(room_id, content, dedupe_key=f"link-received:{nonce}")

    def _label(self, meeting: Meeting) -> str:
        if meeting.kind == MeetingKind.ACTIVATED:
            return self.t("picture.round", number=meeting.round_number)
        moment = meeting.scheduled_at or meeting.opened_at or self.clock.now()
        return when(self.t, moment, self.settings.zone)

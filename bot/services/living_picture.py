"""The living picture: while a meeting or round collects reports, the latest picture is one
message in the forum room, edited in place (``m.replace``) as reports come in and pinned
(``m.room.pinned_events``) where the bot may pin, instead of a new message per report in a room
that forty agencies read. The final picture at the deadline is a new message, as ever.

The living message is the picture's head (`render_picture_head`) within half an event's
budget: an edit carries the text twice (the fallback body and ``m.new_content``), and must
fit the same size rule as any message. Each update is an outbox row in the unit of work of
the report that caused it, so nothing is edited twice or lost across a crash.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ForumConfig
from bot.matrix.content import Content, notice
from bot.matrix.eventsize import BUDGET
from bot.matrix.sender import PIN, REPLACE
from bot.render.exercise import exercise_marked
from bot.render.picture import render_picture_head
from bot.services.core import Core, Service
from bot.services.forums import Forums
from bot.services.outbox import Outbox
from bot.services.pictures import PictureService
from storage import meetings, outbox
from storage.models.meetings import Meeting

#: Room for the edit's relation and the message's own keys around two copies of the head.
EDIT_BUDGET = BUDGET // 2 - 2048
PIN_TYPE = "m.room.pinned_events"


def edit_of(content: Content) -> Content:
    """`content` as an edit: a fallback body marked with "* " for clients without edits, and
    the new content itself (the sender adds the relation once it knows the event id)."""
    fallback = dict(content)
    fallback["body"] = f"* {content.get('body', '')}"
    if "formatted_body" in content:
        fallback["formatted_body"] = f"* {content['formatted_body']}"
    fallback["m.new_content"] = dict(content)
    return fallback


class LivingPicture(Service):
    def __init__(
        self, core: Core, outbox: Outbox, forums: Forums, pictures: PictureService
    ) -> None:
        super().__init__(core)
        self.outbox = outbox
        self.forums = forums
        self.pictures = pictures

    async def update(self, forum: ForumConfig, meeting_id: int) -> None:
        """After a report to `meeting_id` was stored: post, or edit, the living picture."""
        room_id = await self.forums.room_of(forum)
        if room_id is None or await self.forums.withholds(room_id):
            return
        async with self.db.session() as session:
            meeting = await meetings.get_meeting(session, meeting_id)
            if meeting is None or not self._collecting(meeting):
                return
            content = await self._content(session, forum, meeting)
            key = f"living:{meeting.id}"
            head = await outbox.find_by_dedupe_key(session, key)
            if head is None:
                head = await outbox.enqueue(
                    session, room_id=room_id, content=content, dedupe_key=key
                )
                await outbox.enqueue(
                    session,
                    room_id=room_id,
                    content={},
                    event_type=PIN_TYPE,
                    dedupe_key=f"{key}:pin",
                    relates_to=head.id,
                    relation=PIN,
                )
            else:
                await outbox.enqueue(
                    session,
                    room_id=room_id,
                    content=edit_of(content),
                    relates_to=head.id,
                    relation=REPLACE,
                )
            await session.commit()
        self.outbox.wake([room_id])

    def _collecting(self, meeting: Meeting) -> bool:
        """Called in and not yet at its deadline's picture."""
        return (
            meeting.call_in_at is not None
            and meeting.picture_at is None
            and meeting.state in meetings.ACTIVE_STATES
        )

    async def _content(
        self, session: AsyncSession, forum: ForumConfig, meeting: Meeting
    ) -> Content:
        picture = await self.pictures.compile(session, forum, meeting)
        note = self.t("picture.living_note")
        text, html = render_picture_head(
            picture,
            self.t,
            self.settings.zone,
            note,
            budget=EDIT_BUDGET,
            title_key="picture.living_title",
        )
        content = notice(text, html)
        return exercise_marked(self.t, content, picture.meeting.exercise)

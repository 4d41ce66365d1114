"""Joint regional direction (gemensam regional inriktning), example 4 of the model description:
drafted at samordnande level (the activated forum, or one of its working groups), adopted at
inriktande level, then sent to every home organisation and shown on top of the combined
pictures while the activation lasts.
"""

from __future__ import annotations

from bot.config import Level
from bot.domain.directions import parse_direction
from bot.domain.errors import Refusal
from bot.matrix.content import Content, notice
from bot.render.chat_html import labelled
from bot.render.direction import direction_rows
from bot.services.core import Core, Service
from bot.services.forums import Forums
from bot.services.outbox import ROUTINE, Outbox
from bot.services.summaries import SummaryService
from storage import activations, audit, directions, groups
from storage.models.directions import Direction, DirectionState


class DirectionService(Service):
    def __init__(
        self, core: Core, outbox: Outbox, forums: Forums, summaries: SummaryService
    ) -> None:
        super().__init__(core)
        self.outbox = outbox
        self.forums = forums
        self.summaries = summaries

    async def draft(self, user_id: str, room_id: str, text: str) -> Direction:
        """`!direction draft …` in an activated forum's room or one of its groups' rooms."""
        draft = parse_direction(text)
        async with self.db.session() as session:
            forum = await self.forums.of_room(room_id)
            group = await groups.by_room(session, room_id) if forum is None else None
            if group is not None:
                forum = self.settings.forum(group.forum_id)
            if forum is None:
                raise Refusal("direction.where")
            self.directory.require_participant(user_id, forum)
            running = await activations.active(session, forum.id)
            if running is None:
                raise Refusal("direction.not_activated", forum=forum.name)
            direction = await directions.draft(
                session,
                forum_id=forum.id,
                drafted_by=user_id,
                activation_id=running.id,
                goal=draft.goal,
                priorities=draft.priorities,
                guidelines=draft.guidelines,
                joint_messages=draft.messages,
                at=self.clock.now(),
            )
            await audit.record(
                session,
                at=self.clock.now(),
                actor=user_id,
                action="direction.draft",
                subject=f"direction:{direction.id}",
                details={"forum": forum.id, "group": group.slug if group else None},
            )
            await session.commit()
        return direction

    async def adopt(self, number: int, user_id: str, room_id: str) -> tuple[Direction, int]:
        """`!direction adopt N` in an inriktande forum's room, by its host function, an
        activator or an admin: sent to every participant's home room. Returns the rooms
        reached."""
        forum = await self.forums.of_room(room_id)
        if forum is None or forum.level != Level.INRIKTANDE:
            names = ", ".join(f.name for f in self.settings.forums if f.level == Level.INRIKTANDE)
            raise Refusal("direction.adopt_where", forums=names or "–")
        functions = set(self.directory.functions_of(user_id))
        allowed = {*forum.activators, *filter(None, [forum.host_function])}
        if not self.directory.is_admin(user_id) and not functions & allowed:
            raise Refusal(
                "perm.direction_adopt", forum=forum.name, functions=", ".join(sorted(allowed))
            )
        async with self.db.session() as session:
            direction = await directions.get(session, number)
            if direction is None:
                raise Refusal("direction.not_found", number=number)
            if direction.state != DirectionState.DRAFT:
                raise Refusal("direction.not_draft", number=number)
            directions.adopt(direction, by=user_id, forum_id=forum.id, now=self.clock.now())
            await audit.record(
                session,
                at=self.clock.now(),
                actor=user_id,
                action="direction.adopt",
                subject=f"direction:{direction.id}",
                details={"forum": forum.id},
            )
            content = self.content(direction)
            result = await self.summaries.send_home(
                session,
                forum,
                room_id,
                key=f"direction:{direction.id}",
                content_for=lambda _actor: content,
            )
            drafted_in = self.settings.forum(direction.forum_id)
            drafted_room = await self.forums.room_of(drafted_in) if drafted_in else None
            if drafted_room is not None and drafted_room != room_id:
                await self.outbox.add(session, drafted_room, content, priority=ROUTINE)
                result.rooms.add(drafted_room)
            await session.commit()
        self.outbox.wake(result.rooms)
        return direction, result.queued

    async def one(self, number: int | None) -> Direction:
        async with self.db.session() as session:
            if number is None:
                found = await directions.latest(session, 1)
                if not found:
                    raise Refusal("direction.none")
                return found[0]
            direction = await directions.get(session, number)
        if direction is None:
            raise Refusal("direction.not_found", number=number)
        return direction

    def content(self, direction: Direction) -> Content:
        """The direction as a message: the four parts, with who drafted and adopted it."""
        t = self.t
        key = (
            "direction.title_adopted"
            if direction.state == DirectionState.ADOPTED
            else ("direction.title_draft")
        )
        adopted_in = self.settings.forum(direction.adopted_forum_id or "")
        title = t(key, number=direction.id, forum=adopted_in.name if adopted_in else "–")
        return notice(*labelled(title, direction_rows(t, direction)))

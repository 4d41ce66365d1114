"""What a command handler gets: the event, the services, and a way to answer."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import ForumConfig
from bot.domain.errors import Refusal
from bot.matrix.content import in_reply_to, notice
from bot.matrix.incoming import Incoming
from bot.render.catalogue import Catalogue
from bot.render.chat_html import lines
from bot.render.exercise import exercise_marked
from bot.services import Services


def text_to_html(text: str) -> str:
    return str(lines(text))


@dataclass(frozen=True)
class CommandContext:
    incoming: Incoming
    services: Services

    @property
    def sender(self) -> str:
        return self.incoming.sender

    @property
    def room_id(self) -> str:
        return self.incoming.room_id

    @property
    def t(self) -> Catalogue:
        return self.services.catalogue

    async def reply(
        self, text: str, formatted: str | None = None, *, exercise: bool = False
    ) -> None:
        """Answers the command with a reply; routine output is an `m.notice`, never a ping.

        Marked as an exercise when it is about one, or in the room of a forum that is
        activated for an exercise, so nothing said there is mistaken for the real thing."""
        content = notice(text, formatted if formatted is not None else text_to_html(text))
        if exercise or self.room_id in self.services.activations.exercise_rooms:
            content = exercise_marked(self.t, content)
        content = in_reply_to(
            content, self.incoming.event_id, thread_root=self.incoming.thread_root
        )
        await self.services.outbox.post(self.room_id, content)

    async def forum(self, name: str | None, command: str) -> ForumConfig:
        """The forum named in the command, else the forum whose room this is."""
        forums = self.services.forums
        if name:
            found = forums.find(name)
            if found is None:
                known = ", ".join(f.id for f in self.services.settings.forums)
                raise Refusal("forum.unknown", name=name, forums=known)
            return found
        here = await forums.of_room(self.room_id)
        if here is None:
            example = self.services.settings.forums[0].id if self.services.settings.forums else ""
            raise Refusal("forum.not_here", command=command, example=example)
        return here

    def require_host(self, forum: ForumConfig) -> None:
        """Hosting acts (opening, closing, sending summaries) need the forum's host function."""
        if not self.services.directory.may_host(self.sender, forum):
            raise Refusal("perm.host", forum=forum.name, function=forum.host_function or "–")

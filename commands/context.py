"""What a command handler gets: the event, the services, and a way to answer."""

from __future__ import annotations

import html
from dataclasses import dataclass

from bot.matrix.content import in_reply_to, notice
from bot.matrix.incoming import Incoming
from bot.render.catalogue import Catalogue
from bot.services import Services


def text_to_html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


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

    async def reply(self, text: str, formatted: str | None = None) -> None:
        """Answers the command with a reply; routine output is an `m.notice`, never a ping."""
        content = in_reply_to(
            notice(text, formatted if formatted is not None else text_to_html(text)),
            self.incoming.event_id,
            thread_root=self.incoming.thread_root,
        )
        await self.services.outbox.post(self.room_id, content)

"""Every event the dispatcher passes on goes to the first handler that wants it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.matrix.incoming import Incoming
from bot.services import Services
from commands.reactions import Reactions
from commands.router import CommandRouter
from commands.threads import ThreadReports


class EventRouter:
    def __init__(
        self, services: Services, discard: Callable[[], Awaitable[None]] | None = None
    ) -> None:
        self.commands = CommandRouter(services, discard=discard)
        self.handlers = (
            self.commands,
            ThreadReports(services, self.commands),
            Reactions(services, self.commands),
        )

    def wants(self, incoming: Incoming) -> bool:
        return any(handler.wants(incoming) for handler in self.handlers)

    async def handle(self, incoming: Incoming) -> None:
        for handler in self.handlers:
            if handler.wants(incoming):
                await handler.handle(incoming)
                return

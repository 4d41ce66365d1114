"""A reply in a call-in's thread counts as `!status` with that text."""

from __future__ import annotations

from bot.matrix.incoming import Incoming
from bot.services import Services
from commands.context import CommandContext
from commands.reports import submit_report
from commands.router import CommandRouter, split_command


class ThreadReports:
    def __init__(self, services: Services, commands: CommandRouter) -> None:
        self.services = services
        self.commands = commands

    def wants(self, incoming: Incoming) -> bool:
        return (
            incoming.kind == "message"
            and incoming.thread_root is not None
            and split_command(incoming.body) is None
        )

    async def handle(self, incoming: Incoming) -> None:
        assert incoming.thread_root is not None
        forum = await self.services.conference.forum_of_call_in(incoming.thread_root)
        if forum is None:
            return  # a thread about something else
        ctx = CommandContext(incoming, self.services)
        await self.commands.guarded(
            ctx, "status", "status", submit_report(ctx, forum, incoming.body, None)
        )

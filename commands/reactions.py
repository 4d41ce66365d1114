"""A ✅ on an alert acknowledges it; a ✅ or ❌ by an activator on an activation request (the
bot's ping, or the requester's own `!activate`) confirms or declines it."""

from __future__ import annotations

from bot.domain.activation import APPROVE_KEYS, DECLINE_KEYS
from bot.matrix.incoming import Incoming
from bot.services import Services
from commands.context import CommandContext
from commands.router import CommandRouter


class Reactions:
    def __init__(self, services: Services, commands: CommandRouter) -> None:
        self.services = services
        self.commands = commands

    def wants(self, incoming: Incoming) -> bool:
        return (
            incoming.kind == "reaction"
            and incoming.relates_to is not None
            and (incoming.key in APPROVE_KEYS or incoming.key in DECLINE_KEYS)
        )

    async def handle(self, incoming: Incoming) -> None:
        ctx = CommandContext(incoming, self.services)
        await self.commands.guarded(ctx, "ack", "ack", self._answer(ctx))

    async def _answer(self, ctx: CommandContext) -> None:
        incoming, services = ctx.incoming, self.services
        assert incoming.relates_to is not None
        approve = incoming.key in APPROVE_KEYS
        if approve:
            acked = await services.alerts.acknowledge_reaction(incoming.relates_to, ctx.sender)
            if acked is not None:
                if not await services.alerts.is_alerts_room(ctx.room_id):
                    listed = ", ".join(
                        ctx.t("alert.acked_one", id=a.id, function=a.function) for a in acked.alerts
                    )
                    await ctx.reply(ctx.t("alert.acked", alerts=listed), exercise=acked.exercise)
                return
        await services.activations.answer_reaction(incoming.relates_to, ctx.sender, approve)

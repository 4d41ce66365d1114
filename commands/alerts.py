"""Alerts by hand: `!alert FUNCTION message`, `!ack [N]`, `!alerts [N]`."""

from __future__ import annotations

from bot.domain.access import Rule, Scope, Who
from bot.render.timeline import render_alert_list, render_alert_status
from commands.activation import EXERCISE
from commands.args import MAX_NUMBER, Rest, Word
from commands.context import CommandContext
from commands.permissions import MEMBER
from commands.registry import command


def alert_number(text: str) -> int:
    """`3`, `#3` → 3."""
    number = int(text.lstrip("#"))
    if not 1 <= number <= MAX_NUMBER:
        raise ValueError(text)
    return number


@command(
    "alert",
    "larma",
    args=(EXERCISE, Word("function", convert=str.casefold), Rest("message")),
    rule=Rule(Who.ACTIVATOR | Who.HOST | Who.ESCALATION, Scope.ANY),
)
async def alert(ctx: CommandContext, exercise: bool, function: str, message: str) -> None:
    services = ctx.services
    forum = await services.forums.of_room(ctx.room_id)
    running = await services.activations.active_in(forum) if forum else None
    raised = await services.alerts.raise_now(
        function=function,
        message=message,
        raised_by=ctx.sender,
        exercise=exercise or bool(running and running.exercise),
        activation_id=running.id if running else None,
    )
    text = ctx.t(
        "alert.raised", id=raised.id, count=len(raised.recipients), function=raised.function
    )
    await ctx.reply(text, exercise=raised.exercise)


@command("ack", "kvittera", args=(Word("alert", optional=True, convert=alert_number),), rule=MEMBER)
async def ack(ctx: CommandContext, alert: int | None) -> None:
    outcome = await ctx.services.alerts.acknowledge(ctx.sender, alert, "command")
    listed = ", ".join(
        ctx.t("alert.acked_one", id=a.id, function=a.function) for a in outcome.alerts
    )
    await ctx.reply(ctx.t("alert.acked", alerts=listed), exercise=outcome.exercise)


@command(
    "alerts", "larmlista", args=(Word("alert", optional=True, convert=alert_number),), rule=MEMBER
)
async def alerts(ctx: CommandContext, alert: int | None) -> None:
    services, zone = ctx.services, ctx.services.settings.zone
    if alert is not None:
        one = await services.alerts.records.one(alert)
        text, formatted = render_alert_status(ctx.t, zone, one)
        await ctx.reply(text, formatted, exercise=one.exercise)
        return
    text, formatted = render_alert_list(ctx.t, zone, await services.alerts.records.recent())
    await ctx.reply(text, formatted)

"""`!status` / `!läge`: your actor's situation report for the forum's current meeting."""

from __future__ import annotations

from bot.config import ForumConfig
from bot.domain.access import Rule, Scope, Who
from bot.matrix.content import reaction
from bot.render.picture import render_receipt
from bot.render.times import when
from commands.args import Option, Rest
from commands.context import CommandContext
from commands.registry import command


async def submit_report(
    ctx: CommandContext, forum: ForumConfig, text: str, actor: str | None
) -> None:
    """Stores the report, reacts ✅ on it and confirms with the actor's name."""
    services = ctx.services
    outcome = await services.reports.submit(
        forum, ctx.sender, text, actor_id=actor, event_id=ctx.incoming.event_id
    )
    t = ctx.t
    lines = [render_receipt(t, outcome.actor.name, outcome.report)]
    if outcome.replaced:
        lines.append(t("report.replaced"))
    if outcome.moved and outcome.meeting_at is not None:
        next_at = when(t, outcome.meeting_at, services.settings.zone)
        lines.append(t(f"report.moved.{outcome.moved}", when=next_at))
    await services.outbox.post(
        ctx.room_id, reaction(ctx.incoming.event_id, "✅"), event_type="m.reaction"
    )
    await ctx.reply(" ".join(lines))


@command(
    "status",
    "läge",
    args=(Option("actor", "--actor", "--aktör"), Rest("report", optional=True)),
    rule=Rule(Who.PARTICIPANT, Scope.ROOM),
)
async def status(ctx: CommandContext, actor: str | None, report: str | None) -> None:
    forum = await ctx.forum(None, "status")
    await submit_report(ctx, forum, report or "", actor)

"""Activated mode: `!activate`, `!deactivate`, `!host`."""

from __future__ import annotations

from bot.config import ForumConfig
from bot.domain.access import Rule, Scope, Who
from bot.domain.errors import Refusal
from bot.render.commands import render_activation_outcome
from commands.args import Flag, Rest
from commands.context import CommandContext
from commands.permissions import MEMBER
from commands.registry import command

EXERCISE_SPELLINGS = ("--exercise", "--övning", "--ovning")
EXERCISE = Flag("exercise", *EXERCISE_SPELLINGS)


def without_exercise_flag(text: str) -> tuple[str, bool]:
    """The flag may also follow the forum name (`!aktivera samordnande --övning snö`)."""
    words = text.split(" ")
    kept = [w for w in words if w.casefold() not in EXERCISE_SPELLINGS]
    return " ".join(kept).strip(), len(kept) != len(words)


def split_forum(ctx: CommandContext, text: str) -> tuple[ForumConfig, str | None]:
    """`regionalt samordnande forum snö väntas` → (that forum, "snö väntas"): the longest run
    of leading words that names a forum that can be activated; the rest is the reason."""
    words = text.split()
    for count in range(len(words), 0, -1):
        found = ctx.services.forums.find(" ".join(words[:count]))
        if found is not None and found in ctx.services.forums.activatable():
            reason = " ".join(words[count:]).strip()
            return found, reason or None
    return ctx.services.forums.find_activatable(words[0] if words else ""), None


@command("activate", "aktivera", args=(EXERCISE, Rest("forum")), rule=MEMBER)
async def activate(ctx: CommandContext, exercise: bool, forum: str) -> None:
    text, flagged = without_exercise_flag(forum)
    found, reason = split_forum(ctx, text)
    activations = ctx.services.activations
    outcome = await activations.activate(
        found,
        ctx.sender,
        reason=reason,
        exercise=exercise or flagged,
        event_id=ctx.incoming.event_id,
    )
    settings, row = ctx.services.settings, outcome.activation
    text = render_activation_outcome(
        ctx.t,
        settings.zone,
        outcome.decision,
        found.name,
        alerted=outcome.alerted,
        activators=found.activators,
        request_minutes=int(settings.alerts.request_timeout.total_seconds() // 60),
        activated_at=row.activated_at,
        activated_by=row.activated_by,
        requested_at=row.requested_at,
        requested_by=row.requested_by,
    )
    await ctx.reply(text, exercise=row.exercise)


@command(
    "deactivate",
    "avaktivera",
    args=(Rest("forum", optional=True),),
    rule=Rule(Who.ACTIVATOR, Scope.FORUM_ARG),
)
async def deactivate(ctx: CommandContext, forum: str | None) -> None:
    activations = ctx.services.activations
    found = (
        ctx.services.forums.find_activatable(forum)
        if forum
        else await ctx.forum(None, "deactivate")
    )
    row = await activations.deactivate(found, ctx.sender)
    if row.state == "declined":
        await ctx.reply(ctx.t("activation.request_declined", forum=found.name))
    else:
        text = ctx.t("activation.deactivated", forum=found.name, by=ctx.sender)
        await ctx.reply(text, exercise=row.exercise)


@command("host", "värd", args=(Rest("actor"),), rule=Rule(Who.ACTIVATOR | Who.HOST, Scope.ROOM))
async def host(ctx: CommandContext, actor: str) -> None:
    found = await ctx.forum(None, "host")
    if found not in ctx.services.forums.activatable():
        raise Refusal("activation.host_here")
    chosen = await ctx.services.activations.set_host(found, ctx.sender, actor)
    await ctx.reply(ctx.t("activation.host_set", forum=found.name, host=chosen.name, by=ctx.sender))

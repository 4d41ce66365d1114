"""The meeting routine by hand: `!picture`, `!missing`, `!meeting`, `!summary`, `!calendar`."""

from __future__ import annotations

from bot.domain.access import Rule, Scope, Who
from bot.render.commands import render_calendar
from bot.scheduling.schedules import next_occurrences
from commands.args import Rest, Word
from commands.context import CommandContext
from commands.permissions import ANYONE
from commands.registry import command

START = {"start", "starta", "open", "öppna"}
CLOSE = {"close", "avsluta", "stäng", "end"}


def _action(word: str) -> str:
    folded = word.casefold()
    if folded in START:
        return "start"
    if folded in CLOSE:
        return "close"
    raise ValueError(word)


@command(
    "picture",
    "lägesbild",
    args=(Rest("forum", optional=True),),
    rule=Rule(Who.PARTICIPANT, Scope.FORUM_ARG),
)
async def picture(ctx: CommandContext, forum: str | None) -> None:
    found = await ctx.forum(forum, "picture")
    await ctx.services.conference.picture_now(found, reply_to=ctx.incoming.event_id)


@command(
    "missing",
    "saknas",
    args=(Rest("forum", optional=True),),
    rule=Rule(Who.PARTICIPANT, Scope.FORUM_ARG),
)
async def missing(ctx: CommandContext, forum: str | None) -> None:
    found = await ctx.forum(forum, "missing")
    _, absent = await ctx.services.conference.missing_now(found)
    if not absent:
        await ctx.reply(ctx.t("missing.none", forum=found.name))
        return
    names = ", ".join(f"{a.name} ({a.id})" for a in absent)
    await ctx.reply(ctx.t("missing.some", forum=found.name, count=len(absent), actors=names))


@command(
    "meeting",
    "möte",
    args=(Word("action", convert=_action), Rest("forum", optional=True)),
    rule=Rule(Who.HOST, Scope.FORUM_ARG),
)
async def meeting(ctx: CommandContext, action: str, forum: str | None) -> None:
    found = await ctx.forum(forum, "meeting")
    ctx.require_host(found)
    conference = ctx.services.conference
    if action == "start":
        _, opened = await conference.open_by_hand(found)
        key = "meeting.started" if opened else "meeting.already_open"
        await ctx.reply(ctx.t(key, forum=found.name))
    else:
        await conference.close_by_hand(found)
        await ctx.reply(ctx.t("meeting.closed", forum=found.name))


@command(
    "summary",
    "sammanfattning",
    args=(Rest("forum", optional=True),),
    rule=Rule(Who.HOST, Scope.FORUM_ARG),
)
async def summary(ctx: CommandContext, forum: str | None) -> None:
    found = await ctx.forum(forum, "summary")
    ctx.require_host(found)
    queued, already = await ctx.services.conference.summaries_now(found)
    await ctx.reply(ctx.t("summary.sent", forum=found.name, queued=queued, already=already))


@command("calendar", "kalender", rule=ANYONE)
async def calendar(ctx: CommandContext) -> None:
    settings = ctx.services.settings
    now = ctx.services.clock.now()
    rows = []
    for forum in ctx.services.forums.scheduled():
        trigger = forum.trigger(settings.zone)
        if trigger is None:
            continue
        for moment in next_occurrences(trigger, now, 2):
            rows.append((moment, forum.name))
    rows.sort()
    if not rows:
        await ctx.reply(ctx.t("calendar.empty"))
        return
    await ctx.reply(*render_calendar(ctx.t, settings.zone, rows[:10]))

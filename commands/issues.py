"""Issues (ärenden): `!raise`, `!issues`, `!issue`, `!escalate`, `!assign`, `!decide`,
`!followup`, `!close`."""

from __future__ import annotations

from bot.domain.access import Rule, Scope, Who
from bot.render.issue import render_issue, render_issue_list
from commands.args import MAX_NUMBER, Rest, Word
from commands.context import CommandContext
from commands.permissions import MEMBER
from commands.registry import command

ALL = {"all", "alla"}


def issue_number(text: str) -> int:
    """`12`, `#12` → 12."""
    number = int(text.lstrip("#"))
    if not 1 <= number <= MAX_NUMBER:
        raise ValueError(text)
    return number


NUMBER = Word("number", convert=issue_number)


@command("raise", "lyft", args=(Rest("title"),), rule=Rule(Who.PARTICIPANT, Scope.ROOM))
async def raise_(ctx: CommandContext, title: str) -> None:
    forum = await ctx.forum(None, "raise")
    issue = await ctx.services.issues.raise_issue(forum, ctx.sender, title, ctx.incoming.event_id)
    await ctx.reply(ctx.t("issue.raised", number=issue.number, forum=forum.name, title=issue.title))


@command("issues", "ärenden", args=(Rest("forum", optional=True),), rule=MEMBER)
async def list_issues(ctx: CommandContext, forum: str | None) -> None:
    if forum is not None and forum.casefold() in ALL:
        found = None
        title = ctx.t("issue.list.title_all")
    else:
        found = await ctx.forum(forum, "issues")
        title = ctx.t("issue.list.title_forum", forum=found.name)
    views = await ctx.services.issues.open_issues(found)
    text, formatted = render_issue_list(ctx.t, ctx.services.settings.zone, views, title)
    await ctx.reply(text, formatted)


@command("issue", "ärende", args=(NUMBER,), rule=MEMBER)
async def show_issue(ctx: CommandContext, number: int) -> None:
    view = await ctx.services.issues.view(number)
    text, formatted = render_issue(ctx.t, ctx.services.settings.zone, view)
    await ctx.reply(text, formatted)


@command(
    "escalate", "eskalera", args=(NUMBER, Rest("forum")), rule=Rule(Who.PARTICIPANT, Scope.ISSUE)
)
async def escalate(ctx: CommandContext, number: int, forum: str) -> None:
    source, target = await ctx.services.issues.escalate(number, forum, ctx.sender)
    await ctx.reply(ctx.t("issue.escalated", number=number, source=source, target=target))


@command(
    "assign", "tilldela", args=(NUMBER, Rest("owner")), rule=Rule(Who.PARTICIPANT, Scope.ISSUE)
)
async def assign(ctx: CommandContext, number: int, owner: str) -> None:
    label = await ctx.services.issues.assign(number, owner, ctx.sender)
    await ctx.reply(ctx.t("issue.assigned", number=number, owner=label))


@command("decide", "besluta", args=(NUMBER, Rest("decision")), rule=Rule(Who.HOST, Scope.ISSUE))
async def decide(ctx: CommandContext, number: int, decision: str) -> None:
    await ctx.services.issues.decide(number, decision, ctx.sender)
    await ctx.reply(ctx.t("issue.decided", number=number))


@command(
    "followup",
    "uppfölj",
    "följupp",
    args=(NUMBER, Rest("date")),
    rule=Rule(Who.PARTICIPANT, Scope.ISSUE),
)
async def followup(ctx: CommandContext, number: int, date: str) -> None:
    at = await ctx.services.issues.schedule_followup(number, date, ctx.sender)
    await ctx.reply(ctx.t("issue.followup_set", number=number, when=ctx.services.issues.when(at)))


@command(
    "close",
    "stäng",
    args=(NUMBER, Rest("note", optional=True)),
    rule=Rule(Who.PARTICIPANT, Scope.ISSUE),
)
async def close(ctx: CommandContext, number: int, note: str | None) -> None:
    await ctx.services.issues.close(number, note, ctx.sender)
    await ctx.reply(ctx.t("issue.closed", number=number))

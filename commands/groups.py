"""Working groups: `!group create|assign|report`, `!groups`; joint direction: `!direction`."""

from __future__ import annotations

from bot.domain.access import Rule, Scope, Who
from bot.domain.errors import Refusal
from bot.render.chat_html import before
from bot.render.commands import render_group_list
from commands.args import Rest, Word
from commands.context import CommandContext
from commands.issues import issue_number
from commands.permissions import MEMBER
from commands.registry import command

GROUP_ACTIONS = {
    "create": "create",
    "skapa": "create",
    "bilda": "create",
    "assign": "assign",
    "tilldela": "assign",
    "add": "assign",
    "report": "report",
    "rapport": "report",
    "rapportera": "report",
}
DIRECTION_ACTIONS = {
    "draft": "draft",
    "utkast": "draft",
    "förslag": "draft",
    "adopt": "adopt",
    "fastställ": "adopt",
    "faststall": "adopt",
    "show": "show",
    "visa": "show",
}
TASK_SPELLINGS = ("--task", "--uppdrag")


def split_task(text: str) -> tuple[str, str | None]:
    """`analys --uppdrag Analysera läget` → ("analys", "Analysera läget")."""
    lowered = text.casefold()
    for spelling in TASK_SPELLINGS:
        at = lowered.find(spelling)
        if at >= 0:
            return text[:at].strip(), text[at + len(spelling) :].strip() or None
    return text.strip(), None


def _head(text: str) -> tuple[str, str]:
    head, _, rest = text.strip().partition(" ")
    name, newline, after = head.partition("\n")
    return (name, after + (" " + rest if rest else "")) if newline else (name, rest)


@command(
    "group",
    "grupp",
    args=(Word("action"), Rest("rest", optional=True)),
    actions=GROUP_ACTIONS,
    rules={
        "create": Rule(Who.PARTICIPANT, Scope.ROOM),
        "assign": Rule(Who.PARTICIPANT, Scope.GROUP),
        "report": Rule(Who.PARTICIPANT | Who.GROUP_MEMBER, Scope.GROUP),
    },
)
async def group(ctx: CommandContext, action: str, rest: str | None) -> None:
    services, t = ctx.services, ctx.t
    chosen = GROUP_ACTIONS.get(action.casefold())
    if chosen is None:
        raise Refusal("group.unknown_action", action=action)
    rest = (rest or "").strip()
    if chosen == "create":
        name, task = split_task(rest)
        forum = await ctx.forum(None, "group")
        made = await services.groups.create(
            forum, ctx.sender, name, task, request=ctx.incoming.event_id
        )
        await ctx.reply(t("group.created", name=made.name, forum=forum.name, slug=made.slug))
        return
    ref, more = _head(rest)
    if not ref:
        raise Refusal("group.unknown", name="–", groups="–")
    if chosen == "assign":
        found, added = await services.groups.assign(ref, more.split(), ctx.sender, ctx.room_id)
        if added:
            labels = ", ".join(added)
            await ctx.reply(t("group.assigned", name=found.name, members=labels))
        else:
            await ctx.reply(t("group.nothing_added", name=found.name))
        return
    if not more.strip():
        raise Refusal("group.empty_report")
    found = await services.groups.report(
        ref, more.strip(), ctx.sender, ctx.room_id, ctx.incoming.event_id
    )
    parent = services.settings.forum(found.forum_id)
    await ctx.reply(t("group.reported", name=found.name, forum=parent.name if parent else "–"))


@command("groups", "grupper", rule=MEMBER)
async def groups(ctx: CommandContext) -> None:
    t = ctx.t
    listing = await ctx.services.groups.listing()
    if not listing:
        await ctx.reply(t("group.list.none"))
        return
    await ctx.reply(*render_group_list(t, listing))


def _direction_number(text: str | None) -> int | None:
    """`2`, `#2` → 2; None when no number is given (the latest)."""
    if not text or not text.strip():
        return None
    try:
        return issue_number(text.strip())
    except ValueError:
        raise Refusal("direction.bad_number", value=text.strip()) from None


@command(
    "direction",
    "inriktning",
    args=(Word("action"), Rest("rest", optional=True)),
    actions=DIRECTION_ACTIONS,
    rules={
        "draft": Rule(Who.PARTICIPANT, Scope.ROOM),
        "adopt": Rule(Who.ACTIVATOR | Who.HOST, Scope.ROOM),
        "show": MEMBER,
    },
)
async def direction(ctx: CommandContext, action: str, rest: str | None) -> None:
    services, t = ctx.services, ctx.t
    chosen = DIRECTION_ACTIONS.get(action.casefold())
    if chosen is None:
        raise Refusal("direction.unknown_action", action=action)
    if chosen == "draft":
        drafted = await services.directions.draft(ctx.sender, ctx.room_id, rest or "")
        content = services.directions.content(drafted)
        drafted_text = t("direction.drafted", number=drafted.id)
        await ctx.reply(
            *before(drafted_text, (str(content["body"]), str(content["formatted_body"])))
        )
        return
    number = _direction_number(rest)
    if chosen == "adopt":
        if number is None:
            raise Refusal("direction.not_found", number="?")
        adopted, rooms = await services.directions.adopt(number, ctx.sender, ctx.room_id)
        await ctx.reply(t("direction.adopted", number=adopted.id, rooms=rooms))
        return
    shown = services.directions.content(await services.directions.one(number))
    await ctx.reply(str(shown["body"]), str(shown["formatted_body"]))

"""Duty rosters: `!duty` shows who is on duty; `!duty take|give|release` override it."""

from __future__ import annotations

import re

from bot.domain.errors import Refusal
from bot.render.duty import render_duty_list
from bot.render.times import when
from commands.args import Rest, Word
from commands.context import CommandContext
from commands.permissions import MEMBER
from commands.registry import command

DUTY_ACTIONS = {
    "show": "show",
    "visa": "show",
    "take": "take",
    "ta": "take",
    "give": "give",
    "ge": "give",
    "release": "release",
    "släpp": "release",
    "slapp": "release",
}
_UNTIL = re.compile(r"^(?P<head>.*?)(?:\s+(?:until|till|to)\s+(?P<until>.+))?$", re.S | re.I)
_USER = re.compile(r"^@[^:\s]+:\S+$")


def split_until(text: str) -> tuple[list[str], str | None]:
    """`tib @bo:x till fre 08:00` → (["tib", "@bo:x"], "fre 08:00")."""
    match = _UNTIL.match(text.strip())
    assert match is not None  # the pattern matches any text
    return match["head"].split(), (match["until"] or None)


@command(
    "duty",
    "tjänst",
    "tjanst",
    args=(Word("action", optional=True), Rest("rest", optional=True)),
    actions=DUTY_ACTIONS,
    rules={"show": MEMBER, "take": MEMBER, "give": MEMBER, "release": MEMBER},
)
async def duty(ctx: CommandContext, action: str | None, rest: str | None) -> None:
    services, t = ctx.services, ctx.t
    chosen = DUTY_ACTIONS.get((action or "show").casefold())
    if chosen is None:
        raise Refusal("duty.usage")
    if chosen == "show":
        await _show(ctx)
        return
    words, until = split_until(rest or "")
    if not words:
        raise Refusal("duty.usage")
    function = words[0].casefold()
    if chosen == "take" and len(words) == 1:
        change = await services.duty.take(ctx.sender, function, until)
    elif chosen == "give" and len(words) == 2 and _USER.match(words[1]):
        admin = services.directory.is_admin(ctx.sender)
        change = await services.duty.give(ctx.sender, function, words[1], until, admin=admin)
    elif chosen == "release" and len(words) == 1 and until is None:
        change = await services.duty.release(ctx.sender, function)
        await services.handoff.changed(change)
        await ctx.reply(t("duty.released", function=change.function, holder=change.incoming or "–"))
        return
    else:
        raise Refusal("duty.usage")
    await services.handoff.changed(change)
    current = services.duty.on_duty(change.function)
    until_at = current.until if current else None
    zone = services.settings.zone
    await ctx.reply(
        t(
            "duty.taken",
            user=change.incoming,
            function=change.function,
            when=when(t, until_at, zone) if until_at else "–",
        )
    )


async def _show(ctx: CommandContext) -> None:
    services = ctx.services
    lines = services.duty.lines()
    text, formatted = render_duty_list(ctx.t, services.settings.zone, lines)
    await ctx.reply(text, formatted)

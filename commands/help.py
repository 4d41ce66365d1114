"""`!help [command]` / `!hjälp`: the list of commands, or one explained."""

from __future__ import annotations

from bot.render.commands import render_command_help, render_help
from commands.args import Word
from commands.context import CommandContext
from commands.permissions import ANYONE
from commands.registry import command, registry


@command("help", "hjälp", args=(Word("command", optional=True),), rule=ANYONE)
async def help_(ctx: CommandContext, command: str | None) -> None:
    t = ctx.t
    if command:
        spec = registry.find(command.lstrip("!"))
        if spec is None:
            await ctx.reply(t("help.unknown_topic", name=command))
            return
        await ctx.reply(*render_command_help(t, spec))
        return
    await ctx.reply(*render_help(t, list(registry)))

"""`!help [command]` / `!hjälp`: the list of commands, or one explained."""

from __future__ import annotations

import html

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
        names = ", ".join(f"!{n}" for n in spec.names)
        text = (
            f"!{spec.name}: {t(f'cmd.{spec.name}.summary')}\n"
            f"{t('help.usage')}: {t(f'cmd.{spec.name}.usage')}\n"
            f"{t('help.aliases')}: {names}"
        )
        formatted = (
            f"<p><b>!{html.escape(spec.name)}</b>: {html.escape(t(f'cmd.{spec.name}.summary'))}</p>"
            f"<p>{t('help.usage')}: <code>{html.escape(t(f'cmd.{spec.name}.usage'))}</code><br>"
            f"{t('help.aliases')}: {html.escape(names)}</p>"
        )
        await ctx.reply(text, formatted)
        return
    lines = [f"{t(f'cmd.{s.name}.usage')}: {t(f'cmd.{s.name}.summary')}" for s in registry]
    items = "".join(
        f"<li><code>{html.escape(t(f'cmd.{s.name}.usage'))}</code>: "
        f"{html.escape(t(f'cmd.{s.name}.summary'))}</li>"
        for s in registry
    )
    text = "\n".join([t("help.title"), *lines, "", t("help.footer")])
    formatted = f"<h4>{t('help.title')}</h4><ul>{items}</ul><p>{html.escape(t('help.footer'))}</p>"
    await ctx.reply(text, formatted)

"""From a message to a handler: parse the name, check permission, parse arguments, run.

Every way a command can go wrong ends in a reply that says why and how to do it right; a
failing handler is logged and answered, never fatal to the bot.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Awaitable

from bot.domain.errors import RuleError
from bot.matrix.incoming import Incoming
from bot.services import Services
from bot.services.errors import Refusal
from commands.args import ArgumentError, parse_args
from commands.context import CommandContext
from commands.registry import Registry, registry

log = logging.getLogger(__name__)

PREFIX = "!"


def split_command(body: str) -> tuple[str, str] | None:
    """`"!status --actor lst\\nläge: …"` → `("status", "--actor lst\\nläge: …")`."""
    text = body.lstrip()
    if not text.startswith(PREFIX) or len(text) == 1 or text[1].isspace():
        return None
    head, _, rest = text[1:].partition(" ")
    name, newline, after = head.partition("\n")
    if newline:
        rest = after + (" " + rest if rest else "")
    return name.casefold(), rest


class CommandRouter:
    """Implements the dispatcher's EventHandler for chat commands."""

    def __init__(self, services: Services, commands: Registry = registry) -> None:
        self.services = services
        self.commands = commands
        self.handled = 0

    def wants(self, incoming: Incoming) -> bool:
        return incoming.kind == "message" and split_command(incoming.body) is not None

    async def handle(self, incoming: Incoming) -> None:
        parsed = split_command(incoming.body)
        if parsed is None:
            return
        name, rest = parsed
        ctx = CommandContext(incoming, self.services)
        t = self.services.catalogue
        spec = self.commands.find(name)
        if spec is None:
            close = difflib.get_close_matches(name, self.commands.all_names(), n=1, cutoff=0.5)
            if close:
                await ctx.reply(t("router.unknown", name=name, suggestion=close[0]))
            else:
                await ctx.reply(t("router.unknown_no_suggestion", name=name))
            return
        if spec.permission is not None:
            refusal = spec.permission(ctx)
            if refusal is not None:
                await ctx.reply(t("router.refused", name=name, reason=t(refusal)))
                return
        try:
            kwargs = parse_args(spec.args, rest)
        except ArgumentError as exc:
            error = t(exc.key, **exc.values)
            await ctx.reply(t("router.usage", error=error, usage=t(f"cmd.{spec.name}.usage")))
            return
        self.handled += 1
        await self.guarded(ctx, name, spec.handler(ctx, **kwargs))

    async def guarded(self, ctx: CommandContext, name: str, work: Awaitable[None]) -> None:
        """Runs a command's work: a refusal is answered with its reason, a bug is logged and
        answered, and neither stops the bot."""
        t = self.services.catalogue
        try:
            await work
        except (Refusal, RuleError) as refusal:
            reason = t(refusal.key, **refusal.values)
            if refusal.key.startswith("perm."):  # the same words as the router's own refusals
                reason = t("router.refused", name=name, reason=reason)
            await ctx.reply(reason)
        except Exception:
            log.exception("command !%s failed for %s", name, ctx.sender)
            await ctx.reply(t("router.failed", name=name))

"""From a message to a handler: limits, name, permission (the table in `commands.permissions`),
arguments, run.

Every way a command can go wrong ends in a reply that says why and how to do it right; a
failing handler is logged and answered, never fatal to the bot.
"""

from __future__ import annotations

import difflib
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable, Mapping

from bot.domain.access import judge_membership
from bot.domain.errors import Refusal
from bot.domain.ratelimit import CommandRateLimit, Verdict
from bot.matrix.inbox import is_transient
from bot.matrix.incoming import Incoming
from bot.observability import metrics
from bot.services import Services
from commands.args import ArgumentError, parse_args
from commands.context import CommandContext
from commands.registry import Registry, registry

log = logging.getLogger(__name__)

PREFIX = "!"


#: The name ends at any whitespace (a tab, a no-break space, a line break, also CR LF); that
#: one separator is dropped and the rest is kept as typed.
_COMMAND = re.compile(r"(\S+)(?:\r\n|\s)?(.*)", re.DOTALL)


def split_command(body: str) -> tuple[str, str] | None:
    """`"!status --actor lst\\nläge: …"` → `("status", "--actor lst\\nläge: …")`."""
    text = body.lstrip()
    if not text.startswith(PREFIX) or len(text) == 1 or text[1].isspace():
        return None
    found = _COMMAND.match(text, 1)
    assert found is not None  # text[1] is not whitespace, so \S+ matches
    return found.group(1).casefold(), found.group(2)


class CommandRouter:
    """Implements the dispatcher's EventHandler for chat commands."""

    def __init__(
        self,
        services: Services,
        commands: Registry = registry,
        discard: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.services = services
        self.commands = commands
        #: Rolls back what a command did before it failed (the unit of work it runs in), so
        #: a refusal or a bug leaves nothing but the answer.
        self.discard = discard
        self.handled = 0
        limits = services.settings.limits
        self.rate = CommandRateLimit(limits.commands_per_window, limits.window.total_seconds())

    def wants(self, incoming: Incoming) -> bool:
        return incoming.kind == "message" and split_command(incoming.body) is not None

    async def handle(self, incoming: Incoming) -> None:
        parsed = split_command(incoming.body)
        if parsed is None:
            return
        ctx = CommandContext(incoming, self.services)
        spec = self.commands.find(parsed[0])
        outcome = await self._route(ctx, *parsed)
        metrics.command_finished(spec.name if spec else "unknown", outcome)

    async def _route(self, ctx: CommandContext, name: str, rest: str) -> str:
        """Handles the command; returns its outcome for the metrics."""
        t = self.services.catalogue
        limited = await self._within_limits(ctx)
        if limited is not None:
            return limited
        spec = self.commands.find(name)
        if spec is None:
            close = difflib.get_close_matches(name, self.commands.all_names(), n=1, cutoff=0.5)
            if close:
                await ctx.reply(t("router.unknown", name=name, suggestion=close[0]))
            else:
                await ctx.reply(t("router.unknown_no_suggestion", name=name))
            return "unknown"
        rule = spec.rule_for(self.commands.action_of(spec, rest))
        access = self.services.access
        # Membership first, before the arguments are read: strangers learn nothing more.
        refused = judge_membership(rule, access.person(ctx.sender))
        if refused is None:
            try:
                kwargs = parse_args(spec.args, rest)
            except ArgumentError as exc:
                error = t(exc.key, **exc.values)
                await ctx.reply(t("router.usage", error=error, usage=t(f"cmd.{spec.name}.usage")))
                return "usage"
            refused = await access.judge(rule, ctx.sender, ctx.room_id, kwargs)
        if refused is not None:
            await self.refuse(ctx, name, spec.name, refused.key, refused.values)
            return "refused"
        self.handled += 1
        return await self.guarded(ctx, name, spec.name, spec.handler(ctx, **kwargs))

    async def _within_limits(self, ctx: CommandContext) -> str | None:
        """Floods get one polite answer and are then ignored; overlong commands are answered
        with their length and the limit, and nothing else is done with them."""
        t, limits = self.services.catalogue, self.services.settings.limits
        decision = self.rate.take(ctx.sender, time.monotonic())
        if decision.verdict == Verdict.QUIET:
            return "rate_limited"
        if decision.verdict == Verdict.TELL:
            seconds = max(1, math.ceil(decision.retry_after))
            await ctx.reply(t("router.rate_limited", seconds=seconds))
            return "rate_limited"
        length = len(ctx.incoming.body)
        if length > limits.max_message_length:
            await ctx.reply(t("router.too_long", length=length, max=limits.max_message_length))
            return "too_long"
        return None

    async def refuse(
        self,
        ctx: CommandContext,
        typed: str,
        command: str,
        key: str,
        values: Mapping[str, object],
    ) -> None:
        """Answers a refusal with its reason (naming the command as it was typed) and writes
        it to the audit log (under the command's own name)."""
        t = self.services.catalogue
        await ctx.reply(t("router.refused", name=typed, reason=t(key, **values)))
        await self.services.access.refused(ctx.sender, command, ctx.room_id, key)

    async def guarded(
        self, ctx: CommandContext, typed: str, command: str, work: Awaitable[None]
    ) -> str:
        """Runs a command's work: a refusal is answered with its reason, a bug is logged and
        answered, and neither stops the bot; what the work wrote before is undone. A transient
        failure (database or homeserver away) is raised, for the inbox to try again. Returns the
        outcome."""
        t = self.services.catalogue
        try:
            await work
        except Refusal as refusal:
            await self._discard()
            if refusal.key.startswith("perm."):  # the same words, and audit, as the router's
                await self.refuse(ctx, typed, command, refusal.key, refusal.values)
                return "refused"
            await ctx.reply(t(refusal.key, **refusal.values))
            return "rejected"
        except Exception as exc:
            if is_transient(exc):
                raise
            log.exception("command !%s failed for %s", typed, ctx.sender)
            await self._discard()
            await ctx.reply(t("router.failed", name=typed))
            return "failed"
        return "ok"

    async def _discard(self) -> None:
        if self.discard is not None:
            await self.discard()

"""The stabsjournal: `!log text` notes a line, `!export [meeting|activation]` posts the journal
and the combined pictures as a PDF."""

from __future__ import annotations

from bot.domain.access import Rule, Scope, Who
from commands.args import Rest, Word
from commands.context import CommandContext
from commands.registry import command

SCOPES = {
    "meeting": "meeting",
    "möte": "meeting",
    "activation": "activation",
    "aktivering": "activation",
}


def export_scope(text: str) -> str:
    """`möte`/`meeting`, `aktivering`/`activation`."""
    scope = SCOPES.get(text.casefold())
    if scope is None:
        raise ValueError(text)
    return scope


PARTICIPANTS = Rule(Who.PARTICIPANT, Scope.ROOM)


@command("log", "logg", args=(Rest("text"),), rule=PARTICIPANTS)
async def log(ctx: CommandContext, text: str) -> None:
    journal = ctx.services.journal
    assert journal is not None
    scope = await journal.log(ctx.sender, ctx.room_id, text)
    await ctx.reply(ctx.t(f"journal.logged.{scope.scope}", ref=scope.ref))


@command(
    "export",
    "exportera",
    args=(Word("scope", optional=True, convert=export_scope),),
    rule=PARTICIPANTS,
)
async def export(ctx: CommandContext, scope: str | None) -> None:
    journal = ctx.services.journal
    assert journal is not None
    record = await journal.export(ctx.room_id, scope)
    await ctx.reply(ctx.t("journal.exported", entries=len(record.entries)))

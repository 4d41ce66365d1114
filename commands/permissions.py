"""Permission checks commands declare; each returns None or the catalogue key of the refusal."""

from __future__ import annotations

from commands.context import CommandContext


def admin(ctx: CommandContext) -> str | None:
    return None if ctx.services.directory.is_admin(ctx.sender) else "perm.admin"


def member(ctx: CommandContext) -> str | None:
    directory = ctx.services.directory
    return (
        None if directory.is_member(ctx.sender) or directory.is_admin(ctx.sender) else "perm.member"
    )


def raises_alerts(ctx: CommandContext) -> str | None:
    """Alerting a whole function is for those who convene: activators, host functions and
    escalation functions of the config, and admins."""
    return None if ctx.services.directory.may_alert(ctx.sender) else "perm.alert"

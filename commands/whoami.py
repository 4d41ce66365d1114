"""`!whoami` / `!vem`: which actor(s) and functions the config gives you."""

from __future__ import annotations

from commands.context import CommandContext
from commands.permissions import ANYONE
from commands.registry import command


@command("whoami", "vem", rule=ANYONE)
async def whoami(ctx: CommandContext) -> None:
    t = ctx.t
    who = ctx.services.directory.whois(ctx.sender)
    lines = [t("whoami.you", user=who.user_id)]
    if not who.is_member:
        lines.append(t("whoami.not_member"))
    for actor in who.actors:
        lines.append(t("whoami.actor", name=actor.name, id=actor.id, category=actor.category))
    if who.is_member:
        if who.functions:
            lines.append(t("whoami.functions", functions=", ".join(who.functions)))
        for function in who.functions:
            current = ctx.services.duty.on_duty(function)
            if current is not None:  # a rostered function: say whether they are on duty
                key = "whoami.on_duty" if current.user == who.user_id else "whoami.off_duty"
                lines.append(t(key, function=function, holder=current.user or "–"))
        else:
            lines.append(t("whoami.no_functions"))
    if who.admin:
        lines.append(t("whoami.admin"))
        identity = ctx.services.identity
        if identity is not None and len(ctx.services.forums.rooms.members(ctx.room_id)) <= 2:
            # Only in a direct chat: the keys are for comparing, not for a shared room.
            lines.append(
                t(
                    "whoami.device",
                    device=identity.device_id,
                    fingerprint=identity.device_key or "–",
                )
            )
            lines.append(t("whoami.master", master=identity.master_key or "–"))
            lines.append(t("whoami.cross_signed" if identity.cross_signed else "whoami.unsigned"))
    await ctx.reply("\n".join(lines))

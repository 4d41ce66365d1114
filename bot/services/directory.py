"""Who is who: actors, members and their functions, as the config describes them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import ActorConfig, ForumConfig, Settings
from bot.domain.issues import check_act


@dataclass(frozen=True)
class WhoIs:
    user_id: str
    actors: tuple[ActorConfig, ...]
    functions: tuple[str, ...]
    admin: bool

    @property
    def is_member(self) -> bool:
        return bool(self.actors)


@dataclass(frozen=True)
class BotIdentity:
    """The bot's device and cross-signing keys, so an admin can compare them with what their
    own client shows before trusting the device; keys in groups of four, as Element shows them."""

    device_id: str
    device_key: str | None
    master_key: str | None
    cross_signed: bool


class Directory:
    """Answers questions about people from the config; pure, no I/O."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def whois(self, user_id: str) -> WhoIs:
        return WhoIs(
            user_id=user_id,
            actors=tuple(self.settings.actors_of_user(user_id)),
            functions=tuple(self.settings.functions_of(user_id)),
            admin=self.is_admin(user_id),
        )

    def is_admin(self, user_id: str) -> bool:
        return user_id in self.settings.bot.admins

    def is_member(self, user_id: str) -> bool:
        return bool(self.settings.actors_of_user(user_id))

    def may_host(self, user_id: str, forum: ForumConfig) -> bool:
        """The forum's host function (e.g. tib for the conference), or a bot admin."""
        if self.is_admin(user_id):
            return True
        return forum.host_function is not None and forum.host_function in (
            self.settings.functions_of(user_id)
        )

    def may_alert(self, user_id: str) -> bool:
        if self.is_admin(user_id):
            return True
        s = self.settings
        convening = {f for forum in s.forums for f in forum.activators}
        convening |= {forum.host_function for forum in s.forums if forum.host_function}
        convening |= set(s.alerts.escalate_to)
        return bool(convening & set(s.functions_of(user_id)))


def require_participant(settings: Settings, user_id: str, forum: ForumConfig) -> None:
    """Acting on a forum's issues, groups and directions is for members of the actors that take
    part in it, and admins; refused with the forum's name otherwise."""
    check_act(
        [a.id for a in settings.actors_of_user(user_id)],
        [a.id for a in settings.participants_of(forum)],
        user_id in settings.bot.admins,
        forum_name=forum.name,
    )

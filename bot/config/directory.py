"""Who holds what: the one place code asks about people, their actors and functions.

The config lists members (a person, an actor, functions), rosters (people who take turns at a
function) and forums (whose actors take part). `Directory` indexes them once and answers every
question about them, so no other module walks `Settings.members` or `Settings.rosters`. It is
pure and built from settings that do not change while the bot runs.

Who is *on duty* for a rostered function right now is a question of time and stored overrides;
`bot.services.duty.Duty` answers it, on top of this directory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.config.sections import ActorConfig, ForumConfig, MemberConfig
from bot.config.values import ALL_ACTORS
from bot.domain.activation import may_activate
from bot.domain.errors import Refusal
from bot.domain.issues import check_act
from bot.domain.slugs import fold

if TYPE_CHECKING:
    from bot.config.settings import Settings


@dataclass(frozen=True)
class WhoIs:
    user_id: str
    actors: tuple[ActorConfig, ...]
    functions: tuple[str, ...]
    admin: bool

    @property
    def is_member(self) -> bool:
        return bool(self.actors)


class Directory:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._members_of: dict[str, list[MemberConfig]] = defaultdict(list)
        actor_ids_of: dict[str, set[str]] = defaultdict(set)
        functions_of: dict[str, list[str]] = defaultdict(list)
        holders: dict[str, list[str]] = defaultdict(list)
        self._email_of: dict[str, str] = {}
        for member in settings.members:
            self._members_of[member.actor].append(member)
            if member.email:
                self._email_of.setdefault(member.user, member.email)
            actor_ids_of[member.user].add(member.actor)
            functions_of[member.user].extend(member.functions)
            for function in member.functions:
                holders[function].append(member.user)
        for roster in settings.rosters:
            for user in roster.members:
                functions_of[user].append(roster.function)
        self._actors_of = {
            user: [a for a in settings.actors if a.id in ids] for user, ids in actor_ids_of.items()
        }
        self._functions_of = {u: list(dict.fromkeys(fs)) for u, fs in functions_of.items()}
        self._holders = {f: list(dict.fromkeys(users)) for f, users in holders.items()}
        self.functions: frozenset[str] = frozenset(holders) | {r.function for r in settings.rosters}
        """Every function some member holds, or a roster fills."""
        self.admins: tuple[str, ...] = tuple(settings.bot.admins)
        """The bot's administrators, in config order."""
        self._admins = frozenset(self.admins)

    # -- people and actors --

    def email_of(self, user_id: str) -> str | None:
        """The person's address for the reservväg (the first ``email`` of their entries)."""
        return self._email_of.get(user_id)

    def members_of(self, actor_id: str) -> list[MemberConfig]:
        """The [[members]] entries of an actor, in config order."""
        return list(self._members_of.get(actor_id, ()))

    def people_of(self, actor_id: str) -> list[str]:
        """The user ids of an actor's members, in config order."""
        return [member.user for member in self._members_of.get(actor_id, ())]

    def actors_of(self, user_id: str) -> list[ActorConfig]:
        """The actors a person is a member of, in config order."""
        return list(self._actors_of.get(user_id, ()))

    def find_actor(self, ref: str) -> ActorConfig:
        """The actor `ref` names (id or name, any case or accents); refused with the known ids."""
        wanted = fold(ref)
        for actor in self.settings.actors:
            if wanted in (fold(actor.id), fold(actor.name)):
                return actor
        known = ", ".join(a.id for a in self.settings.actors)
        raise Refusal("activation.unknown_actor", name=ref, actors=known)

    def actor_ids_of(self, user_id: str) -> list[str]:
        return [actor.id for actor in self._actors_of.get(user_id, ())]

    def labelled(self, user_id: str) -> str:
        """A person as messages name them: "@user (their first actor)", or the bare id."""
        actors = self._actors_of.get(user_id)
        return f"{user_id} ({actors[0].name})" if actors else user_id

    def is_member(self, user_id: str) -> bool:
        return user_id in self._actors_of

    def is_admin(self, user_id: str) -> bool:
        return user_id in self._admins

    # -- functions --

    def functions_of(self, user_id: str) -> list[str]:
        """The person's functions, in config order, each once: those under [[members]], then the
        rostered functions whose roster lists them (a roster member holds the function's
        mandate at all times; being on duty decides only whom it reaches)."""
        return list(self._functions_of.get(user_id, ()))

    def holds(self, user_id: str, function: str | None) -> bool:
        return function is not None and function in self._functions_of.get(user_id, ())

    def holders_of(self, function: str) -> list[str]:
        """Who holds `function` by [[members]], each once; a rostered function's holder now
        is asked of `bot.services.duty.Duty`, which adds the person on duty."""
        return list(self._holders.get(function, ()))

    def alerted_people(self) -> set[str]:
        """Everyone an alert or a hand-off may reach in a direct message: holders of alert and
        escalation functions, and every roster member (each may come on duty)."""
        s = self.settings
        functions = {f for forum in s.forums for f in forum.alert_functions}
        functions |= set(s.alerts.escalate_to)
        found = {user for f in functions for user in self.holders_of(f)}
        return found | {user for roster in s.rosters for user in roster.members}

    def whois(self, user_id: str) -> WhoIs:
        return WhoIs(
            user_id=user_id,
            actors=tuple(self.actors_of(user_id)),
            functions=tuple(self.functions_of(user_id)),
            admin=self.is_admin(user_id),
        )

    # -- forums --

    def participants_of(self, forum: ForumConfig | str) -> list[ActorConfig]:
        """The forum's actors, ``"*"`` expanded; an unknown forum id has none."""
        found = self.settings.forum(forum) if isinstance(forum, str) else forum
        if found is None:
            return []
        if ALL_ACTORS in found.participants:
            return list(self.settings.actors)
        return [actor for actor in self.settings.actors if actor.id in found.participants]

    def participant_ids(self, forum: ForumConfig | str) -> set[str]:
        return {actor.id for actor in self.participants_of(forum)}

    def may_host(self, user_id: str, forum: ForumConfig) -> bool:
        """The forum's host function (e.g. tib for the conference), or a bot admin."""
        return self.is_admin(user_id) or self.holds(user_id, forum.host_function)

    def may_activate(self, user_id: str, forum: ForumConfig) -> bool:
        """An activator function of the forum, or a bot admin."""
        return may_activate(self.functions_of(user_id), forum.activators, self.is_admin(user_id))

    def may_alert(self, user_id: str) -> bool:
        if self.is_admin(user_id):
            return True
        s = self.settings
        convening = {f for forum in s.forums for f in forum.activators}
        convening |= {forum.host_function for forum in s.forums if forum.host_function}
        convening |= set(s.alerts.escalate_to)
        return bool(convening & set(self.functions_of(user_id)))

    def require_participant(self, user_id: str, forum: ForumConfig) -> None:
        """Acting on a forum's issues, groups and directions is for members of the actors that
        take part in it, and admins; refused with the forum's name otherwise."""
        check_act(
            self.actor_ids_of(user_id),
            [a.id for a in self.participants_of(forum)],
            self.is_admin(user_id),
            forum_name=forum.name,
        )

"""What the router needs to judge a command's rule: the person, the forum it concerns, and a
place to write refusals down (the audit log), so an after-action review sees attempts too."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.config import ForumConfig
from bot.domain.access import ForumFacts, GroupFacts, Person, Refused, Rule, Scope, judge
from bot.services.core import Core, Service
from bot.services.forums import Forums
from bot.services.groups import GroupService
from storage import audit, groups, issues


class AccessService(Service):
    def __init__(self, core: Core, forums: Forums, groups: GroupService) -> None:
        super().__init__(core)
        self.forums = forums
        self.groups = groups

    def person(self, user_id: str) -> Person:
        people = self.directory
        return Person(
            user_id=user_id,
            actors=frozenset(people.actor_ids_of(user_id)),
            functions=frozenset(people.functions_of(user_id)),
            admin=people.is_admin(user_id),
        )

    def facts(self, forum: ForumConfig) -> ForumFacts:
        return ForumFacts(
            name=forum.name,
            participants=frozenset(self.directory.participant_ids(forum)),
            host_function=forum.host_function,
            activators=frozenset(forum.activators),
        )

    async def judge(
        self, rule: Rule, user_id: str, room_id: str, args: Mapping[str, Any]
    ) -> Refused | None:
        """Judges `rule` for `user_id`; the forum (or group) is found as the rule's scope says,
        from the room and the command's parsed arguments (`forum`, `number`, or the group's
        name as the first word of `rest`)."""
        group = None
        forum = None
        if rule.scope == Scope.GROUP:
            words = str(args.get("rest") or "").split(maxsplit=1)
            group = await self.group_facts(words[0], room_id) if words else None
        else:
            forum = await self.forum_in_scope(rule.scope, room_id, args)
        return judge(
            rule,
            self.person(user_id),
            self.facts(forum) if forum else None,
            group=group,
            every_forum=[self.facts(f) for f in self.settings.forums],
            escalation=self.settings.alerts.escalate_to,
        )

    async def forum_in_scope(
        self, scope: Scope, room_id: str, args: Mapping[str, Any]
    ) -> ForumConfig | None:
        if scope == Scope.FORUM_ARG and args.get("forum"):
            return self.forums.find(str(args["forum"]))
        if scope == Scope.ISSUE:
            number = args.get("number")
            return await self.forum_of_issue(number) if isinstance(number, int) else None
        if scope in (Scope.ROOM, Scope.FORUM_ARG):
            return await self.forum_of_room(room_id)
        return None

    async def forum_of_room(self, room_id: str) -> ForumConfig | None:
        """The forum whose room this is, or the forum of the working group whose room it is."""
        forum = await self.forums.of_room(room_id)
        if forum is not None:
            return forum
        async with self.db.session() as session:
            group = await groups.by_room(session, room_id)
        return self.settings.forum(group.forum_id) if group else None

    async def forum_of_issue(self, number: int) -> ForumConfig | None:
        async with self.db.session() as session:
            found = await issues.get(session, number)
        return self.settings.forum(found.forum_id) if found else None

    async def group_facts(self, ref: str, room_id: str) -> GroupFacts | None:
        """The open group `ref` names, with its forum; None when there is none (the command
        then says which groups there are)."""
        found = await self.groups.locate(ref, room_id)
        forum = self.settings.forum(found.forum_id) if found else None
        if found is None or forum is None:
            return None
        return GroupFacts(self.facts(forum), frozenset(m.ref for m in found.members))

    async def refused(self, user_id: str, command: str, room_id: str, reason: str) -> None:
        """Writes a refused command to the audit log: who, what, where and why."""
        async with self.db.session() as session:
            await audit.record(
                session,
                at=self.clock.now(),
                actor=user_id,
                action="command.refused",
                subject=f"command:{command}",
                details={"room": room_id, "reason": reason},
            )
            await session.commit()

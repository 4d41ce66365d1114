"""Working groups (tematiska arbetsgrupper): the standing theme groups from the config, reporting
to Regional samordningsgrupp, and temporary groups formed in a forum (in activated mode: analys,
lägesbild, kommunikation) that report to it and close with its activation (section 3.2).

Each group has a Matrix room the bot creates (encrypted when the config requires it); members
are actors (all their members are invited) or people. A group's report goes to its forum's room
and into the forum's next combined picture.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ForumConfig
from bot.domain.errors import Refusal
from bot.domain.issues import is_user_id
from bot.domain.slugs import slugify
from bot.matrix.content import notice
from bot.render.chat_html import titled
from bot.services.core import Core, Service
from bot.services.forums import Forums
from bot.services.outbox import ROUTINE, Outbox
from bot.services.ports import GroupRoomsPort
from storage import activations, audit, groups, meetings
from storage.models.groups import WorkingGroup

log = logging.getLogger(__name__)


#: Longest group name: storage keeps 255 characters, and a name is read in listings and pictures.
GROUP_NAME_MAX = 255


@dataclass(frozen=True)
class GroupInfo:
    slug: str
    name: str
    forum_name: str
    task: str | None
    members: tuple[str, ...]
    last_report: str | None
    standing: bool


class GroupService(Service):
    def __init__(self, core: Core, outbox: Outbox, forums: Forums, rooms: GroupRoomsPort) -> None:
        super().__init__(core)
        self.outbox = outbox
        self.forums = forums
        self.rooms = rooms

    # -- forming --------------------------------------------------------------------------

    async def sync_standing(self) -> None:
        """At start: every standing group of the config exists, with its room and members."""
        for config in self.settings.groups:
            async with self.db.session() as session:
                existing = [g for g in await groups.find_open(session, config.id) if g.standing]
            if existing:
                continue
            forum = self.settings.forum(config.reports_to)
            if forum is None:
                continue
            room_id = await self.rooms.resolve(config.room) if config.room else None
            users = self._users(config.members)
            if room_id is None:
                room_id = await self.rooms.create_room(
                    config.name,
                    users,
                    self.settings.bot.require_encryption,
                    key=f"standing-group:{config.id}",
                )
            async with self.db.session() as session:
                group = await groups.create(
                    session,
                    slug=config.id,
                    name=config.name,
                    forum_id=forum.id,
                    task=config.task,
                    standing=True,
                    created_by=audit.SYSTEM,
                    activation_id=None,
                    room_id=room_id,
                )
                for ref in config.members:
                    groups.add_member(group, "user" if ref.startswith("@") else "actor", ref)
                await session.commit()
            log.info("standing group %s ready in %s", config.id, room_id)

    async def create(
        self, forum: ForumConfig, user_id: str, name: str, task: str | None, request: str
    ) -> WorkingGroup:
        """`!group create NAME [--task text]` in a forum's room; `request` names the request
        (the command's event id), so running it again after a crash reuses the room."""
        self.directory.require_participant(user_id, forum)
        slug = slugify(name)
        if not slug:
            raise Refusal("group.bad_name", name=name)
        if len(name) > GROUP_NAME_MAX:
            raise Refusal("group.name_too_long", max=GROUP_NAME_MAX, length=len(name))
        async with self.db.session() as session:
            if any(g.forum_id == forum.id for g in await groups.find_open(session, slug)):
                raise Refusal("group.exists", name=slug, forum=forum.name)
            running = await activations.active(session, forum.id)
        room_id = await self.rooms.create_room(
            self.t("group.room_name", group=name, forum=forum.name),
            [user_id],
            self.settings.bot.require_encryption,
            key=f"group:{request}",
        )
        if room_id is None:
            raise Refusal("group.no_room", name=name)
        async with self.db.session() as session:
            group = await groups.create(
                session,
                slug=slug,
                name=name,
                forum_id=forum.id,
                task=task,
                standing=False,
                created_by=user_id,
                activation_id=running.id if running else None,
                room_id=room_id,
            )
            groups.add_member(group, "user", user_id)
            await audit.record(
                session,
                at=self.clock.now(),
                actor=user_id,
                action="group.create",
                subject=f"group:{group.id}",
                details={"forum": forum.id, "slug": slug, "task": task},
            )
            await session.commit()
        return group

    async def assign(
        self, ref: str, members: list[str], user_id: str, room_id: str
    ) -> tuple[WorkingGroup, list[str]]:
        """`!group assign GROUP ACTOR|@user …`: adds them and invites them (an actor: all its
        members) to the room; returns who was added, as shown."""
        if not members:
            raise Refusal("group.no_members")
        actors = {a.id.casefold(): a.id for a in self.settings.actors}
        resolved: list[tuple[str, str]] = []
        for text in members:
            if is_user_id(text):
                resolved.append(("user", text))
            elif text.casefold() in actors:
                resolved.append(("actor", actors[text.casefold()]))
            else:
                raise Refusal("group.unknown_member", name=text, actors=", ".join(actors.values()))
        async with self.db.session() as session:
            group = await self._find(session, ref, room_id)
            forum = self._forum(group)
            self.directory.require_participant(user_id, forum)
            added = [(kind, r) for kind, r in resolved if groups.add_member(group, kind, r)]
            await audit.record(
                session,
                at=self.clock.now(),
                actor=user_id,
                action="group.assign",
                subject=f"group:{group.id}",
                details={"added": [r for _, r in added]},
            )
            await session.commit()
        if group.room_id:
            await self.rooms.invite(group.room_id, self._users([r for _, r in added]))
        return group, [self._label(kind, r) for kind, r in added]

    async def report(
        self, ref: str, text: str, user_id: str, room_id: str, event_id: str | None
    ) -> WorkingGroup:
        """`!group report GROUP text`: to the group's forum room, and into its next picture."""
        async with self.db.session() as session:
            group = await self._find(session, ref, room_id)
            forum = self._forum(group)
            if not self._in_group(user_id, group):
                self.directory.require_participant(user_id, forum)
            meeting = await meetings.active_meeting(session, forum.id)
            groups.add_report(
                group,
                author=user_id,
                text=text,
                meeting_id=meeting.id if meeting else None,
                event_id=event_id,
                at=self.clock.now(),
            )
            await audit.record(
                session,
                at=self.clock.now(),
                actor=user_id,
                action="group.report",
                subject=f"group:{group.id}",
            )
            forum_room = await self.forums.room_of(forum)
            if forum_room is not None:
                title = self.t("group.report_posted", group=group.name, user=user_id)
                content = notice(*titled(title, text))
                if await self.forums.withholds(forum_room):
                    content = notice(self.t("group.report_unencrypted", group=group.name))
                await self.outbox.add(session, forum_room, content, priority=ROUTINE)
            await session.commit()
        if forum_room is not None:
            self.outbox.wake({forum_room})
        return group

    # -- reading --------------------------------------------------------------------------

    async def listing(self) -> list[GroupInfo]:
        async with self.db.session() as session:
            found = await groups.open_groups(session)
        result = []
        for group in found:
            last = group.reports[-1].text if group.reports else None
            result.append(
                GroupInfo(
                    slug=group.slug,
                    name=group.name,
                    forum_name=self._forum(group).name,
                    task=group.task,
                    members=tuple(self._label(m.kind, m.ref) for m in group.members),
                    last_report=last,
                    standing=group.standing,
                )
            )
        return result

    # -- shared ---------------------------------------------------------------------------

    async def _find(self, session: AsyncSession, ref: str, room_id: str) -> WorkingGroup:
        """The open group `ref` names (by slug or name); when several forums have one, the
        one of the forum whose room this is (or of this group room)."""
        candidates = await groups.find_open(session, slugify(ref))
        if not candidates:
            names = ", ".join(g.slug for g in await groups.open_groups(session)) or "–"
            raise Refusal("group.unknown", name=ref, groups=names)
        if len(candidates) == 1:
            return candidates[0]
        here = await self.forums.of_room(room_id)
        for group in candidates:
            if group.room_id == room_id or (here is not None and group.forum_id == here.id):
                return group
        return candidates[-1]

    async def locate(self, ref: str, room_id: str) -> WorkingGroup | None:
        """The open group `ref` names, as `!group` commands find it; None when none."""
        async with self.db.session() as session:
            try:
                return await self._find(session, ref, room_id)
            except Refusal:
                return None

    def _forum(self, group: WorkingGroup) -> ForumConfig:
        forum = self.settings.forum(group.forum_id)
        if forum is None:
            raise Refusal("group.unknown", name=group.slug, groups=group.slug)
        return forum

    def _in_group(self, user_id: str, group: WorkingGroup) -> bool:
        mine = {a.id for a in self.directory.actors_of(user_id)}
        return any(
            (m.kind == "user" and m.ref == user_id) or (m.kind == "actor" and m.ref in mine)
            for m in group.members
        )

    def _users(self, refs: list[str]) -> list[str]:
        users: list[str] = []
        for ref in refs:
            people = (
                [ref] if ref.startswith("@") else [m.user for m in self.directory.members_of(ref)]
            )
            users += [u for u in people if u not in users]
        return users

    def _label(self, kind: str, ref: str) -> str:
        if kind == "actor":
            actor = self.settings.actor(ref)
            return actor.name if actor else ref
        return ref

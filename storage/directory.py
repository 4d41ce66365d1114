"""Mirror the config's directory (actors, forums, members, functions) into the database.

The config file is the source of truth. At start the bot passes it here as plain rows and
:func:`sync_directory` makes the tables equal to it: new rows added, changed rows updated, rows no
longer in the config removed. The rows are frozen dataclasses so this module needs nothing from the
config module (and the config module nothing from SQLAlchemy).

Transactions: these functions never commit; the caller does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.directory import Actor, Forum, ForumParticipant, Member, MemberFunction


@dataclass(frozen=True, slots=True)
class ActorRow:
    id: str
    name: str
    category: str
    home_room: str | None = None


@dataclass(frozen=True, slots=True)
class ForumRow:
    """A forum; ``participants`` are actor ids, with the config's ``"*"`` already expanded."""

    id: str
    name: str
    level: str
    mode: str
    room: str
    participants: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MemberRow:
    """A user acting for an actor. Functions belong to the user: the same user listed for two
    actors holds the union of the functions of both rows."""

    user_id: str
    actor_id: str
    functions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DirectoryChanges:
    """How many rows :func:`sync_directory` added, updated and removed, over all its tables."""

    added: int = 0
    updated: int = 0
    removed: int = 0

    def __add__(self, other: DirectoryChanges) -> DirectoryChanges:
        return DirectoryChanges(
            self.added + other.added, self.updated + other.updated, self.removed + other.removed
        )


async def sync_directory(
    session: AsyncSession,
    actors: Iterable[ActorRow],
    forums: Iterable[ForumRow],
    members: Iterable[MemberRow],
) -> DirectoryChanges:
    """Make the directory tables equal to the given rows; returns what changed.

    Raises ``ValueError`` when a forum participant or a member names an actor that is not in
    ``actors`` (the config validator should have caught it; the database would refuse it too).
    """
    actors, forums, members = list(actors), list(forums), list(members)
    actor_ids = {actor.id for actor in actors}
    participants = {(f.id, a) for f in forums for a in f.participants}
    memberships = {(m.user_id, m.actor_id) for m in members}
    functions = {(m.user_id, function) for m in members for function in m.functions}
    unknown = sorted(
        {a for _, a in participants} - actor_ids | {a for _, a in memberships} - actor_ids
    )
    if unknown:
        raise ValueError(f"unknown actor ids in forums or members: {', '.join(unknown)}")

    actor_fields = ("name", "category", "home_room")
    changes = await _sync_entities(session, Actor, {a.id: a for a in actors}, actor_fields)
    forum_fields = ("name", "level", "mode", "room")
    changes += await _sync_entities(session, Forum, {f.id: f for f in forums}, forum_fields)
    # Links go after their parents exist, and before parents are removed.
    changes += await _sync_links(session, ForumParticipant, ("forum_id", "actor_id"), participants)
    changes += await _sync_links(session, Member, ("user_id", "actor_id"), memberships)
    changes += await _sync_links(session, MemberFunction, ("user_id", "function"), functions)
    changes += await _remove_missing(session, Forum, {f.id for f in forums})
    changes += await _remove_missing(session, Actor, actor_ids)
    return changes


async def _sync_entities(
    session: AsyncSession, model: Any, rows: dict[str, Any], fields: Sequence[str]
) -> DirectoryChanges:
    """Add and update rows of a table keyed by ``id`` (removal comes later, see above)."""
    existing = {obj.id: obj for obj in (await session.execute(select(model))).scalars()}
    added = updated = 0
    for key, row in rows.items():
        obj = existing.get(key)
        if obj is None:
            session.add(model(id=key, **{field: getattr(row, field) for field in fields}))
            added += 1
            continue
        changed = False
        for field in fields:
            if getattr(obj, field) != getattr(row, field):
                setattr(obj, field, getattr(row, field))
                changed = True
        updated += changed
    await session.flush()
    return DirectoryChanges(added=added, updated=updated)


async def _sync_links(
    session: AsyncSession, model: Any, columns: tuple[str, str], wanted: set[tuple[str, str]]
) -> DirectoryChanges:
    """Make a two-column link table hold exactly ``wanted``."""
    first, second = (getattr(model, column) for column in columns)
    present = set((await session.execute(select(first, second))).tuples())
    stale = present - wanted
    if stale:
        await session.execute(
            delete(model)
            .where(tuple_(first, second).in_(sorted(stale)))
            .execution_options(synchronize_session=False)
        )
    for a, b in sorted(wanted - present):
        session.add(model(**{columns[0]: a, columns[1]: b}))
    await session.flush()
    return DirectoryChanges(added=len(wanted - present), removed=len(stale))


async def _remove_missing(session: AsyncSession, model: Any, keep: set[str]) -> DirectoryChanges:
    result = await session.execute(
        delete(model).where(model.id.not_in(keep)).execution_options(synchronize_session=False)
    )
    return DirectoryChanges(removed=int(getattr(result, "rowcount", 0) or 0))


async def actor_ids(session: AsyncSession) -> list[str]:
    """All actor ids, sorted."""
    return list((await session.execute(select(Actor.id).order_by(Actor.id))).scalars())


async def participants(session: AsyncSession, forum_id: str) -> list[str]:
    """Actor ids taking part in ``forum_id``, sorted."""
    result = await session.execute(
        select(ForumParticipant.actor_id)
        .where(ForumParticipant.forum_id == forum_id)
        .order_by(ForumParticipant.actor_id)
    )
    return list(result.scalars())


async def actors_of_user(session: AsyncSession, user_id: str) -> list[str]:
    """Actor ids ``user_id`` acts for, sorted."""
    result = await session.execute(
        select(Member.actor_id).where(Member.user_id == user_id).order_by(Member.actor_id)
    )
    return list(result.scalars())


async def users_with_function(session: AsyncSession, function: str) -> list[str]:
    """User ids holding ``function`` (who an alert to that function goes to), sorted."""
    result = await session.execute(
        select(MemberFunction.user_id)
        .where(MemberFunction.function == function)
        .order_by(MemberFunction.user_id)
    )
    return list(result.scalars())

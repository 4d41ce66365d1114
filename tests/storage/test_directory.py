"""Directory sync: the tables become what the config says."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage import directory
from storage.db import Database
from storage.directory import ActorRow, DirectoryChanges, ForumRow, MemberRow
from storage.models import Actor, Forum, ForumParticipant, Member, MemberFunction

ACTORS = [
    ActorRow("lst", "Länsstyrelsen Stockholm", "stat", "!lst:x"),
    ActorRow("polisen", "Polisen region Stockholm", "blåljus", "!pol:x"),
    ActorRow("trafikverket", "Trafikverket", "trafik", None),
]
FORUMS = [
    ForumRow(
        "konferens",
        "Regional samverkanskonferens",
        "samordnande",
        "ordinarie",
        "!konf:x",
        ("lst", "polisen", "trafikverket"),
    ),
    ForumRow("samordnande", "Regionalt samordnande forum", "samordnande", "aktiverat", "!s:x"),
]
MEMBERS = [
    MemberRow("@tib:x", "lst", ("tib", "rsk-koordinator")),
    MemberRow("@kom:x", "polisen", ("kommunikatör",)),
]


async def test_initial_sync_adds_everything(database: Database) -> None:
    async with database.session() as s:
        changes = await directory.sync_directory(s, ACTORS, FORUMS, MEMBERS)
        await s.commit()
    # 3 actors + 2 forums + 3 participants + 2 members + 3 functions
    assert changes == DirectoryChanges(added=13)
    async with database.session() as s:
        assert await directory.actor_ids(s) == ["lst", "polisen", "trafikverket"]
        assert await directory.participants(s, "konferens") == ["lst", "polisen", "trafikverket"]
        assert await directory.participants(s, "samordnande") == []
        assert await directory.users_with_function(s, "kommunikatör") == ["@kom:x"]
        assert await directory.actors_of_user(s, "@tib:x") == ["lst"]
        lst = await s.get(Actor, "lst")
        assert lst is not None and lst.name == "Länsstyrelsen Stockholm"
        assert lst.home_room == "!lst:x"
    async with database.session() as s:
        assert await directory.sync_directory(s, ACTORS, FORUMS, MEMBERS) == DirectoryChanges()


async def test_sync_updates_and_removes(database: Database) -> None:
    async with database.session() as s:
        await directory.sync_directory(s, ACTORS, FORUMS, MEMBERS)
        await s.commit()

    actors = [
        ActorRow("lst", "Länsstyrelsen i Stockholms län", "stat", "!lst2:x"),
        ActorRow("polisen", "Polisen region Stockholm", "blåljus", "!pol:x"),
        ActorRow("sos", "SOS Alarm", "övrig", "!sos:x"),
    ]
    forums = [
        ForumRow(
            "konferens",
            "Regional samverkanskonferens",
            "samordnande",
            "ordinarie",
            "!konf:x",
            ("lst", "sos"),
        )
    ]
    members = [
        MemberRow("@tib:x", "lst", ("tib",)),
        MemberRow("@tib:x", "sos", ("kommunikatör",)),
    ]
    async with database.session() as s:
        changes = await directory.sync_directory(s, actors, forums, members)
        await s.commit()
    assert changes.updated == 1
    assert changes.added == 4  # sos, participant sos, member @tib:x/sos, function kommunikatör
    assert changes.removed > 0

    async with database.session() as s:
        assert await directory.actor_ids(s) == ["lst", "polisen", "sos"]
        lst = await s.get(Actor, "lst", populate_existing=True)
        assert lst is not None
        assert (lst.name, lst.home_room) == ("Länsstyrelsen i Stockholms län", "!lst2:x")
        forum_ids = list((await s.execute(select(Forum.id))).scalars())
        assert forum_ids == ["konferens"]
        assert await directory.participants(s, "konferens") == ["lst", "sos"]
        assert await directory.actors_of_user(s, "@tib:x") == ["lst", "sos"]
        assert await directory.actors_of_user(s, "@kom:x") == []
        assert await directory.users_with_function(s, "kommunikatör") == ["@tib:x"]
        assert await directory.users_with_function(s, "rsk-koordinator") == []
        functions = set((await s.execute(select(MemberFunction.function))).scalars())
        assert functions == {"tib", "kommunikatör"}


async def test_removing_everything(database: Database) -> None:
    async with database.session() as s:
        await directory.sync_directory(s, ACTORS, FORUMS, MEMBERS)
        await s.commit()
    async with database.session() as s:
        changes = await directory.sync_directory(s, [], [], [])
        await s.commit()
    assert changes == DirectoryChanges(removed=13)
    async with database.session() as s:
        for model in (Actor, Forum, ForumParticipant, Member, MemberFunction):
            assert list((await s.execute(select(model))).scalars()) == []


async def test_unknown_actor_is_refused(database: Database) -> None:
    forums = [ForumRow("f", "F", "samordnande", "ordinarie", "!f:x", ("lst", "ghost"))]
    async with database.session() as s:
        with pytest.raises(ValueError, match="ghost"):
            await directory.sync_directory(s, ACTORS, forums, [])
        with pytest.raises(ValueError, match="spook"):
            await directory.sync_directory(s, ACTORS, [], [MemberRow("@u:x", "spook")])

"""Who may read what on the web: the rule of `bot.services.readmodel`'s docstring, in one place.

The full web token (`Reader.actor` None) sees everything; an actor's read token sees the forums
the actor takes part in and the issues that concern it, and nothing else exists for it.
"""

from __future__ import annotations

from typing import Protocol

from bot.config import Directory, ForumConfig, Settings
from storage.models.issues import Issue


class Reader(Protocol):
    """Who reads: `actor` None for the full token, else the actor of a read token
    (`bot.web.keys.Viewer` is one)."""

    @property
    def actor(self) -> str | None: ...


class UnknownForum(ValueError):
    """A forum filter names a forum that does not exist, or that the reader may not see."""

    def __init__(self, forum_id: str) -> None:
        super().__init__(f"unknown forum {forum_id!r}")
        self.forum_id = forum_id


class ReadAccess:
    def __init__(self, settings: Settings, directory: Directory) -> None:
        self.settings = settings
        self.directory = directory

    def visible_forums(self, reader: Reader) -> list[ForumConfig]:
        """The forums `reader` may see, in config order."""
        if reader.actor is None:
            return list(self.settings.forums)
        return [
            forum
            for forum in self.settings.forums
            if any(a.id == reader.actor for a in self.directory.participants_of(forum))
        ]

    def visible_forum(self, reader: Reader, forum_id: str) -> ForumConfig | None:
        return next((f for f in self.visible_forums(reader) if f.id == forum_id), None)

    def forum_filter(self, reader: Reader, forum_id: str | None) -> list[ForumConfig]:
        """All visible forums, or just `forum_id` (`UnknownForum` if the reader may not see it)."""
        if forum_id is None:
            return self.visible_forums(reader)
        forum = self.visible_forum(reader, forum_id)
        if forum is None:
            raise UnknownForum(forum_id)
        return [forum]

    def may_see_issue(self, reader: Reader, issue: Issue) -> bool:
        actor = reader.actor
        if actor is None:
            return True
        forum_ids = {f.id for f in self.visible_forums(reader)}
        if issue.forum_id in forum_ids or issue.origin_forum_id in forum_ids:
            return True
        if issue.actor_id == actor:
            return True
        if issue.owner_kind == "actor" and issue.owner_ref == actor:
            return True
        people = {m.user for m in self.directory.members_of(actor)}
        return issue.owner_kind == "user" and issue.owner_ref in people

"""The directory: actors, forums, members and their functions, mirrored from the TOML config.

The config file is the source of truth; these tables are rewritten from it at every start (see
``storage.directory.sync_directory``) so that queries can join against who is who. Domain tables
(meetings, reports, issues…) refer to actors and forums by their config id as plain strings, with
no foreign key to these tables: history must survive an actor or forum being removed from the
config.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base


class Actor(Base):
    """Aktör: a participating organisation, with its category and home room."""

    __tablename__ = "actors"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    category: Mapped[str] = mapped_column(String(32))
    home_room: Mapped[str | None] = mapped_column(String(255))


class Forum(Base):
    """Forum: a standing group on one level (inriktande/samordnande/verkställande), one mode."""

    __tablename__ = "forums"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    level: Mapped[str] = mapped_column(String(32))
    mode: Mapped[str] = mapped_column(String(32))
    room: Mapped[str] = mapped_column(String(255))


class ForumParticipant(Base):
    """An actor taking part in a forum (the config's ``participants``, with ``*`` expanded)."""

    __tablename__ = "forum_participants"

    forum_id: Mapped[str] = mapped_column(
        ForeignKey("forums.id", ondelete="CASCADE"), primary_key=True
    )
    actor_id: Mapped[str] = mapped_column(
        ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Member(Base):
    """A Matrix user acting for an actor. A user may act for several actors."""

    __tablename__ = "members"

    user_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    actor_id: Mapped[str] = mapped_column(
        ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class MemberFunction(Base):
    """Funktion held by a user (tib, kommunikatör…): alerts and call-ins target functions.

    Functions belong to the person, not to one of their actors, matching how the config is read.
    """

    __tablename__ = "member_functions"

    user_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    function: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)

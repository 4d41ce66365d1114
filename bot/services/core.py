"""What nearly every service reads, passed as one.

Every service reads the config and who is who in it, most write to the database, all that
speak take their words from the catalogue, and all that decide anything decide by the clock.
Passed one by one, those five opened every constructor; as a `Core`, a constructor names only
the collaborators that say what its service does (the outbox, the forums, the timers…).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Directory, Settings
from bot.render.catalogue import Catalogue
from bot.services.clock import SYSTEM_CLOCK, Clock
from storage.db import Database


@dataclass(frozen=True)
class Core:
    settings: Settings
    directory: Directory
    db: Database
    catalogue: Catalogue
    clock: Clock = SYSTEM_CLOCK

    @classmethod
    def of(cls, settings: Settings, db: Database, clock: Clock = SYSTEM_CLOCK) -> Core:
        """The core of `settings`: its directory, and the catalogue of its language."""
        return cls(settings, Directory(settings), db, Catalogue(settings.bot.language), clock)


class Service:
    """A service's core as attributes, under the names its methods use."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.settings = core.settings
        self.directory = core.directory
        self.db = core.db
        self.t = core.catalogue
        self.clock = core.clock

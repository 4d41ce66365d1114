"""The running app, for scheduler jobs: jobs are pickled, so they carry ids, not objects,
and look up the live services here when they run."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import App

_current: App | None = None


def set_current(app: App | None) -> None:
    global _current
    _current = app


def current() -> App:
    if _current is None:
        raise RuntimeError("no running samverkan app (a job ran outside `samverkan run`)")
    return _current

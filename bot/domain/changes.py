"""What changed since the forum's previous meeting or round: what a coordinator reads first.

Compared by actor: readiness raised or lowered (by the configured scale), needs that are new
or no longer stated (the same actor and text count as the same need), and actors who reported
last time and not now.
"""

from __future__ import annotations

from bot.domain.picture import Changes, CombinedPicture, Contribution, LevelChange


def _need_key(need: Contribution) -> tuple[str, str]:
    return need.actor.id, " ".join(need.text.casefold().split())


def compare(previous: CombinedPicture, current: CombinedPicture) -> Changes:
    before = {row.actor.id: row for row in previous.readiness if row.rank is not None}
    raised: list[LevelChange] = []
    lowered: list[LevelChange] = []
    for row in current.readiness:
        old = before.get(row.actor.id)
        if old is None or row.rank is None or old.rank is None or old.rank == row.rank:
            continue
        change = LevelChange(row.actor.name, old.level or "", row.level or "")
        (raised if row.rank > old.rank else lowered).append(change)
    old_needs = {_need_key(n) for n in previous.needs}
    new_needs = {_need_key(n) for n in current.needs}
    reported_now = {s.actor.id for section in current.sections for s in section.actors}
    silent = [
        s.actor.name
        for section in previous.sections
        for s in section.actors
        if s.actor.id not in reported_now
    ]
    return Changes(
        since=previous.meeting.starts_at,
        raised=tuple(raised),
        lowered=tuple(lowered),
        new_needs=tuple(n for n in current.needs if _need_key(n) not in old_needs),
        resolved_needs=tuple(n for n in previous.needs if _need_key(n) not in new_needs),
        silent=tuple(silent),
    )

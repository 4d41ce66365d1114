"""Short human durations ("3h", "15m", "1h30m") as used in the config file.

Admins write lead times such as ``call_in_before = "3h"``; ISO 8601 (``PT3H``) or bare numbers
(seconds? minutes?) would be harder to read and easy to get wrong. The grammar is deliberately
small: whole numbers with a unit, largest unit first, each unit at most once.

==== =======
unit meaning
==== =======
w    weeks
d    days
h    hours
m    minutes
s    seconds
==== =======

``"0"`` alone means no time at all. ``format_duration`` is the inverse, so a value read from the
config can be shown back to the admin in the same form.
"""

from __future__ import annotations

import re
from datetime import timedelta

__all__ = ["format_duration", "parse_duration"]

_UNITS: tuple[tuple[str, int], ...] = (
    ("w", 7 * 24 * 3600),
    ("d", 24 * 3600),
    ("h", 3600),
    ("m", 60),
    ("s", 1),
)

# One optional "<digits><unit>" group per unit, in fixed order, spaces allowed between groups.
_DURATION_RE = re.compile(
    r"^\s*" + r"\s*".join(rf"(?:(?P<{unit}>[0-9]+){unit})?" for unit, _ in _UNITS) + r"\s*$",
    re.IGNORECASE,
)

_EXPECTED = (
    "expected whole numbers with a unit (w, d, h, m, s), largest unit first, "
    "e.g. '90s', '15m', '3h', '2d', '1w' or '1h30m'"
)


def parse_duration(text: str) -> timedelta:
    """Parse ``"1h30m"``-style text into a ``timedelta``.

    Raises ``ValueError`` naming the expected form, so the message can be shown to the admin
    as it is.
    """
    if not isinstance(text, str):
        raise ValueError(f"a duration must be text, not {type(text).__name__}; {_EXPECTED}")
    stripped = text.strip()
    if stripped == "0":
        return timedelta(0)
    match = _DURATION_RE.match(stripped)
    if not stripped or match is None or not any(match.groupdict().values()):
        raise ValueError(f"invalid duration {text!r}: {_EXPECTED}")
    seconds = sum(
        int(match.group(unit)) * size for unit, size in _UNITS if match.group(unit) is not None
    )
    try:
        return timedelta(seconds=seconds)
    except OverflowError:
        raise ValueError(f"duration {text!r} is too long") from None


def format_duration(td: timedelta) -> str:
    """Format a ``timedelta`` the way ``parse_duration`` reads it (``"1h30m"``; zero is ``"0m"``).

    Units are used greedily, largest first, so the text is the shortest exact form. Negative
    values and fractions of a second have no such form and raise ``ValueError``.
    """
    if td < timedelta(0):
        raise ValueError(f"cannot format a negative duration ({td})")
    if td.microseconds:
        raise ValueError(f"cannot format fractions of a second ({td})")
    remaining = int(td.total_seconds())
    if remaining == 0:
        return "0m"
    parts: list[str] = []
    for unit, size in _UNITS:
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)

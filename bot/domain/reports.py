"""Situation reports (lägesbilder): the fields, the chat format, and readiness levels.

A representative types the report after ``!status`` / ``!läge``, one field per line as
``key: text`` (docs/commands.md, "Situation report format"). Reading is forgiving about how people
actually type in Element under time pressure: Swedish or English keys in any case, keys in
markdown bold (``**behov:**``), å/ä/ö missing on a borrowed keyboard (``atgarder``), a space
before the colon, free text before the first key (the situation). It is strict about one thing:
the readiness level. A raised level is highlighted in the combined picture, so a value that
cannot be placed is refused with the list of valid levels instead of being guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from bot.domain.errors import Refusal

__all__ = [
    "FIELDS",
    "KEYS",
    "Language",
    "ReportError",
    "SituationReport",
    "format_report",
    "is_key_line",
    "is_raised",
    "parse_report",
    "readiness_rank",
    "report_from_fields",
    "resolve_readiness",
]

Language = Literal["sv", "en"]

FIELDS: tuple[str, ...] = (
    "situation",
    "impact",
    "actions",
    "needs",
    "resources",
    "communication",
    "outlook",
    "contact",
    "readiness",
)
"""The report's fields in the order they are read, stored and shown."""

KEYS: Mapping[str, Mapping[Language, str]] = {
    "situation": {"sv": "läge", "en": "situation"},
    "impact": {"sv": "påverkan", "en": "impact"},
    "actions": {"sv": "åtgärder", "en": "actions"},
    "needs": {"sv": "behov", "en": "needs"},
    "resources": {"sv": "resurser", "en": "resources"},
    "communication": {"sv": "kommunikation", "en": "communication"},
    "outlook": {"sv": "prognos", "en": "outlook"},
    "contact": {"sv": "kontakt", "en": "contact"},
    "readiness": {"sv": "beredskap", "en": "readiness"},
}
"""What users type for each field (the contract in docs/commands.md)."""

# Keys are compared case-insensitively and without Swedish accents, so "Åtgärder", "ATGARDER"
# and "atgärder" are the same key.
_ACCENTS = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e"})


def _fold(text: str) -> str:
    return text.casefold().translate(_ACCENTS)


_FIELD_BY_KEY: dict[str, str] = {
    _fold(key): field for field, keys in KEYS.items() for key in keys.values()
}

# What may stand before the colon of a key line: "key", "Key ", "**key**", "**key" (closed
# after the colon), "__key__". Matched on the part before the first colon only, and only when
# that part is short, so a long line costs no more than a look at its first characters.
_KEY_HEAD = re.compile(r"(?P<open>[*_]{0,3})\s*(?P<key>[^\W\d_]+)\s*(?P<mid>[*_]{0,3})")
_MAX_HEAD = 40

# How many leading letters of a readiness level are enough to name it ("stab" for stabsläge).
# Shorter prefixes are refused: a stray "k" must not put an actor in katastrofläge.
_MIN_PREFIX = 3
_MAX_SHOWN = 60


class ReportError(Refusal):
    """The report cannot be accepted; nothing is stored and the sender is told why.

    ``key`` names the explanation in the message catalogue (``report.*``) and ``values`` fill it
    in, like ``commands.args.ArgumentError``, so the answer comes in the bot's language.
    """


@dataclass(frozen=True)
class SituationReport:
    """One actor's report for one meeting or reporting round; ``None`` where nothing was said.

    ``readiness`` holds the level's canonical name from the config, whatever short form the
    sender typed, so that reports compare and sort by level.
    """

    situation: str | None = None
    impact: str | None = None
    actions: str | None = None
    needs: str | None = None
    resources: str | None = None
    communication: str | None = None
    outlook: str | None = None
    contact: str | None = None
    readiness: str | None = None

    def fields(self) -> list[tuple[str, str]]:
        """The fields that say something, as ``(field, text)`` in ``FIELDS`` order."""
        values = asdict(self)
        return [(name, values[name]) for name in FIELDS if values[name]]

    def as_dict(self) -> dict[str, str]:
        """A JSON-able dict of the non-empty fields (for storage and the audit log)."""
        return dict(self.fields())

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> SituationReport:
        """The inverse of ``as_dict``; unknown keys and empty values are ignored."""
        return cls(**{name: str(data[name]) for name in FIELDS if data.get(name)})

    @property
    def is_empty(self) -> bool:
        return not self.fields()


def _match_key(line: str) -> tuple[str, str] | None:
    """``(field, text after the colon)`` when ``line`` starts with a report key, else None."""
    head, colon, rest = line.partition(":")
    if not colon or len(head) > _MAX_HEAD:
        return None
    match = _KEY_HEAD.fullmatch(head.strip())
    if match is None:
        return None
    field = _FIELD_BY_KEY.get(_fold(match["key"]))
    if field is None:
        return None
    opening, middle = match["open"], match["mid"]
    if middle == opening:  # "key:" or "**key**:"
        return field, rest
    stripped = rest.lstrip()
    if not middle and stripped.startswith(opening):  # "**key:** text"
        return field, stripped[len(opening) :]
    return None  # unbalanced emphasis: not a key, just text


def is_key_line(line: str) -> bool:
    """Whether ``line`` would start a new field (so free text containing it would be split)."""
    return _match_key(line) is not None


def parse_report(text: str, readiness_levels: Sequence[str]) -> SituationReport:
    """Reads a report typed in chat; raises ``ReportError`` when it is empty or unusable.

    Lines without a key continue the field above them (line breaks kept), text before the
    first key is the situation, and a key given twice adds to the field rather than replacing
    it: people correct themselves by adding a line, and nothing they wrote should be lost.
    """
    chunks: dict[str, list[list[str]]] = {"situation": [[]]}
    current = chunks["situation"][0]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        keyed = _match_key(line)
        if keyed is None:
            current.append(line)
            continue
        field, rest = keyed
        current = [rest]
        chunks.setdefault(field, []).append(current)

    values: dict[str, str] = {}
    for field, parts in chunks.items():
        joined = "\n".join(t for t in ("\n".join(part).strip() for part in parts) if t)
        if joined:
            values[field] = joined
    if not values:
        raise ReportError("report.empty")
    if "readiness" in values:
        values["readiness"] = resolve_readiness(values["readiness"], readiness_levels)
    return SituationReport(**values)


def report_from_fields(
    values: Mapping[str, str], readiness_levels: Sequence[str]
) -> SituationReport:
    """A report given field by field (the web form of a report link) instead of typed in chat.

    The same rules as `parse_report` once the fields are apart: text trimmed, line breaks kept,
    an empty report refused, the readiness level resolved or refused with the valid levels.
    Unknown names in ``values`` are ignored.
    """
    kept: dict[str, str] = {}
    for name in FIELDS:
        text = values.get(name, "").replace("\r\n", "\n").replace("\r", "\n").strip()
        if text:
            kept[name] = text
    if not kept:
        raise ReportError("report.empty")
    if "readiness" in kept:
        kept["readiness"] = resolve_readiness(kept["readiness"], readiness_levels)
    return SituationReport(**kept)


def resolve_readiness(value: str, readiness_levels: Sequence[str]) -> str:
    """The configured level ``value`` names, or ``ReportError`` listing the valid levels.

    Accepted: the level itself (any case, å/ä/ö optional), the level without its "läge" suffix
    (``normal``, ``stab``), or an unambiguous prefix of at least three letters.
    """
    wanted = _fold(" ".join(value.split()).strip(" *_.!"))
    levels_text = ", ".join(readiness_levels)
    shown = " ".join(value.split())
    if len(shown) > _MAX_SHOWN:  # the refusal quotes the value; a pasted essay it need not
        shown = shown[: _MAX_SHOWN - 1] + "…"
    if not wanted:
        raise ReportError("report.readiness_unknown", value=shown, levels=levels_text)
    folded = [(_fold(level), level) for level in readiness_levels]
    # The level itself first, then the short form plus "läge", with or without the linking s
    # of Swedish compounds ("normal" + "läge", "stab" + "s" + "läge").
    for spelled in (wanted, wanted + "lage", wanted + "slage"):
        for name, level in folded:
            if name == spelled:
                return level
    if len(wanted) >= _MIN_PREFIX:
        candidates = [level for name, level in folded if name.startswith(wanted)]
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            raise ReportError(
                "report.readiness_ambiguous",
                value=shown,
                candidates=", ".join(candidates),
                levels=levels_text,
            )
    raise ReportError("report.readiness_unknown", value=shown, levels=levels_text)


def readiness_rank(level: str, readiness_levels: Sequence[str]) -> int:
    """The level's position in the configured scale (0 = normal); ``ValueError`` if unknown.

    A stored report may carry a level that has since been removed from the config, which is
    why callers must be ready for the error rather than assume every level is known.
    """
    wanted = _fold(level)
    for rank, candidate in enumerate(readiness_levels):
        if _fold(candidate) == wanted:
            return rank
    raise ValueError(f"{level!r} is not one of the readiness levels {list(readiness_levels)}")


def is_raised(level: str, readiness_levels: Sequence[str]) -> bool:
    """Whether ``level`` is above the first (normal) level and so highlighted.

    A level no longer in the config counts as raised: highlighting a normal actor by mistake
    costs a glance, overlooking a raised one can cost much more.
    """
    if not readiness_levels:
        return False
    return _fold(level) != _fold(readiness_levels[0])


def format_report(report: SituationReport, language: Language = "sv") -> str:
    """The report as ``key: text`` lines in ``language``, as a user would type it.

    ``parse_report`` reads the result back to the same report (unless a continuation line itself
    looks like a key), which makes it the form to show a sender what was understood.
    """
    return "\n".join(f"{KEYS[name][language]}: {text}" for name, text in report.fields())

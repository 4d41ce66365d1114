"""What hostile users type: strategies biased towards commands that look valid (real command
names, forum and actor names, numbers, flags, dates, report lines) with hostile pieces mixed
in (HTML, fake mention pills, @room, markdown, control characters, bidi marks, huge runs of
whitespace), plus plain random text."""

from __future__ import annotations

from hypothesis import strategies as st

import commands  # noqa: F401  (registers the chat commands)
from bot.config import load_config
from commands.args import Flag, Option
from commands.groups import DIRECTION_ACTIONS, GROUP_ACTIONS, TASK_SPELLINGS
from commands.meetings import CLOSE, START
from commands.registry import registry
from tests.fuzz.world import EXAMPLE, room_id_of

SETTINGS = load_config(EXAMPLE)

VICTIM = "@victim:example.org"
FAKE_PILL = f'<a href="https://matrix.to/#/{VICTIM}">@victim</a>'

#: The payloads issue 6 names, and their relatives.
HOSTILE: tuple[str, ...] = (
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    FAKE_PILL,
    "@room",
    VICTIM,
    "<a href='https://matrix.to/#/@room'>@room</a>",
    '<font color="red">röd</font>',
    "<b>fet</b><i>kursiv</i></p></li></ul></table>",
    "<!-- kommentar -->",
    "<![CDATA[x]]>",
    "&lt;img src=x&gt; &amp; &#60;script&#62; &#x3C;",
    '"><svg/onload=alert(1)>',
    "javascript:alert(1)",
    "**fet** _kursiv_ `kod` [länk](https://evil.example) ![bild](x)",
    "# rubrik\n> citat\n- punkt",
    "{} {0} {name} {forum} %s %(x)s",
    "\u202eevil\u202c \u200f\u200e \u2066x\u2069",
    "\u200b\ufeff\u00ad",
    "\x00\x01\x07\x1b[31m\x7f",
    "a\x00b",
    "\ud800 \udfff \ud83d\ude00",  # JSON may carry lone surrogates; Unicode text may not
    "\r\n\r\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e\x1f",
    "Åtgärder: ÅÄÖ åäö é ü ß ﬁ ＡＢＣ １２３ ٣",
    "🚨✅❌👍🏽‍🔥",
)

#: Whitespace between words, from the ordinary to the absurd (under 64 KiB: longer messages
#: are the router's size limit, tested elsewhere).
WHITESPACE = st.one_of(
    st.just(" "),
    st.just(" "),
    st.sampled_from(["\n", "  ", "\t", "\r\n", "\u00a0", "\u3000", "\u2003", "\u2028", "\x0b"]),
    st.integers(1, 20_000).map(lambda n: " " * n),
    st.integers(1, 2_000).map(lambda n: "\n" * n),
    st.text(alphabet=" \t\n\r\u00a0\u3000\u2029\x0c", min_size=1, max_size=50),
)

#: Characters that matter to HTML, markdown, str.format and Matrix ids.
META = st.sampled_from([*"<>&\"'/=`{}[]()*_#@!:|\\;%~-+.,?$ \n", "\x00", "\ud800"])

HOSTILE_TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(alphabet=st.one_of(META, st.characters()), max_size=40),
    st.text(max_size=40),
    st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=4).map(" ".join),
)


def _casings(word: str) -> st.SearchStrategy[str]:
    return st.sampled_from([word, word.upper(), word.capitalize(), word.swapcase()])


_forums = [f for f in SETTINGS.forums]
_actors = [a for a in SETTINGS.actors]
_functions = sorted({f for m in SETTINGS.members for f in m.functions})
_users = sorted({m.user for m in SETTINGS.members} | set(SETTINGS.bot.admins))
_flags = sorted(
    {
        s
        for spec in registry
        for arg in spec.args
        if isinstance(arg, Flag | Option)
        for s in arg.spellings
    }
    | set(TASK_SPELLINGS)
    | {"--", "—övning", "--övning=ja", "-x"}
)

NAMES = st.one_of(
    st.sampled_from([f.id for f in _forums] + [a.id for a in _actors] + _functions),
    st.sampled_from([f.name for f in _forums] + [a.name for a in _actors]),
).flatmap(_casings)

NUMBERS = st.one_of(
    st.integers(1, 12).map(str),
    st.integers(1, 12).map(lambda n: f"#{n}"),
    st.sampled_from(
        [
            "0",
            "-1",
            "#",
            "##1",
            "#-0",
            "+3",
            "1.5",
            "1e3",
            "1_0",
            "٣",
            "²",
            "½",
            "0x10",
            "2147483647",
            "2147483648",
            "9223372036854775807",
            "9223372036854775808",
            "99999999999999999999",
            "9" * 5000,
        ]
    ),
    st.integers().map(str),
)

DATES = st.sampled_from(
    [
        "imorgon",
        "i morgon",
        "tomorrow",
        "idag",
        "torsdag",
        "thu",
        "nästa torsdag",
        "next week",
        "om 2 veckor",
        "in a week",
        "+2w",
        "+3d",
        "+1m",
        "+999999m",
        "+9999999d",
        "3/12",
        "31/2",
        "29/2",
        "3 dec",
        "december 3rd",
        "2026-12-03",
        "2026-12-03T14:00",
        "0001-01-01",
        "9999-12-31 kl 23:59",
        "3/12 kl 14",
        "3/12 25:61",
        "kl 14",
        "14:00",
    ]
)

REPORT_LINES = st.one_of(
    st.sampled_from(
        [
            "läge: snöoväder",
            "beredskap: stab",
            "beredskap: k",
            "beredskap: katastrof",
            "readiness: normal",
            "beredskap:",
            "**behov:** plogning",
            "__påverkan__: vägar",
            "**atgarder: saltning",
            "kontakt: 08-123 45",
            "mål: skydda liv",
            "prioriteringar: el\nbudskap: håll er inne",
        ]
    ),
    st.tuples(
        st.sampled_from(["läge", "behov", "beredskap", "budskap", "mål", "resurser"]),
        HOSTILE_TEXT,
    ).map(lambda kv: f"{kv[0]}: {kv[1]}"),
)

USERS = st.one_of(
    st.sampled_from(_users),
    st.sampled_from([VICTIM, "@", "@:", "@x", "@room", "@<img>:x", "@a:b:c", "@ä:example.se"]),
)

OWNERS = st.sampled_from(
    ["aktör:lst", "funktion:tib", "actor:polisen", "function:kommunikatör", "aktör:", "x:y"]
)

ACTIONS = st.sampled_from(
    sorted({*GROUP_ACTIONS, *DIRECTION_ACTIONS, *START, *CLOSE, "all", "alla", "show", "nope"})
).flatmap(_casings)

TOKENS = st.one_of(
    NAMES,
    NUMBERS,
    st.sampled_from(_flags).flatmap(_casings),
    ACTIONS,
    DATES,
    REPORT_LINES,
    USERS,
    OWNERS,
    HOSTILE_TEXT,
    st.text(max_size=15),
)


def _words(*parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Argument words in order, each after a space (sometimes other whitespace)."""
    spaced = [st.tuples(st.one_of(st.just(" "), st.just(" "), WHITESPACE), p) for p in parts]
    return st.tuples(*spaced).map(lambda pairs: "".join(a + b for a, b in pairs))


def _maybe(part: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), part)


FORUMS = st.sampled_from([f.id for f in _forums] + [f.name for f in _forums]).flatmap(_casings)
REPORT = st.lists(
    st.tuples(st.sampled_from(["\n", "\n", " ", "\r\n"]), REPORT_LINES), max_size=6
).map(lambda pairs: "".join(a + b for a, b in pairs))
FLAG = st.sampled_from(_flags).flatmap(_casings)

#: What each command's arguments look like when people mean them (by the command's name).
ARGUMENTS: dict[str, st.SearchStrategy[str]] = {
    "help": _maybe(_words(st.sampled_from(sorted(registry.all_names())))),
    "status": st.one_of(_words(REPORT), _words(FLAG, NAMES, REPORT)),
    "picture": _maybe(_words(FORUMS)),
    "missing": _maybe(_words(FORUMS)),
    "meeting": _words(ACTIONS, _maybe(FORUMS)),
    "summary": _maybe(_words(FORUMS)),
    "activate": _words(_maybe(FLAG), FORUMS, _maybe(FLAG), _maybe(HOSTILE_TEXT)),
    "deactivate": _maybe(_words(FORUMS)),
    "host": _words(NAMES),
    "alert": _words(_maybe(FLAG), st.sampled_from(_functions).flatmap(_casings), HOSTILE_TEXT),
    "ack": _maybe(_words(NUMBERS)),
    "alerts": _maybe(_words(NUMBERS)),
    "raise": _words(HOSTILE_TEXT, _maybe(st.just("|")), _maybe(HOSTILE_TEXT)),
    "issues": _maybe(_words(st.one_of(FORUMS, st.sampled_from(["alla", "all", "ALLA"])))),
    "issue": _words(NUMBERS),
    "escalate": _words(NUMBERS, FORUMS),
    "assign": _words(NUMBERS, st.one_of(USERS, OWNERS, NAMES, HOSTILE_TEXT)),
    "decide": _words(NUMBERS, HOSTILE_TEXT),
    "followup": _words(NUMBERS, DATES),
    "close": _words(NUMBERS, _maybe(HOSTILE_TEXT)),
    "group": _words(ACTIONS, _maybe(st.one_of(NAMES, HOSTILE_TEXT)), _maybe(FLAG), _maybe(REPORT)),
    "direction": _words(ACTIONS, _maybe(st.one_of(NUMBERS, REPORT))),
}

#: What ends a command's name. Other whitespace (a tab, a no-break space, CR LF) makes the
#: router read it as part of the name: answered as an unknown command, which the generic tokens
#: still try.
AFTER_NAME = st.sampled_from([" ", " ", " ", "\n", "  ", " " * 3_000, "\n\n"])

_SPECS = sorted(registry, key=lambda spec: spec.name)


@st.composite
def command_bodies(draw: st.DrawFn) -> str:
    """`!name ARG ARG …`: mostly a real command (any of its names, in any case) with the
    arguments it expects, else with argument-like tokens; sometimes a name that is none."""
    lead = draw(st.sampled_from(["", "", "", "", " ", "\n", "\u00a0", "  \t"]))
    # (Hypothesis favours small integers, so the common case is the one they pick.)
    if draw(st.integers(0, 9)) == 9:
        name, spec = draw(st.text(min_size=1, max_size=12)), None
    else:
        spec = draw(st.sampled_from(_SPECS))
        name = draw(st.sampled_from(spec.names).flatmap(_casings))
    expected = ARGUMENTS.get(spec.name) if spec is not None else None
    if expected is not None and draw(st.integers(0, 3)) < 3:
        args = draw(expected)
    else:
        words = draw(st.lists(st.tuples(WHITESPACE, TOKENS), max_size=8))
        args = "".join(space + token for space, token in words)
    if args[:1].isspace():  # what ends the name: a space or a line break, as people type
        args = draw(AFTER_NAME) + args.lstrip()
    return lead + "!" + name + args


@st.composite
def bodies(draw: st.DrawFn) -> str:
    """Message bodies: eight in ten a command as above, else random text after a `!` or not."""
    kind = draw(st.integers(0, 9))
    if kind < 8:
        return draw(command_bodies())
    text = draw(st.text(max_size=200))
    return "!" + text if kind == 8 else text


BODIES = bodies()

_FORUM_ROOMS = sorted(room_id_of(f.room) for f in SETTINGS.forums)
ROOMS = st.one_of(
    *[st.sampled_from(_FORUM_ROOMS)] * 4,
    st.sampled_from(
        sorted(
            {room_id_of(a.home_room) for a in SETTINGS.actors if a.home_room}
            | {room_id_of(SETTINGS.alerts.room or "!none:x"), "!elsewhere:example.org"}
        )
    ),
)

SENDERS = st.one_of(
    *[st.sampled_from(_users)] * 6,
    st.sampled_from(["@stranger:example.org", VICTIM]),
)

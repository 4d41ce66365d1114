"""Reading the HTML the bot sends the way a client would, to see what user text became."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

#: Every tag the bot's own templates use (bot/render, commands, services); nothing else may
#: appear in a formatted_body.
BOT_TAGS = frozenset(
    {"h3", "h4", "h5", "p", "b", "i", "ul", "li", "br", "table", "thead", "tbody", "tr", "th"}
    | {"td", "code", "a"}
)
PILL_PREFIX = "https://matrix.to/#/"


@dataclass
class Parsed:
    #: Start tags in order, each with its attributes.
    tags: list[tuple[str, tuple[tuple[str, str | None], ...]]] = field(default_factory=list)
    #: The text a reader sees, references resolved.
    text: str = ""
    #: Comments, declarations, processing instructions: none of them belong in a message.
    other: list[str] = field(default_factory=list)

    def skeleton(self, *, without: frozenset[str] = frozenset({"br"})) -> list[tuple[Any, ...]]:
        """The tags and attributes, without line breaks (user text keeps its newlines)."""
        return [tag for tag in self.tags if tag[0] not in without]

    def pills(self) -> list[str]:
        """The users the message's links point at."""
        return [
            value[len(PILL_PREFIX) :]
            for name, attrs in self.tags
            if name == "a"
            for key, value in attrs
            if key == "href" and value and value.startswith(PILL_PREFIX)
        ]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.result = Parsed()
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.result.tags.append((tag, tuple(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.result.tags.append((tag, tuple(attrs)))

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_comment(self, data: str) -> None:
        self.result.other.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.result.other.append(f"<!{decl}>")

    def unknown_decl(self, data: str) -> None:
        self.result.other.append(f"<![{data}]>")

    def handle_pi(self, data: str) -> None:
        self.result.other.append(f"<?{data}>")


def parse(formatted: str) -> Parsed:
    reader = _Reader()
    reader.feed(formatted)
    reader.close()
    reader.result.text = "".join(reader._text)
    return reader.result


def message_problems(content: dict[str, Any], intended: frozenset[str]) -> list[str]:
    """What is wrong with one m.room.message the bot would send: tags its templates never use,
    attributes other than a pill's href, pills or mentions of users it does not mean to ping,
    an @room ping, or no `m.mentions` at all (without it, clients fall back to pinging anyone
    whose name appears in the body)."""
    problems: list[str] = []
    mentions = content.get("m.mentions")
    if not isinstance(mentions, dict):
        problems.append(f"no m.mentions: {mentions!r}")
    else:
        if mentions.get("room"):
            problems.append("m.mentions pings the whole room")
        stray = set(mentions.get("user_ids", [])) - intended
        if stray:
            problems.append(f"m.mentions pings {sorted(stray)}")
    formatted = content.get("formatted_body")
    if formatted is None:
        return problems
    if content.get("format") != "org.matrix.custom.html":
        problems.append(f"format is {content.get('format')!r}")
    parsed = parse(str(formatted))
    problems += [f"markup from nowhere: {other}" for other in parsed.other]
    for name, attrs in parsed.tags:
        if name not in BOT_TAGS:
            problems.append(f"element <{name}> {attrs}")
        elif name == "a":
            keys = [key for key, _ in attrs]
            if keys != ["href"]:
                problems.append(f"link attributes {attrs}")
        elif attrs:
            problems.append(f"attributes on <{name}>: {attrs}")
    stray_pills = set(parsed.pills()) - intended
    if stray_pills:
        problems.append(f"pills for {sorted(stray_pills)}")
    links = [a for name, a in parsed.tags if name == "a"]
    if len(links) != len(parsed.pills()):
        problems.append(f"links that are not pills: {links}")
    return problems

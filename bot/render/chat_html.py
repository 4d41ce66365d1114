"""Small HTML builders for chat messages, typed with `markupsafe.Markup` so that escaping
follows the type: user text is a `str` and is escaped wherever it is put into a message;
what is already HTML (a pill, another builder's output) is `Markup` and is kept as it is.

Each builder returns a `Block`: the plain-text body and the HTML `formatted_body` of the same
content, so the two never drift apart. Only tags Element keeps are used.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

Block = tuple[str, str]
"""(plain text, HTML) of one message or part of one."""

BR = Markup("<br>")


def lines(text: str) -> Markup:
    """User text with its line breaks kept."""
    return BR.join(escape(text).split("\n"))


def pill(user_id: str, display: str | None = None) -> Markup:
    """A mention link, as Element renders it."""
    return Markup('<a href="https://matrix.to/#/{}">{}</a>').format(user_id, display or user_id)


def pills(user_ids: Sequence[str]) -> Markup:
    return Markup(", ").join(pill(u) for u in user_ids)


def with_pings(text: str, user_ids: Sequence[str], *, block: bool = False) -> Block:
    """`text` followed by the people it pings; on a line of its own, or (block) as two
    paragraphs."""
    body = f"{text}\n{', '.join(user_ids)}" if user_ids else text
    if block:
        return body, Markup("<p>{}</p><p>{}</p>").format(text, pills(user_ids))
    if not user_ids:
        return body, str(escape(text))
    return body, Markup("{}<br>{}").format(text, pills(user_ids))


def titled(title: str, text: str) -> Block:
    """A bold title over user text."""
    return f"{title}\n{text}", Markup("<p><b>{}</b></p><p>{}</p>").format(title, lines(text))


def facts(title: str, rows: Sequence[tuple[str, str]]) -> Block:
    """A heading over `label: value` items."""
    text = "\n".join([title, *(f"{k}: {v}" for k, v in rows)])
    items = Markup("").join(Markup("<li><b>{}:</b> {}</li>").format(k, v) for k, v in rows)
    return text, Markup("<h4>{}</h4><ul>{}</ul>").format(title, items)


def labelled(title: str, rows: Sequence[tuple[str, str]]) -> Block:
    """A heading over paragraphs `label: value`, the values multi-line."""
    text = "\n".join([title, *(f"{k}: {v}" for k, v in rows)])
    paragraphs = Markup("").join(
        Markup("<p><b>{}:</b> {}</p>").format(k, lines(v)) for k, v in rows
    )
    return text, Markup("<h4>{}</h4>{}").format(title, paragraphs)


def outline(title: str, parts: Sequence[tuple[str, Sequence[str]]]) -> Block:
    """A heading over parts: a part with a heading is a bold heading and a list; one without
    is its items as paragraphs."""
    text_lines = [title]
    html = [Markup("<h4>{}</h4>").format(title)]
    for heading, items in parts:
        if heading:
            text_lines.append(heading + ":")
            text_lines.extend(f"- {item}" for item in items)
            listed = Markup("").join(Markup("<li>{}</li>").format(i) for i in items)
            html.append(Markup("<p><b>{}</b></p><ul>{}</ul>").format(heading, listed))
        else:
            text_lines.extend(items)
            html.extend(Markup("<p>{}</p>").format(i) for i in items)
    return "\n".join(text_lines), Markup("").join(html)


def listed(title: str, items: Sequence[str]) -> Block:
    """A heading over a list of lines."""
    text = "\n".join([title, *items])
    entries = Markup("").join(Markup("<li>{}</li>").format(i) for i in items)
    return text, Markup("<h4>{}</h4><ul>{}</ul>").format(title, entries)


def before(text: str, block: Block) -> Block:
    """A line of text above another block."""
    return f"{text}\n{block[0]}", Markup("<p>{}</p>{}").format(text, Markup(block[1]))

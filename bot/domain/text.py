"""Text from outside (an event's JSON, a webhook's body) as the bot can keep it."""

from __future__ import annotations


def readable(text: str) -> str:
    """`text` as it can be stored and shown: JSON allows what Unicode does not, so surrogate
    pairs are joined, a lone surrogate becomes U+FFFD, and NUL characters (which PostgreSQL's
    text columns refuse) are dropped. Nothing a reader could see is lost."""
    if text.isascii() and "\x00" not in text:
        return text
    joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return joined.replace("\x00", "")

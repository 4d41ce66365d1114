"""Matrix event contents the bot sends, built as plain dicts (no I/O).

Routine output is `m.notice` (never notifies); anything meant to ping a person is `m.text`
with intentional mentions (`m.mentions`), because the default push rule suppresses notices.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from bot.render import chat_html

Content = dict[str, Any]

HTML_FORMAT = "org.matrix.custom.html"


def notice(body: str, formatted: str | None = None) -> Content:
    """Routine output: an `m.notice` with a plain body and an optional HTML body."""
    return _message("m.notice", body, formatted, mentions=())


def ping(body: str, formatted: str | None, user_ids: list[str] | tuple[str, ...]) -> Content:
    """A message that must notify `user_ids`: `m.text` with `m.mentions`."""
    return _message("m.text", body, formatted, mentions=tuple(user_ids))


def _message(msgtype: str, body: str, formatted: str | None, mentions: tuple[str, ...]) -> Content:
    content: Content = {"msgtype": msgtype, "body": body}
    if formatted is not None:
        content["format"] = HTML_FORMAT
        content["formatted_body"] = formatted
    content["m.mentions"] = {"user_ids": sorted(set(mentions))} if mentions else {}
    return content


def in_reply_to(content: Content, event_id: str, thread_root: str | None = None) -> Content:
    """Marks `content` as a reply to `event_id`, inside a thread when `thread_root` is given."""
    relates: dict[str, Any] = {"m.in_reply_to": {"event_id": event_id}}
    if thread_root is not None:
        relates = {
            "rel_type": "m.thread",
            "event_id": thread_root,
            "is_falling_back": False,
            "m.in_reply_to": {"event_id": event_id},
        }
    return {**content, "m.relates_to": relates}


def reaction(event_id: str, key: str) -> Content:
    """An annotation (e.g. ✅) on `event_id`."""
    return {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}


def pill(user_id: str, display: str | None = None) -> str:
    """An HTML mention link, as Element renders it."""
    return str(chat_html.pill(user_id, display))


def marked(content: Content, marker: str) -> Content:
    """`content` with `marker` (e.g. "ÖVNING") in front of its text, so no one mistakes an
    exercise for the real thing; a message already starting with the marker is left as it is."""
    body = content.get("body", "")
    if not isinstance(body, str) or marker in body[: len(marker) + 8]:
        return content
    result = {**content, "body": f"[{marker}] {body}"}
    if "formatted_body" in content:
        result["formatted_body"] = (
            f"<p><b>[{html.escape(marker)}]</b></p>{content['formatted_body']}"
        )
    return result


@dataclass(frozen=True)
class Attachment:
    """A file to post: its bytes are uploaded by the sender, and `content` is the `m.file`
    message without the file's address, which only the upload gives."""

    filename: str
    mimetype: str
    data: bytes

    def content(self) -> Content:
        return {
            "msgtype": "m.file",
            "body": self.filename,
            "filename": self.filename,
            "info": {"mimetype": self.mimetype, "size": len(self.data)},
            "m.mentions": {},
        }


def with_upload(content: Content, mxc: str, keys: dict[str, Any] | None) -> Content:
    """`content` pointing at the uploaded file: `url` in the clear, or the encrypted file's
    `file` object (its key, iv and hash, from nio's upload) in an encrypted room."""
    if keys is None:
        return {**content, "url": mxc}
    return {**content, "file": {**keys, "url": mxc}}

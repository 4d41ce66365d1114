"""The texts of an alert in the alerts room: the call to the people on duty, and the escalation
to those who must know that someone has not answered."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from bot.render.chat_html import Block, pills


def alert_call(text: str, user_ids: Sequence[str], how_to_ack: str) -> Block:
    """The alert in bold, the people it calls, and how to acknowledge."""
    body = f"{text}\n{', '.join(user_ids)}\n{how_to_ack}"
    html = Markup("<p><b>{}</b></p><p>{}</p><p>{}</p>").format(text, pills(user_ids), how_to_ack)
    return body, html


def escalation_call(text: str, user_ids: Sequence[str]) -> Block:
    """Who has not answered, in bold, to the people it is escalated to."""
    body = f"{text}\n{', '.join(user_ids)}"
    return body, Markup("<p><b>{}</b></p><p>{}</p>").format(text, pills(user_ids))

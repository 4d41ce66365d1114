"""Events that came in by webhook, as Matrix messages: the event in the forum room, and the
suggestion to activate that pings the activators.

Everything in them comes from outside the chat (the sender's JSON through the admin's template),
so the HTML is the escaped text and nothing else: a payload with ``<script>`` or a Matrix pill
shows as text.
"""

from __future__ import annotations

from markupsafe import Markup

from bot.matrix.content import Content, notice, ping
from bot.render.catalogue import Catalogue
from bot.render.chat_html import lines, pills

__all__ = ["activation_proposal", "hook_event", "suggested_reason"]

_MAX_REASON = 150


def hook_event(t: Catalogue, source: str, text: str) -> Content:
    """The event as a notice: where it came from, then the rendered template (first line bold,
    as the headline a template usually starts with)."""
    header = t("hook.received", source=source)
    headline, _, rest = text.partition("\n")
    paragraph = Markup("<b>{}</b>").format(lines(headline))
    if rest.strip():
        paragraph += Markup("<br>{}").format(lines(rest))
    formatted = Markup("<p><i>{}</i></p><p>{}</p>").format(header, paragraph)
    return notice(f"{header}\n{text}", formatted)


def suggested_reason(text: str) -> str:
    """A one-line reason for ``!activate FORUM reason`` from the event's text: its first line,
    without what the command would read as an option or another command."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    reason = " ".join(first.split()).lstrip("-!— ").strip()
    if len(reason) > _MAX_REASON:
        reason = reason[: _MAX_REASON - 1] + "…"
    return reason


def activation_proposal(
    t: Catalogue,
    *,
    source: str,
    forum_name: str,
    forum_id: str,
    reason: str,
    activators: list[str],
) -> Content:
    """A ping to `activators` with the command ready to copy (``!aktivera ID reason``)."""
    lead = t("hook.propose", source=source, forum=forum_name)
    command = t("hook.activate_command", id=forum_id, reason=reason).strip()
    people = ", ".join(activators)
    body = f"{lead}\n{command}\n{people}"
    formatted = Markup("<p><b>{}</b></p><pre><code>{}</code></pre><p>{}</p>").format(
        lead, command, pills(activators)
    )
    return ping(body, formatted, activators)

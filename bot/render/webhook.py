"""Events that came in by webhook, as Matrix messages: the event in the forum room, and the
suggestion to activate that pings the activators.

Everything in them comes from outside the chat (the sender's JSON through the admin's template),
so the HTML is the escaped text and nothing else: a payload with ``<script>`` or a Matrix pill
shows as text.
"""

from __future__ import annotations

import html

from bot.matrix.content import Content, notice, pill, ping
from bot.render.catalogue import Catalogue

__all__ = ["activation_proposal", "hook_event", "suggested_reason"]

_MAX_REASON = 150


def _h(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def hook_event(t: Catalogue, source: str, text: str) -> Content:
    """The event as a notice: where it came from, then the rendered template (first line bold,
    as the headline a template usually starts with)."""
    header = t("hook.received", source=source)
    headline, _, rest = text.partition("\n")
    formatted = f"<p><i>{html.escape(header)}</i></p><p><b>{_h(headline)}</b>"
    formatted += f"<br>{_h(rest)}</p>" if rest.strip() else "</p>"
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
    formatted = (
        f"<p><b>{html.escape(lead)}</b></p><pre><code>{html.escape(command)}</code></pre>"
        f"<p>{', '.join(pill(user) for user in activators)}</p>"
    )
    return ping(body, formatted, activators)

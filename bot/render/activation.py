"""The messages of an activation request: asking the activators, and telling the requester
that it was declined or lapsed."""

from __future__ import annotations

from datetime import timedelta

from markupsafe import Markup

from bot.matrix.content import Content, ping
from bot.render.catalogue import Catalogue
from bot.render.chat_html import pill, pills


def request_content(
    t: Catalogue, forum: str, forum_id: str, requester: str, reason: str | None, asked: list[str]
) -> Content:
    """`requester` (as labelled) asks for `forum`; `asked` are pinged to confirm or decline."""
    text = t(
        "activation.request", requester=requester, forum=forum, reason=reason or "–", id=forum_id
    )
    html = Markup("<p><b>{}</b></p><p>{}</p>").format(text, pills(asked))
    return ping(f"{text}\n{', '.join(asked)}", html, asked)


def request_closed_content(
    t: Catalogue,
    forum: str,
    requester: str,
    *,
    declined_by: str | None,
    timeout: timedelta,
) -> Content:
    """The requester is told: declined by someone (`declined_by`, as labelled), or lapsed
    after `timeout` with nobody answering."""
    if declined_by is not None:
        text = t("activation.declined", forum=forum, by=declined_by)
    else:
        text = t("activation.expired", forum=forum, minutes=int(timeout.total_seconds() // 60))
    return ping(f"{text} {requester}", Markup("{} {}").format(text, pill(requester)), [requester])

"""The e-mails of the reservväg: an alert with its acknowledgement link, and a summary or a
picture carried over from its Matrix message. Each mail has a text and an HTML part with the
same words; user text is escaped by type (`markupsafe`); exercise mail says so in the subject,
which otherwise only names what kind of mail it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup

from bot.matrix.content import Content
from bot.render.catalogue import Catalogue
from bot.render.chat_html import lines
from bot.render.times import when


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str


def _subject(t: Catalogue, subject: str, exercise: bool) -> str:
    return f"{t('exercise.marker')}: {subject}" if exercise else subject


def _document(t: Catalogue, body: Markup) -> str:
    page = Markup(
        '<!doctype html><html lang="{}"><head><meta charset="utf-8"></head><body>{}'
        "<hr><p><small>{}</small></p></body></html>"
    )
    return str(page.format(t.language, body, t("mail.footer")))


def _paragraphs(texts: list[str]) -> Markup:
    return Markup("").join(Markup("<p>{}</p>").format(lines(text)) for text in texts)


def _linked(text: str, link: str) -> Markup:
    """`text` with its trailing `link` as an anchor."""
    before = text.removesuffix(link)
    return Markup('<p>{}<a href="{}">{}</a></p>').format(before, link, link)


def alert_mail(
    t: Catalogue,
    *,
    alert_id: int,
    function: str,
    message: str | None,
    ack_link: str,
    expires_at: datetime,
    zone: ZoneInfo,
    exercise: bool,
    web_link: str = "",
) -> Mail:
    """`message` None: the content stays in Matrix (``require_encryption``), and the mail
    points to the web view instead."""
    intro = t("mail.alert.intro", function=function)
    if message is not None:
        said = t("mail.alert.message", message=message)
    else:
        said = t("mail.alert.withheld", link=web_link or "–")
    ack = t("mail.alert.ack", link=ack_link)
    expires = t("mail.alert.expires", time=when(t, expires_at, zone))
    text = "\n\n".join([intro, said, ack, expires, t("mail.footer")])
    html = Markup("").join(
        [_paragraphs([intro, said]), _linked(ack, ack_link), _paragraphs([expires])]
    )
    subject = _subject(t, t("mail.alert.subject", id=alert_id), exercise)
    return Mail(subject, text, _document(t, html))


def carried_mail(t: Catalogue, subject: str, content: Content, *, exercise: bool) -> Mail:
    """A Matrix message (a summary, a picture) as a mail: its body and its HTML."""
    body = str(content.get("body", ""))
    formatted = content.get("formatted_body")
    html = Markup(formatted) if isinstance(formatted, str) else _paragraphs([body])
    text = f"{body}\n\n{t('mail.footer')}"
    return Mail(_subject(t, subject, exercise), text, _document(t, html))


def withheld_mail(t: Catalogue, subject: str, notice: str, *, exercise: bool) -> Mail:
    """Only a notice that something is ready, with the web view's link (`require_encryption`
    without ``[email] content``)."""
    text = f"{notice}\n\n{t('mail.footer')}"
    return Mail(_subject(t, subject, exercise), text, _document(t, _paragraphs([notice])))

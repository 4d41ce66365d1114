"""The combined picture as one HTML document, attached to the forum room when the picture is
too large to read as a thread of messages (national scale: a thousand actors and more).

The body is the same HTML the picture's message would have (`render_picture`), so the file says
exactly what the messages would; the frame adds what a browser needs to show and print it.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from markupsafe import Markup

from bot.domain.picture import CombinedPicture
from bot.domain.slugs import slugify
from bot.matrix.content import Attachment
from bot.render.catalogue import Catalogue
from bot.render.picture import render_picture

MIMETYPE = "text/html"

_STYLE = Markup(
    "body{font-family:sans-serif;max-width:52em;margin:2em auto;padding:0 1em;line-height:1.4}"
    "h3,h4,h5{margin-bottom:.3em}table{border-collapse:collapse}"
    "td,th{border:1px solid #999;padding:.2em .5em;text-align:left}"
)


def render_picture_document(picture: CombinedPicture, t: Catalogue, zone: ZoneInfo) -> Attachment:
    """The whole picture as a standalone HTML file, named for its forum and day."""
    _text, body = render_picture(picture, t, zone)
    title = t("picture.title", forum=picture.meeting.forum_name)
    document = Markup(
        "<!doctype html>\n"
        '<html lang="{}"><head><meta charset="utf-8">'
        "<title>{}</title><style>{}</style></head>\n"
        "<body>\n{}\n</body></html>\n"
    ).format(t.language, title, _STYLE, Markup(body))
    day = picture.meeting.starts_at.astimezone(zone).strftime("%Y-%m-%d-%H%M")
    name = t(
        "picture.document.filename", forum=slugify(picture.meeting.forum_name) or "forum", when=day
    )
    return Attachment(name, MIMETYPE, document.encode())

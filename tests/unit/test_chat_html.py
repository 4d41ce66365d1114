"""Chat HTML escapes by type: user text is escaped wherever it goes, HTML is kept."""

from __future__ import annotations

import html

from bot.render.chat_html import (
    facts,
    labelled,
    lines,
    outline,
    pill,
    titled,
    with_pings,
)

HOSTILE = '<script>alert("x")</script> & <b>fet</b>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;fet&lt;/b&gt;"


def test_user_text_is_escaped_in_every_builder_and_the_plain_body_is_untouched() -> None:
    blocks = [
        titled(HOSTILE, HOSTILE),
        facts(HOSTILE, [(HOSTILE, HOSTILE)]),
        labelled(HOSTILE, [(HOSTILE, HOSTILE)]),
        outline(HOSTILE, [(HOSTILE, [HOSTILE]), ("", [HOSTILE])]),
        with_pings(HOSTILE, ["@a:x"]),
        with_pings(HOSTILE, ["@a:x"], block=True),
        with_pings(HOSTILE, []),
    ]
    for text, formatted in blocks:
        assert HOSTILE in text
        assert "<script>" not in formatted and "<b>fet</b>" not in formatted
        assert ESCAPED in formatted


def test_line_breaks_and_pills_stay_html() -> None:
    assert str(lines("a\n<b>\nc")) == "a<br>&lt;b&gt;<br>c"
    assert str(pill('@a"b:x')) == '<a href="https://matrix.to/#/@a&#34;b:x">@a&#34;b:x</a>'
    text, formatted = with_pings("Påminnelse", ["@a:x", "@b:x"])
    assert text == "Påminnelse\n@a:x, @b:x"
    assert formatted.endswith('>@a:x</a>, <a href="https://matrix.to/#/@b:x">@b:x</a>')


def test_lines_escape_quotes_as_every_html_reader_reads_them() -> None:
    """markupsafe writes quotes as numeric references: the same characters to any reader."""
    assert lines("a & b\n<b>\n'c' \"d\"") == "a &amp; b<br>&lt;b&gt;<br>&#39;c&#39; &#34;d&#34;"
    assert html.unescape(str(lines(HOSTILE))) == HOSTILE

"""The pages of a report link: the report form, the receipt, and the refusals.

Whoever opens a link is outside the chat, often on a phone, so the pages are small, plain HTML
with no script, in the bot's language. Every text that came from config or users (actor and
forum names, the values sent back into a form with a problem) goes through Jinja2's autoescape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from jinja2 import DictLoader, Environment, StrictUndefined
from markupsafe import Markup

from bot.domain.reports import FIELDS
from bot.render.catalogue import Catalogue

__all__ = ["FormField", "render_confirm", "render_form", "render_message"]

_CSS = Markup(
    "body{font-family:system-ui,sans-serif;margin:0;background:#f4f4f4;color:#111}"
    "main{max-width:40rem;margin:0 auto;padding:1rem;background:#fff;min-height:100vh}"
    "h1{font-size:1.4rem}label{display:block;font-weight:600;margin-top:1rem}"
    "small{display:block;color:#555;font-weight:400}"
    "textarea,select{width:100%;box-sizing:border-box;font:inherit;padding:.4rem}"
    "button{margin-top:1.5rem;font:inherit;padding:.6rem 1.2rem}"
    ".problem{border-left:4px solid #b00;padding:.5rem;background:#fee}"
    "@media print{button{display:none}}"
)

_TEMPLATES = {
    "base.html": """<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{{ title }}</title>
<style>{{ css }}</style>
</head>
<body><main>
<h1>{{ title }}</h1>
{% block main %}{% endblock %}
</main></body>
</html>
""",
    "form.html": """{% extends "base.html" %}
{% block main %}
<p>{{ intro }}</p>
{% for line in notes %}<p>{{ line }}</p>{% endfor %}
{% if problem %}<p class="problem" role="alert">{{ problem }}</p>{% endif %}
<form method="post" action="" accept-charset="utf-8">
<input type="hidden" name="nonce" value="{{ nonce }}">
{% for field in fields %}
<label for="f-{{ field.name }}">{{ field.label }}<small>{{ field.meaning }}</small></label>
{% if field.options %}
<select id="f-{{ field.name }}" name="{{ field.name }}">
<option value="">{{ unset }}</option>
{% for option in field.options %}
<option value="{{ option }}"{% if option == field.value %} selected{% endif %}>{{ option }}</option>
{% endfor %}
</select>
{% else %}
<textarea id="f-{{ field.name }}" name="{{ field.name }}" rows="{{ field.rows }}"
 maxlength="{{ max_length }}">{{ field.value }}</textarea>
{% endif %}
{% endfor %}
<button type="submit">{{ submit }}</button>
</form>
{% endblock %}
""",
    "confirm.html": """{% extends "base.html" %}
{% block main %}
{% for line in lines %}<p>{{ line }}</p>{% endfor %}
<form method="post" action="" accept-charset="utf-8">
<button type="submit">{{ button }}</button>
</form>
{% endblock %}
""",
    "message.html": """{% extends "base.html" %}
{% block main %}
{% for line in lines %}<p>{{ line }}</p>{% endfor %}
{% endblock %}
""",
}

_ENV = Environment(
    loader=DictLoader(_TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

MAX_FIELD = 4000
"""Longest text per field, in characters (the form's limit, and the server's)."""


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    meaning: str
    value: str = ""
    options: tuple[str, ...] = ()
    rows: int = 3


def form_fields(
    t: Catalogue, readiness_levels: Sequence[str], values: Mapping[str, str]
) -> list[FormField]:
    """The report's fields in their order, labels from the catalogue, values kept."""
    return [
        FormField(
            name=name,
            label=t(f"report.field.{name}"),
            meaning=t(f"report.meaning.{name}"),
            value=values.get(name, ""),
            options=tuple(readiness_levels) if name == "readiness" else (),
            rows=5 if name == "situation" else 3,
        )
        for name in FIELDS
    ]


def render_form(
    t: Catalogue,
    *,
    title: str,
    intro: str,
    notes: Sequence[str],
    fields: Sequence[FormField],
    nonce: str,
    problem: str | None = None,
) -> str:
    return _ENV.get_template("form.html").render(
        lang=t.language,
        css=_CSS,
        title=title,
        intro=intro,
        notes=list(notes),
        fields=list(fields),
        nonce=nonce,
        problem=problem,
        unset=t("link.form.readiness_unset"),
        submit=t("link.form.submit"),
        max_length=MAX_FIELD,
    )


def render_confirm(t: Catalogue, title: str, lines: Sequence[str], button: str) -> str:
    """A page with one button that posts back to itself (a link in a mail must not act on
    GET: mail scanners open links to look at them)."""
    return _ENV.get_template("confirm.html").render(
        lang=t.language, css=_CSS, title=title, lines=list(lines), button=button
    )


def render_message(t: Catalogue, title: str, lines: Sequence[str]) -> str:
    """A page that only says something: the receipt, "already received", a refusal."""
    return _ENV.get_template("message.html").render(
        lang=t.language, css=_CSS, title=title, lines=list(lines)
    )

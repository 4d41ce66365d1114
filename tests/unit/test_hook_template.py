"""The webhook template language: lookups only, fallbacks, every mismatch reported, and the
posted message escaped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.domain.hook_template import (
    MAX_TEXT,
    TemplateMismatch,
    TemplateSyntaxError,
    parse_template,
)
from bot.render.catalogue import Catalogue
from bot.render.webhook import activation_proposal, hook_event, suggested_reason

SAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "webhooks" / "smhi-warning.json"
BODY = {
    "warning": {"level": "Orange", "event": "Snöfall", "areas": [{"name": "Stockholms län"}]},
    "tags": ["snö", "trafik"],
    "count": 3,
    "final": False,
    "note": None,
    "empty": "",
}


def test_placeholders_look_up_paths_and_list_positions() -> None:
    template = parse_template("{warning.level} varning: {warning.event} i {warning.areas.0.name}")
    assert template.render(BODY) == "Orange varning: Snöfall i Stockholms län"
    assert [f.name for f in template.fields] == [
        "warning.level",
        "warning.event",
        "warning.areas.0.name",
    ]


def test_a_lone_surrogate_from_the_json_becomes_a_replacement_character() -> None:
    data = json.loads('{"event": "Sn\\ud800f\\u0000all", "emoji": "\\ud83d\\ude00"}')
    text = parse_template("{event} {emoji}").render(data)
    assert text == "Sn\ufffdfall 😀"
    text.encode("utf-8")  # storable, and printable into the picture document


def test_scalars_and_lists_of_scalars_become_text() -> None:
    template = parse_template("{count} st, {final}, {tags}")
    assert template.render(BODY) == "3 st, false, snö, trafik"


def test_fallbacks_cover_missing_null_and_empty_values() -> None:
    template = parse_template("{warning.area|hela länet}/{note|ingen}/{empty|tomt}/{x.y|}")
    assert template.render(BODY) == "hela länet/ingen/tomt/"


def test_every_mismatch_is_reported_at_once() -> None:
    template = parse_template("{warning.level} {warning.missing} {warning} {tags.7} {count.x}")
    with pytest.raises(TemplateMismatch) as caught:
        template.render(BODY)
    problems = caught.value.problems
    assert len(problems) == 4
    assert "{warning.missing}: warning has no 'missing'" in problems
    assert "{warning}: is an object, not a value; name one of its fields" in problems
    assert "{tags.7}: tags has 2 entries, no position 7" in problems
    assert "{count.x}: count is a single value, it has no 'x'" in problems


def test_a_body_that_is_not_an_object_is_a_mismatch_not_a_crash() -> None:
    template = parse_template("{warning.level}")
    for body in ([], "text", 12, None):
        with pytest.raises(TemplateMismatch):
            template.render(body)
    with pytest.raises(TemplateMismatch, match="list of objects"):
        parse_template("{warning.areas}").render(BODY)


def test_braces_are_literal_when_doubled_and_nothing_is_evaluated() -> None:
    template = parse_template("{{kod}} {warning.level.__class__|x} {count}")
    assert template.render(BODY) == "{kod} x 3"
    assert parse_template("{__import__('os')|säkert}").render(BODY) == "säkert"


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("Varning {warning.level", "never closed"),
        ("Varning } {warning.level}", "lone '}'"),
        ("Bara text", "no {field.path}"),
        ("{}", "empty or overlong"),
        ("{warning..level}", "empty part"),
        ("{a{b}", "inside the placeholder"),
    ],
)
def test_template_mistakes_are_explained(source: str, says: str) -> None:
    with pytest.raises(TemplateSyntaxError, match=says):
        parse_template(source)


def test_long_text_is_cut() -> None:
    text = parse_template("{v}").render({"v": "x" * (MAX_TEXT + 50)})
    assert len(text) == MAX_TEXT and text.endswith("…")


def test_the_posted_event_is_escaped_text_with_its_source() -> None:
    body = {"title": "<script>alert(1)</script>", "text": 'a & b\n<a href="x">länk</a>'}
    text = parse_template("{title}\n{text}").render(body)
    content = hook_event(Catalogue("sv"), "SMHI <test>", text)
    assert content["msgtype"] == "m.notice"
    assert content["body"].startswith("📡 Inkommet från SMHI <test>\n<script>")
    html = content["formatted_body"]
    assert "<script>" not in html and "<a href" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "SMHI &lt;test&gt;" in html and "a &amp; b<br>&lt;a href=&#34;x&#34;&gt;" in html


def test_the_activation_suggestion_is_a_ready_command_that_pings_the_activators() -> None:
    reason = suggested_reason("\n  -- Orange varning:   snöfall\nmer text")
    assert reason == "Orange varning: snöfall"
    assert suggested_reason("!avaktivera allt") == "avaktivera allt"
    users = ["@tib:example.se", "@rsk:example.se"]
    for language, command in (("sv", "!aktivera samordnande"), ("en", "!activate samordnande")):
        content = activation_proposal(
            Catalogue(language),  # type: ignore[arg-type]
            source="SMHI",
            forum_name="Regionalt samordnande forum",
            forum_id="samordnande",
            reason=reason,
            activators=users,
        )
        assert content["msgtype"] == "m.text"
        assert content["m.mentions"] == {"user_ids": sorted(users)}
        assert f"{command} Orange varning: snöfall" in content["body"]
        assert f"<code>{command} Orange varning: snöfall</code>" in content["formatted_body"]


def test_the_sample_payload_fits_the_example_template() -> None:
    import tomllib

    example = Path(__file__).resolve().parents[2] / "config.example.toml"
    hooks = tomllib.loads(example.read_text())["webhooks"]
    smhi = next(hook for hook in hooks if hook["name"] == "smhi")
    text = parse_template(smhi["template"]).render(json.loads(SAMPLE.read_text()))
    assert "Orange varning" in text and "Stockholms län" in text

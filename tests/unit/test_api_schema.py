"""The JSON API's description without a server: the OpenAPI document is valid OpenAPI 3.1, and
every view, as `bot.web.schema` writes it, fits the schema the document gives for its route and
reads back into the same view (tests/integration/test_web.py checks real answers the same way)."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from pydantic import ValidationError

from bot.domain.picture import MeetingInfo
from bot.services.views import ActivationView, ForumRef, ForumView
from bot.web import schema
from bot.web.api import ROUTES, openapi_document

VIEWS = tuple(route.answer for route in ROUTES if route.answer is not None)
REF_PREFIX = "#/components/schemas/"

# Text as the API meets it: non-ASCII, quotes, backslashes, control and separator characters.
TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "Länsstyrelsen", 'a"b\\c', "x\n\u2028\u2029\x00", "日本語 😀"]),
)


def values(hint: Any) -> st.SearchStrategy[Any]:
    """Values of a view's type hint, datetimes aware UTC as the read model makes them."""
    if hint is type(None):
        return st.none()
    if hint is str:
        return TEXT
    if hint is bool:
        return st.booleans()
    if hint is int:
        return st.integers()
    if hint is datetime:
        return st.datetimes(timezones=st.just(UTC))
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = typing.get_type_hints(hint)
        fields = {
            f.name: st.deferred(lambda h=hints[f.name]: values(h)) for f in dataclasses.fields(hint)
        }
        return st.builds(hint, **fields)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        return st.one_of(*(values(arg) for arg in args))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return st.lists(values(args[0]), max_size=2).map(tuple)
    if origin is dict and args[0] is str:
        return st.dictionaries(TEXT, values(args[1]), max_size=3)
    raise TypeError(f"no strategy for {hint!r}")


def validator(cls: type) -> Draft202012Validator:
    """The schema the document gives a route's 200 answer, with the components it refers to."""
    document = openapi_document()
    (route,) = (r for r in ROUTES if r.answer is cls)
    answer = document["paths"][route.url]["get"]["responses"]["200"]["content"]
    root = {**answer["application/json"]["schema"], "components": document["components"]}
    return Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_the_document_is_valid_openapi_3_1_and_describes_every_route() -> None:
    document = openapi_document()
    validate_openapi(document)
    assert document["openapi"] == "3.1.0"
    assert sorted(document["paths"]) == sorted(route.url for route in ROUTES)
    components = document["components"]["schemas"]
    Draft202012Validator.check_schema({"$defs": components})
    refs = [
        found for found in _walk(document) if isinstance(found, dict) and "$ref" in found
    ]  # every $ref resolves, and names a component by its class name
    assert refs and all(ref["$ref"].removeprefix(REF_PREFIX) in components for ref in refs)
    for route in ROUTES:
        ok = document["paths"][route.url]["get"]["responses"]["200"]["content"]
        if route.answer is not None:
            assert ok["application/json"]["schema"] == {"$ref": REF_PREFIX + route.answer.__name__}


def _walk(node: Any) -> typing.Iterator[Any]:
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    for child in children:
        yield from _walk(child)


def test_view_schemas_require_every_field_allow_no_other_and_mark_computed_ones() -> None:
    components = openapi_document()["components"]["schemas"]
    for name, found in components.items():
        if name == "Error":
            continue
        assert found["type"] == "object" and found["additionalProperties"] is False, name
        assert found["required"] == list(found["properties"]), name
        assert not any("title" in p or "default" in p for p in found["properties"].values())
    forum = components["ForumView"]["properties"]
    assert [name for name, p in forum.items() if p.get("readOnly")] == [
        "activated",
        "exercise",
        "mode_now",
    ]
    assert forum["next_meeting"] == {
        "anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]
    }
    # Fields with a default are written all the same, so the schema requires them too.
    assert "deadline_at" in components["MeetingInfo"]["required"]
    assert components["ForumRef"]["description"] == "A forum as other views name it."


def test_a_view_is_written_with_utc_times_and_its_computed_fields() -> None:
    forum = ForumRef("konferens", "Samverkanskonferens", "samordnande", "aktiverat")
    activation = ActivationView(
        id=3, forum=forum, state="active", reason="Snöstorm", exercise=True,
        requested_by="@tib:lst.se", requested_at=datetime(2025, 1, 2, 7, 30, tzinfo=UTC),
        activated_by=None, activated_at=None, ended_by=None, ended_at=None, host=None,
    )  # fmt: skip
    view = ForumView(
        forum=forum, room="!r:lst.se", participants=(), host_function=None, host=None,
        activation=activation, next_meeting=datetime(2025, 1, 2, 8, 0, 0, 5, tzinfo=UTC),
        current_meeting=None, latest_meeting=None, latest_picture=None, groups=(), open_issues=2,
    )  # fmt: skip
    written = schema.to_json(ForumView, view)
    data = json.loads(written)
    assert data["next_meeting"] == "2025-01-02T08:00:00.000005Z"
    assert data["activation"]["requested_at"] == "2025-01-02T07:30:00Z"
    assert (data["activated"], data["exercise"], data["mode_now"]) == (True, True, "aktiverat")
    assert list(data)[-3:] == ["activated", "exercise", "mode_now"]
    assert "Snöstorm".encode() in written  # UTF-8, not \u escapes
    assert schema.to_data(ForumView, view) == data
    assert schema.from_json(ForumView, written) == view


def test_a_view_that_does_not_fit_is_refused_when_read_back() -> None:
    with pytest.raises(ValidationError):
        schema.from_json(MeetingInfo, b'{"forum_name": "x", "starts_at": "not a time"}')


@pytest.mark.filterwarnings("error")  # pydantic warns when a value does not fit its type
@pytest.mark.parametrize("cls", VIEWS, ids=lambda cls: cls.__name__)
def test_every_view_fits_its_documented_schema_and_reads_back(cls: type) -> None:
    check = validator(cls)

    @settings(max_examples=25, deadline=None)
    @given(view=values(cls))
    def fits(view: Any) -> None:
        written = schema.to_json(cls, view)
        errors = sorted(check.iter_errors(json.loads(written)), key=str)
        assert not errors, [e.message for e in errors[:3]]
        assert schema.from_json(cls, written) == view

    fits()

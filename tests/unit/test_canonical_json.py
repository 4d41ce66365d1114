"""Our canonical JSON and signatures against the Matrix reference implementations: the bytes of
`canonical_json` are those of `canonicaljson.encode_canonical_json` (as Synapse makes them), and
our ed25519 signatures are those `signedjson` makes and checks, on varied (hostile) objects."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from canonicaljson import encode_canonical_json
from hypothesis import given, settings
from hypothesis import strategies as st
from signedjson.key import decode_signing_key_base64, decode_verify_key_base64
from signedjson.sign import SignatureVerifyException, sign_json, verify_signed_json

from bot.matrix.signing import SigningKey, b64encode, canonical_json, signed_by, with_signature

USER = "@bot:example.se"
STRIPPED = ("signatures", "unsigned")

# Keys and text where ordering and escaping differ between naive encoders: code points above
# the BMP (UTF-16 would sort them before U+E000…U+FFFF), quotes, controls, separators.
TEXT = st.one_of(
    st.text(max_size=8),
    st.sampled_from(
        ["", "a", "A", "å", "日本語", "\U0001f600", "\ufffd", '"', "\\", "\x00", "\u2028"]
    ),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1),  # Matrix's range of integers
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=25,
)
# Objects as signed: any keys, sometimes the two that signing leaves out.
OBJECTS = st.dictionaries(st.one_of(TEXT, st.sampled_from(STRIPPED)), VALUES, max_size=6)
NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf])
SEEDS = st.binary(min_size=32, max_size=32)


def without_stripped(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in STRIPPED}


@pytest.mark.parametrize(
    ("obj", "expected"),
    [  # the Matrix spec's canonical JSON examples (appendices, "Canonical JSON")
        ({}, b"{}"),
        ({"one": 1, "two": "Two"}, b'{"one":1,"two":"Two"}'),
        ({"b": "2", "a": "1"}, b'{"a":"1","b":"2"}'),
        ({"auth": {"success": True, "mxid": "@john.doe:example.com", "profile": {}}},
         b'{"auth":{"mxid":"@john.doe:example.com","profile":{},"success":true}}'),
        ({"a": "日本語"}, '{"a":"日本語"}'.encode()),
        ({"本": 2, "日": 1}, '{"日":1,"本":2}'.encode()),
        ({"a": "\u65e5"}, '{"a":"日"}'.encode()),
        ({"a": None}, b'{"a":null}'),
    ],
)  # fmt: skip
def test_the_spec_examples(obj: dict[str, Any], expected: bytes) -> None:
    assert canonical_json(obj) == expected == encode_canonical_json(obj)


@settings(max_examples=300)
@given(obj=OBJECTS)
def test_canonical_json_is_byte_for_byte_canonicaljson(obj: dict[str, Any]) -> None:
    assert canonical_json(obj) == encode_canonical_json(without_stripped(obj))


@settings(max_examples=100)
@given(obj=OBJECTS, bad=NON_FINITE, depth=st.integers(min_value=0, max_value=3))
def test_nan_and_infinity_are_refused_with_where_they_are(
    obj: dict[str, Any], bad: float, depth: int
) -> None:
    value: Any = bad
    for _ in range(depth):
        value = [{"k": value}]
    obj = {**without_stripped(obj), "x": value}
    with pytest.raises(ValueError, match=r"NaN or Infinity, found value\['x'\].* = -?(nan|inf)"):
        canonical_json(obj)
    with pytest.raises(ValueError):  # canonicaljson refuses them too
        encode_canonical_json(obj)
    # Where a signature does not look, they do no harm.
    assert canonical_json({**obj, "x": 1, "unsigned": {"age": bad}}) == canonical_json(
        {**obj, "x": 1}
    )


def test_other_refusals_keep_their_own_message() -> None:
    loop: dict[str, Any] = {}
    loop["self"] = loop
    with pytest.raises(ValueError, match="Circular reference"):
        canonical_json({"a": loop})
    with pytest.raises(TypeError):
        canonical_json({"a": {1, 2}})


def test_a_nan_makes_an_object_unverifiable_not_an_error() -> None:
    key = SigningKey.generate()
    signed = with_signature({"a": 1}, USER, key.key_id, key.sign({"a": 1}))
    assert signed_by(signed, USER, key.key_id, key.public)
    assert not signed_by({**signed, "a": math.nan}, USER, key.key_id, key.public)


@settings(max_examples=100)
@given(obj=OBJECTS, seed=SEEDS)
def test_signatures_are_signedjsons_both_ways(obj: dict[str, Any], seed: bytes) -> None:
    key = SigningKey(seed)
    theirs = decode_signing_key_base64("ed25519", "v1", b64encode(seed))
    # The same key: signedjson's public key is ours, and it signs the same bytes alike.
    assert b64encode(bytes(theirs.verify_key)) == key.public
    unsigned = {k: v for k, v in obj.items() if k != "signatures"}  # sign_json adds to them
    signed_by_them = sign_json(copy.deepcopy(unsigned), USER, theirs)
    assert signed_by_them["signatures"][USER]["ed25519:v1"] == key.sign(obj)
    assert signed_by(signed_by_them, USER, "ed25519:v1", key.public)
    # What we upload, signedjson (as Synapse) verifies; changed, it does not.
    ours = with_signature(obj, USER, key.key_id, key.sign(obj))
    verify_key = decode_verify_key_base64("ed25519", key.public, key.public)
    verify_signed_json(copy.deepcopy(ours), USER, verify_key)
    with pytest.raises(SignatureVerifyException):
        verify_signed_json({**ours, "tampered with": True}, USER, verify_key)  # a new key

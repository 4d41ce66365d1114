"""The webhook signature: HMAC-SHA256 of the raw body (and timestamp), compared in constant time,
with a 5-minute window when a timestamp is sent."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.hook_signature import SignatureError, body_digest, sign, verify

SECRET = b"s3cret-for-smhi"
BODY = b'{"warning": {"level": "orange"}}'
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def code(**kwargs: object) -> str:
    with pytest.raises(SignatureError) as caught:
        verify(SECRET, BODY, **kwargs)  # type: ignore[arg-type]
    return caught.value.code


def test_signature_is_hmac_sha256_of_the_body_as_openssl_computes_it() -> None:
    expected = hmac.new(SECRET, BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, BODY) == f"sha256={expected}"
    verify(SECRET, BODY, f"sha256={expected}", None, now=NOW)
    verify(SECRET, BODY, f"SHA256={expected.upper()}", None, now=NOW)  # hex in any case


def test_a_changed_body_or_another_secret_is_refused() -> None:
    good = sign(SECRET, BODY)
    with pytest.raises(SignatureError) as caught:
        verify(SECRET, BODY + b" ", good, None, now=NOW)
    assert caught.value.code == "bad_signature"
    assert "sign the exact bytes" in caught.value.reason
    assert code(signature=sign(b"other", BODY), timestamp=None, now=NOW) == "bad_signature"


def test_missing_or_malformed_headers_say_how_to_sign() -> None:
    with pytest.raises(SignatureError) as caught:
        verify(SECRET, BODY, None, None, now=NOW)
    assert caught.value.code == "missing_signature"
    assert "X-Samverkan-Signature: sha256=" in caught.value.reason
    assert code(signature="md5=abc", timestamp=None, now=NOW) == "malformed_signature"
    assert code(signature="sha256=", timestamp=None, now=NOW) == "bad_signature"


def test_a_timestamp_is_covered_by_the_mac_and_must_be_recent() -> None:
    stamp = str(int(NOW.timestamp()))
    signed = sign(SECRET, BODY, stamp)
    mac = hmac.new(SECRET, stamp.encode() + b"." + BODY, "sha256").hexdigest()
    assert signed == f"sha256={mac}"
    verify(SECRET, BODY, signed, stamp, now=NOW + timedelta(minutes=4))
    # The body alone does not prove a call with a timestamp, nor the other way round.
    assert code(signature=sign(SECRET, BODY), timestamp=stamp, now=NOW) == "bad_signature"
    later = str(int(NOW.timestamp()) + 1)
    assert code(signature=signed, timestamp=later, now=NOW) == "bad_signature"
    # Replayed after the window, or from a clock far ahead.
    assert code(signature=signed, timestamp=stamp, now=NOW + timedelta(minutes=6)) == (
        "stale_timestamp"
    )
    assert code(signature=signed, timestamp=stamp, now=NOW - timedelta(minutes=6)) == (
        "stale_timestamp"
    )
    assert code(signature=signed, timestamp="12.5", now=NOW) == "malformed_timestamp"
    assert code(signature=signed, timestamp="٣٣", now=NOW) == "malformed_timestamp"


def test_a_source_may_require_the_timestamp() -> None:
    with pytest.raises(SignatureError) as caught:
        verify(SECRET, BODY, sign(SECRET, BODY), None, now=NOW, require_timestamp=True)
    assert caught.value.code == "missing_timestamp"


def test_the_body_digest_identifies_the_event() -> None:
    assert body_digest(BODY) == hashlib.sha256(BODY).hexdigest()
    assert body_digest(BODY) != body_digest(BODY + b"\n")

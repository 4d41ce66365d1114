"""Report link tokens: signed for one actor and meeting, refused when altered or expired, and
form nonces bound to their link."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.link_tokens import (
    LinkClaim,
    LinkTokenError,
    check_nonce,
    derive_key,
    make_nonce,
    make_token,
    read_token,
)

KEY = derive_key("link-secret")
NOW = datetime(2026, 11, 26, 13, 0, tzinfo=UTC)
CLAIM = LinkClaim("norrtälje", 42, NOW + timedelta(hours=4))


def kind(token: str, key: bytes = KEY, now: datetime = NOW) -> str:
    with pytest.raises(LinkTokenError) as caught:
        read_token(key, token, now)
    return caught.value.kind


def test_a_token_reads_back_to_its_claim() -> None:
    token = make_token(KEY, CLAIM)
    assert read_token(KEY, token, NOW) == CLAIM
    assert "/" not in token and "+" not in token and "=" not in token  # safe in a URL path


def test_expiry_is_checked_after_the_signature() -> None:
    token = make_token(KEY, CLAIM)
    assert read_token(KEY, token, CLAIM.expires_at - timedelta(seconds=1)) == CLAIM
    assert kind(token, now=CLAIM.expires_at) == "expired"
    assert kind(token, key=derive_key("another secret"), now=CLAIM.expires_at) == "forged"


def test_any_change_makes_it_forged() -> None:
    token = make_token(KEY, CLAIM)
    payload, mac = token.split(".")
    for claim in (
        LinkClaim("polisen", 42, CLAIM.expires_at),
        LinkClaim("norrtälje", 43, CLAIM.expires_at),
        LinkClaim("norrtälje", 42, CLAIM.expires_at + timedelta(days=7)),
    ):
        other = make_token(KEY, claim).split(".")[0]
        assert kind(f"{other}.{mac}") == "forged"
    assert kind(token + "A") == "forged"
    assert kind(token[:-2]) == "forged"
    assert kind(payload) == "forged"
    assert kind("") == "forged"
    assert kind("a.b.c") == "forged"
    assert kind("!!!.???") == "forged"
    assert kind("x" * 500 + "." + mac) == "forged"


def test_a_signed_but_unreadable_payload_is_still_refused() -> None:
    from bot.domain import link_tokens

    bad = b"no-dots-here"
    mac = base64.urlsafe_b64encode(link_tokens._mac(KEY, b"token", bad)).rstrip(b"=").decode()
    token = base64.urlsafe_b64encode(bad).rstrip(b"=").decode() + "." + mac
    assert kind(token) == "forged"


def test_nonces_are_fresh_and_bound_to_their_link() -> None:
    token = make_token(KEY, CLAIM)
    other = make_token(KEY, LinkClaim("polisen", 42, CLAIM.expires_at))
    first, second = make_nonce(KEY, token), make_nonce(KEY, token)
    assert first != second
    assert check_nonce(KEY, token, first) and check_nonce(KEY, token, second)
    assert not check_nonce(KEY, other, first)
    assert not check_nonce(derive_key("x"), token, first)
    raw, mac = first.split(".")
    assert not check_nonce(KEY, token, f"{raw}.{mac[::-1]}")
    assert not check_nonce(KEY, token, "")
    assert not check_nonce(KEY, token, "....")
    assert not check_nonce(KEY, token, "%%%.%%%")


def test_the_key_is_derived_not_the_secret_itself() -> None:
    assert KEY != b"link-secret" and len(KEY) == 32
    assert derive_key("link-secret") == KEY
    with pytest.raises(ValueError):
        make_token(KEY, LinkClaim("a.b", 1, NOW))

"""Which key nio's encryption store is pickled with, so setting or keeping the crypto key never
locks the bot out of its own store."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.matrix.session import PICKLE_KEY_FILE, LoginFailed, LoginSettings, MatrixSession


def session(store: Path, crypto_key: str | None) -> MatrixSession:
    settings = LoginSettings(
        "http://127.0.0.1:1", "@bot:example.se", "samverkan", store, pickle_key=crypto_key
    )
    return MatrixSession(settings)


def test_a_new_store_is_protected_by_the_crypto_key_and_gets_no_key_file(tmp_path: Path) -> None:
    assert session(tmp_path, "the-crypto-key")._pickle_key() == "the-crypto-key"
    assert not (tmp_path / PICKLE_KEY_FILE).exists()


def test_a_store_begun_without_the_crypto_key_keeps_its_key_file(tmp_path: Path) -> None:
    first = session(tmp_path, None)._pickle_key()
    (tmp_path / "@bot:example.se_DEVICE.db").write_bytes(b"store")
    assert (tmp_path / PICKLE_KEY_FILE).exists()
    assert session(tmp_path, "set-later")._pickle_key() == first  # still readable
    assert session(tmp_path, None)._pickle_key() == first


def test_a_store_made_with_the_crypto_key_needs_it_again(tmp_path: Path) -> None:
    session(tmp_path, "the-crypto-key")._pickle_key()
    (tmp_path / "@bot:example.se_DEVICE.db").write_bytes(b"store")
    with pytest.raises(LoginFailed, match="SAMVERKAN_CRYPTO__KEY"):
        session(tmp_path, None)._pickle_key()
    assert not (tmp_path / PICKLE_KEY_FILE).exists()  # no new key that would hide the old one

"""Cross-signing without a server: Matrix's signing rules, the encrypted key file, the status
lines and the `crypto status` command line."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from bot.cli import build_parser
from bot.crypto.status import describe
from bot.matrix.crosssigning import fingerprint, signing_keys_body
from bot.matrix.identity import PublishedKeys
from bot.matrix.keyfile import CrossSigningKeys, KeyFileError, load_keys, save_keys
from bot.matrix.signing import (
    SigningKey,
    b64decode,
    b64encode,
    canonical_json,
    signed_by,
    with_signature,
)

USER = "@bot:example.se"
#: The seed of the spec's signing test vectors (Matrix spec, appendices).
SPEC_SEED = "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1"


def test_canonical_json_sorts_strips_and_keeps_utf8() -> None:
    obj = {
        "b": 2,
        "a": {"z": [1, {"y": True, "x": None}], "å": "日本語"},
        "signatures": {"x": {}},
        "unsigned": {"age": 5},
    }
    assert canonical_json(obj) == '{"a":{"z":[1,{"x":null,"y":true}],"å":"日本語"},"b":2}'.encode()


def test_signatures_match_the_spec_test_vectors() -> None:
    key = SigningKey(b64decode(SPEC_SEED))
    assert key.sign({}) == (
        "K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ"
    )
    assert key.sign({"one": 1, "two": "Two"}) == (
        "KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw"
    )
    assert "=" not in key.public and key.key_id == f"ed25519:{key.public}"


def test_sign_and_verify_round_trip_and_tampering() -> None:
    key, other = SigningKey.generate(), SigningKey.generate()
    obj = {"user_id": USER, "keys": {"ed25519:DEV": "abc"}, "unsigned": {"name": "x"}}
    signed = with_signature(obj, USER, key.key_id, key.sign(obj))
    assert "unsigned" not in signed
    assert signed_by(signed, USER, key.key_id, key.public)
    assert signed_by({**signed, "unsigned": {"changed": 1}}, USER, key.key_id, key.public)
    assert not signed_by({**signed, "user_id": "@evil:x"}, USER, key.key_id, key.public)
    assert not signed_by(signed, USER, key.key_id, other.public)
    assert not signed_by(signed, "@other:x", key.key_id, key.public)


def test_seed_never_shows_in_repr() -> None:
    key = SigningKey.generate()
    assert key.public in repr(key)
    assert str(list(key.seed)) not in repr(key) and repr(key.seed) not in repr(key)


def test_upload_body_has_the_master_key_sign_the_other_two() -> None:
    keys = CrossSigningKeys.generate()
    body = signing_keys_body(USER, keys)
    m = keys.master
    assert body["master_key"] == {
        "user_id": USER,
        "usage": ["master"],
        "keys": {m.key_id: m.public},
    }
    for part, usage in (("self_signing_key", "self_signing"), ("user_signing_key", "user_signing")):
        assert body[part]["usage"] == [usage]
        assert signed_by(body[part], USER, m.key_id, m.public)


def test_key_file_round_trip_is_encrypted_and_private(tmp_path: Path) -> None:
    keys = CrossSigningKeys.generate()
    path = tmp_path / "cross_signing.keys"
    save_keys(path, keys, user_id=USER, secret="correct horse")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    for key in (keys.master, keys.self_signing, keys.user_signing):
        assert b64encode(key.seed) not in text and key.seed.hex() not in text
        assert SigningKey(key.seed).public not in text  # nothing about the keys in clear
    loaded = load_keys(path, user_id=USER, secret="correct horse")
    assert loaded == keys


def test_key_file_refuses_a_wrong_secret_another_user_and_tampering(tmp_path: Path) -> None:
    path = tmp_path / "cross_signing.keys"
    save_keys(path, CrossSigningKeys.generate(), user_id=USER, secret="right")
    with pytest.raises(KeyFileError, match="SAMVERKAN_CRYPTO__KEY"):
        load_keys(path, user_id=USER, secret="wrong")
    with pytest.raises(KeyFileError, match="not @other"):
        load_keys(path, user_id="@other:example.se", secret="right")
    document = json.loads(path.read_text())
    document["user_id"] = "@other:example.se"  # the header is authenticated too
    path.write_text(json.dumps(document))
    with pytest.raises(KeyFileError):
        load_keys(path, user_id="@other:example.se", secret="right")
    path.write_text("{not json")
    with pytest.raises(KeyFileError, match="damaged"):
        load_keys(path, user_id=USER, secret="right")
    assert load_keys(tmp_path / "missing", user_id=USER, secret="right") is None


def published(keys: CrossSigningKeys, device: SigningKey, *, sign_device: bool) -> PublishedKeys:
    """A `/keys/query` answer for USER's device DEV, made with real signatures."""
    body = signing_keys_body(USER, keys)
    dev = {
        "user_id": USER,
        "device_id": "DEV",
        "algorithms": ["m.olm.v1.curve25519-aes-sha2"],
        "keys": {"ed25519:DEV": device.public, "curve25519:DEV": "c"},
        "unsigned": {"device_display_name": "samverkan"},
    }
    dev = with_signature(dev, USER, "ed25519:DEV", device.sign(dev))
    if sign_device:
        ssk = keys.self_signing
        dev["signatures"][USER][ssk.key_id] = ssk.sign(dev)
    query = {
        "device_keys": {USER: {"DEV": dev}},
        "master_keys": {USER: body["master_key"]},
        "self_signing_keys": {USER: body["self_signing_key"]},
    }
    return PublishedKeys.from_query(query, USER, "DEV")


def test_published_keys_verify_the_chain() -> None:
    keys, device = CrossSigningKeys.generate(), SigningKey.generate()
    good = published(keys, device, sign_device=True)
    assert good.cross_signed and good.device_key == device.public
    assert good.master_key == keys.master.public and not good.master_signed_by_device
    assert not published(keys, device, sign_device=False).cross_signed
    # A self-signing key signed by some other master key does not count.
    forged = PublishedKeys(
        USER,
        "DEV",
        good.device,
        signing_keys_body(USER, CrossSigningKeys.generate())["master_key"],
        good.self_signing,
    )
    assert forged.device_signed and not forged.self_signing_signed and not forged.cross_signed
    # Device keys whose own signature is wrong are dropped by clients, however cross-signed.
    assert good.device is not None
    bad_self = json.loads(json.dumps(good.device))
    bad_self["signatures"][USER]["ed25519:DEV"] = SigningKey.generate().sign(good.device)
    broken = PublishedKeys(USER, "DEV", bad_self, good.master, good.self_signing)
    assert broken.device_signed and not broken.device_self_signed and not broken.cross_signed


def test_status_lines_say_why_a_device_is_not_cross_signed() -> None:
    keys, device = CrossSigningKeys.generate(), SigningKey.generate()
    lines = describe(published(keys, device, sign_device=True))
    assert lines[1].endswith("DEV")
    assert fingerprint(device.public) in lines[2]
    assert keys.master.public in lines[3]
    assert "status:" in lines[4] and "not cross-signed" not in lines[4]
    unsigned = describe(published(keys, device, sign_device=False))[-1]
    assert "not cross-signed" in unsigned and "device is not signed" in unsigned
    nothing = describe(PublishedKeys(USER, "DEV", None, None, None))
    assert "not cross-signed" in nothing[-1] and nothing[3].endswith("-")


def test_fingerprint_groups_by_four() -> None:
    assert fingerprint("abcdefghij") == "abcd efgh ij"


def test_crypto_status_command_line() -> None:
    args = build_parser().parse_args(["crypto", "status", "--config", "bot.toml"])
    assert (args.command, args.crypto_command, args.config) == ("crypto", "status", "bot.toml")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["crypto"])  # a crypto subcommand is required
    with pytest.raises(SystemExit):
        build_parser().parse_args(["crypto", "rotate"])

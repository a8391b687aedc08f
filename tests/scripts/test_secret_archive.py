"""The envelope-encrypted archive: round trip, and every alteration refused with one line."""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from scripts.secret_archive import (
    FORMAT,
    ArchivedSecret,
    ArchiveError,
    ArchiveHeader,
    open_archive,
    read_archive,
    seal,
)
from scripts.secret_clients import crc32c
from tests.scripts.fakes import FakeKms, canary

KEY = "projects/my-hibachi-staging/locations/us-central1/keyRings/secret-backups/cryptoKeys/staging"
OTHER_KEY = KEY.replace("cryptoKeys/staging", "cryptoKeys/other")
HEADER = ArchiveHeader(
    stack="staging",
    project="my-hibachi-staging",
    kms_key=KEY,
    created="2027-03-01T12:00:00Z",
    secrets=(
        ArchivedSecret("staging-global-STRIPE_SECRET_KEY", 3),
        ArchivedSecret("staging-backend-DATABASE_URL", 1),
    ),
)


@pytest.fixture
def values() -> dict[str, bytes]:
    return {
        "staging-global-STRIPE_SECRET_KEY": canary("stripe"),
        # Values are bytes: a binary one survives the trip unchanged.
        "staging-backend-DATABASE_URL": bytes(range(256)) + canary("db"),
    }


def sealed_document(values: dict[str, bytes], kms: FakeKms) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(seal(HEADER, values, kms))
    return document


def reopen(document: dict[str, Any], kms: FakeKms) -> dict[str, bytes]:
    data = json.dumps(document).encode()
    return open_archive(read_archive(data, "backup.mhb"), kms, "backup.mhb")


def test_round_trip_gives_back_every_value(values: dict[str, bytes]) -> None:
    kms = FakeKms(KEY)
    archive = seal(HEADER, values, kms)
    sealed = read_archive(archive, "backup.mhb")
    assert sealed.header == HEADER
    assert open_archive(sealed, kms, "backup.mhb") == values


def test_the_header_names_secrets_and_versions_and_holds_no_value(
    values: dict[str, bytes],
) -> None:
    document = sealed_document(values, FakeKms(KEY))
    assert document["format"] == FORMAT
    assert document["header"] == {
        "cipher": "AES-256-GCM",
        "created": "2027-03-01T12:00:00Z",
        "kmsKey": KEY,
        "project": "my-hibachi-staging",
        "secrets": [
            {"name": "staging-global-STRIPE_SECRET_KEY", "version": 3},
            {"name": "staging-backend-DATABASE_URL", "version": 1},
        ],
        "stack": "staging",
    }


def test_each_archive_has_its_own_data_key_and_nonce(values: dict[str, bytes]) -> None:
    kms = FakeKms(KEY)
    first, second = sealed_document(values, kms), sealed_document(values, kms)
    assert first["wrappedKey"] != second["wrappedKey"]
    assert first["nonce"] != second["nonce"]
    assert first["ciphertext"] != second["ciphertext"]
    # Only the 32-byte data key went to KMS, never the values.
    assert kms.calls == [f"encrypt {KEY}", f"encrypt {KEY}"]


def _set_header(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(document: dict[str, Any]) -> None:
        document["header"][field] = value

    return edit


def _flip(field: str) -> Callable[[dict[str, Any]], None]:
    def edit(document: dict[str, Any]) -> None:
        raw = bytearray(base64.b64decode(document[field]))
        raw[-1] ^= 0x01
        document[field] = base64.b64encode(bytes(raw)).decode()

    return edit


def _swap_versions(document: dict[str, Any]) -> None:
    document["header"]["secrets"][0]["version"] = 2


def _drop_secret(document: dict[str, Any]) -> None:
    document["header"]["secrets"].pop()


TAMPERED = {
    "stack": (_set_header("stack", "production"), "could not unwrap"),
    "project": (_set_header("project", "my-hibachi-crm"), "could not unwrap"),
    "created time": (_set_header("created", "2030-01-01T00:00:00Z"), "could not unwrap"),
    "version": (_swap_versions, "could not unwrap"),
    "secret list": (_drop_secret, "could not unwrap"),
    "another key": (_set_header("kmsKey", OTHER_KEY), "could not unwrap"),
    "wrapped key": (_flip("wrappedKey"), "could not unwrap"),
    "ciphertext": (_flip("ciphertext"), "does not verify (AES-GCM tag)"),
    "nonce": (_flip("nonce"), "does not verify (AES-GCM tag)"),
}


@pytest.mark.parametrize(("edit", "expected"), TAMPERED.values(), ids=TAMPERED.keys())
def test_an_altered_archive_is_refused_with_one_line(
    values: dict[str, bytes], edit: Callable[[dict[str, Any]], None], expected: str
) -> None:
    kms = FakeKms(KEY, OTHER_KEY)
    document = sealed_document(values, kms)
    edit(document)
    with pytest.raises(ArchiveError) as refused:
        reopen(document, kms)
    message = str(refused.value)
    assert expected in message
    assert message.startswith("backup.mhb: ")
    assert "\n" not in message


def test_gcm_binds_the_header_even_with_the_data_key_in_hand(values: dict[str, bytes]) -> None:
    # Even with KMS out of the way, GCM binds the header: a restamped header does not verify.
    kms = FakeKms(KEY)
    sealed = read_archive(seal(HEADER, values, kms), "backup.mhb")
    data_key = kms.decrypt(
        {
            "name": KEY,
            "ciphertext": sealed.wrapped_key,
            "additional_authenticated_data": HEADER.authenticated_data(),
            "ciphertext_crc32c": crc32c(sealed.wrapped_key),
        }
    ).plaintext
    restamped = dataclasses.replace(HEADER, created="2030-01-01T00:00:00Z")
    cipher = AESGCM(data_key)
    assert cipher.decrypt(sealed.nonce, sealed.ciphertext, HEADER.authenticated_data())
    with pytest.raises(InvalidTag):
        cipher.decrypt(sealed.nonce, sealed.ciphertext, restamped.authenticated_data())


def _edit(change: Callable[[dict[str, Any]], object]) -> Callable[[dict[str, Any]], None]:
    def edit(document: dict[str, Any]) -> None:
        change(document)

    return edit


UNREADABLE: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "another format": (_edit(lambda d: d.update(format="other/1")), "format is not"),
    "a field added": (_edit(lambda d: d.update(note="x")), "must hold exactly"),
    "a header field added": (
        _edit(lambda d: d["header"].update(comment="x")),
        "header: must hold exactly",
    ),
    "bad base64": (
        _edit(lambda d: d.update(ciphertext="not*base64")),
        "ciphertext: missing or not base64",
    ),
    "a malformed key": (
        _edit(lambda d: d["header"].update(kmsKey="projects/x")),
        "header.kmsKey: missing or malformed",
    ),
    "a secret twice": (
        _edit(lambda d: d["header"]["secrets"].append(dict(d["header"]["secrets"][0]))),
        "is listed twice",
    ),
    "a version of zero": (
        _edit(lambda d: d["header"]["secrets"][0].update(version=0)),
        "version: must be a positive integer",
    ),
    "a short nonce": (_edit(lambda d: d.update(nonce="AAAA")), "nonce: must be 12 bytes"),
}


@pytest.mark.parametrize(("edit", "expected"), UNREADABLE.values(), ids=UNREADABLE.keys())
def test_an_unreadable_archive_is_refused_before_any_kms_call(
    values: dict[str, bytes], edit: Callable[[dict[str, Any]], None], expected: str
) -> None:
    document = sealed_document(values, FakeKms(KEY))
    edit(document)
    with pytest.raises(ArchiveError) as refused:
        read_archive(json.dumps(document).encode(), "backup.mhb")
    assert expected in str(refused.value)
    assert str(refused.value).startswith("backup.mhb: ")


def test_bytes_that_are_not_json_are_refused() -> None:
    with pytest.raises(ArchiveError, match="not ASCII JSON"):
        read_archive(b"\x00\x01binary", "backup.mhb")


def test_a_response_corrupted_in_transit_is_refused(values: dict[str, bytes]) -> None:
    kms = FakeKms(KEY)
    kms.corrupt_response = True
    with pytest.raises(ArchiveError, match="response from Cloud KMS was corrupted"):
        seal(HEADER, values, kms)


def test_a_key_kms_refuses_is_one_line_naming_the_key(values: dict[str, bytes]) -> None:
    with pytest.raises(ArchiveError) as refused:
        seal(HEADER, values, FakeKms(OTHER_KEY))
    assert str(refused.value).startswith(f"Cloud KMS could not wrap the data key with {KEY}: ")
    assert "PermissionDenied" in str(refused.value)


def test_a_key_of_the_same_name_that_did_not_seal_it_cannot_unwrap(
    values: dict[str, bytes],
) -> None:
    document = sealed_document(values, FakeKms(KEY))
    with pytest.raises(ArchiveError, match=r"could not unwrap .*InvalidArgument"):
        reopen(document, FakeKms(KEY))


def test_no_decrypt_permission_is_refused_with_one_line(values: dict[str, bytes]) -> None:
    kms = FakeKms(KEY)
    document = sealed_document(values, kms)
    kms.can_decrypt = False
    with pytest.raises(ArchiveError) as refused:
        reopen(document, kms)
    assert "could not unwrap" in str(refused.value)
    assert "PermissionDenied" in str(refused.value)
    assert "\n" not in str(refused.value)


def test_seal_refuses_values_the_header_does_not_name(values: dict[str, bytes]) -> None:
    with pytest.raises(ValueError, match="different secrets"):
        seal(HEADER, {**values, "staging-global-EXTRA": b"x"}, FakeKms(KEY))

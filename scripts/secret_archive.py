"""The encrypted secret backup archive: envelope encryption with a Cloud KMS key.

An archive is one JSON document (ASCII, so it survives any copy):

    {"format": "myhibachi-secret-backup/1",
     "header": {"cipher": "AES-256-GCM", "created": ..., "kmsKey": ..., "project": ...,
                "secrets": [{"name": ..., "version": ...}], "stack": ...},
     "wrappedKey": <base64>, "nonce": <base64>, "ciphertext": <base64>}

A fresh random 256-bit data key per archive encrypts the values with AES-256-GCM; only that data
key goes to Cloud KMS, which wraps it (`encrypt`). Both the KMS call and the GCM encryption take
the canonical bytes of the format and the header as additional authenticated data, so an archive
whose header was edited (another stack, project, key, time, secret or version) neither unwraps
nor verifies. The header names secrets and versions, never a value; the values exist in plain
text only in memory, inside the encrypted payload.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from scripts.secret_clients import KeyManagement, call_failed, crc32c, one_line

FORMAT = "myhibachi-secret-backup/1"
CIPHER = "AES-256-GCM"
NONCE_BYTES = 12  # the GCM nonce size NIST SP 800-38D recommends
KMS_KEY = re.compile(
    r"projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/locations/[a-z0-9-]+"
    r"/keyRings/[A-Za-z0-9_-]{1,63}/cryptoKeys/[A-Za-z0-9_-]{1,63}"
)
_SECRET_ID = re.compile(r"[A-Za-z0-9_-]{1,255}")
_CREATED = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
# Fields are exact: an added field would be ignored by the authenticated data, so it is refused.
_ARCHIVE_FIELDS = {"format", "header", "wrappedKey", "nonce", "ciphertext"}
_HEADER_FIELDS = {"cipher", "created", "kmsKey", "project", "secrets", "stack"}
_Response = TypeVar("_Response")


class ArchiveError(Exception):
    """The archive is unreadable, altered, or cannot be unwrapped: one line, exit code 2."""


@dataclass(frozen=True)
class ArchivedSecret:
    """A secret in the archive and the version its value was read from."""

    name: str
    version: int


@dataclass(frozen=True)
class ArchiveHeader:
    """What an archive holds and for whom; authenticated, never encrypted, never a value."""

    stack: str
    project: str
    kms_key: str
    created: str  # RFC 3339, UTC, to the second
    secrets: tuple[ArchivedSecret, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The archived secrets' ids, in archive order."""
        return tuple(secret.name for secret in self.secrets)

    def as_json(self) -> dict[str, Any]:
        """The header as the archive stores it."""
        return {
            "cipher": CIPHER,
            "created": self.created,
            "kmsKey": self.kms_key,
            "project": self.project,
            "secrets": [{"name": s.name, "version": s.version} for s in self.secrets],
            "stack": self.stack,
        }

    def authenticated_data(self) -> bytes:
        """The bytes KMS and GCM bind the archive to: the format and the header, canonically."""
        document = {"format": FORMAT, "header": self.as_json()}
        return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


@dataclass(frozen=True)
class SealedArchive:
    """An archive as read from its file, not yet unwrapped."""

    header: ArchiveHeader
    wrapped_key: bytes
    nonce: bytes
    ciphertext: bytes


def seal(header: ArchiveHeader, values: Mapping[str, bytes], kms: KeyManagement) -> bytes:
    """Encrypt the values under a fresh data key, wrap the key with KMS: the archive's bytes."""
    if set(values) != set(header.names):
        raise ValueError("the values and the header name different secrets")
    authenticated = header.authenticated_data()
    data_key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(NONCE_BYTES)
    payload = json.dumps(
        {name: base64.b64encode(values[name]).decode() for name in header.names}
    ).encode()
    ciphertext = AESGCM(data_key).encrypt(nonce, payload, authenticated)
    wrapped_key = _wrap(kms, header.kms_key, data_key, authenticated)
    document = {
        "format": FORMAT,
        "header": header.as_json(),
        "wrappedKey": _b64(wrapped_key),
        "nonce": _b64(nonce),
        "ciphertext": _b64(ciphertext),
    }
    return (json.dumps(document, indent=2) + "\n").encode("ascii")


def read_archive(data: bytes, source: str) -> SealedArchive:
    """Parse an archive's bytes; ArchiveError (naming the source) if it is not one."""
    try:
        document = json.loads(data.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raise ArchiveError(f"{source}: not a secret backup archive (not ASCII JSON)") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ArchiveError(f"{source}: not a secret backup archive (format is not {FORMAT})")
    if set(document) != _ARCHIVE_FIELDS:
        raise ArchiveError(f"{source}: must hold exactly {', '.join(sorted(_ARCHIVE_FIELDS))}")
    header = _header(document.get("header"), source)
    sealed = SealedArchive(
        header=header,
        wrapped_key=_unb64(document, "wrappedKey", source),
        nonce=_unb64(document, "nonce", source),
        ciphertext=_unb64(document, "ciphertext", source),
    )
    if len(sealed.nonce) != NONCE_BYTES:
        raise ArchiveError(f"{source}: nonce: must be {NONCE_BYTES} bytes")
    return sealed


def open_archive(sealed: SealedArchive, kms: KeyManagement, source: str) -> dict[str, bytes]:
    """Unwrap the data key with KMS, verify the GCM tag and header, and return the values."""
    authenticated = sealed.header.authenticated_data()
    data_key = _unwrap(kms, sealed.header.kms_key, sealed.wrapped_key, authenticated, source)
    try:
        payload = AESGCM(data_key).decrypt(sealed.nonce, sealed.ciphertext, authenticated)
    except (InvalidTag, ValueError):
        raise ArchiveError(
            f"{source}: does not verify (AES-GCM tag): the archive was altered or is corrupt"
        ) from None
    try:
        encoded = json.loads(payload)
        values = {name: base64.b64decode(encoded[name], validate=True) for name in encoded}
    except (ValueError, TypeError, KeyError, binascii.Error):
        # Never echo the payload or the parser's excerpt of it: it holds the values.
        raise ArchiveError(f"{source}: the decrypted payload is not a value list") from None
    if sorted(values) != sorted(sealed.header.names):
        raise ArchiveError(f"{source}: the payload and the header name different secrets")
    return values


def _wrap(kms: KeyManagement, key: str, data_key: bytes, authenticated: bytes) -> bytes:
    response = _call_kms(
        kms.encrypt,
        _kms_request(key, "plaintext", data_key, authenticated),
        f"Cloud KMS could not wrap the data key with {key}",
    )
    if not (
        response.verified_plaintext_crc32c
        and response.verified_additional_authenticated_data_crc32c
    ):
        raise ArchiveError(f"{key}: the request to Cloud KMS was corrupted in transit")
    if response.ciphertext_crc32c != crc32c(response.ciphertext):
        raise ArchiveError(f"{key}: the response from Cloud KMS was corrupted in transit")
    if not response.name.startswith(f"{key}/cryptoKeyVersions/"):
        raise ArchiveError(f"{key}: Cloud KMS answered with another key ({response.name})")
    return bytes(response.ciphertext)


def _unwrap(
    kms: KeyManagement, key: str, wrapped: bytes, authenticated: bytes, source: str
) -> bytes:
    response = _call_kms(
        kms.decrypt,
        _kms_request(key, "ciphertext", wrapped, authenticated),
        f"{source}: Cloud KMS could not unwrap the data key with {key} (an altered header, "
        "another key, or no decrypt permission)",
    )
    if response.plaintext_crc32c != crc32c(response.plaintext):
        raise ArchiveError(f"{key}: the response from Cloud KMS was corrupted in transit")
    return bytes(response.plaintext)


def _kms_request(key: str, field: str, data: bytes, authenticated: bytes) -> dict[str, Any]:
    """An encrypt or decrypt request: `data` under `field`, with the authenticated data, each
    with its CRC32C so that Cloud KMS refuses what was corrupted on the way."""
    return {
        "name": key,
        field: data,
        "additional_authenticated_data": authenticated,
        f"{field}_crc32c": crc32c(data),
        "additional_authenticated_data_crc32c": crc32c(authenticated),
    }


def _call_kms(
    method: Callable[[dict[str, Any]], _Response], request: dict[str, Any], failure: str
) -> _Response:
    """One Cloud KMS call; a failed call becomes an ArchiveError: `failure`, then the error."""
    try:
        return method(request)
    except Exception as error:
        if not call_failed(error):
            raise
        raise ArchiveError(f"{failure}: {one_line(error)}") from None


def _header(value: object, source: str) -> ArchiveHeader:
    if not isinstance(value, dict):
        raise ArchiveError(f"{source}: header: must be an object")
    if set(value) != _HEADER_FIELDS:
        raise ArchiveError(
            f"{source}: header: must hold exactly {', '.join(sorted(_HEADER_FIELDS))}"
        )
    if value.get("cipher") != CIPHER:
        raise ArchiveError(f"{source}: header.cipher: must be {CIPHER}")
    texts = {}
    for field, pattern in (
        ("stack", r"[a-z][a-z0-9-]{0,39}"),
        ("project", r"[a-z][a-z0-9-]{4,28}[a-z0-9]"),
        ("kmsKey", KMS_KEY.pattern),
        ("created", _CREATED.pattern),
    ):
        text = value.get(field)
        if not isinstance(text, str) or not re.fullmatch(pattern, text):
            raise ArchiveError(f"{source}: header.{field}: missing or malformed")
        texts[field] = text
    secrets = value.get("secrets")
    if not isinstance(secrets, list) or not secrets:
        raise ArchiveError(f"{source}: header.secrets: must be a non-empty list")
    archived: list[ArchivedSecret] = []
    for index, item in enumerate(secrets):
        where = f"{source}: header.secrets[{index}]"
        if not isinstance(item, dict) or set(item) != {"name", "version"}:
            raise ArchiveError(f"{where}: must be an object of name and version")
        name, version = item["name"], item["version"]
        if not isinstance(name, str) or not _SECRET_ID.fullmatch(name):
            raise ArchiveError(f"{where}.name: not a secret id")
        if type(version) is not int or version < 1:
            raise ArchiveError(f"{where}.version: must be a positive integer")
        if any(other.name == name for other in archived):
            raise ArchiveError(f"{where}.name: {name} is listed twice")
        archived.append(ArchivedSecret(name, version))
    return ArchiveHeader(
        stack=texts["stack"],
        project=texts["project"],
        kms_key=texts["kmsKey"],
        created=texts["created"],
        secrets=tuple(archived),
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(document: dict[str, Any], field: str, source: str) -> bytes:
    value = document.get(field)
    try:
        if not isinstance(value, str) or not value:
            raise ValueError(field)
        return base64.b64decode(value, validate=True)
    except (ValueError, binascii.Error):
        raise ArchiveError(f"{source}: {field}: missing or not base64") from None

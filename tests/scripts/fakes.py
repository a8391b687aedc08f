"""Fakes at the client boundary: Secret Manager and Cloud KMS, in memory, with the real messages.

They implement exactly the methods `scripts/secret_clients.py` declares, build Google's own
request type from every request they get (so a misspelt field fails here as it would against the
API), answer with Google's own message types, raise the API's own exceptions, and check the
CRC32C checksums the real services check. The fake KMS really encrypts: a wrapped key only
unwraps with the same key and the same additional authenticated data.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from google.api_core import exceptions
from google.cloud import kms_v1, secretmanager_v1
from google.iam.v1 import iam_policy_pb2, policy_pb2  # type: ignore[import-untyped]

from scripts.secret_catalog import StackCatalog
from scripts.secret_clients import ACCESSOR_ROLE, crc32c

State = secretmanager_v1.SecretVersion.State
_E = TypeVar("_E", bound=Exception)
NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def api_error(kind: type[_E], message: str) -> _E:
    """One of the Google libraries' own exceptions (their constructors carry no type hints)."""
    return kind(message)


def canary(label: str) -> bytes:
    """A value no fixture or code contains: assembled at run time from harmless parts."""
    return ("cnry" + "-" + label + "-" + secrets.token_hex(12)).encode()


@dataclass
class FakeSecret:
    """One secret: its versions (number = index + 1), rotation and IAM bindings."""

    versions: list[tuple[bytes, int]] = field(default_factory=list)  # (value, State)
    next_rotation: datetime | None = None
    rotation_period: timedelta | None = None
    bindings: list[tuple[str, str, str]] = field(default_factory=list)  # (role, member, condition)


class FakeSecretManager:
    """Secret Manager for one project, keyed by secret id."""

    def __init__(self, project: str) -> None:
        self.project = project
        self.secrets: dict[str, FakeSecret] = {}
        self.calls: list[str] = []
        # Method name -> exception to raise on every call of it (an unreachable API, a denial).
        self.failures: dict[str, Exception] = {}
        # Secret ids whose add_secret_version is denied.
        self.deny_add: set[str] = set()
        # Secret ids whose values arrive with a wrong checksum (damaged in transit).
        self.corrupt_access: set[str] = set()

    def _secret(self, name: str, method: str) -> tuple[str, FakeSecret]:
        self.calls.append(f"{method} {name}")
        if method in self.failures:
            raise self.failures[method]
        prefix = f"projects/{self.project}/secrets/"
        if not name.startswith(prefix):
            raise api_error(exceptions.NotFound, f"Secret [{name}] not found.")
        secret_id = name.removeprefix(prefix).split("/", 1)[0]
        if secret_id not in self.secrets:
            raise api_error(exceptions.NotFound, f"Secret [{name}] not found or has no versions.")
        return secret_id, self.secrets[secret_id]

    def _version(self, name: str, method: str) -> tuple[str, FakeSecret, int]:
        secret_id, secret = self._secret(name, method)
        ref = name.rsplit("/versions/", 1)[1]
        number = len(secret.versions) if ref == "latest" else int(ref)
        if not 1 <= number <= len(secret.versions):
            raise api_error(exceptions.NotFound, f"Secret Version [{name}] not found.")
        return secret_id, secret, number

    def get_secret(self, *, name: str) -> secretmanager_v1.Secret:
        _, secret = self._secret(name, "get_secret")
        rotation = secretmanager_v1.Rotation()
        if secret.next_rotation is not None:
            rotation.next_rotation_time = secret.next_rotation
        if secret.rotation_period is not None:
            rotation.rotation_period = secret.rotation_period
        return secretmanager_v1.Secret(name=name, rotation=rotation)

    def get_secret_version(self, *, name: str) -> secretmanager_v1.SecretVersion:
        secret_id, secret, number = self._version(name, "get_secret_version")
        return self._message(secret_id, number, secret.versions[number - 1][1])

    def list_secret_versions(self, request: dict[str, Any]) -> list[secretmanager_v1.SecretVersion]:
        secretmanager_v1.ListSecretVersionsRequest(**request)  # the real request accepts it
        secret_id, secret = self._secret(request["parent"], "list_secret_versions")
        listed = [
            self._message(secret_id, number, state)
            for number, (_, state) in enumerate(secret.versions, start=1)
            if request.get("filter") != "state:ENABLED" or state == State.ENABLED
        ]
        return listed[::-1]  # newest first, as the API lists them

    def access_secret_version(self, *, name: str) -> secretmanager_v1.AccessSecretVersionResponse:
        secret_id, secret, number = self._version(name, "access_secret_version")
        value, state = secret.versions[number - 1]
        if state != State.ENABLED:
            raise api_error(
                exceptions.FailedPrecondition, f"Secret Version [{name}] is in DISABLED state."
            )
        return secretmanager_v1.AccessSecretVersionResponse(
            name=name,
            payload=secretmanager_v1.SecretPayload(
                data=value, data_crc32c=crc32c(value) ^ (secret_id in self.corrupt_access)
            ),
        )

    def add_secret_version(self, request: dict[str, Any]) -> secretmanager_v1.SecretVersion:
        secretmanager_v1.AddSecretVersionRequest(**request)
        secret_id, secret = self._secret(request["parent"], "add_secret_version")
        if secret_id in self.deny_add:
            raise api_error(
                exceptions.PermissionDenied,
                f"Permission 'secretmanager.versions.add' denied on '{request['parent']}'",
            )
        payload = request["payload"]
        if payload["data_crc32c"] != crc32c(payload["data"]):
            raise api_error(exceptions.InvalidArgument, "Checksum mismatch.")
        secret.versions.append((bytes(payload["data"]), State.ENABLED))
        return self._message(secret_id, len(secret.versions), State.ENABLED)

    def get_iam_policy(self, request: dict[str, Any]) -> Any:
        iam_policy_pb2.GetIamPolicyRequest(**request)
        _, secret = self._secret(request["resource"], "get_iam_policy")
        policy = policy_pb2.Policy(version=request["options"]["requested_policy_version"])
        for role, member, condition in secret.bindings:
            binding = policy.bindings.add(role=role, members=[member])
            if condition:
                binding.condition.expression = condition
        return policy

    def _message(self, secret_id: str, number: int, state: int) -> secretmanager_v1.SecretVersion:
        name = f"projects/{self.project}/secrets/{secret_id}/versions/{number}"
        return secretmanager_v1.SecretVersion(name=name, state=state)

    def latest_value(self, secret_id: str) -> bytes:
        """The newest version's value (what the API would read)."""
        return self.secrets[secret_id].versions[-1][0]


def healthy_store(catalog: StackCatalog, now: datetime = NOW) -> FakeSecretManager:
    """A project whose secrets all match the catalog: enabled versions, rotation, accessors."""
    store = FakeSecretManager(catalog.project)
    for spec in catalog.secrets:
        store.secrets[spec.name] = FakeSecret(
            versions=[(canary(f"old-{spec.key}"), State.ENABLED)],
            next_rotation=now + timedelta(days=30),
            rotation_period=timedelta(days=catalog.rotation_days),
            bindings=[(ACCESSOR_ROLE, catalog.member(a), "") for a in spec.accessors],
        )
    return store


class FakeKms:
    """Cloud KMS with symmetric keys by resource name; encrypts for real (AES-256-GCM)."""

    def __init__(self, *key_names: str, can_decrypt: bool = True) -> None:
        self.keys = {name: AESGCM.generate_key(bit_length=256) for name in key_names}
        self.can_decrypt = can_decrypt
        self.calls: list[str] = []
        # Corrupt the next encrypt response's checksum (a response damaged in transit).
        self.corrupt_response = False

    def _key(self, name: str, permission: str) -> AESGCM:
        if name not in self.keys:
            raise api_error(
                exceptions.PermissionDenied,
                f"Permission '{permission}' denied on resource '{name}' (or it may not exist).",
            )
        return AESGCM(self.keys[name])

    def encrypt(self, request: dict[str, Any]) -> kms_v1.EncryptResponse:
        kms_v1.EncryptRequest(**request)
        self.calls.append(f"encrypt {request['name']}")
        key = self._key(request["name"], "cloudkms.cryptoKeyVersions.useToEncrypt")
        plaintext, aad = request["plaintext"], request["additional_authenticated_data"]
        nonce = os.urandom(12)
        ciphertext = nonce + key.encrypt(nonce, plaintext, aad)
        checksum = crc32c(ciphertext) ^ (1 if self.corrupt_response else 0)
        return kms_v1.EncryptResponse(
            name=f"{request['name']}/cryptoKeyVersions/1",
            ciphertext=ciphertext,
            ciphertext_crc32c=checksum,
            verified_plaintext_crc32c=request["plaintext_crc32c"] == crc32c(plaintext),
            verified_additional_authenticated_data_crc32c=(
                request["additional_authenticated_data_crc32c"] == crc32c(aad)
            ),
        )

    def decrypt(self, request: dict[str, Any]) -> kms_v1.DecryptResponse:
        kms_v1.DecryptRequest(**request)
        self.calls.append(f"decrypt {request['name']}")
        key = self._key(request["name"], "cloudkms.cryptoKeyVersions.useToDecrypt")
        if not self.can_decrypt:
            raise api_error(
                exceptions.PermissionDenied,
                f"Permission 'cloudkms.cryptoKeyVersions.useToDecrypt' denied: '{request['name']}'",
            )
        ciphertext = request["ciphertext"]
        if request["ciphertext_crc32c"] != crc32c(ciphertext):
            raise api_error(
                exceptions.InvalidArgument, "The checksum in field ciphertext_crc32c did not match."
            )
        try:
            plaintext = key.decrypt(
                ciphertext[:12], ciphertext[12:], request["additional_authenticated_data"]
            )
        except InvalidTag:
            raise api_error(
                exceptions.InvalidArgument, "Decryption failed: the ciphertext is invalid."
            ) from None
        return kms_v1.DecryptResponse(plaintext=plaintext, plaintext_crc32c=crc32c(plaintext))

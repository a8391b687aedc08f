"""The client boundary of the secret scripts: the few Secret Manager and Cloud KMS calls they make.

`scripts/secret_backup.py` and `scripts/verify_secrets.py` take their clients as parameters typed
by the protocols below; `google_clients()` builds Google's own clients (Application Default
Credentials) and the tests pass fakes that implement the same methods. Every payload and key
that crosses the boundary is checked with CRC32C, as both APIs advise, so a value corrupted in
transit is refused instead of being archived or restored.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ParamSpec, Protocol, TypeVar

# google-api-core warns on import that Python 3.11 leaves its support window in 2027; the
# operator running a backup can do nothing about it, and it would bury the one-line results.
warnings.filterwarnings("ignore", message=r"You are using a Python version", category=FutureWarning)

import google_crc32c  # noqa: E402
from google.api_core import exceptions as api_exceptions  # noqa: E402
from google.auth import exceptions as auth_exceptions  # noqa: E402
from google.cloud import kms_v1, secretmanager_v1  # noqa: E402

ACCESSOR_ROLE = "roles/secretmanager.secretAccessor"
# Bindings with IAM conditions are only returned when the caller asks for policy version 3.
IAM_POLICY_VERSION = 3

NotFound = api_exceptions.NotFound
Rotation = secretmanager_v1.Rotation
SecretVersion = secretmanager_v1.SecretVersion
_P = ParamSpec("_P")
_T = TypeVar("_T")


class IamCondition(Protocol):
    """`google.type.Expr`: an IAM condition; an empty expression means none."""

    @property
    def expression(self) -> str: ...


class IamBinding(Protocol):
    """One binding of an IAM policy: a role, its members and an optional condition."""

    @property
    def role(self) -> str: ...

    @property
    def members(self) -> Sequence[str]: ...

    @property
    def condition(self) -> IamCondition: ...


class IamPolicy(Protocol):
    """`google.iam.v1.Policy`, as far as the scripts read it."""

    @property
    def bindings(self) -> Sequence[IamBinding]: ...


class SecretManager(Protocol):
    """The calls the scripts make on `secretmanager_v1.SecretManagerServiceClient`."""

    def get_secret(self, *, name: str) -> secretmanager_v1.Secret: ...

    def get_secret_version(self, *, name: str) -> secretmanager_v1.SecretVersion: ...

    def list_secret_versions(
        self, request: dict[str, Any]
    ) -> Iterable[secretmanager_v1.SecretVersion]: ...

    def access_secret_version(
        self, *, name: str
    ) -> secretmanager_v1.AccessSecretVersionResponse: ...

    def add_secret_version(self, request: dict[str, Any]) -> secretmanager_v1.SecretVersion: ...

    def get_iam_policy(self, request: dict[str, Any]) -> IamPolicy: ...


class KeyManagement(Protocol):
    """The calls the backup script makes on `kms_v1.KeyManagementServiceClient`."""

    def encrypt(self, request: dict[str, Any]) -> kms_v1.EncryptResponse: ...

    def decrypt(self, request: dict[str, Any]) -> kms_v1.DecryptResponse: ...


class ApiError(Exception):
    """A call failed for a reason other than a missing resource; the message is one line."""


def secret_manager_client() -> SecretManager:
    """Google's Secret Manager client, with Application Default Credentials."""
    try:
        return secretmanager_v1.SecretManagerServiceClient()
    except auth_exceptions.GoogleAuthError as error:
        raise ApiError(f"no Google credentials: {one_line(error)}") from None


def google_clients() -> tuple[SecretManager, KeyManagement]:
    """Google's Secret Manager and Cloud KMS clients, with Application Default Credentials."""
    secrets = secret_manager_client()
    try:
        return secrets, kms_v1.KeyManagementServiceClient()
    except auth_exceptions.GoogleAuthError as error:
        raise ApiError(f"no Google credentials: {one_line(error)}") from None


def crc32c(data: bytes) -> int:
    """The CRC32C checksum both APIs use for payload integrity."""
    return int(google_crc32c.value(data))


def one_line(error: BaseException) -> str:
    """An API error as one line: its class and the server's message, never a request body."""
    message = getattr(error, "message", None) or str(error)
    first = " ".join(str(message).split())
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def call_failed(error: Exception) -> bool:
    """Whether an exception is a failed call to a Google API (and not a bug of ours)."""
    return isinstance(error, api_exceptions.GoogleAPIError | auth_exceptions.GoogleAuthError)


def call_api(secret: str, method: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
    """Call a client method about one secret: NotFound passes through for the caller to word;
    any other failed call becomes an ApiError, one line naming the secret."""
    try:
        return method(*args, **kwargs)
    except NotFound:
        raise
    except Exception as error:
        if not call_failed(error):
            raise
        raise ApiError(f"{secret}: {one_line(error)}") from None

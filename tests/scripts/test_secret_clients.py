"""The client boundary: Google's clients have the methods the scripts call; errors are one line."""

from __future__ import annotations

import inspect

import pytest
from google.api_core import exceptions
from google.auth import exceptions as auth_exceptions
from google.cloud import kms_v1, secretmanager_v1

from scripts.secret_clients import (
    ApiError,
    KeyManagement,
    NotFound,
    SecretManager,
    call_api,
    google_clients,
    one_line,
)
from tests.scripts.fakes import api_error


@pytest.mark.parametrize(
    ("protocol", "client"),
    [
        (SecretManager, secretmanager_v1.SecretManagerServiceClient),
        (KeyManagement, kms_v1.KeyManagementServiceClient),
    ],
)
def test_the_real_clients_have_every_method_the_protocols_declare(
    protocol: type, client: type
) -> None:
    # mypy checks the signatures (google_clients() returns them as the protocols); this checks
    # the installed release still has each method, with the keyword the scripts pass.
    for name, declared in inspect.getmembers(protocol, inspect.isfunction):
        if name.startswith("_"):
            continue
        real = inspect.signature(getattr(client, name)).parameters
        for parameter in inspect.signature(declared).parameters:
            assert parameter in real, (client.__name__, name, parameter)


def test_no_credentials_is_an_api_error_of_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_credentials() -> None:
        raise api_error(
            auth_exceptions.DefaultCredentialsError,
            "Your default credentials were not found.\nTo set up ADC, see the docs.",
        )

    monkeypatch.setattr(secretmanager_v1, "SecretManagerServiceClient", no_credentials)
    with pytest.raises(ApiError) as failed:
        google_clients()
    assert str(failed.value) == (
        "no Google credentials: DefaultCredentialsError: Your default credentials were not "
        "found. To set up ADC, see the docs."
    )


def test_call_api_lets_not_found_through_and_words_other_failures() -> None:
    def missing() -> None:
        raise api_error(exceptions.NotFound, "Secret [x] not found.")

    def unavailable() -> None:
        raise api_error(exceptions.ServiceUnavailable, "try\nagain")

    def bug() -> None:
        raise KeyError("a bug of ours stays a traceback")

    with pytest.raises(NotFound):
        call_api("prod-global-X", missing)
    with pytest.raises(ApiError, match=r"^prod-global-X: ServiceUnavailable: try again$"):
        call_api("prod-global-X", unavailable)
    with pytest.raises(KeyError):
        call_api("prod-global-X", bug)


def test_one_line_joins_a_multi_line_message() -> None:
    assert one_line(ValueError("a\n  b")) == "ValueError: a b"
    assert one_line(ValueError()) == "ValueError"

"""Which strings look like credentials: each format found wherever it sits in a string, and the
look-alikes that are not credentials left alone."""

from __future__ import annotations

import pytest

from policy.myhibachi_policy.helpers import credential_kinds
from tests.policy.credential_fixtures import ALL, b64url, stripe_publishable_key


@pytest.mark.parametrize(("value", "kind"), ALL.values(), ids=list(ALL))
def test_each_format_is_found_alone_and_embedded(value: str, kind: str) -> None:
    assert credential_kinds(value) == [kind]
    assert credential_kinds(f"--flag={value} --other") == [kind]
    assert credential_kinds(f'{{"config": "{value}"}}') == [kind]


@pytest.mark.parametrize(
    "text",
    [
        stripe_publishable_key(),  # public by design
        "https://api.myhibachichef.com/v1",
        "postgres://app@10.0.0.3:5432/app",  # no password
        "postgres://app:${DB_PASSWORD}@db/app",  # a placeholder
        "postgres://app:<password>@db/app",
        "mysql://root:****@db/app",
        "postgres://app:$DB_PASSWORD@db/app",
        "postgres://app:$(DB_PASSWORD)@db/app",
        "postgres://app:%24%7BDB_PASSWORD%7D@db/app",  # ${DB_PASSWORD}, percent-encoded
        "postgres://app:{{.Values.password}}@db/app",
        "redis://:xxx@db:6379",
        "postgres://app:%s@db/app",
        # Words that end in the letters of a prefix, or hold one that is too short.
        "task_" + "sk_test_" + "environment",
        "kio" + "sk_live_" + "abcdefghijklmnopqrst",
        "my_ri" + "sk_test_" + "abcdefghijklmnopq",
        "deploy-" + "sk_live",
        "task-scheduler-us-central1-production-worker",
        "de" + "sk-" + "0123456789abcdefghijklmnopqrstuvwxyz",  # sk- inside a word
        "eyJub3QiOiAiYSBqd3QifQ",  # one base64 part, not three
        b64url({"no": "alg"}) + ".x1.y2",  # a header without alg or typ
        "AKIAshort",
        "-----BEGIN CERTIFICATE-----",
        "gs://my-hibachi-crm-backups/cloudsql/prod-myhibachi-1.sql.gz",
    ],
)
def test_look_alikes_are_not_credentials(text: str) -> None:
    assert credential_kinds(text) == []


# A URL password's first characters make no placeholder: only the whole password can.
PASSWORD_BODY = "Tr0ub4dor" + "3xyz"


@pytest.mark.parametrize(
    "password",
    [
        "%21" + PASSWORD_BODY,  # percent-encoded
        "$" + PASSWORD_BODY,
        "{" + PASSWORD_BODY,
        "<" + PASSWORD_BODY,
        "<" + PASSWORD_BODY + ">",
        "%3C" + PASSWORD_BODY + "%3E",
        "$" + "ABC1",  # shell-style names have no digits
        "x" + PASSWORD_BODY,
    ],
)
def test_real_passwords_that_start_like_placeholders_are_found(password: str) -> None:
    url = "postgres" + "ql://app:" + password + "@10.0.0.5/db"
    assert credential_kinds(url) == ["a URL with an embedded password"]


@pytest.mark.parametrize(
    "name",
    ["stripe-live", "stripe-restricted", "stripe-webhook", "openai-project", "google", "jwt"],
)
@pytest.mark.parametrize("before", ["KEY_", "key-", "_", "key%3D", "x."])
def test_a_key_joined_to_a_name_is_found(name: str, before: str) -> None:
    value, kind = ALL[name]
    assert credential_kinds(before + value) == [kind]


def test_several_kinds_in_one_string_are_each_named_once() -> None:
    stripe, _ = ALL["stripe-live"]
    aws, _ = ALL["aws"]
    assert credential_kinds(f"{stripe} {aws} {stripe}") == [
        "a Stripe secret or restricted key",
        "an AWS access key id",
    ]

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


def test_several_kinds_in_one_string_are_each_named_once() -> None:
    stripe, _ = ALL["stripe-live"]
    aws, _ = ALL["aws"]
    assert credential_kinds(f"{stripe} {aws} {stripe}") == [
        "a Stripe secret or restricted key",
        "an AWS access key id",
    ]

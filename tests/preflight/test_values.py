"""The engine's property encodings: what goes over the wire, and how it is shown."""

from __future__ import annotations

from google.protobuf import json_format

from preflight.values import (
    SECRET_MASK,
    SECRET_SIG,
    SIG_KEY,
    UNKNOWN,
    UNKNOWN_MASK,
    is_secret,
    masked,
    secret,
    to_struct,
    unwrapped,
)


def test_a_secret_is_the_engines_signature_object() -> None:
    value = secret("s3cr" + "et-value")
    assert value == {SIG_KEY: SECRET_SIG, "value": "s3cret-value"}
    assert is_secret(value)
    assert masked({"password": value}) == {"password": SECRET_MASK}
    assert unwrapped({"password": value}) == {"password": "s3cret-value"}


def test_the_struct_keeps_encodings_and_drops_null_members() -> None:
    properties = {
        "password": secret("x"),
        "host": UNKNOWN,
        "labels": {"env": "staging", "team": None},
        "ports": (5432, 6379),
        "region": None,
    }
    sent = json_format.MessageToDict(to_struct(properties))
    assert sent == {
        "password": {SIG_KEY: SECRET_SIG, "value": "x"},
        "host": UNKNOWN,
        "labels": {"env": "staging"},
        "ports": [5432.0, 6379.0],
    }
    assert masked(sent) == {
        "password": SECRET_MASK,
        "host": UNKNOWN_MASK,
        "labels": {"env": "staging"},
        "ports": [5432, 6379],
    }

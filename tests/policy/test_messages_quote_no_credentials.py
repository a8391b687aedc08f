"""No finding quotes a credential: with credentials planted as env var names, map keys and values
across the workload types, every message and every "could not verify" reason of every policy
names the resource and the field, and holds none of the planted values."""

from __future__ import annotations

from typing import Any

import pytest

from policy.myhibachi_policy.helpers import quotable, shown_name
from tests.policy import baselines as b
from tests.policy.credential_fixtures import ALL
from tests.policy.support import UNKNOWN, resource_outcome

FUNCTION_V1 = "gcp:cloudfunctions/function:Function"
FUNCTION_V2 = "gcp:cloudfunctionsv2/function:Function"
VERCEL_DEPLOYMENT = "vercel:index/deployment:Deployment"
SECRET_ENV = "gcp-cloudrun-workload-secret-env-from-secret-manager"
FUNCTION_SECRET_ENV = "gcp-cloudfunctions-function-secret-env-from-secret-manager"
# A token of no known format pasted where a name goes, and credential-shaped names that the
# name-based policies judge secret (they hold SK, KEY, TOKEN... as words).
OPAQUE = "Q7" + "x9LmP2vR8" + "tK4wZ6nB"
PLANTED_NAMES = [value for value, _ in ALL.values() if "\n" not in value] + [
    "DB_" + OPAQUE + "_TOKEN",
    "KEY_" + ALL["stripe-live"][0],
]
PLANTED_VALUES = [value for value, _ in ALL.values()]


def _envs() -> list[dict[str, Any]]:
    envs: list[dict[str, Any]] = [{"name": "LOG_LEVEL", "value": "info"}]
    envs += [{"name": name, "value": "1"} for name in PLANTED_NAMES]
    envs += [{"name": "APP_SECRET", "value": value} for value in PLANTED_VALUES]
    envs += [{"name": name, "value": UNKNOWN} for name in PLANTED_NAMES]
    return envs


def _map() -> dict[str, Any]:
    entries: dict[str, Any] = {name: "1" for name in PLANTED_NAMES}
    entries.update({f"APP_SECRET_{i}": value for i, value in enumerate(PLANTED_VALUES)})
    return entries


def _cloud_run() -> dict[str, Any]:
    props = b.run_service()
    props["template"]["containers"][0]["envs"] = _envs()
    props["labels"] = {**props["labels"], **{name.lower()[:60]: "x" for name in PLANTED_NAMES}}
    return props


def _job() -> dict[str, Any]:
    props = b.run_job()
    props["template"]["template"]["containers"][0]["envs"] = _envs()
    return props


def _function_v1() -> dict[str, Any]:
    return {"runtime": "python312", "environmentVariables": _map(), "labels": {"k": UNKNOWN}}


def _function_v2() -> dict[str, Any]:
    return {"serviceConfig": {"environmentVariables": _map()}, "buildConfig": {}}


def _vercel_vars() -> dict[str, Any]:
    variables: list[dict[str, Any]] = [
        {"key": name, "value": "1", "targets": ["preview"]} for name in PLANTED_NAMES
    ]
    variables += [
        {"key": "NEXT_PUBLIC_" + name, "value": "1", "targets": ["preview"]}
        for name in PLANTED_NAMES
    ]
    variables += [{"key": name, "value": "1", "targets": UNKNOWN} for name in PLANTED_NAMES]
    return {"projectId": "prj", "variables": variables}


def _deployment() -> dict[str, Any]:
    return {"projectId": "prj", "environment": _map(), "production": True}


SUBJECTS = [
    (b.RUN_SERVICE, _cloud_run),
    (b.RUN_JOB, _job),
    (FUNCTION_V1, _function_v1),
    (FUNCTION_V2, _function_v2),
    (b.VERCEL_VARS, _vercel_vars),
    (VERCEL_DEPLOYMENT, _deployment),
]


@pytest.mark.parametrize(
    ("resource_type", "props"),
    [(t, p) for t, p in SUBJECTS],
    ids=[t.rsplit(":", 1)[-1] + "-" + p.__name__ for t, p in SUBJECTS],
)
def test_no_message_quotes_a_planted_credential(resource_type: str, props: Any) -> None:
    outcome = resource_outcome(resource_type, props())
    said = [message for _, message, _ in outcome.violations] + list(outcome.skipped.values())
    # The name-based policies fired (so this test can fail), and they name the fields.
    assert len(outcome.violations) >= len(PLANTED_NAMES)
    for text in said:
        for planted in [*PLANTED_NAMES, *PLANTED_VALUES, OPAQUE]:
            assert planted not in text, f"{resource_type}: a message quotes a planted value"


def test_plain_names_are_still_quoted() -> None:
    for name in ("STRIPE_SECRET_KEY", "DATABASE_URL", "NEXT_PUBLIC_API_URL", "TWILIO_AUTH_TOKEN"):
        assert quotable(name)
        assert shown_name(name) == name
    for name in PLANTED_NAMES:
        assert not quotable(name)
        assert name not in shown_name(name)


def test_a_withheld_name_is_named_by_its_position() -> None:
    props = b.run_service()
    props["template"]["containers"][0]["envs"].append({"name": PLANTED_NAMES[0], "value": "1"})
    outcome = resource_outcome(b.RUN_SERVICE, props)
    assert [m for p, m, _ in outcome.violations if p == SECRET_ENV] == [
        "Service 'subject': template.containers[0].envs[7] (<name withheld: it may be a "
        "credential>) looks secret: it must come from valueSource.secretKeyRef (Secret Manager), "
        "not a plain value."
    ]
    function = {"runtime": "python312", "environmentVariables": {"A": "1", PLANTED_NAMES[0]: "1"}}
    found = resource_outcome(FUNCTION_V1, function).violations
    assert [m for p, m, _ in found if p == FUNCTION_SECRET_ENV] == [
        "Function 'subject': environmentVariables entry 1 <name withheld: it may be a credential> "
        "looks secret: it must come from secretEnvironmentVariables (Secret Manager), not a plain "
        "env var."
    ]

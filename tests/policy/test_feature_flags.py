"""Feature-flag policies: postponed flags off, required flags on, rollouts tracked, wherever a
flag is rendered (Cloud Run or Vercel)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.policy import baselines as b
from tests.policy.one_change import changed
from tests.policy.support import UNKNOWN, names, res, run_stack, stack_names, stack_outcome

POSTPONED = "feature-flag-postponed-off"


def test_postponed_flag_off_passes() -> None:
    assert names(b.RUN_SERVICE, b.run_service()) == set()
    off = b.vercel_var("NEXT_PUBLIC_FEATURE_TRAVEL_FEE_V2", "false")
    assert names(b.VERCEL_VAR, off) == set()


def test_postponed_flag_on_in_cloud_run_fails() -> None:
    service = changed(
        b.run_service(),
        "template.containers.0.envs.4",
        {"name": "FEATURE_FLAG_TRAVEL_FEE_V2", "value": "true"},
    )
    assert names(b.RUN_SERVICE, service) == {POSTPONED}


@pytest.mark.parametrize(
    ("index", "env", "expected"),
    [
        (1, {"name": "FEATURE_FLAG_AUDIT_LOGGING", "value": "false"}, {"feature-flag-required-on"}),
        (2, {"name": "LOG_FORMAT", "value": "json"}, {"feature-flag-required-on"}),
        (
            5,
            {"name": "FEATURE_FLAG_AI_BOOKING_V3", "value": "false"},
            {"feature-flag-gradual-rollout"},
        ),
        (1, {"name": "FEATURE_FLAG_AUDIT_LOGGING", "value": UNKNOWN}, set()),
    ],
)
def test_feature_flags(index: int, env: dict[str, Any], expected: set[str]) -> None:
    service = changed(b.run_service(), f"template.containers.0.envs.{index}", env)
    assert (
        stack_names([*b.monitoring(), *b.edge(), *b.backups(), res(b.RUN_SERVICE, "api", service)])
        == expected
    )


def test_staging_needs_only_audit_logging() -> None:
    service = changed(b.run_service(), "template.containers.0.envs.2", {"name": "X", "value": "1"})
    assert (
        stack_names(
            [
                *b.staging_monitoring(),
                *b.staging_edge(),
                *b.backups(),
                res(b.RUN_SERVICE, "api", service),
            ],
            stack="staging",
        )
        == set()
    )


def test_vercel_feature_flags_count() -> None:
    flags_only = [
        res(b.VERCEL_VAR, f"flag-{name}", b.vercel_var(f"NEXT_PUBLIC_FEATURE_{name}", "true"))
        for name in ("AUDIT_LOGGING", "SMS_CONSENT", "MATH_CAPTCHA", "AI_BOOKING_V3")
    ]
    # The API's service is declared (the API alerts watch it) but sets no flag here.
    service = b.run_service()
    service["template"]["containers"][0]["envs"] = []
    api = res(b.RUN_SERVICE, "api", service)
    assert stack_names([*b.monitoring(), *b.edge(), *b.backups(), *flags_only, api]) == set()
    postponed = b.vercel_var("NEXT_PUBLIC_FEATURE_TRAVEL_FEE_V2", "true")
    assert names(b.VERCEL_VAR, postponed) == {POSTPONED}
    assert names(b.VERCEL_VAR, postponed, stack="staging") == {POSTPONED}


REQUIRED = "feature-flag-required-on"


def _with_env(index: int, env: dict[str, Any]) -> Any:
    return res(
        b.RUN_SERVICE, "api", changed(b.run_service(), f"template.containers.0.envs.{index}", env)
    )


@pytest.mark.parametrize("value", ["TRUE", "True", " true", "1", "yes"])
def test_a_required_flag_is_on_only_when_exactly_true(value: str) -> None:
    service = _with_env(1, {"name": "FEATURE_FLAG_AUDIT_LOGGING", "value": value})
    assert stack_names([*b.monitoring(), *b.edge(), *b.backups(), service]) == {REQUIRED}


@pytest.mark.parametrize("value", ["FALSE", "False", "0", ""])
def test_a_postponed_flag_must_be_exactly_false(value: str) -> None:
    service = changed(
        b.run_service(),
        "template.containers.0.envs.4",
        {"name": "FEATURE_FLAG_TRAVEL_FEE_V2", "value": value},
    )
    assert names(b.RUN_SERVICE, service) == {POSTPONED}


def test_absent_from_one_app_counts_as_off() -> None:
    # The job still renders the flag; the service, which also reads flags, dropped it.
    job = res(b.RUN_JOB, "migrate", b.run_job())
    service = _with_env(1, {"name": "LOG_FORMAT", "value": "json"})
    found = run_stack([*b.monitoring(), *b.edge(), *b.backups(), job, service])
    assert [(n, m) for n, m, _ in found] == [
        (
            REQUIRED,
            "Service 'api' must render FEATURE_FLAG_AUDIT_LOGGING as \"true\": it reads its flags "
            "from its own env, where absent counts as off.",
        )
    ]


def test_a_vercel_project_missing_a_required_flag() -> None:
    customer = res(b.VERCEL_PROJECT, "customer", b.vercel_project("myhibachi-customer"))
    admin = res(b.VERCEL_PROJECT, "admin", b.vercel_project())
    flags = [
        res(
            b.VERCEL_VAR,
            f"{project.name}-{name}",
            b.vercel_var(f"NEXT_PUBLIC_FEATURE_{name}", "true"),
            dependencies=[project],
        )
        for project in (customer, admin)
        for name in ("SMS_CONSENT", "MATH_CAPTCHA", "AI_BOOKING_V3")
        if (project.name, name) != ("admin", "MATH_CAPTCHA")
    ]
    stack = [*b.monitoring(), *b.edge(), *b.backups(), *b.flags(), customer, admin, *flags]
    found = run_stack(stack, only=REQUIRED)
    assert [(m, urn) for _, m, urn in found] == [
        (
            "Project 'admin' must render NEXT_PUBLIC_FEATURE_MATH_CAPTCHA as \"true\": it reads "
            "its flags from its own env, where absent counts as off.",
            admin.urn,
        )
    ]


def test_an_unknown_flag_is_not_applicable_but_known_ones_still_count() -> None:
    unknown_flag = _with_env(2, {"name": "FEATURE_FLAG_SMS_CONSENT", "value": UNKNOWN})
    outcome = stack_outcome([*b.monitoring(), *b.edge(), *b.backups(), unknown_flag], only=REQUIRED)
    assert outcome.violations == []
    assert outcome.skipped[REQUIRED].startswith(
        "could not verify the flags in requiredOnFlags: Service 'api': "
        "template.containers[0].envs[2] (FEATURE_FLAG_SMS_CONSENT) is unknown"
    )
    off = changed(
        b.run_service(),
        "template.containers.0.envs.1",
        {"name": "FEATURE_FLAG_AUDIT_LOGGING", "value": "false"},
    )
    both = res(
        b.RUN_SERVICE,
        "api",
        changed(
            off,
            "template.containers.0.envs.2",
            {"name": "FEATURE_FLAG_SMS_CONSENT", "value": UNKNOWN},
        ),
    )
    assert stack_names([both], only=REQUIRED) == {REQUIRED}

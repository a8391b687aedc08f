"""Feature-flag policies: postponed flags off, required flags on, rollouts tracked, wherever a
flag is rendered (Cloud Run or Vercel)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.policy import baselines as b
from tests.policy.support import UNKNOWN, changed, names, res, stack_names

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
    assert stack_names([*b.monitoring(), *b.edge(), *b.backups(), *flags_only]) == set()
    postponed = b.vercel_var("NEXT_PUBLIC_FEATURE_TRAVEL_FEE_V2", "true")
    assert names(b.VERCEL_VAR, postponed) == {POSTPONED}
    assert names(b.VERCEL_VAR, postponed, stack="staging") == {POSTPONED}

"""The labels policy: labelable resources carry env, app and owner, provider defaults count."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.policy import baselines as b
from tests.policy.support import DELETE, changed, names

LABELS_RULE = "gcp-resource-labels-required"


@pytest.mark.parametrize(
    ("resource_type", "baseline", "path"),
    [
        (b.SQL, b.sql, "settings.userLabels"),
        (b.BUCKET, b.bucket, "labels.owner"),
        (b.RUN_SERVICE, b.run_service, "labels"),
    ],
)
def test_missing_labels_fail_exactly(
    resource_type: str, baseline: Callable[[], dict[str, Any]], path: str
) -> None:
    assert names(resource_type, changed(baseline(), path, DELETE)) == {LABELS_RULE}


def test_provider_default_labels_count() -> None:
    props = changed(b.redis(), "labels", DELETE)
    assert names(b.REDIS, props) == {LABELS_RULE}
    provider = {"defaultLabels": json.dumps(b.LABELS)}
    assert names(b.REDIS, props, provider_props=provider) == set()

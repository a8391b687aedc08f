"""The labels policy: labelable resources carry env, app and owner, provider defaults count."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from policy.myhibachi_policy.hygiene import LABEL_PATHS
from tests.policy import baselines as b
from tests.policy.one_change import DELETE, changed
from tests.policy.support import names, sdk_source, snake

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


def test_every_labelled_type_takes_labels_at_that_path() -> None:
    # The label field is an argument of the installed SDK's resource class.
    for resource_type, path in LABEL_PATHS.items():
        argument = snake(path.split(".", 1)[0])
        assert f"                 {argument}: pulumi.Input[" in sdk_source(resource_type), (
            resource_type
        )

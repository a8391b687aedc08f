"""docs/runbooks/forget-region.jq, run on a state shaped like the production stack's own."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from preflight.capture import Capture
from tests.conftest import PROJECT_DIR

FILTER = PROJECT_DIR / "docs" / "runbooks" / "forget-region.jq"
PROVIDER_URN = "urn:pulumi:production::myhibachi::pulumi:providers:gcp::default_10_2_0"


def exported_state(capture: Capture) -> dict[str, Any]:
    """What `pulumi stack export` holds for these resources: URN, type, inputs, references."""
    resources: list[dict[str, Any]] = [
        {
            "urn": PROVIDER_URN,
            "custom": True,
            "type": "pulumi:providers:gcp",
            "inputs": {"project": "my-hibachi-crm", "region": "us-central1"},
        }
    ]
    for resource in capture.resources:
        entry: dict[str, Any] = {
            "urn": resource.urn,
            "custom": resource.custom,
            "type": resource.type,
            "id": resource.id,
            "inputs": resource.inputs,
            "parent": resource.parent or capture.stack_urn,
        }
        if resource.dependencies:
            entry["dependencies"] = list(resource.dependencies)
            entry["propertyDependencies"] = {"any": list(resource.dependencies)}
        resources.append(entry)
    return {"version": 3, "deployment": {"manifest": {}, "resources": resources}}


def forget(state: dict[str, Any], region: str) -> dict[str, Any]:
    jq = shutil.which("jq")
    if jq is None:
        pytest.skip("jq is not installed (the runbook needs it; the project's image has it)")
    result = subprocess.run(
        [jq, "--arg", "region", region, "-f", str(FILTER)],
        input=json.dumps(state),
        capture_output=True,
        text=True,
        check=True,
    )
    forgotten: dict[str, Any] = json.loads(result.stdout)
    return forgotten


def test_the_lost_regions_resources_are_forgotten_and_nothing_else(production: Capture) -> None:
    state = exported_state(production)
    after = forget(state, "us-central1")
    kept = {r["urn"]: r for r in after["deployment"]["resources"]}
    gone = {r["urn"]: r for r in state["deployment"]["resources"] if r["urn"] not in kept}
    gone_types = sorted(r["type"] for r in gone.values())
    assert gone_types == sorted(
        [
            "gcp:cloudrunv2/job:Job",
            "gcp:cloudrunv2/service:Service",
            "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
            "gcp:cloudscheduler/job:Job",
            "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup",
            "gcp:compute/subnetwork:Subnetwork",
            "gcp:redis/instance:Instance",
            "gcp:sql/database:Database",
            "gcp:sql/databaseInstance:DatabaseInstance",
            "gcp:sql/user:User",
            "gcp:workflows/workflow:Workflow",
        ]
    )
    # The provider, the multi-region bucket, secrets and the VPC itself stay.
    assert PROVIDER_URN in kept
    assert {"gcp:storage/bucket:Bucket", "gcp:compute/network:Network"} <= {
        r["type"] for r in kept.values()
    }
    # No reference to a forgotten resource is left, or `pulumi stack import` refuses the state.
    for resource in kept.values():
        references = set(resource.get("dependencies", []))
        for urns in resource.get("propertyDependencies", {}).values():
            references |= set(urns)
        assert not references & gone.keys(), resource["urn"]
        assert resource.get("parent") not in gone


def test_another_region_forgets_nothing(production: Capture) -> None:
    state = exported_state(production)
    assert forget(state, "europe-west1") == state

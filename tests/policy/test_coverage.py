"""The closed world: every type the program declares is covered, the registry tells the truth about
which policies look at each type, and a resource of any other type is a finding naming it."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pulumi_policy import (
    Policy,
    PolicyResource,
    ResourceValidationPolicy,
    StackValidationPolicy,
)

from policy.myhibachi_policy.coverage import (
    ALL_TYPES,
    COVERED_PREFIXES,
    COVERED_TYPES,
    NO_CREDENTIALS,
    TYPE_COVERED,
    coverage_of,
)
from policy.myhibachi_policy.index import all_policies, policies_by_name
from preflight.capture import Capture
from tests.conftest import captured, mandatory_findings, preflight_with_appended
from tests.policy.support import (
    STACKS,
    UNKNOWN,
    NotApplicableError,
    ResourceArgs,
    StackArgs,
    in_stack_config,
    resource_options,
    resource_outcome,
    sdk_source,
    stack_config,
    stack_values,
)

# A member of each prefix family, as the program declares them.
PREFIX_SAMPLES = ("pulumi:providers:gcp", "myhibachi:secrets:SecretCatalog")


# --- What the program declares --------------------------------------------------------------------


@pytest.mark.parametrize("stack", STACKS)
def test_every_type_the_program_declares_is_covered(stack: str) -> None:
    capture: Capture = captured(stack)
    types = {resource.type for resource in capture.resources} | {"pulumi:pulumi:Stack"}
    assert sorted(t for t in types if coverage_of(t) is None) == []


# --- The registry against the policies ------------------------------------------------------------


def test_registry_names_only_policies_of_the_pack() -> None:
    known = set(policies_by_name())
    named = {name for entry in COVERED_TYPES.values() for name in entry.policies}
    assert sorted(named - known) == []
    assert set(ALL_TYPES) <= known


def test_each_entry_is_judged_or_gives_one_reason() -> None:
    for resource_type, entry in {**COVERED_TYPES, **COVERED_PREFIXES}.items():
        kinds = [bool(entry.policies), bool(entry.nothing_to_judge)]
        assert kinds.count(True) == 1, resource_type
        reason = entry.nothing_to_judge or ""
        assert "\n" not in reason and not set(ALL_TYPES) & set(entry.policies), resource_type


class _Recording(Mapping[str, Any]):
    """Empty resource properties that remember being read."""

    def __init__(self) -> None:
        self.read = False

    def __getitem__(self, key: str) -> Any:
        self.read = True
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        self.read = True
        return iter(())

    def __len__(self) -> int:
        self.read = True
        return 0


def looks_at(policy: Policy, resource_type: str) -> bool:
    """Whether the policy reads, reports on or declines a resource of this type (empty props)."""
    # Production's config, with nothing waived: the registry says what a policy can judge.
    config = {**stack_config("production")[policy.name].properties, "waivers": []}
    props = _Recording()
    options = resource_options(protect=False)
    outcome = {"reported": False}

    def report(message: str, urn: str | None = None) -> None:
        outcome["reported"] = True

    def run() -> None:
        try:
            if isinstance(policy, ResourceValidationPolicy):
                args = ResourceArgs(
                    [],
                    resource_type=resource_type,
                    props=props,
                    urn=f"urn:pulumi:production::myhibachi::{resource_type}::probe",
                    name="probe",
                    opts=options,
                    provider=None,
                    config=config,
                )
                policy.validate(args, report)
            else:
                assert isinstance(policy, StackValidationPolicy)
                resource = PolicyResource(
                    resource_type, props, "urn:probe", "probe", options, None, None, [], {}
                )
                # A stack policy reports on, or declines, the stack as a whole: only reading
                # the resource counts.
                with contextlib.suppress(NotApplicableError):
                    policy.validate(StackArgs([], resources=[resource], config=config), report)
                outcome["reported"] = False
        except NotApplicableError:
            outcome["reported"] = True

    in_stack_config(stack_values("production"), run)
    return props.read or outcome["reported"]


@cache
def _lookers(resource_type: str) -> frozenset[str]:
    return frozenset(p.name for p in all_policies() if looks_at(p, resource_type))


@pytest.mark.parametrize("resource_type", sorted(COVERED_TYPES))
def test_each_entry_lists_exactly_the_policies_that_look_at_its_type(resource_type: str) -> None:
    entry = COVERED_TYPES[resource_type]
    assert set(_lookers(resource_type)) - set(ALL_TYPES) == set(entry.policies)


@pytest.mark.parametrize("resource_type", [*sorted(COVERED_TYPES), *PREFIX_SAMPLES])
def test_the_credential_scan_looks_at_every_type(resource_type: str) -> None:
    # The type check reads nothing but the type, and is silent on a covered one.
    assert _lookers(resource_type) & set(ALL_TYPES) == {NO_CREDENTIALS}


@pytest.mark.parametrize("resource_type", PREFIX_SAMPLES)
def test_prefix_families_have_nothing_else_to_judge(resource_type: str) -> None:
    assert _lookers(resource_type) == {NO_CREDENTIALS}


# --- The registry against the installed providers -------------------------------------------------


@pytest.mark.parametrize("token", [t for t in sorted(COVERED_TYPES) if not t.startswith("pulumi:")])
def test_each_type_is_the_installed_providers_own_token(token: str) -> None:
    source = sdk_source(token)
    assert re.search(r"super\(\w+, __self__\)\.__init__\(\s*'" + re.escape(token) + "'", source)


# --- The policy -----------------------------------------------------------------------------------


def test_an_uncovered_type_is_a_finding_that_names_it() -> None:
    outcome = resource_outcome("gcp:compute/instance:Instance", {"machineType": "e2-micro"})
    assert [(p, m) for p, m, _ in outcome.violations if p == TYPE_COVERED] == [
        (
            TYPE_COVERED,
            "Instance 'subject': no policy of this pack judges the type "
            "gcp:compute/instance:Instance; add its policies and list them for it in the pack's "
            "coverage registry (coverage.py), or a nothing-to-judge entry with its reason.",
        )
    ]


def test_a_covered_type_passes() -> None:
    outcome = resource_outcome("gcp:compute/network:Network", {"autoCreateSubnetworks": False})
    assert outcome.violations == []


def test_mandatory_in_production_advisory_on_staging() -> None:
    assert TYPE_COVERED == "pack-resource-type-covered"
    assert stack_config("production")[TYPE_COVERED].enforcement_level == "mandatory"
    assert stack_config("staging")[TYPE_COVERED].enforcement_level == "advisory"


@pytest.mark.parametrize(
    "resource_type",
    [
        "GCP:storage/bucket:Bucket",  # another spelling of a covered type is another type
        "gcp:storage/Bucket:Bucket",
        "pulumi-python:dynamic:Resource",  # a dynamic provider can do anything
        "gcp:compute/firewallPolicyRule:FirewallPolicyRule",  # a firewall by another type
        "gcp:redis/clusterUserCreatedConnections:ClusterUserCreatedConnections",
    ],
)
def test_nothing_gets_past_by_another_type_or_spelling(resource_type: str) -> None:
    outcome = resource_outcome(resource_type, {})
    assert TYPE_COVERED in {p for p, _, _ in outcome.violations}


def test_unknown_inputs_do_not_change_the_verdict_on_the_type() -> None:
    covered = resource_outcome("gcp:compute/network:Network", {"name": UNKNOWN})
    assert TYPE_COVERED not in {p for p, _, _ in covered.violations}
    uncovered = resource_outcome("gcp:compute/instance:Instance", {"name": UNKNOWN})
    assert TYPE_COVERED in {p for p, _, _ in uncovered.violations}


def test_a_new_kind_of_resource_in_the_program_blocks_production_naming_its_type(
    clone: Path,
) -> None:
    result = preflight_with_appended(
        clone,
        "\nfrom pulumi_gcp import compute\n\n"
        'compute.Instance("bastion", machine_type="e2-micro", zone="us-central1-a", '
        'boot_disk={"initialize_params": {"image": "debian-12"}}, '
        'network_interfaces=[{"network": "default"}])\n',
    )
    assert result.returncode == 1, result.stderr
    blocked = mandatory_findings(result.stdout)
    assert any(TYPE_COVERED in line and "bastion" in line for line in blocked)
    assert "judges the type gcp:compute/instance:Instance" in result.stdout

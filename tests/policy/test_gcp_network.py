"""Network policies: no firewall rule admits the internet, however its ranges are written; subnets
keep flow logs."""

from __future__ import annotations

from typing import Any

import pytest

from policy.myhibachi_policy.gcp_network import is_internet_range
from tests.policy.one_change import DELETE, Case, one_change_test
from tests.policy.support import UNKNOWN, names, resource_outcome, stack_config

FIREWALL = "gcp:compute/firewall:Firewall"
SUBNET = "gcp:compute/subnetwork:Subnetwork"
OPEN = "gcp-compute-firewall-no-internet-ingress"
FLOW_LOGS = "gcp-compute-subnetwork-flow-logs"


def firewall() -> dict[str, Any]:
    return {
        "network": "vpc",
        "direction": "INGRESS",
        "allows": [{"protocol": "tcp", "ports": ["443"]}],
        "sourceRanges": ["35.191.0.0/16", "130.211.0.0/22"],  # Google's health checks
    }


def subnet() -> dict[str, Any]:
    return {
        "network": "vpc",
        "region": "us-central1",
        "ipCidrRange": "10.20.0.0/24",
        "logConfig": {"aggregationInterval": "INTERVAL_5_SEC", "flowSampling": 0.5},
    }


FIREWALL_CASES: list[Case] = [
    ("sourceRanges", ["0.0.0.0/0"], {OPEN}),
    ("sourceRanges", ["::/0"], {OPEN}),
    ("sourceRanges", ["0.0.0.0/1", "128.0.0.0/1"], {OPEN}),  # the internet in two halves
    ("sourceRanges", [" 0.0.0.0/0 "], {OPEN}),
    ("sourceRanges", DELETE, {OPEN}),  # no source means 0.0.0.0/0
    ("direction", DELETE, set()),  # ingress by default, with narrow ranges
    ("sourceRanges", ["10.0.0.0/8"], set()),
]
SUBNET_CASES: list[Case] = [
    ("logConfig", DELETE, {FLOW_LOGS}),
    ("purpose", "REGIONAL_MANAGED_PROXY", set()),
]

test_baseline_passes_and_one_change_fails_exactly = one_change_test(
    (FIREWALL, firewall, FIREWALL_CASES), (SUBNET, subnet, SUBNET_CASES)
)


@pytest.mark.parametrize(
    "change",
    [
        {"direction": "EGRESS", "destinationRanges": ["0.0.0.0/0"]},
        {"disabled": True},
        {"allows": [], "denies": [{"protocol": "all"}]},
    ],
)
def test_deny_egress_and_disabled_rules_admit_nothing(change: dict[str, Any]) -> None:
    assert names(FIREWALL, {**firewall(), "sourceRanges": ["0.0.0.0/0"], **change}) == set()


def test_tags_alone_are_a_source() -> None:
    props = {k: v for k, v in firewall().items() if k != "sourceRanges"}
    assert names(FIREWALL, {**props, "sourceTags": ["lb"]}) == set()


def test_unknown_or_unreadable_ranges_are_not_applicable() -> None:
    outcome = resource_outcome(FIREWALL, {**firewall(), "sourceRanges": UNKNOWN})
    assert outcome.violations == []
    assert OPEN in outcome.skipped
    garbled = resource_outcome(FIREWALL, {**firewall(), "sourceRanges": ["any"]})
    assert garbled.skipped[OPEN] == "cannot be read as ranges: sourceRanges[0]"
    mixed = resource_outcome(FIREWALL, {**firewall(), "sourceRanges": ["any", "0.0.0.0/0"]})
    assert OPEN in {p for p, _, _ in mixed.violations}


@pytest.mark.parametrize(
    ("cidr", "internet"),
    [
        ("0.0.0.0/0", True),
        ("1.0.0.0/8", True),
        ("1.0.0.0/9", False),
        ("2000::/3", True),
        ("10.0.0.0/8", False),
        ("192.168.0.0/16", False),
        ("35.191.0.0/16", False),
    ],
)
def test_what_counts_as_the_internet(cidr: str, internet: bool) -> None:
    assert is_internet_range(cidr) is internet


def test_flow_logs_are_mandatory_now_that_the_program_keeps_them() -> None:
    for stack in ("staging", "production"):
        assert stack_config(stack)[FLOW_LOGS].enforcement_level == "mandatory"


def test_an_unknown_log_config_is_not_applicable() -> None:
    outcome = resource_outcome(SUBNET, {**subnet(), "logConfig": UNKNOWN})
    assert outcome.violations == []
    assert outcome.skipped[FLOW_LOGS] == "purpose or logConfig is unknown until the update runs"

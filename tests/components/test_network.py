"""The VPC, its subnet and the private service access range and connection."""

from __future__ import annotations

from components.network import PrivateNetwork, PrivateNetworkArgs
from preflight.capture import Capture
from preflight.values import unwrapped
from tests.components.fixtures import LABELS, PROJECT, REGION
from tests.components.inventory import Scenario, capture_fixture, inventory_test

SCENARIOS = [
    Scenario(
        "network",
        "default-ranges",
        lambda: PrivateNetwork(
            "network", PrivateNetworkArgs(project=PROJECT, region=REGION, labels=LABELS)
        ),
    ),
]


test_matches_its_inventory = inventory_test(SCENARIOS)


network = capture_fixture(SCENARIOS[0])


def test_custom_mode_vpc_with_private_google_access(network: Capture) -> None:
    vpc = network.one("gcp:compute/network:Network")
    assert vpc.inputs["autoCreateSubnetworks"] is False
    subnet = unwrapped(network.one("gcp:compute/subnetwork:Subnetwork").inputs)
    assert subnet["network"] == vpc.id
    assert subnet["privateIpGoogleAccess"] is True
    assert subnet["region"] == REGION


def test_the_subnet_records_flow_logs(network: Capture) -> None:
    # CIS Google Cloud 3.8: flow logs on every subnet.
    subnet = unwrapped(network.one("gcp:compute/subnetwork:Subnetwork").inputs)
    assert subnet["logConfig"] == {
        "aggregationInterval": "INTERVAL_5_SEC",
        "flowSampling": 0.5,
        "metadata": "INCLUDE_ALL_METADATA",
    }


def test_private_service_access_reserves_a_peering_range(network: Capture) -> None:
    reserved = network.one("gcp:compute/globalAddress:GlobalAddress")
    assert unwrapped(reserved.inputs)["purpose"] == "VPC_PEERING"
    assert unwrapped(reserved.inputs)["addressType"] == "INTERNAL"
    connection = unwrapped(network.one("gcp:servicenetworking/connection:Connection").inputs)
    assert connection["service"] == "servicenetworking.googleapis.com"
    assert connection["reservedPeeringRanges"] == [reserved.outputs["name"]]

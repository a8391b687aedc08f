"""The VPC and private service access, and the project's APIs."""

from __future__ import annotations

from preflight.capture import Capture
from preflight.values import unwrapped


def test_custom_mode_vpc_with_private_google_access(any_stack: Capture) -> None:
    vpc = any_stack.one("gcp:compute/network:Network")
    assert vpc.inputs["autoCreateSubnetworks"] is False
    subnet = unwrapped(any_stack.one("gcp:compute/subnetwork:Subnetwork").inputs)
    assert subnet["network"] == vpc.id
    assert subnet["privateIpGoogleAccess"] is True


def test_private_service_access_reserves_a_peering_range(any_stack: Capture) -> None:
    reserved = unwrapped(any_stack.one("gcp:compute/globalAddress:GlobalAddress").inputs)
    assert reserved["purpose"] == "VPC_PEERING"
    assert reserved["addressType"] == "INTERNAL"
    connection = unwrapped(any_stack.one("gcp:servicenetworking/connection:Connection").inputs)
    assert connection["service"] == "servicenetworking.googleapis.com"
    assert connection["reservedPeeringRanges"] == [
        any_stack.one("gcp:compute/globalAddress:GlobalAddress").outputs["name"]
    ]


def test_every_api_the_stack_uses_is_enabled_and_never_disabled(any_stack: Capture) -> None:
    services = [unwrapped(s.inputs) for s in any_stack.by_type("gcp:projects/service:Service")]
    enabled = {s["service"] for s in services}
    assert {
        "apikeys.googleapis.com",
        "monitoring.googleapis.com",
        "pubsub.googleapis.com",
        "redis.googleapis.com",
        "run.googleapis.com",
        "secretmanager.googleapis.com",
        "servicenetworking.googleapis.com",
        "sqladmin.googleapis.com",
    } <= enabled
    assert all(s["disableOnDestroy"] is False for s in services)

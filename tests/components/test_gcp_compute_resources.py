"""The compute shim registers exactly what pulumi_gcp's generated compute classes register."""

from __future__ import annotations

from components import gcp_compute_resources as shim
from tests.registration import register, shape


def test_shim_registers_what_the_generated_classes_register() -> None:
    from pulumi_gcp import compute

    labels = {"env": "prod", "app": "myhibachi", "owner": "devops"}

    def generated() -> None:
        compute.Network("vpc", project="p", auto_create_subnetworks=False, routing_mode="REGIONAL")
        compute.Subnetwork(
            "subnet", project="p", region="us-central1", network="n",
            ip_cidr_range="10.10.0.0/24", private_ip_google_access=True,
        )  # fmt: skip
        compute.GlobalAddress(
            "range", project="p", network="n", purpose="VPC_PEERING", address_type="INTERNAL",
            prefix_length=16, labels=labels,
        )  # fmt: skip

    def ours() -> None:
        shim.Network("vpc", project="p", auto_create_subnetworks=False, routing_mode="REGIONAL")
        shim.Subnetwork(
            "subnet", project="p", region="us-central1", network="n",
            ip_cidr_range="10.10.0.0/24", private_ip_google_access=True,
        )  # fmt: skip
        shim.GlobalAddress(
            "range", project="p", network="n", purpose="VPC_PEERING", address_type="INTERNAL",
            prefix_length=16, labels=labels,
        )  # fmt: skip

    expected, actual = register(generated), register(ours)
    assert sorted(expected) == sorted(actual) == ["range", "subnet", "vpc"]
    for name in expected:
        assert shape(actual[name]) == shape(expected[name]), name
    assert shape(actual["range"])["additionalSecretOutputs"] == ["effectiveLabels", "pulumiLabels"]
    assert shape(actual["vpc"])["version"] == "10.2.0"

"""The VPC and private service access that keep Cloud SQL and Redis off the internet."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
from pulumi_gcp import servicenetworking

from components.component import Component
from components.provider_shims import gcp_compute as compute


@dataclass(frozen=True)
class PrivateNetworkArgs:
    """Where the network lives and how large the ranges are."""

    project: str
    region: str
    labels: dict[str, str] = field(default_factory=dict)
    # The API's egress subnet (Cloud Run direct VPC egress).
    subnet_cidr: str = "10.10.0.0/24"
    # The block Google carves Cloud SQL and Redis addresses from.
    service_range_prefix_length: int = 16


class PrivateNetwork(Component[PrivateNetworkArgs]):
    """A custom-mode VPC, one regional subnet and a private service access connection."""

    type_token = "myhibachi:network:PrivateNetwork"

    network: compute.Network
    subnet: compute.Subnetwork
    service_range: compute.GlobalAddress
    service_connection: servicenetworking.Connection
    network_id: pulumi.Output[str]

    def _declare(self, name: str, args: PrivateNetworkArgs) -> pulumi.Inputs:
        child = pulumi.ResourceOptions(parent=self)
        self.network = compute.Network(
            f"{name}-vpc",
            project=args.project,
            auto_create_subnetworks=False,
            routing_mode="REGIONAL",
            opts=child,
        )
        self.subnet = compute.Subnetwork(
            f"{name}-subnet",
            project=args.project,
            region=args.region,
            network=self.network.id,
            ip_cidr_range=args.subnet_cidr,
            private_ip_google_access=True,
            # VPC flow logs (CIS 3.8): every flow of the API's egress, sampled at half.
            log_config={
                "aggregation_interval": "INTERVAL_5_SEC",
                "flow_sampling": 0.5,
                "metadata": "INCLUDE_ALL_METADATA",
            },
            opts=child,
        )
        self.service_range = compute.GlobalAddress(
            f"{name}-services-range",
            project=args.project,
            network=self.network.id,
            purpose="VPC_PEERING",
            address_type="INTERNAL",
            prefix_length=args.service_range_prefix_length,
            labels=args.labels,
            opts=child,
        )
        self.service_connection = servicenetworking.Connection(
            f"{name}-services-connection",
            network=self.network.id,
            service="servicenetworking.googleapis.com",
            reserved_peering_ranges=[self.service_range.name],
            opts=child,
        )
        self.network_id = self.network.id
        return {"network_id": self.network.id, "subnet_id": self.subnet.id}

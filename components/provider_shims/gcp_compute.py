"""`pulumi_gcp.compute`'s Network, Subnetwork and GlobalAddress."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

from components.provider_shims.resource import ProviderResource

GENERATED_MODULE = "pulumi_gcp.compute"
PACKAGE = "pulumi_gcp"


class Network(ProviderResource):
    """`gcp.compute.Network`: a VPC network."""

    type_token = "gcp:compute/network:Network"
    package = PACKAGE

    auto_create_subnetworks: pulumi.Output[bool | None]
    bgp_always_compare_med: pulumi.Output[bool]
    bgp_best_path_selection_mode: pulumi.Output[str]
    bgp_inter_region_cost: pulumi.Output[str]
    delete_bgp_always_compare_med: pulumi.Output[bool | None]
    delete_default_routes_on_create: pulumi.Output[bool | None]
    deletion_policy: pulumi.Output[str]
    description: pulumi.Output[str | None]
    enable_ula_internal_ipv6: pulumi.Output[bool | None]
    gateway_ipv4: pulumi.Output[str]
    internal_ipv6_range: pulumi.Output[str]
    mtu: pulumi.Output[int]
    name: pulumi.Output[str]
    network_firewall_policy_enforcement_order: pulumi.Output[str | None]
    network_id: pulumi.Output[str]
    network_profile: pulumi.Output[str | None]
    numeric_id: pulumi.Output[str]
    params: pulumi.Output[Mapping[str, Any] | None]
    project: pulumi.Output[str]
    routing_mode: pulumi.Output[str]
    self_link: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        project: pulumi.Input[str] | None = None,
        auto_create_subnetworks: pulumi.Input[bool] | None = None,
        routing_mode: pulumi.Input[str] | None = None,
        description: pulumi.Input[str] | None = None,
    ) -> None:
        inputs = {
            "auto_create_subnetworks": auto_create_subnetworks,
            "description": description,
            "project": project,
            "routing_mode": routing_mode,
        }
        self._register(resource_name, opts, inputs)


class Subnetwork(ProviderResource):
    """`gcp.compute.Subnetwork`: a regional subnet of a VPC network."""

    type_token = "gcp:compute/subnetwork:Subnetwork"
    package = PACKAGE

    allow_subnet_cidr_routes_overlap: pulumi.Output[bool]
    creation_timestamp: pulumi.Output[str]
    deletion_policy: pulumi.Output[str]
    description: pulumi.Output[str | None]
    external_ipv6_prefix: pulumi.Output[str]
    fingerprint: pulumi.Output[str]
    gateway_address: pulumi.Output[str]
    internal_ipv6_prefix: pulumi.Output[str]
    ip_cidr_range: pulumi.Output[str]
    ip_collection: pulumi.Output[str | None]
    ipv6_access_type: pulumi.Output[str | None]
    ipv6_cidr_range: pulumi.Output[str]
    ipv6_gce_endpoint: pulumi.Output[str]
    log_config: pulumi.Output[Mapping[str, Any] | None]
    name: pulumi.Output[str]
    network: pulumi.Output[str]
    params: pulumi.Output[Mapping[str, Any] | None]
    private_ip_google_access: pulumi.Output[bool]
    private_ipv6_google_access: pulumi.Output[str]
    project: pulumi.Output[str]
    purpose: pulumi.Output[str]
    region: pulumi.Output[str]
    reserved_internal_range: pulumi.Output[str | None]
    resolve_subnet_mask: pulumi.Output[str | None]
    role: pulumi.Output[str | None]
    secondary_ip_ranges: pulumi.Output[Sequence[Mapping[str, Any]]]
    self_link: pulumi.Output[str]
    send_secondary_ip_range_if_empty: pulumi.Output[bool | None]
    stack_type: pulumi.Output[str]
    state: pulumi.Output[str]
    subnetwork_id: pulumi.Output[int]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        network: pulumi.Input[str],
        ip_cidr_range: pulumi.Input[str] | None = None,
        project: pulumi.Input[str] | None = None,
        region: pulumi.Input[str] | None = None,
        private_ip_google_access: pulumi.Input[bool] | None = None,
        description: pulumi.Input[str] | None = None,
    ) -> None:
        inputs = {
            "description": description,
            "ip_cidr_range": ip_cidr_range,
            "network": network,
            "private_ip_google_access": private_ip_google_access,
            "project": project,
            "region": region,
        }
        self._register(resource_name, opts, inputs)


class GlobalAddress(ProviderResource):
    """`gcp.compute.GlobalAddress`: here, the range reserved for private service access."""

    type_token = "gcp:compute/globalAddress:GlobalAddress"
    package = PACKAGE

    address: pulumi.Output[str]
    address_type: pulumi.Output[str | None]
    creation_timestamp: pulumi.Output[str]
    deletion_policy: pulumi.Output[str]
    description: pulumi.Output[str | None]
    effective_labels: pulumi.Output[Mapping[str, str]]
    ip_version: pulumi.Output[str | None]
    label_fingerprint: pulumi.Output[str]
    labels: pulumi.Output[Mapping[str, str] | None]
    name: pulumi.Output[str]
    network: pulumi.Output[str | None]
    prefix_length: pulumi.Output[int]
    project: pulumi.Output[str]
    pulumi_labels: pulumi.Output[Mapping[str, str]]
    purpose: pulumi.Output[str | None]
    self_link: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        *,
        project: pulumi.Input[str] | None = None,
        network: pulumi.Input[str] | None = None,
        purpose: pulumi.Input[str] | None = None,
        address_type: pulumi.Input[str] | None = None,
        prefix_length: pulumi.Input[int] | None = None,
        labels: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        description: pulumi.Input[str] | None = None,
    ) -> None:
        inputs = {
            "address_type": address_type,
            "description": description,
            "labels": labels,
            "network": network,
            "prefix_length": prefix_length,
            "project": project,
            "purpose": purpose,
        }
        # The generated class marks the provider-computed label maps secret.
        secret = ["effectiveLabels", "pulumiLabels"]
        self._register(resource_name, opts, inputs, additional_secret_outputs=secret)

"""`pulumi_gcp.compute`'s Network, Subnetwork and GlobalAddress."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NotRequired, TypedDict, Unpack

import pulumi

from components.provider_shims.resource import ProviderResource

GENERATED_MODULE = "pulumi_gcp.compute"
PACKAGE = "pulumi_gcp"


class _NetworkInputs(TypedDict, total=False):
    project: pulumi.Input[str]
    auto_create_subnetworks: pulumi.Input[bool]
    routing_mode: pulumi.Input[str]
    description: pulumi.Input[str]


class Network(ProviderResource):
    """`gcp.compute.Network`: a VPC network."""

    type_token = "gcp:compute/network:Network"
    package = PACKAGE

    auto_create_subnetworks: pulumi.Output[bool | None]
    description: pulumi.Output[str | None]
    project: pulumi.Output[str]
    routing_mode: pulumi.Output[str]
    # Computed by the provider (the name too, when not given).
    gateway_ipv4: pulumi.Output[str]
    name: pulumi.Output[str]
    network_id: pulumi.Output[str]
    numeric_id: pulumi.Output[str]
    self_link: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        **inputs: Unpack[_NetworkInputs],
    ) -> None:
        self._register(resource_name, opts, inputs)


class _SubnetworkInputs(TypedDict):
    network: pulumi.Input[str]
    ip_cidr_range: NotRequired[pulumi.Input[str]]
    project: NotRequired[pulumi.Input[str]]
    region: NotRequired[pulumi.Input[str]]
    private_ip_google_access: NotRequired[pulumi.Input[bool]]
    description: NotRequired[pulumi.Input[str]]


class Subnetwork(ProviderResource):
    """`gcp.compute.Subnetwork`: a regional subnet of a VPC network."""

    type_token = "gcp:compute/subnetwork:Subnetwork"
    package = PACKAGE

    description: pulumi.Output[str | None]
    ip_cidr_range: pulumi.Output[str]
    network: pulumi.Output[str]
    private_ip_google_access: pulumi.Output[bool]
    project: pulumi.Output[str]
    region: pulumi.Output[str]
    # Computed by the provider (the name too, when not given).
    creation_timestamp: pulumi.Output[str]
    fingerprint: pulumi.Output[str]
    gateway_address: pulumi.Output[str]
    ipv6_cidr_range: pulumi.Output[str]
    ipv6_gce_endpoint: pulumi.Output[str]
    name: pulumi.Output[str]
    self_link: pulumi.Output[str]
    state: pulumi.Output[str]
    subnetwork_id: pulumi.Output[int]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        **inputs: Unpack[_SubnetworkInputs],
    ) -> None:
        self._register(resource_name, opts, inputs)


class _GlobalAddressInputs(TypedDict, total=False):
    project: pulumi.Input[str]
    network: pulumi.Input[str]
    purpose: pulumi.Input[str]
    address_type: pulumi.Input[str]
    prefix_length: pulumi.Input[int]
    labels: pulumi.Input[Mapping[str, pulumi.Input[str]]]
    description: pulumi.Input[str]


class GlobalAddress(ProviderResource):
    """`gcp.compute.GlobalAddress`: here, the range reserved for private service access."""

    type_token = "gcp:compute/globalAddress:GlobalAddress"
    package = PACKAGE

    address_type: pulumi.Output[str | None]
    description: pulumi.Output[str | None]
    labels: pulumi.Output[Mapping[str, str] | None]
    network: pulumi.Output[str | None]
    prefix_length: pulumi.Output[int]
    project: pulumi.Output[str]
    purpose: pulumi.Output[str | None]
    # Computed by the provider (the name and address too, when not given).
    address: pulumi.Output[str]
    creation_timestamp: pulumi.Output[str]
    effective_labels: pulumi.Output[Mapping[str, str]]
    label_fingerprint: pulumi.Output[str]
    name: pulumi.Output[str]
    pulumi_labels: pulumi.Output[Mapping[str, str]]
    self_link: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        **inputs: Unpack[_GlobalAddressInputs],
    ) -> None:
        # The generated class marks the provider-computed label maps secret.
        secret = ["effectiveLabels", "pulumiLabels"]
        self._register(resource_name, opts, inputs, additional_secret_outputs=secret)

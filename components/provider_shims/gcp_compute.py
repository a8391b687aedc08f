"""`pulumi_gcp.compute`'s classes the program uses: the VPC and the API's load balancer.

The VPC: Network, Subnetwork, GlobalAddress (also the load balancer's address). The load
balancer: RegionNetworkEndpointGroup (serverless, the Cloud Run service), SecurityPolicy (Cloud
Armor), BackendService, URLMap, SSLPolicy, TargetHttpsProxy, GlobalForwardingRule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, NotRequired, TypedDict, Unpack

import pulumi

from components.provider_shims.resource import ProviderResource

GENERATED_MODULE = "pulumi_gcp.compute"
PACKAGE = "pulumi_gcp"


class _ComputeOutputs:
    """What every resource here declares: its `description` and `project`, and the `name` and
    `self_link` the provider computes (the name when not given)."""

    package: ClassVar[str] = PACKAGE

    description: pulumi.Output[str | None]
    project: pulumi.Output[str]
    name: pulumi.Output[str]
    self_link: pulumi.Output[str]


class _StampedOutputs(_ComputeOutputs):
    """A resource whose creation time and fingerprint the provider computes."""

    creation_timestamp: pulumi.Output[str]
    fingerprint: pulumi.Output[str]


class _LabelOutputs(_ComputeOutputs):
    """A labelled resource: the provider computes its label maps and their fingerprint."""

    # The generated class marks the provider-computed label maps secret.
    secret_outputs: ClassVar[tuple[str, ...]] = ("effectiveLabels", "pulumiLabels")

    effective_labels: pulumi.Output[Mapping[str, str]]
    label_fingerprint: pulumi.Output[str]
    pulumi_labels: pulumi.Output[Mapping[str, str]]


class _NetworkInputs(TypedDict, total=False):
    project: pulumi.Input[str]
    auto_create_subnetworks: pulumi.Input[bool]
    routing_mode: pulumi.Input[str]
    description: pulumi.Input[str]


class Network(_ComputeOutputs, ProviderResource):
    """`gcp.compute.Network`: a VPC network."""

    type_token = "gcp:compute/network:Network"

    auto_create_subnetworks: pulumi.Output[bool | None]
    routing_mode: pulumi.Output[str]
    # Computed by the provider.
    gateway_ipv4: pulumi.Output[str]
    network_id: pulumi.Output[str]
    numeric_id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        **inputs: Unpack[_NetworkInputs],
    ) -> None:
        self._register(resource_name, opts, inputs)


class SubnetworkLogConfigArgsDict(TypedDict, total=False):
    aggregation_interval: pulumi.Input[str]
    flow_sampling: pulumi.Input[float]
    metadata: pulumi.Input[str]


class _SubnetworkInputs(TypedDict):
    network: pulumi.Input[str]
    ip_cidr_range: NotRequired[pulumi.Input[str]]
    project: NotRequired[pulumi.Input[str]]
    region: NotRequired[pulumi.Input[str]]
    private_ip_google_access: NotRequired[pulumi.Input[bool]]
    description: NotRequired[pulumi.Input[str]]
    log_config: NotRequired[pulumi.Input[SubnetworkLogConfigArgsDict]]


class Subnetwork(_StampedOutputs, ProviderResource):
    """`gcp.compute.Subnetwork`: a regional subnet of a VPC network."""

    type_token = "gcp:compute/subnetwork:Subnetwork"
    nested_shapes = (SubnetworkLogConfigArgsDict,)

    ip_cidr_range: pulumi.Output[str]
    log_config: pulumi.Output[Mapping[str, Any] | None]
    network: pulumi.Output[str]
    private_ip_google_access: pulumi.Output[bool]
    region: pulumi.Output[str]
    # Computed by the provider.
    gateway_address: pulumi.Output[str]
    ipv6_cidr_range: pulumi.Output[str]
    ipv6_gce_endpoint: pulumi.Output[str]
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
    ip_version: pulumi.Input[str]
    prefix_length: pulumi.Input[int]
    labels: pulumi.Input[Mapping[str, pulumi.Input[str]]]
    description: pulumi.Input[str]


class GlobalAddress(_LabelOutputs, ProviderResource):
    """`gcp.compute.GlobalAddress`: the range reserved for private service access, and the load
    balancer's external address."""

    type_token = "gcp:compute/globalAddress:GlobalAddress"

    address_type: pulumi.Output[str | None]
    ip_version: pulumi.Output[str | None]
    labels: pulumi.Output[Mapping[str, str] | None]
    network: pulumi.Output[str | None]
    prefix_length: pulumi.Output[int]
    purpose: pulumi.Output[str | None]
    # Computed by the provider (the address too, when not given).
    address: pulumi.Output[str]
    creation_timestamp: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        **inputs: Unpack[_GlobalAddressInputs],
    ) -> None:
        self._register(resource_name, opts, inputs)


class RegionNetworkEndpointGroupCloudRunArgsDict(TypedDict, total=False):
    service: pulumi.Input[str]


class _RegionNetworkEndpointGroupInputs(TypedDict):
    region: pulumi.Input[str]
    project: NotRequired[pulumi.Input[str]]
    network_endpoint_type: NotRequired[pulumi.Input[str]]
    cloud_run: NotRequired[pulumi.Input[RegionNetworkEndpointGroupCloudRunArgsDict]]
    description: NotRequired[pulumi.Input[str]]


class RegionNetworkEndpointGroup(_ComputeOutputs, ProviderResource):
    """`gcp.compute.RegionNetworkEndpointGroup`: here, a serverless NEG for a Cloud Run service."""

    type_token = "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup"
    nested_shapes = (RegionNetworkEndpointGroupCloudRunArgsDict,)

    cloud_run: pulumi.Output[Mapping[str, Any] | None]
    network_endpoint_type: pulumi.Output[str | None]
    region: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        **inputs: Unpack[_RegionNetworkEndpointGroupInputs],
    ) -> None:
        self._register(resource_name, opts, inputs)


class SecurityPolicyRuleMatchConfigArgsDict(TypedDict, total=False):
    src_ip_ranges: pulumi.Input[Sequence[pulumi.Input[str]]]


class SecurityPolicyRuleMatchArgsDict(TypedDict, total=False):
    config: pulumi.Input[SecurityPolicyRuleMatchConfigArgsDict]
    versioned_expr: pulumi.Input[str]


class SecurityPolicyRuleArgsDict(TypedDict):
    action: pulumi.Input[str]
    match: pulumi.Input[SecurityPolicyRuleMatchArgsDict]
    priority: pulumi.Input[int]
    description: NotRequired[pulumi.Input[str]]


class _SecurityPolicyInputs(TypedDict, total=False):
    project: pulumi.Input[str]
    description: pulumi.Input[str]
    type: pulumi.Input[str]
    rules: pulumi.Input[Sequence[pulumi.Input[SecurityPolicyRuleArgsDict]]]


class SecurityPolicy(_LabelOutputs, ProviderResource):
    """`gcp.compute.SecurityPolicy`: a Cloud Armor backend security policy."""

    type_token = "gcp:compute/securityPolicy:SecurityPolicy"
    nested_shapes = (
        SecurityPolicyRuleArgsDict,
        SecurityPolicyRuleMatchArgsDict,
        SecurityPolicyRuleMatchConfigArgsDict,
    )

    rules: pulumi.Output[Sequence[Mapping[str, Any]]]
    type: pulumi.Output[str]
    # Computed by the provider.
    fingerprint: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        **inputs: Unpack[_SecurityPolicyInputs],
    ) -> None:
        self._register(resource_name, opts, inputs)


class BackendServiceBackendArgsDict(TypedDict):
    group: pulumi.Input[str]


class BackendServiceLogConfigArgsDict(TypedDict, total=False):
    enable: pulumi.Input[bool]
    sample_rate: pulumi.Input[float]


class _BackendServiceInputs(TypedDict, total=False):
    project: pulumi.Input[str]
    description: pulumi.Input[str]
    load_balancing_scheme: pulumi.Input[str]
    protocol: pulumi.Input[str]
    backends: pulumi.Input[Sequence[pulumi.Input[BackendServiceBackendArgsDict]]]
    security_policy: pulumi.Input[str]
    log_config: pulumi.Input[BackendServiceLogConfigArgsDict]


class BackendService(_StampedOutputs, ProviderResource):
    """`gcp.compute.BackendService`: a global backend service."""

    type_token = "gcp:compute/backendService:BackendService"
    nested_shapes = (BackendServiceBackendArgsDict, BackendServiceLogConfigArgsDict)

    backends: pulumi.Output[Sequence[Mapping[str, Any]] | None]
    load_balancing_scheme: pulumi.Output[str | None]
    log_config: pulumi.Output[Mapping[str, Any]]
    protocol: pulumi.Output[str]
    security_policy: pulumi.Output[str | None]
    # Computed by the provider.
    generated_id: pulumi.Output[int]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        **inputs: Unpack[_BackendServiceInputs],
    ) -> None:
        self._register(resource_name, opts, inputs)


class _URLMapInputs(TypedDict, total=False):
    project: pulumi.Input[str]
    description: pulumi.Input[str]
    default_service: pulumi.Input[str]


class URLMap(_StampedOutputs, ProviderResource):
    """`gcp.compute.URLMap`: where a load balancer sends requests."""

    type_token = "gcp:compute/uRLMap:URLMap"

    default_service: pulumi.Output[str | None]
    # Computed by the provider.
    map_id: pulumi.Output[int]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        **inputs: Unpack[_URLMapInputs],
    ) -> None:
        self._register(resource_name, opts, inputs)


class _SSLPolicyInputs(TypedDict, total=False):
    project: pulumi.Input[str]
    description: pulumi.Input[str]
    min_tls_version: pulumi.Input[str]
    profile: pulumi.Input[str]


class SSLPolicy(_StampedOutputs, ProviderResource):
    """`gcp.compute.SSLPolicy`: the TLS versions and ciphers a load balancer accepts."""

    type_token = "gcp:compute/sSLPolicy:SSLPolicy"

    min_tls_version: pulumi.Output[str | None]
    profile: pulumi.Output[str | None]
    # Computed by the provider.
    enabled_features: pulumi.Output[Sequence[str]]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        **inputs: Unpack[_SSLPolicyInputs],
    ) -> None:
        self._register(resource_name, opts, inputs)


class _TargetHttpsProxyInputs(TypedDict):
    url_map: pulumi.Input[str]
    project: NotRequired[pulumi.Input[str]]
    description: NotRequired[pulumi.Input[str]]
    certificate_map: NotRequired[pulumi.Input[str]]
    ssl_policy: NotRequired[pulumi.Input[str]]


class TargetHttpsProxy(_StampedOutputs, ProviderResource):
    """`gcp.compute.TargetHttpsProxy`: TLS termination of the load balancer."""

    type_token = "gcp:compute/targetHttpsProxy:TargetHttpsProxy"

    certificate_map: pulumi.Output[str | None]
    ssl_policy: pulumi.Output[str | None]
    url_map: pulumi.Output[str]
    # Computed by the provider.
    proxy_id: pulumi.Output[int]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        **inputs: Unpack[_TargetHttpsProxyInputs],
    ) -> None:
        self._register(resource_name, opts, inputs)


class _GlobalForwardingRuleInputs(TypedDict):
    target: pulumi.Input[str]
    project: NotRequired[pulumi.Input[str]]
    description: NotRequired[pulumi.Input[str]]
    ip_address: NotRequired[pulumi.Input[str]]
    ip_protocol: NotRequired[pulumi.Input[str]]
    load_balancing_scheme: NotRequired[pulumi.Input[str]]
    port_range: NotRequired[pulumi.Input[str]]
    labels: NotRequired[pulumi.Input[Mapping[str, pulumi.Input[str]]]]


class GlobalForwardingRule(_LabelOutputs, ProviderResource):
    """`gcp.compute.GlobalForwardingRule`: the load balancer's address and port."""

    type_token = "gcp:compute/globalForwardingRule:GlobalForwardingRule"

    ip_address: pulumi.Output[str]
    ip_protocol: pulumi.Output[str]
    labels: pulumi.Output[Mapping[str, str] | None]
    load_balancing_scheme: pulumi.Output[str | None]
    port_range: pulumi.Output[str | None]
    target: pulumi.Output[str]
    # Computed by the provider.
    base_forwarding_rule: pulumi.Output[str]
    forwarding_rule_id: pulumi.Output[int]
    psc_connection_id: pulumi.Output[str]
    psc_connection_status: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        **inputs: Unpack[_GlobalForwardingRuleInputs],
    ) -> None:
        self._register(resource_name, opts, inputs)

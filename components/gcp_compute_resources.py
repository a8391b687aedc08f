"""The three pulumi-gcp `compute` resources the network uses, without loading `pulumi_gcp.compute`.

Why: the first use of any `pulumi_gcp.compute` class loads the whole module, about 1,500 classes
from a 4.8 MB `_inputs.py` and a 4.7 MB `outputs.py`, which takes 1.5 to 2 s here: half of the
offline preview's budget, for a VPC, a subnet and an address range.

What the real CLI sees is identical to the generated classes, because a Python resource class is
only a front end to the same `RegisterResource` request:
- the type tokens are the provider's own (`gcp:compute/network:Network`, ...);
- the resource options carry `pulumi_gcp._utilities.get_resource_opts_defaults()`, the same
  provider version and plugin download URL the generated classes set, so the engine loads the
  same provider plugin;
- properties are sent under their engine (camelCase) names, with every input and output the
  generated class declares, and GlobalAddress keeps its additional secret outputs.
`tests/components/test_gcp_compute_resources.py` registers each class next to the generated one
under the mock runtime and compares the requests field by field, so an upgrade that changes any
of this fails the tests.
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi_gcp import _utilities


def _options(opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions:
    return pulumi.ResourceOptions.merge(_utilities.get_resource_opts_defaults(), opts)


class Network(pulumi.CustomResource):
    """`gcp.compute.Network`: a VPC network."""

    def __init__(
        self,
        resource_name: str,
        *,
        project: pulumi.Input[str],
        auto_create_subnetworks: pulumi.Input[bool],
        routing_mode: pulumi.Input[str] | None = None,
        description: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = {
            "autoCreateSubnetworks": auto_create_subnetworks,
            "bgpAlwaysCompareMed": None,
            "bgpBestPathSelectionMode": None,
            "bgpInterRegionCost": None,
            "deleteBgpAlwaysCompareMed": None,
            "deleteDefaultRoutesOnCreate": None,
            "deletionPolicy": None,
            "description": description,
            "enableUlaInternalIpv6": None,
            "internalIpv6Range": None,
            "mtu": None,
            "name": None,
            "networkFirewallPolicyEnforcementOrder": None,
            "networkProfile": None,
            "params": None,
            "project": project,
            "routingMode": routing_mode,
            # Provider-computed outputs, declared as the generated class declares them.
            "gatewayIpv4": None,
            "networkId": None,
            "numericId": None,
            "selfLink": None,
        }
        super().__init__("gcp:compute/network:Network", resource_name, props, _options(opts))


class Subnetwork(pulumi.CustomResource):
    """`gcp.compute.Subnetwork`: a regional subnet of a VPC network."""

    def __init__(
        self,
        resource_name: str,
        *,
        project: pulumi.Input[str],
        region: pulumi.Input[str],
        network: pulumi.Input[str],
        ip_cidr_range: pulumi.Input[str],
        private_ip_google_access: pulumi.Input[bool],
        description: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = {
            "allowSubnetCidrRoutesOverlap": None,
            "deletionPolicy": None,
            "description": description,
            "externalIpv6Prefix": None,
            "internalIpv6Prefix": None,
            "ipCidrRange": ip_cidr_range,
            "ipCollection": None,
            "ipv6AccessType": None,
            "logConfig": None,
            "name": None,
            "network": network,
            "params": None,
            "privateIpGoogleAccess": private_ip_google_access,
            "privateIpv6GoogleAccess": None,
            "project": project,
            "purpose": None,
            "region": region,
            "reservedInternalRange": None,
            "resolveSubnetMask": None,
            "role": None,
            "secondaryIpRanges": None,
            "sendSecondaryIpRangeIfEmpty": None,
            "stackType": None,
            # Provider-computed outputs.
            "creationTimestamp": None,
            "fingerprint": None,
            "gatewayAddress": None,
            "ipv6CidrRange": None,
            "ipv6GceEndpoint": None,
            "selfLink": None,
            "state": None,
            "subnetworkId": None,
        }
        super().__init__("gcp:compute/subnetwork:Subnetwork", resource_name, props, _options(opts))


class GlobalAddress(pulumi.CustomResource):
    """`gcp.compute.GlobalAddress`: here, the range reserved for private service access."""

    # Outputs are attributes named as the engine names them.
    name: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        project: pulumi.Input[str],
        network: pulumi.Input[str],
        purpose: pulumi.Input[str],
        address_type: pulumi.Input[str],
        prefix_length: pulumi.Input[int],
        labels: pulumi.Input[dict[str, str]] | None = None,
        description: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = {
            "address": None,
            "addressType": address_type,
            "deletionPolicy": None,
            "description": description,
            "ipVersion": None,
            "labels": labels,
            "name": None,
            "network": network,
            "prefixLength": prefix_length,
            "project": project,
            "purpose": purpose,
            # Provider-computed outputs.
            "creationTimestamp": None,
            "effectiveLabels": None,
            "labelFingerprint": None,
            "pulumiLabels": None,
            "selfLink": None,
        }
        # The generated class marks these label maps secret; so must this one.
        secret_outputs = pulumi.ResourceOptions(
            additional_secret_outputs=["effectiveLabels", "pulumiLabels"]
        )
        super().__init__(
            "gcp:compute/globalAddress:GlobalAddress",
            resource_name,
            props,
            pulumi.ResourceOptions.merge(_options(opts), secret_outputs),
        )

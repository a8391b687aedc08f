"""VPC: no firewall rule admits the internet, and subnets keep flow logs.

A firewall rule is open to the internet when it allows ingress from a public range as wide as a
/8 (IPv4) or a /16 (IPv6): `0.0.0.0/0`, but also `0.0.0.0/1` plus `128.0.0.0/1`, or no source at
all, which the API reads as `0.0.0.0/0`. Deny rules, egress rules and disabled rules admit
nothing. Google's health-check and load-balancer ranges are narrower and pass.
"""

from __future__ import annotations

import ipaddress
from typing import Final

from pulumi_policy import ResourceValidationArgs

from .helpers import (
    MISSING,
    Report,
    as_bool,
    as_str,
    elements,
    get,
    is_unknown,
    label,
    resource_policy,
)

FIREWALL: Final = "gcp:compute/firewall:Firewall"
SUBNETWORK: Final = "gcp:compute/subnetwork:Subnetwork"
# Subnets that cannot carry flow logs: proxy-only and Private Service Connect ranges.
NO_FLOW_LOG_PURPOSES: Final = frozenset(
    {
        "GLOBAL_MANAGED_PROXY",
        "INTERNAL_HTTPS_LOAD_BALANCER",
        "PRIVATE_SERVICE_CONNECT",
        "REGIONAL_MANAGED_PROXY",
    }
)
_WIDEST_PUBLIC_PREFIX: Final = {4: 8, 6: 16}


def is_internet_range(cidr: str) -> bool | None:
    """Whether a source range admits a large share of the internet; None when unreadable."""
    try:
        network = ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        return None
    if network.is_private and network.prefixlen > 0:
        return False
    return network.prefixlen <= _WIDEST_PUBLIC_PREFIX[network.version]


def _check_firewall(args: ResourceValidationArgs, report: Report) -> None:
    props = args.props
    direction, disabled = get(props, "direction"), get(props, "disabled")
    allows, ranges = get(props, "allows"), get(props, "sourceRanges")
    if any(is_unknown(v) for v in (direction, disabled, allows, ranges)):
        args.not_applicable("the rule's direction, action or sources are unknown until apply")
    if as_str(direction, "INGRESS") != "INGRESS" or as_bool(disabled, False) is True:
        return
    if not elements(allows):
        return
    sources = [as_str(r) for r in elements(ranges)]
    other_sources = [get(props, "sourceTags"), get(props, "sourceServiceAccounts")]
    if ranges is MISSING and not any(elements(s) for s in other_sources):
        report(
            f"{label(args)}: an ingress allow rule with no source admits 0.0.0.0/0 (the API's "
            "default); name the source ranges, tags or service accounts it serves."
        )
        return
    found, unreadable = False, []
    for index, cidr in enumerate(sources):
        verdict = is_internet_range(cidr) if cidr is not None else None
        if verdict is None:
            unreadable.append(f"sourceRanges[{index}]")
        elif verdict:
            found = True
            report(
                f"{label(args)}: sourceRanges[{index}] admits the internet to an allow rule; "
                "name the narrow ranges that need access (a load balancer's, a health check's)."
            )
    if not found and unreadable:
        args.not_applicable(f"cannot be read as ranges: {', '.join(unreadable)}")


def _check_flow_logs(args: ResourceValidationArgs, report: Report) -> None:
    purpose = get(args.props, "purpose")
    log_config = get(args.props, "logConfig")
    if is_unknown(purpose) or is_unknown(log_config):
        args.not_applicable("purpose or logConfig is unknown until the update runs")
    if as_str(purpose, "PRIVATE") in NO_FLOW_LOG_PURPOSES:
        return
    if log_config is MISSING:
        report(f"{label(args)}: logConfig must be set, turning on VPC flow logs.")


POLICIES: Final = [
    resource_policy(
        name="gcp-compute-firewall-no-internet-ingress",
        resource_types=[FIREWALL],
        check=_check_firewall,
    ),
    resource_policy(
        name="gcp-compute-subnetwork-flow-logs",
        resource_types=[SUBNETWORK],
        check=_check_flow_logs,
    ),
]

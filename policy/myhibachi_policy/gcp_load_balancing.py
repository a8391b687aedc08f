"""Reaching the API: only through Cloudflare, by the load balancer and its Cloud Armor policy.

- Cloud Run services accept requests only from load balancers (and the VPC) and keep their
  `run.app` URL off, so nothing reaches a service around its load balancer.
- A Cloud Armor policy admits only the ranges the stack names as Cloudflare's
  (`myhibachi:edge.cloudflareRanges` in the stack config: a fact of the stack file, not restated
  here) and its default rule (priority 2147483647) denies. A rule that admits everything, or a
  default that allows, is the same as no policy.
- An external backend service carries a security policy and logs its requests.
- A global forwarding rule listens on 443 only; an HTTPS proxy names an SSL policy, and SSL
  policies allow TLS 1.2 and up with the MODERN or RESTRICTED profile (CIS GCP 3.9: the Google
  default without a policy still accepts TLS 1.0).
"""

from __future__ import annotations

import ipaddress
from typing import Any, Final

from pulumi_policy import ResourceValidationArgs

from .helpers import (
    MISSING,
    Report,
    as_bool,
    as_number,
    as_str,
    child,
    elements,
    get,
    is_unknown,
    label,
    resource_policy,
    stack_value,
    strings,
)

CLOUD_RUN_V2: Final = "gcp:cloudrunv2/service:Service"
CLOUD_RUN_V1: Final = "gcp:cloudrun/service:Service"
SECURITY_POLICY: Final = "gcp:compute/securityPolicy:SecurityPolicy"
BACKEND_SERVICE: Final = "gcp:compute/backendService:BackendService"
FORWARDING_RULE: Final = "gcp:compute/globalForwardingRule:GlobalForwardingRule"
HTTPS_PROXY: Final = "gcp:compute/targetHttpsProxy:TargetHttpsProxy"
SSL_POLICY: Final = "gcp:compute/sSLPolicy:SSLPolicy"
DEFAULT_RULE_PRIORITY: Final = 2_147_483_647
# Ingress settings that admit only load balancers and internal traffic.
PRIVATE_INGRESS: Final = {
    CLOUD_RUN_V2: frozenset(
        {"INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", "INGRESS_TRAFFIC_INTERNAL_ONLY"}
    ),
    CLOUD_RUN_V1: frozenset({"internal-and-cloud-load-balancing", "internal"}),
}
_V1_INGRESS: Final = "run.googleapis.com/ingress"
_EXTERNAL_SCHEMES: Final = frozenset({"EXTERNAL", "EXTERNAL_MANAGED"})
_STRONG_TLS: Final = frozenset({"TLS_1_2", "TLS_1_3"})
_STRONG_PROFILES: Final = frozenset({"MODERN", "RESTRICTED"})


def _check_ingress(args: ResourceValidationArgs, report: Report) -> None:
    if args.resource_type == CLOUD_RUN_V1:
        ingress = child(get(args.props, "metadata.annotations"), _V1_INGRESS)
        where, default = f"metadata.annotations[{_V1_INGRESS}]", "all"
    else:
        ingress = get(args.props, "ingress")
        where, default = "ingress", "INGRESS_TRAFFIC_ALL"
    if is_unknown(ingress):
        args.not_applicable(f"{label(args)}: {where} is unknown until the update runs")
    if as_str(ingress, default) not in PRIVATE_INGRESS[args.resource_type]:
        report(
            f"{label(args)}: {where} must admit only load balancers and internal traffic "
            f"({' or '.join(sorted(PRIVATE_INGRESS[args.resource_type]))}; absent means all): "
            "otherwise the service is reachable around Cloudflare."
        )
    if args.resource_type == CLOUD_RUN_V2:
        disabled = get(args.props, "defaultUriDisabled")
        if is_unknown(disabled):
            args.not_applicable(f"{label(args)}: defaultUriDisabled is unknown")
        if as_bool(disabled, False) is not True:
            report(
                f"{label(args)}: defaultUriDisabled must be true (the run.app URL answers "
                "whatever the ingress of a custom domain)."
            )


def _ranges(value: Any) -> set[str]:
    return {str(ipaddress.ip_network(r.strip(), strict=False)) for r in strings(value)}


def _check_security_policy(args: ResourceValidationArgs, report: Report) -> None:
    ranges = stack_value("edge.cloudflareRanges")
    if ranges is MISSING:
        args.not_applicable("the stack config does not set myhibachi:edge.cloudflareRanges")
        return
    try:
        admitted = _ranges(get(ranges, "ipv4")) | _ranges(get(ranges, "ipv6"))
    except ValueError:
        args.not_applicable("myhibachi:edge.cloudflareRanges holds an unreadable range")
        return
    rules = get(args.props, "rules")
    if is_unknown(rules):
        args.not_applicable(f"{label(args)}: rules are unknown until the update runs")
        return
    default_denies = False
    for index, rule in enumerate(elements(rules)):
        action = as_str(get(rule, "action"))
        priority = as_number(get(rule, "priority"))
        sources = get(rule, "match.config.srcIpRanges")
        if action is None or priority is None or is_unknown(sources):
            args.not_applicable(f"{label(args)}: rules[{index}] is unknown until the update runs")
            return
        if priority == DEFAULT_RULE_PRIORITY:
            default_denies = action.startswith("deny")
        if action != "allow":
            continue
        try:
            extra = sorted(_ranges(sources) - admitted)
        except ValueError:
            extra = ["an unreadable range"]
        expression = get(rule, "match.expr")
        if expression is not MISSING or not elements(sources) or extra:
            report(
                f"{label(args)}: rules[{index}] allows traffic beyond Cloudflare's ranges "
                "(myhibachi:edge.cloudflareRanges): an allow rule may match only those source "
                "ranges."
            )
    if not default_denies:
        report(
            f"{label(args)}: the default rule (priority {DEFAULT_RULE_PRIORITY}) must deny; "
            "absent, Cloud Armor adds one that allows everything."
        )


def _check_backend(args: ResourceValidationArgs, report: Report) -> None:
    scheme = get(args.props, "loadBalancingScheme")
    policy, logging = get(args.props, "securityPolicy"), get(args.props, "logConfig.enable")
    if is_unknown(scheme):
        args.not_applicable(f"{label(args)}: loadBalancingScheme is unknown")
    if as_str(scheme, "EXTERNAL") not in _EXTERNAL_SCHEMES:
        return
    if policy is MISSING:
        report(f"{label(args)}: an external backend service must name a securityPolicy.")
    if not is_unknown(logging) and as_bool(logging, False) is not True:
        report(f"{label(args)}: logConfig.enable must be true (the request log of the API).")


def _check_forwarding_rule(args: ResourceValidationArgs, report: Report) -> None:
    ports = get(args.props, "portRange")
    if is_unknown(ports):
        args.not_applicable(f"{label(args)}: portRange is unknown until the update runs")
    text = (as_str(ports) or "").strip()
    if text not in ("443", "443-443"):
        report(f"{label(args)}: portRange must be 443 only (HTTPS; absent means every port).")


def _check_https_proxy(args: ResourceValidationArgs, report: Report) -> None:
    policy = get(args.props, "sslPolicy")
    if policy is MISSING:
        report(
            f"{label(args)}: sslPolicy must be set; without one the proxy accepts TLS 1.0 and "
            "weak ciphers."
        )


def _check_ssl_policy(args: ResourceValidationArgs, report: Report) -> None:
    version, profile = get(args.props, "minTlsVersion"), get(args.props, "profile")
    if is_unknown(version) or is_unknown(profile):
        args.not_applicable(f"{label(args)}: minTlsVersion or profile is unknown")
    if as_str(version, "TLS_1_0") not in _STRONG_TLS:
        report(f"{label(args)}: minTlsVersion must be TLS_1_2 or later (absent means TLS_1_0).")
    if as_str(profile, "COMPATIBLE") not in _STRONG_PROFILES:
        report(f"{label(args)}: profile must be MODERN or RESTRICTED (absent means COMPATIBLE).")


POLICIES: Final = [
    resource_policy(
        name="gcp-cloudrun-service-ingress-load-balancer-only",
        resource_types=tuple(PRIVATE_INGRESS),
        check=_check_ingress,
    ),
    resource_policy(
        name="gcp-compute-security-policy-cloudflare-only",
        resource_types=[SECURITY_POLICY],
        check=_check_security_policy,
    ),
    resource_policy(
        name="gcp-compute-backend-service-armored-and-logged",
        resource_types=[BACKEND_SERVICE],
        check=_check_backend,
    ),
    resource_policy(
        name="gcp-compute-forwarding-rule-https-only",
        resource_types=[FORWARDING_RULE],
        check=_check_forwarding_rule,
    ),
    resource_policy(
        name="gcp-compute-https-proxy-ssl-policy",
        resource_types=[HTTPS_PROXY],
        check=_check_https_proxy,
    ),
    resource_policy(
        name="gcp-compute-ssl-policy-strong",
        resource_types=[SSL_POLICY],
        check=_check_ssl_policy,
    ),
]

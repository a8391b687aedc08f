"""Reaching the API only through Cloudflare: Cloud Run ingress, Cloud Armor, the backend, the
forwarding rule and TLS. Each policy blocks a noncompliant resource and passes a compliant one,
and the same intent written another way gets the same verdict."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.policy import baselines as b
from tests.policy.one_change import DELETE, Case, changed, one_change_test
from tests.policy.support import UNKNOWN, names, resource_outcome, stack_values

INGRESS = "gcp-cloudrun-service-ingress-load-balancer-only"
ARMOR = "gcp-compute-security-policy-cloudflare-only"
BACKEND = "gcp-compute-backend-service-armored-and-logged"
FORWARDING = "gcp-compute-forwarding-rule-https-only"
PROXY_TLS = "gcp-compute-https-proxy-ssl-policy"
TLS = "gcp-compute-ssl-policy-strong"
SECURITY_POLICY = "gcp:compute/securityPolicy:SecurityPolicy"
BACKEND_SERVICE = "gcp:compute/backendService:BackendService"
FORWARDING_RULE = "gcp:compute/globalForwardingRule:GlobalForwardingRule"
HTTPS_PROXY = "gcp:compute/targetHttpsProxy:TargetHttpsProxy"
SSL_POLICY = "gcp:compute/sSLPolicy:SSLPolicy"


def cloudflare_ranges(stack: str = "production") -> dict[str, Any]:
    ranges: dict[str, Any] = json.loads(stack_values(stack)["myhibachi:edge"])["cloudflareRanges"]
    return ranges


def armor() -> dict[str, Any]:
    ranges = cloudflare_ranges()
    everything = [*ranges["ipv4"], *ranges.get("ipv6", [])]
    rules = [
        {
            "action": "allow",
            "priority": 1000 + index,
            "match": {
                "versionedExpr": "SRC_IPS_V1",
                "config": {"srcIpRanges": everything[start : start + 10]},
            },
        }
        for index, start in enumerate(range(0, len(everything), 10))
    ]
    rules.append(
        {
            "action": "deny(403)",
            "priority": 2147483647,
            "match": {"versionedExpr": "SRC_IPS_V1", "config": {"srcIpRanges": ["*"]}},
        }
    )
    return {"type": "CLOUD_ARMOR", "rules": rules}


def backend() -> dict[str, Any]:
    return {
        "loadBalancingScheme": "EXTERNAL_MANAGED",
        "protocol": "HTTPS",
        "backends": [{"group": "neg"}],
        "securityPolicy": "armor",
        "logConfig": {"enable": True, "sampleRate": 1},
    }


def forwarding_rule() -> dict[str, Any]:
    return {"target": "proxy", "portRange": "443", "loadBalancingScheme": "EXTERNAL_MANAGED"}


def proxy() -> dict[str, Any]:
    return {"urlMap": "urls", "sslPolicy": "tls", "certificateMap": "//certificatemanager/map"}


def ssl_policy() -> dict[str, Any]:
    return {"profile": "RESTRICTED", "minTlsVersion": "TLS_1_2"}


SERVICE_CASES: list[Case] = [
    ("ingress", "INGRESS_TRAFFIC_ALL", {INGRESS}),
    ("ingress", DELETE, {INGRESS}),  # absent means all
    ("ingress", "INGRESS_TRAFFIC_INTERNAL_ONLY", set()),
    ("defaultUriDisabled", False, {INGRESS}),
    ("defaultUriDisabled", DELETE, {INGRESS}),
]
ARMOR_CASES: list[Case] = [
    # One range more than Cloudflare's, anywhere.
    ("rules.0.match.config.srcIpRanges.0", "0.0.0.0/0", {ARMOR}),
    ("rules.1.match.config.srcIpRanges.0", "203.0.113.0/24", {ARMOR}),
    # The same range written otherwise is still Cloudflare's.
    ("rules.0.match.config.srcIpRanges.0", "173.245.48.1/20", set()),
    # An expression instead of ranges could admit anything.
    ("rules.0.match", {"expr": {"expression": "true"}}, {ARMOR}),
    ("rules.3.action", "allow", {ARMOR}),  # the default rule allows
    ("rules", armor()["rules"][:3], {ARMOR}),  # no default rule: Cloud Armor's allows
    ("rules.2.action", "deny(404)", set()),  # denying more never hurts
]
BACKEND_CASES: list[Case] = [
    ("securityPolicy", DELETE, {BACKEND}),
    ("logConfig.enable", False, {BACKEND}),
    ("logConfig", DELETE, {BACKEND}),
    # Internal backends are not reached from the internet.
    ("loadBalancingScheme", "INTERNAL_MANAGED", set()),
]
FORWARDING_CASES: list[Case] = [
    ("portRange", "80", {FORWARDING}),
    ("portRange", "1-65535", {FORWARDING}),
    ("portRange", DELETE, {FORWARDING}),
    ("portRange", "443-443", set()),
]
PROXY_CASES: list[Case] = [("sslPolicy", DELETE, {PROXY_TLS})]
TLS_CASES: list[Case] = [
    ("minTlsVersion", "TLS_1_0", {TLS}),
    ("minTlsVersion", DELETE, {TLS}),
    ("profile", "COMPATIBLE", {TLS}),
    ("profile", "MODERN", set()),
    ("minTlsVersion", "TLS_1_3", set()),
]


test_baseline_passes_and_one_change_fails_exactly = one_change_test(
    (b.RUN_SERVICE, b.run_service, SERVICE_CASES),
    (SECURITY_POLICY, armor, ARMOR_CASES),
    (BACKEND_SERVICE, backend, BACKEND_CASES),
    (FORWARDING_RULE, forwarding_rule, FORWARDING_CASES),
    (HTTPS_PROXY, proxy, PROXY_CASES),
    (SSL_POLICY, ssl_policy, TLS_CASES),
)


def test_a_legacy_service_is_judged_by_its_ingress_annotation() -> None:
    service = {
        "location": "us-central1",
        "metadata": {"annotations": {"run.googleapis.com/ingress": "all"}},
        "template": {"spec": {"serviceAccountName": "api@p.iam", "containers": []}},
    }
    assert INGRESS in names("gcp:cloudrun/service:Service", service)
    private = changed(
        service,
        "metadata.annotations",
        {"run.googleapis.com/ingress": "internal-and-cloud-load-balancing"},
    )
    assert INGRESS not in names("gcp:cloudrun/service:Service", private)


def test_each_stack_s_own_ranges_are_the_allow_list() -> None:
    # Staging's ranges are its own stack file's: a range only production lists is not admitted.
    only_production = changed(armor(), "rules.0.match.config.srcIpRanges.0", "198.51.100.0/24")
    assert ARMOR in names(SECURITY_POLICY, only_production, stack="staging")
    assert names(SECURITY_POLICY, armor(), stack="staging") == set()


@pytest.mark.parametrize(
    ("resource_type", "props", "policy"),
    [
        (b.RUN_SERVICE, changed(b.run_service(), "ingress", UNKNOWN), INGRESS),
        (SECURITY_POLICY, changed(armor(), "rules", UNKNOWN), ARMOR),
        (SSL_POLICY, changed(ssl_policy(), "profile", UNKNOWN), TLS),
        (FORWARDING_RULE, changed(forwarding_rule(), "portRange", UNKNOWN), FORWARDING),
    ],
)
def test_unknown_values_are_not_applicable(
    resource_type: str, props: dict[str, Any], policy: str
) -> None:
    outcome = resource_outcome(resource_type, props)
    assert policy not in {name for name, _, _ in outcome.violations}
    assert policy in outcome.declined


def test_without_the_stack_s_ranges_armor_cannot_be_judged() -> None:
    config = stack_values("production")
    edge = json.loads(config["myhibachi:edge"])
    del edge["cloudflareRanges"]
    outcome = resource_outcome(
        SECURITY_POLICY, armor(), program_config={**config, "myhibachi:edge": json.dumps(edge)}
    )
    assert (
        outcome.declined[ARMOR] == "the stack config does not set myhibachi:edge.cloudflareRanges"
    )

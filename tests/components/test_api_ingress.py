"""The API's load balancer: Cloudflare's ranges only, a DNS-authorized certificate, TLS 1.2+."""

from __future__ import annotations

from typing import Any

from components.api_ingress import ApiIngress, ApiIngressArgs
from preflight.capture import Capture
from preflight.values import unwrapped
from settings.edge import CloudflareRanges
from tests.components.fixtures import ENV, LABELS, PROJECT, REGION
from tests.components.inventory import Scenario, capture_fixture, inventory_test

POLICY = "gcp:compute/securityPolicy:SecurityPolicy"
HOST = "api.example.test"
# Documentation ranges (RFC 5737, RFC 3849): twelve, so the allow rules split at ten.
RANGES = CloudflareRanges(
    as_of="2031-02-03",
    ipv4=tuple(f"198.51.100.{16 * i}/28" for i in range(11)),
    ipv6=("2001:db8::/32",),
)


def _ingress() -> None:
    ApiIngress(
        "ingress",
        ApiIngressArgs(
            api_host=HOST,
            cloudflare_ranges=RANGES,
            env=ENV,
            project=PROJECT,
            region=REGION,
            service_name="fixture-api",
            labels=LABELS,
        ),
    )


SCENARIOS = [Scenario("api_ingress", "twelve-ranges", _ingress)]


test_matches_its_inventory = inventory_test(SCENARIOS)


ingress = capture_fixture(SCENARIOS[0])


def _inputs(capture: Capture, type_token: str) -> dict[str, Any]:
    inputs: dict[str, Any] = unwrapped(capture.one(type_token).inputs)
    return inputs


def test_cloud_armor_admits_exactly_the_given_ranges_and_denies_the_rest(
    ingress: Capture,
) -> None:
    rules = sorted(_inputs(ingress, POLICY)["rules"], key=lambda rule: rule["priority"])
    *allows, default = rules
    admitted = [r for rule in allows for r in rule["match"]["config"]["srcIpRanges"]]
    assert admitted == [*RANGES.ipv4, *RANGES.ipv6]
    assert all(rule["action"] == "allow" for rule in allows)
    assert [len(rule["match"]["config"]["srcIpRanges"]) for rule in allows] == [10, 2]
    assert default == {
        "action": "deny(403)",
        "description": "Default: deny anything that does not come through Cloudflare",
        "match": {"config": {"srcIpRanges": ["*"]}, "versionedExpr": "SRC_IPS_V1"},
        "priority": 2_147_483_647,
    }
    assert "2031-02-03" in _inputs(ingress, POLICY)["description"]


def test_the_backend_is_the_cloud_run_service_behind_the_policy(ingress: Capture) -> None:
    neg = ingress.one("gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup")
    assert unwrapped(neg.inputs)["cloudRun"] == {"service": "fixture-api"}
    assert unwrapped(neg.inputs)["networkEndpointType"] == "SERVERLESS"
    backend = _inputs(ingress, "gcp:compute/backendService:BackendService")
    assert backend["backends"] == [{"group": neg.id}]
    assert backend["securityPolicy"] == ingress.one(POLICY).id
    assert backend["loadBalancingScheme"] == "EXTERNAL_MANAGED"
    assert backend["logConfig"] == {"enable": True, "sampleRate": 1}


def test_https_only_with_a_restricted_tls_policy(ingress: Capture) -> None:
    rule = _inputs(ingress, "gcp:compute/globalForwardingRule:GlobalForwardingRule")
    assert (rule["portRange"], rule["ipProtocol"]) == ("443", "TCP")
    assert rule["ipAddress"] == ingress.one("gcp:compute/globalAddress:GlobalAddress").id
    assert len(ingress.by_type("gcp:compute/globalForwardingRule:GlobalForwardingRule")) == 1
    tls = _inputs(ingress, "gcp:compute/sSLPolicy:SSLPolicy")
    assert (tls["profile"], tls["minTlsVersion"]) == ("RESTRICTED", "TLS_1_2")
    proxy = _inputs(ingress, "gcp:compute/targetHttpsProxy:TargetHttpsProxy")
    assert proxy["sslPolicy"] == ingress.one("gcp:compute/sSLPolicy:SSLPolicy").id


def test_the_certificate_is_authorized_by_dns_for_the_api_host(ingress: Capture) -> None:
    authorization = ingress.one("gcp:certificatemanager/dnsAuthorization:DnsAuthorization")
    assert authorization.inputs["domain"] == HOST
    certificate = _inputs(ingress, "gcp:certificatemanager/certificate:Certificate")
    assert certificate["managed"] == {
        "dnsAuthorizations": [authorization.id],
        "domains": [HOST],
    }
    entry = _inputs(ingress, "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry")
    assert entry["hostname"] == HOST
    maps = ingress.one("gcp:certificatemanager/certificateMap:CertificateMap")
    proxy = _inputs(ingress, "gcp:compute/targetHttpsProxy:TargetHttpsProxy")
    assert proxy["certificateMap"] == f"//certificatemanager.googleapis.com/{maps.id}"

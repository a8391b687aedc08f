"""The API's only way in: a global external Application Load Balancer that admits only Cloudflare.

Decisions:
- Cloudflare is the only way in. The Cloud Run service accepts requests only from Google's load
  balancers (and the VPC), its `run.app` URL is disabled, and this load balancer's Cloud Armor
  policy admits only Cloudflare's published address ranges and denies everything else (403):
  nobody reaches the API around Cloudflare's WAF, cache rules and rate limits.
- The ranges are a stack setting with the date they were read
  (`myhibachi:edge.cloudflareRanges`); a Cloud Armor rule holds at most ten ranges, so they are
  split over consecutive rules.
- TLS: a Certificate Manager certificate authorized by DNS. Its CNAME record (declared in
  Cloudflare by the edge) proves control of the host while Cloudflare proxies it, so the
  certificate is issued on the first `pulumi up` and renews without ever un-proxying the host.
  The SSL policy is RESTRICTED with TLS 1.2 at least (CIS Google Cloud 3.9).
- The backend service logs every request (sample rate 1), the trail for a security review.
- One serverless network endpoint group per region points at the Cloud Run service by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
from pulumi_gcp import certificatemanager

from components.component import Component
from components.provider_shims import gcp_compute as compute
from settings.edge import CloudflareRanges

# Cloud Armor takes at most ten source ranges per rule.
RANGES_PER_RULE = 10
FIRST_ALLOW_PRIORITY = 1000
# The default rule's fixed priority: the lowest, evaluated last.
DEFAULT_RULE_PRIORITY = 2_147_483_647


@dataclass(frozen=True)
class DnsRecordSpec:
    """A DNS record the edge must declare for the certificate (values known after creation)."""

    name: pulumi.Output[str]
    type: pulumi.Output[str]
    data: pulumi.Output[str]


@dataclass(frozen=True)
class ApiIngressArgs:
    """The API's host, the Cloud Run service behind it and who may connect."""

    api_host: str
    cloudflare_ranges: CloudflareRanges
    env: str
    project: str
    region: str
    service_name: pulumi.Input[str]
    labels: Mapping[str, str] = field(default_factory=dict)


class ApiIngress(Component[ApiIngressArgs]):
    """Address, certificate, Cloud Armor policy, backend and HTTPS frontend of the API."""

    type_token = "myhibachi:api:ApiIngress"

    address: compute.GlobalAddress
    certificate: certificatemanager.Certificate
    certificate_record: DnsRecordSpec
    ip_address: pulumi.Output[str]
    security_policy: compute.SecurityPolicy

    def _declare(self, name: str, args: ApiIngressArgs) -> pulumi.Inputs:
        child = pulumi.ResourceOptions(parent=self)
        self.address = compute.GlobalAddress(
            f"{name}-address",
            project=args.project,
            address_type="EXTERNAL",
            ip_version="IPV4",
            labels=dict(args.labels),
            description=f"The {args.env} API's load balancer (Cloudflare's origin).",
            opts=child,
        )
        endpoints = compute.RegionNetworkEndpointGroup(
            f"{name}-neg",
            project=args.project,
            region=args.region,
            network_endpoint_type="SERVERLESS",
            cloud_run={"service": args.service_name},
            description="The API's Cloud Run service.",
            opts=child,
        )
        self.security_policy = compute.SecurityPolicy(
            f"{name}-cloudflare-only",
            project=args.project,
            type="CLOUD_ARMOR",
            description=(
                "Admit only Cloudflare's published ranges (as of "
                f"{args.cloudflare_ranges.as_of}); deny everything else."
            ),
            rules=_cloudflare_only_rules(args.cloudflare_ranges),
            opts=child,
        )
        backend = compute.BackendService(
            f"{name}-backend",
            project=args.project,
            load_balancing_scheme="EXTERNAL_MANAGED",
            protocol="HTTPS",
            backends=[{"group": endpoints.id}],
            security_policy=self.security_policy.id,
            log_config={"enable": True, "sample_rate": 1.0},
            description="The API, behind Cloud Armor.",
            opts=child,
        )
        url_map = compute.URLMap(
            f"{name}-urls",
            project=args.project,
            default_service=backend.id,
            description="Every path to the API.",
            opts=child,
        )
        certificate_map = self._certificate(name, args, child)
        ssl_policy = compute.SSLPolicy(
            f"{name}-tls",
            project=args.project,
            profile="RESTRICTED",
            min_tls_version="TLS_1_2",
            description="TLS 1.2 and up, restricted ciphers (CIS 3.9).",
            opts=child,
        )
        proxy = compute.TargetHttpsProxy(
            f"{name}-https",
            project=args.project,
            url_map=url_map.id,
            certificate_map=certificate_map.id.apply(
                lambda map_id: f"//certificatemanager.googleapis.com/{map_id}"
            ),
            ssl_policy=ssl_policy.id,
            description=f"TLS for {args.api_host}.",
            opts=child,
        )
        compute.GlobalForwardingRule(
            f"{name}-https-rule",
            project=args.project,
            target=proxy.id,
            ip_address=self.address.id,
            ip_protocol="TCP",
            port_range="443",
            load_balancing_scheme="EXTERNAL_MANAGED",
            labels=dict(args.labels),
            description="HTTPS only: Cloudflare redirects plain HTTP at the edge.",
            opts=child,
        )
        self.ip_address = self.address.address
        return {"ip_address": self.ip_address, "security_policy": self.security_policy.name}

    def _certificate(
        self, name: str, args: ApiIngressArgs, child: pulumi.ResourceOptions
    ) -> certificatemanager.CertificateMap:
        """The DNS-authorized certificate, in a map that serves it for the API's host."""
        authorization = certificatemanager.DnsAuthorization(
            f"{name}-dns-authorization",
            project=args.project,
            location="global",
            domain=args.api_host,
            description="Proves control of the API host by a CNAME, proxied or not.",
            labels=dict(args.labels),
            opts=child,
        )
        record = authorization.dns_resource_records[0]
        self.certificate_record = DnsRecordSpec(
            name=record.apply(lambda r: _unrooted(r.name or "")),
            type=record.apply(lambda r: r.type or "CNAME"),
            data=record.apply(lambda r: _unrooted(r.data or "")),
        )
        self.certificate = certificate = certificatemanager.Certificate(
            f"{name}-certificate",
            project=args.project,
            scope="DEFAULT",
            managed=certificatemanager.CertificateManagedArgs(
                domains=[args.api_host], dns_authorizations=[authorization.id]
            ),
            description=f"Google-managed certificate for {args.api_host}.",
            labels=dict(args.labels),
            opts=child,
        )
        certificate_map = certificatemanager.CertificateMap(
            f"{name}-certificates",
            project=args.project,
            description="The API's certificates by host.",
            labels=dict(args.labels),
            opts=child,
        )
        certificatemanager.CertificateMapEntry(
            f"{name}-certificate-entry",
            project=args.project,
            map=certificate_map.name,
            hostname=args.api_host,
            certificates=[certificate.id],
            labels=dict(args.labels),
            opts=child,
        )
        return certificate_map


def _cloudflare_only_rules(
    ranges: CloudflareRanges,
) -> list[compute.SecurityPolicyRuleArgsDict]:
    """Allow rules of at most ten ranges each, then the default rule: deny with 403."""
    everything = [*ranges.ipv4, *ranges.ipv6]
    chunks = [
        everything[start : start + RANGES_PER_RULE]
        for start in range(0, len(everything), RANGES_PER_RULE)
    ]
    rules: list[compute.SecurityPolicyRuleArgsDict] = [
        {
            "action": "allow",
            "priority": FIRST_ALLOW_PRIORITY + index,
            "description": f"Cloudflare ranges, part {index + 1} of {len(chunks)}",
            "match": {"versioned_expr": "SRC_IPS_V1", "config": {"src_ip_ranges": chunk}},
        }
        for index, chunk in enumerate(chunks)
    ]
    rules.append(
        {
            "action": "deny(403)",
            "priority": DEFAULT_RULE_PRIORITY,
            "description": "Default: deny anything that does not come through Cloudflare",
            "match": {"versioned_expr": "SRC_IPS_V1", "config": {"src_ip_ranges": ["*"]}},
        }
    )
    return rules


def _unrooted(dns_name: str) -> str:
    # Certificate Manager writes fully qualified names ("...goog."); Cloudflare takes them
    # without the root dot.
    return dns_name.removesuffix(".")

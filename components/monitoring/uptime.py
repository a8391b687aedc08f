"""Uptime checks of the public hosts over HTTPS, each with an alert when it fails."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pulumi_gcp import monitoring

from components.monitoring.alerts import AlertPolicies, aggregate
from components.monitoring.scope import Scope


@dataclass(frozen=True)
class UptimeTarget:
    """One public host to check over HTTPS."""

    host: str
    path: str = "/"
    # Extra status codes that still mean "up" (e.g. 401 from an access-protected admin panel).
    accepted_status_codes: tuple[int, ...] = ()


def uptime_checks(
    scope: Scope, targets: Mapping[str, UptimeTarget], alerts: AlertPolicies
) -> dict[str, monitoring.UptimeCheckConfig]:
    """A check per role from Google's checker locations, validating the certificate."""
    checks = {}
    for role, target in sorted(targets.items()):
        checks[role] = check = monitoring.UptimeCheckConfig(
            f"{scope.name}-uptime-{role}",
            project=scope.project,
            display_name=f"{scope.env} {role} https://{target.host}{target.path}",
            period="60s",
            timeout="10s",
            checker_type="STATIC_IP_CHECKERS",
            http_check=monitoring.UptimeCheckConfigHttpCheckArgs(
                path=target.path,
                port=443,
                request_method="GET",
                use_ssl=True,
                validate_ssl=True,
                accepted_response_status_codes=[
                    monitoring.UptimeCheckConfigHttpCheckAcceptedResponseStatusCodeArgs(
                        status_class="STATUS_CLASS_2XX"
                    ),
                    *(
                        monitoring.UptimeCheckConfigHttpCheckAcceptedResponseStatusCodeArgs(
                            status_value=code
                        )
                        for code in target.accepted_status_codes
                    ),
                ],
            ),
            monitored_resource=monitoring.UptimeCheckConfigMonitoredResourceArgs(
                type="uptime_url", labels={"host": target.host, "project_id": scope.project}
            ),
            user_labels=dict(scope.labels),
            opts=scope.child,
        )
        alerts.threshold(
            f"uptime-{role}",
            f"{scope.env}: {role} host https://{target.host} is down",
            check.uptime_check_id.apply(
                lambda check_id: (
                    'metric.type="monitoring.googleapis.com/uptime_check/check_passed" '
                    f'AND resource.type="uptime_url" AND metric.labels.check_id="{check_id}"'
                )
            ),
            # Down when more than one checker location's latest result is a failure.
            aggregation=aggregate(
                "ALIGN_NEXT_OLDER", "REDUCE_COUNT_FALSE", ["resource.label.host"], period="1200s"
            ),
            threshold=1,
            duration="60s",
            severity="CRITICAL",
            docs=(
                f"Uptime checks from several regions fail for https://{target.host}"
                f"{target.path}.\n\n1. Open the URL yourself; check TLS and the status code.\n"
                "2. Check the Vercel deployment (site/admin) or the Cloud Run service's "
                "revisions and logs (API), and Cloudflare's status for the zone.\n"
                "3. Roll back the last deployment if it coincides; tell the CTO if the site is "
                "still down 15 minutes after the page."
            ),
        )
    return checks

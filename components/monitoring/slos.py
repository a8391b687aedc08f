"""Service objectives, the way SREs set them: the API's SLOs, their burn-rate alerts, bookings.

- Availability: at most `errorRatePercent` of requests answered 5xx (0.1 %: a 99.9 % goal), and
  latency: 95 % of requests within `latencyP95Ms` (500 ms staging, 300 ms production), each over
  a rolling 28 days, measured on the API's Cloud Run requests.
- Burn-rate alerts (Google SRE workbook, "Alerting on SLOs"): a fast burn (14.4x the budget
  rate over an hour, confirmed over 5 minutes: 2 % of the month's budget in an hour) pages; a
  slow burn (6x over 6 hours, confirmed over 30 minutes: 5 % in six hours) warns. Both windows
  must agree, so a short spike does not page and a recovered service stops paging quickly. They
  sit beside the threshold alerts, which catch the symptom minutes earlier.
- Bookings: the share of started bookings that complete, from the API's structured logs
  (`jsonPayload.event` = `booking.started` / `booking.completed`), alerting below 95 % over an
  hour (the checklist's success criterion).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pulumi
from pulumi_gcp import logging as cloud_logging
from pulumi_gcp import monitoring

from components.monitoring import filters
from components.monitoring.alerts import AlertPolicies, aggregate
from components.monitoring.scope import Scope
from components.monitoring.severity import AlertSeverity
from settings.monitoring import AlertSettings

ROLLING_DAYS = 28
LATENCY_GOAL = 0.95  # p95
BOOKING_COMPLETION_FLOOR = 0.95


@dataclass(frozen=True)
class BurnRate:
    """Page (or warn) when the budget burns `factor` times too fast over both windows."""

    key: str
    factor: float
    long_window_s: int
    short_window_s: int
    severity: AlertSeverity


BURN_RATES: tuple[BurnRate, ...] = (
    BurnRate("fast-burn", 14.4, 3600, 300, "CRITICAL"),
    BurnRate("slow-burn", 6.0, 21600, 1800, "WARNING"),
)


def service_objectives(
    scope: Scope,
    alerts: AlertPolicies,
    thresholds: AlertSettings,
    api_service_name: pulumi.Input[str],
) -> dict[str, monitoring.Slo]:
    """The API as a Monitoring service, its two SLOs and their burn-rate alerts."""
    service = monitoring.CustomService(
        f"{scope.name}-api-service",
        project=scope.project,
        service_id=f"{scope.env}-api",
        display_name=f"My Hibachi API ({scope.env})",
        user_labels=dict(scope.labels),
        opts=scope.child,
    )
    name = pulumi.Output.from_input(api_service_name)
    availability_goal = round(1 - thresholds.error_rate_percent / 100, 6)
    slos = {
        "availability": monitoring.Slo(
            f"{scope.name}-slo-availability",
            project=scope.project,
            service=service.service_id,
            slo_id="availability",
            display_name=f"{availability_goal:.1%} of API requests succeed ({ROLLING_DAYS} days)",
            goal=availability_goal,
            rolling_period_days=ROLLING_DAYS,
            request_based_sli=monitoring.SloRequestBasedSliArgs(
                good_total_ratio=monitoring.SloRequestBasedSliGoodTotalRatioArgs(
                    bad_service_filter=name.apply(filters.api_5xx),
                    total_service_filter=name.apply(filters.api_requests),
                )
            ),
            user_labels=dict(scope.labels),
            opts=scope.child,
        ),
        "latency": monitoring.Slo(
            f"{scope.name}-slo-latency",
            project=scope.project,
            service=service.service_id,
            slo_id="latency",
            display_name=(
                f"{LATENCY_GOAL:.0%} of API requests within {thresholds.latency_p95_ms} ms "
                f"({ROLLING_DAYS} days)"
            ),
            goal=LATENCY_GOAL,
            rolling_period_days=ROLLING_DAYS,
            request_based_sli=monitoring.SloRequestBasedSliArgs(
                distribution_cut=monitoring.SloRequestBasedSliDistributionCutArgs(
                    distribution_filter=name.apply(filters.api_latency),
                    range=monitoring.SloRequestBasedSliDistributionCutRangeArgs(
                        max=thresholds.latency_p95_ms
                    ),
                )
            ),
            user_labels=dict(scope.labels),
            opts=scope.child,
        ),
    }
    for objective, slo in slos.items():
        for rate in BURN_RATES:
            _burn_rate_alert(alerts, objective, slo, rate)
    return slos


def _burn_rate_alert(
    alerts: AlertPolicies, objective: str, slo: monitoring.Slo, rate: BurnRate
) -> None:
    env = alerts.scope.env
    title = f"{env}: API {objective} SLO budget burning {rate.factor:g}x too fast"

    def over(window_s: int) -> monitoring.AlertPolicyConditionArgs:
        return monitoring.AlertPolicyConditionArgs(
            display_name=f"burn rate over {window_s // 60} min above {rate.factor:g}",
            condition_threshold=monitoring.AlertPolicyConditionConditionThresholdArgs(
                filter=slo.name.apply(
                    lambda slo_name: f'select_slo_burn_rate("{slo_name}", "{window_s}s")'
                ),
                comparison="COMPARISON_GT",
                threshold_value=rate.factor,
                duration="0s",
                trigger=monitoring.AlertPolicyConditionConditionThresholdTriggerArgs(count=1),
            ),
        )

    hours = rate.long_window_s / 3600
    alerts.policy(
        f"slo-{objective}-{rate.key}",
        title,
        [over(rate.long_window_s), over(rate.short_window_s)],
        (
            f"The API's {objective} error budget is being spent {rate.factor:g} times faster "
            f"than the {ROLLING_DAYS}-day objective allows, over the last {hours:g} h and the "
            "last minutes alike.\n\n1. Open the SLO in Monitoring > Services to see when the "
            "burn started.\n2. Follow the matching threshold alert's runbook (latency or 5xx "
            "rate); roll back a release that coincides.\n3. If the budget is exhausted, freeze "
            "feature releases until it recovers (docs/runbooks/rollback.md)."
        ),
        rate.severity,
        combiner="AND",
    )


def booking_completion(
    scope: Scope, alerts: AlertPolicies, api_service_name: pulumi.Input[str]
) -> dict[str, cloud_logging.Metric]:
    """Log-based counters of started and completed bookings, and the completion-rate alert."""
    service = pulumi.Output.from_input(api_service_name)
    metrics = {
        event: cloud_logging.Metric(
            f"{scope.name}-booking-{event}",
            project=scope.project,
            name=f"{scope.env}-booking-{event}",
            description=f"Bookings {event}, from the API's structured logs.",
            filter=service.apply(functools.partial(filters.booking_event, event=event)),
            metric_descriptor=cloud_logging.MetricMetricDescriptorArgs(
                metric_kind="DELTA", value_type="INT64", unit="1", display_name=f"bookings {event}"
            ),
            opts=scope.child,
        )
        for event in ("started", "completed")
    }

    def series(event: str) -> pulumi.Output[str]:
        return pulumi.Output.format(
            'metric.type="logging.googleapis.com/user/{0}" AND resource.type="cloud_run_revision"',
            metrics[event].name,
        )

    alerts.threshold(
        "booking-completion",
        f"{scope.env}: booking completion below {BOOKING_COMPLETION_FLOOR:.0%}",
        series("completed"),
        aggregation=aggregate("ALIGN_DELTA", "REDUCE_SUM", period="3600s"),
        denominator_filter=series("started"),
        threshold=BOOKING_COMPLETION_FLOOR,
        comparison="COMPARISON_LT",
        duration="0s",
        severity="ERROR",
        docs=(
            f"Fewer than {BOOKING_COMPLETION_FLOOR:.0%} of the bookings started in the last "
            "hour completed: a broken booking flow is a broken feature.\n\n1. Check the API's "
            "errors and latency alerts and Sentry for the booking and payment endpoints.\n"
            "2. Check Stripe's status and the payment webhooks.\n3. Escalate to the backend "
            "team."
        ),
        depends_on=list(metrics.values()),
    )
    return metrics

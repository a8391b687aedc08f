"""Monitoring: latency, error-rate, slow-query, uptime and CIS 2.x security-event alerts.

An alert condition is a `conditionThreshold` (or `conditionAbsent`) of an enabled alert policy.
Its Monitoring filter is read as the terms it requires (`helpers.required_terms`), and a
condition is an alert of a kind when those terms include `metric.type = <one of the kind's
metricTypes>` and every one of the kind's `requiredTerms`, both from the policy's config (the
error rate, a ratio, also needs a `denominatorFilter`). Its `thresholdValue` must then be within
the configured limit. A filter unknown during preview, or one that cannot be read with
certainty, might be the alert sought: the policy then cannot decide and reports nothing.

Public hosts are the stack's own (`myhibachi:domain` in the stack config). A security event needs
a log-based metric whose Logging filter names the event (the CIS benchmark's filter), and an
alert on that metric: `metric.type = "logging.googleapis.com/user/<the metric's name>"`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from pulumi_policy import (
    PolicyResource,
    ResourceValidationArgs,
    Severity,
    StackValidationArgs,
)

from .helpers import (
    STRING,
    STRING_LIST,
    FilterSyntaxError,
    Report,
    StackReport,
    Term,
    as_bool,
    as_number,
    as_str,
    cis,
    elements,
    fmt_number,
    get,
    is_unknown,
    label,
    of_type,
    param_number,
    param_str_map,
    param_strs,
    prop,
    required_terms,
    requires,
    resource_policy,
    schema,
    stack_policy,
    stack_setting,
)

ALERT_POLICY: Final = "gcp:monitoring/alertPolicy:AlertPolicy"
UPTIME_CHECK: Final = "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig"
LOG_METRIC: Final = "gcp:logging/metric:Metric"
# Cloud Logging's metric type for a user-defined log-based metric is this prefix plus its name.
USER_METRIC_PREFIX: Final = "logging.googleapis.com/user/"
PUBLIC_HOST_ROLES: Final = ("site", "admin", "api")
_TAGS: Final = ("gcp", "monitoring")


@dataclass(frozen=True)
class Condition:
    """A threshold condition: the terms its filter requires (None: unknown during preview or not
    readable with certainty), its threshold, and whether it has a denominator."""

    terms: tuple[Term, ...] | None
    threshold: float | None
    has_denominator: bool


def _terms(filter_text: str | None) -> tuple[Term, ...] | None:
    if filter_text is None:
        return None
    try:
        return required_terms(filter_text)
    except FilterSyntaxError:
        return None


def conditions(alert: PolicyResource) -> list[Condition]:
    """The conditions of an alert policy; none when the policy is disabled."""
    if as_bool(prop(alert.props, ALERT_POLICY, "enabled")) is False:
        return []
    result = []
    for condition in elements(get(alert.props, "conditions")):
        for kind in ("conditionThreshold", "conditionAbsent"):
            body = get(condition, kind)
            if not isinstance(body, Mapping):
                continue
            denominator = as_str(get(body, "denominatorFilter"))
            result.append(
                Condition(
                    terms=_terms(as_str(get(body, "filter"))),
                    threshold=as_number(get(body, "thresholdValue")),
                    has_denominator=bool(denominator and denominator.strip()),
                )
            )
    return result


def _all_conditions(args: StackValidationArgs) -> list[Condition]:
    return [c for alert in of_type(args.resources, ALERT_POLICY) for c in conditions(alert)]


def _any_unreadable(found: Sequence[Condition]) -> bool:
    return any(condition.terms is None for condition in found)


@dataclass(frozen=True)
class AlertKind:
    """What makes a condition an alert of one kind; the defaults are this program's alerts."""

    metric_types: tuple[str, ...]
    # Further `selector = value` terms the filter must require (config `requiredTerms`).
    terms: Mapping[str, str] = field(default_factory=dict)
    needs_denominator: bool = False

    def config_schema(self) -> dict[str, dict[str, Any]]:
        """The config properties that redefine the kind, defaulting to this one."""
        return {
            "metricTypes": {**STRING_LIST, "minItems": 1, "default": list(self.metric_types)},
            "requiredTerms": {
                "type": "object",
                "additionalProperties": STRING,
                "default": dict(self.terms),
            },
        }

    def configured(self, config: Any) -> AlertKind:
        """The kind as the policy config defines it."""
        return AlertKind(
            tuple(param_strs(config, "metricTypes", self.metric_types)),
            param_str_map(config, "requiredTerms", self.terms),
            self.needs_denominator,
        )

    def matches(self, condition: Condition) -> bool:
        """Whether the condition's filter requires one of the metric types and every term."""
        found = condition.terms
        if found is None or (self.needs_denominator and not condition.has_denominator):
            return False
        return any(requires(found, "metric.type", metric) for metric in self.metric_types) and all(
            requires(found, selector, value) for selector, value in self.terms.items()
        )


API_LATENCY: Final = AlertKind(("run.googleapis.com/request_latencies",))
API_ERROR_RATE: Final = AlertKind(
    ("run.googleapis.com/request_count",),
    {"metric.labels.response_code_class": "5xx"},
    needs_denominator=True,
)
SLOW_QUERIES: Final = AlertKind(
    tuple(
        f"cloudsql.googleapis.com/database/postgresql/insights/{scope}/latencies"
        for scope in ("aggregate", "perquery", "pertag")
    )
)
UPTIME: Final = AlertKind(("monitoring.googleapis.com/uptime_check/check_passed",))


def _threshold_alert_check(
    *,
    kind: AlertKind,
    limit: Callable[[Any], float | None],
    what: str,
    unit_text: Callable[[Any], str],
) -> Callable[[StackValidationArgs, StackReport], None]:
    """A stack check: some condition of the kind has a threshold at most the configured limit."""

    def check(args: StackValidationArgs, report: StackReport) -> None:
        config = args.get_config()
        maximum = limit(config)
        if maximum is None:
            args.not_applicable(f"no limit configured for the {what} alert")
            return
        configured = kind.configured(config)
        all_conditions = _all_conditions(args)
        found = [c for c in all_conditions if configured.matches(c)]
        if any(c.threshold is not None and c.threshold <= maximum for c in found):
            return
        if _any_unreadable(all_conditions) or any(c.threshold is None for c in found):
            return  # an unknown filter or threshold might be the one: cannot decide
        limit_text = unit_text(config)
        if found:
            report(f"The {what} alert's thresholdValue must be at most {limit_text}.", None)
        else:
            report(f"The stack must declare an alert policy on {what} ({limit_text}).", None)

    return check


def _latency_limit(config: Any) -> float | None:
    return param_number(config, "latencyP95Ms")


def _error_limit(config: Any) -> float | None:
    percent = param_number(config, "maxErrorRatePercent", 0.1)
    return None if percent is None else percent / 100


def _slow_query_limit(config: Any) -> float | None:
    ms = param_number(config, "slowQueryMs")
    return None if ms is None else ms * 1000


def _ms(key: str, default: float | None = None) -> Callable[[Any], str]:
    def text(config: Any) -> str:
        value = param_number(config, key, default)
        return f"{fmt_number(value)} ms" if value is not None else "the configured limit"

    return text


def _percent(config: Any) -> str:
    value = param_number(config, "maxErrorRatePercent", 0.1)
    return f"{fmt_number(value or 0.1)} % as a ratio ({fmt_number((value or 0.1) / 100)})"


def _check_uptime(args: StackValidationArgs, report: StackReport) -> None:
    hosts = [stack_setting(args, f"domain.{role}") for role in PUBLIC_HOST_ROLES]
    checked: set[str] = set()
    unknown_host = False
    for uptime in of_type(args.resources, UPTIME_CHECK):
        host = get(uptime.props, "monitoredResource.labels.host")
        if is_unknown(host):
            unknown_host = True
        elif isinstance(host, str):
            checked.add(host)
    if not unknown_host:
        for host in hosts:
            if host not in checked:
                report(
                    f"The stack must declare an uptime check with monitoredResource.labels.host "
                    f"= {host}.",
                    None,
                )
    conds = _all_conditions(args)
    kind = UPTIME.configured(args.get_config())
    if not any(kind.matches(c) for c in conds) and not _any_unreadable(conds):
        metrics = " or ".join(kind.metric_types)
        report(f"The stack must declare an alert policy on {metrics}.", None)


def _check_notification_channels(args: ResourceValidationArgs, report: Report) -> None:
    channels = get(args.props, "notificationChannels")
    if is_unknown(channels):
        return
    if not elements(channels):
        report(f"{label(args)}: notificationChannels must name at least one channel.")


def _check_uptime_tls(args: ResourceValidationArgs, report: Report) -> None:
    http = get(args.props, "httpCheck")
    if is_unknown(http):
        return
    for path in ("httpCheck.useSsl", "httpCheck.validateSsl"):
        if as_bool(prop(args.props, UPTIME_CHECK, path)) is False:
            report(f"{label(args)}: {path} must be true (absent means false).")


# --- CIS 2.x log-based metrics ------------------------------------------------------------------


@dataclass(frozen=True)
class SecurityEvent:
    policy: str
    reference: str
    what: str
    # Each inner tuple is "any of these"; the filter must satisfy every inner tuple.
    needles: tuple[tuple[str, ...], ...]


SECURITY_EVENTS: Final = (
    SecurityEvent(
        "gcp-logging-metric-project-ownership-changes",
        "2.4",
        "project ownership assignments or changes",
        (("SetIamPolicy",), ("roles/owner",)),
    ),
    SecurityEvent(
        "gcp-logging-metric-audit-config-changes",
        "2.5",
        "audit configuration changes",
        (("SetIamPolicy",), ("auditConfigDeltas",)),
    ),
    SecurityEvent(
        "gcp-logging-metric-custom-role-changes",
        "2.6",
        "custom role changes",
        (("iam_role",), ("CreateRole", "DeleteRole", "UpdateRole")),
    ),
    SecurityEvent(
        "gcp-logging-metric-sql-config-changes",
        "2.11",
        "Cloud SQL instance configuration changes",
        (("cloudsql.instances.update",),),
    ),
)


def _security_event_check(
    event: SecurityEvent,
) -> Callable[[StackValidationArgs, StackReport], None]:
    def check(args: StackValidationArgs, report: StackReport) -> None:
        metric_names: list[str] = []
        for metric in of_type(args.resources, LOG_METRIC):
            text = get(metric.props, "filter")
            name = get(metric.props, "name")
            if is_unknown(text) or is_unknown(name):
                return  # cannot decide during preview
            matches = isinstance(text, str) and all(
                any(n in text for n in any_of) for any_of in event.needles
            )
            if matches and isinstance(name, str) and name:
                metric_names.append(name)
        if not metric_names:
            report(
                f"The stack must declare a logging Metric whose filter matches {event.what} "
                f"(CIS GCP {event.reference}).",
                None,
            )
            return
        conds = _all_conditions(args)
        wanted = [USER_METRIC_PREFIX + name for name in metric_names]
        if any(c.terms and requires(c.terms, "metric.type", w) for w in wanted for c in conds):
            return
        if not _any_unreadable(conds):
            report(
                f"The stack must declare an alert policy whose filter references "
                f"{USER_METRIC_PREFIX}<the {event.what} metric's name>.",
                None,
            )

    return check


POLICIES: Final = [
    stack_policy(
        name="gcp-monitoring-alert-api-latency",
        description="The stack alerts on API latency (run.googleapis.com/request_latencies) at "
        "a threshold no higher than its p95 target latencyP95Ms (seed item 6).",
        check=_threshold_alert_check(
            kind=API_LATENCY,
            limit=_latency_limit,
            what="API latency",
            unit_text=_ms("latencyP95Ms"),
        ),
        severity=Severity.MEDIUM,
        remediation="Add an AlertPolicy condition on run.googleapis.com/request_latencies "
        "(ALIGN_PERCENTILE_95) with thresholdValue at most the target, in ms.",
        tags=[*_TAGS, "alerting"],
        config_schema=schema(
            {
                "latencyP95Ms": {"type": "number", "exclusiveMinimum": 0},
                **API_LATENCY.config_schema(),
            },
            required=["latencyP95Ms"],
        ),
    ),
    stack_policy(
        name="gcp-monitoring-alert-error-rate",
        description="The stack alerts on the API's 5xx ratio (run.googleapis.com/request_count, "
        "5xx over all, with a denominatorFilter) at maxErrorRatePercent or less (seed item 6).",
        check=_threshold_alert_check(
            kind=API_ERROR_RATE,
            limit=_error_limit,
            what="the API 5xx rate",
            unit_text=_percent,
        ),
        severity=Severity.MEDIUM,
        remediation="Add a ratio condition: filter on request_count with "
        'metric.labels.response_code_class="5xx", denominatorFilter on all request_count, '
        "thresholdValue as a ratio (0.001 = 0.1 %).",
        tags=[*_TAGS, "alerting"],
        config_schema=schema(
            {
                "maxErrorRatePercent": {"type": "number", "exclusiveMinimum": 0, "default": 0.1},
                **API_ERROR_RATE.config_schema(),
            }
        ),
    ),
    stack_policy(
        name="gcp-monitoring-alert-slow-queries",
        description="The stack alerts on slow database queries (Query Insights latencies) at "
        "slowQueryMs or less (seed item 9).",
        check=_threshold_alert_check(
            kind=SLOW_QUERIES,
            limit=_slow_query_limit,
            what="slow queries",
            unit_text=_ms("slowQueryMs"),
        ),
        severity=Severity.LOW,
        remediation="Add a condition on cloudsql.googleapis.com/database/postgresql/insights/"
        "aggregate/latencies with thresholdValue in microseconds (slowQueryMs x 1000).",
        tags=[*_TAGS, "alerting", "cloudsql"],
        config_schema=schema(
            {
                "slowQueryMs": {"type": "number", "exclusiveMinimum": 0},
                **SLOW_QUERIES.config_schema(),
            },
            required=["slowQueryMs"],
        ),
    ),
    stack_policy(
        name="gcp-monitoring-uptime-public-hosts",
        description="Every public host (stack config myhibachi:domain: site, admin, api) has an "
        "uptime check, and the stack alerts on uptime_check/check_passed (seed item 6).",
        check=_check_uptime,
        severity=Severity.MEDIUM,
        remediation="Add an UptimeCheckConfig per host (monitoredResource type uptime_url, "
        "labels.host) and an AlertPolicy on monitoring.googleapis.com/uptime_check/check_passed.",
        tags=[*_TAGS, "alerting", "uptime"],
        config_schema=schema(UPTIME.config_schema()),
    ),
    resource_policy(
        name="gcp-monitoring-alertpolicy-notification-channels",
        description="Every alert policy notifies at least one notification channel (seed item 6).",
        resource_types=[ALERT_POLICY],
        check=_check_notification_channels,
        severity=Severity.MEDIUM,
        remediation="Set notificationChannels to the stack's channels.",
        tags=[*_TAGS, "alerting"],
    ),
    resource_policy(
        name="gcp-monitoring-uptimecheck-validates-tls",
        description="Every uptime check probes over HTTPS and validates the certificate "
        "(seed item 6).",
        resource_types=[UPTIME_CHECK],
        check=_check_uptime_tls,
        severity=Severity.LOW,
        remediation="Set httpCheck.useSsl = true and httpCheck.validateSsl = true.",
        tags=[*_TAGS, "uptime", "encryption"],
    ),
    *[
        stack_policy(
            name=event.policy,
            description=f"The stack has a log-based metric and an alert for {event.what} "
            f"(CIS GCP {event.reference}).",
            check=_security_event_check(event),
            severity=Severity.MEDIUM,
            remediation="Add a logging Metric whose filter matches the event and an AlertPolicy "
            "with a condition on logging.googleapis.com/user/<metric name>.",
            tags=[*_TAGS, "logging", "security-events"],
            framework=cis(event.reference),
        )
        for event in SECURITY_EVENTS
    ],
]

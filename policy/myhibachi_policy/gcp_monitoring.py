"""Monitoring: latency, error-rate, slow-query, uptime and CIS 2.x security-event alerts;
severities, and paging for what is critical.

An alert condition is a `conditionThreshold` (or `conditionAbsent`) of an alert policy. Its
Monitoring filter is read as the terms it requires (`helpers.required_terms`), and a condition is
an alert of a kind when those terms include `metric.type = <one of the kind's metricTypes>` and
every one of the kind's `requiredTerms`, both from the policy's config (the error rate, a ratio,
also needs a `denominatorFilter`). Such an alert counts only when its policy is enabled, is
routed to a notification channel the stack declares, and its `thresholdValue` is within the
configured floor.

Public hosts are the stack's own (`myhibachi:domain` in the stack config). A security event needs
a log-based metric whose Logging query matches the event, judged by evaluating the query
(`helpers.matches`) on sample audit-log entries of the event, and on the same entries with one
required field changed (the query must not match those: the field is required, not negated or
OR-ed away); and an enabled, routed alert on that metric:
`metric.type = "logging.googleapis.com/user/<the metric's name>"`.

Severities: every alert policy carries one (CRITICAL, ERROR, WARNING: the escalation table's
production down, feature broken, performance), and where the config asks for paging, every
enabled CRITICAL alert notifies a paging channel the stack declares (a channel of one of
`pagingChannelTypes`, not disabled), at least one CRITICAL alert exists, and alerts on what means
production is down (`criticalMetricTypes`: the uptime checks) are CRITICAL, so no downgrade of
their severity stops the page.

Every stack policy here decides on the known resources first: a known alert (or metric) that
satisfies the rule passes it; a known candidate that falls short is reported even when other
values are unknown; otherwise an unknown value that might satisfy the rule makes the policy not
applicable, naming the resource.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from pulumi_policy import (
    PolicyResource,
    ResourceValidationArgs,
    StackValidationArgs,
    StackValidationPolicy,
)

from .helpers import (
    MISSING,
    STRING,
    STRING_LIST,
    FilterSyntaxError,
    Report,
    StackReport,
    Term,
    Undecided,
    UnsupportedQueryError,
    as_bool,
    as_number,
    as_str,
    duration_seconds,
    elements,
    fmt_number,
    get,
    is_unknown,
    label,
    matches,
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
    unknown,
)

ALERT_POLICY: Final = "gcp:monitoring/alertPolicy:AlertPolicy"
NOTIFICATION_CHANNEL: Final = "gcp:monitoring/notificationChannel:NotificationChannel"
UPTIME_CHECK: Final = "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig"
LOG_METRIC: Final = "gcp:logging/metric:Metric"
# Cloud Logging's metric type for a user-defined log-based metric is this prefix plus its name.
USER_METRIC_PREFIX: Final = "logging.googleapis.com/user/"
PUBLIC_HOST_ROLES: Final = ("site", "admin", "api")


@dataclass(frozen=True)
class Condition:
    """A threshold condition: the terms its filter requires (None: unknown during preview or not
    readable with certainty), its threshold, and whether it has a denominator."""

    terms: tuple[Term, ...] | None
    threshold: float | None
    has_denominator: bool
    unreadable: str = ""
    """Why `terms` is None: "unknown" or "unreadable"."""
    body: Any = None
    """The `conditionThreshold` (or `conditionAbsent`) itself, for what makes it fire."""


def _condition(body: Any) -> Condition:
    text = get(body, "filter")
    denominator = as_str(get(body, "denominatorFilter"))
    terms: tuple[Term, ...] | None = None
    unreadable = ""
    if is_unknown(text):
        unreadable = "unknown"
    else:
        try:
            terms = required_terms(as_str(text) or "")
        except FilterSyntaxError:
            unreadable = "unreadable"
    return Condition(
        terms=terms,
        threshold=as_number(get(body, "thresholdValue")),
        has_denominator=bool(denominator and denominator.strip()),
        unreadable=unreadable,
        body=body,
    )


def all_conditions(alert: PolicyResource) -> list[Condition]:
    """Every threshold or absence condition of an alert policy, enabled or not."""
    result = []
    for condition in elements(get(alert.props, "conditions")):
        for kind in ("conditionThreshold", "conditionAbsent"):
            body = get(condition, kind)
            if isinstance(body, Mapping):
                result.append(_condition(body))
    return result


def conditions(alert: PolicyResource) -> list[Condition]:
    """The conditions of an alert policy; none when the policy is disabled."""
    if as_bool(prop(alert.props, ALERT_POLICY, "enabled")) is False:
        return []
    return all_conditions(alert)


# --- Routing: an alert notifies a channel the stack declares ---------------------------------


def routed(alert: PolicyResource, channels: Sequence[PolicyResource]) -> bool | None:
    """Whether the alert notifies a notification channel of this stack (None: unknown).

    A channel the stack creates has no known name during preview, so an alert that depends on a
    channel of the stack (through `notificationChannels`, or any input when the engine gives no
    per-property dependencies) routes to it; a known name that is a stack channel's `name`
    counts too. A known list naming only channels outside the stack does not.
    """
    listed = get(alert.props, "notificationChannels")
    if not is_unknown(listed) and not elements(listed):
        return False
    declared = {channel.urn for channel in channels}
    by_property = (alert.property_dependencies or {}).get("notificationChannels")
    dependencies = by_property if by_property is not None else (alert.dependencies or [])
    if any(getattr(dependency, "urn", None) in declared for dependency in dependencies):
        return True
    if is_unknown(listed):
        return None
    names = {as_str(get(channel.props, "name")) for channel in channels} - {None}
    items = elements(listed)
    if any(as_str(item) in names for item in items):
        return True
    return None if any(is_unknown(item) for item in items) else False


def notified_channels(
    alert: PolicyResource, channels: Sequence[PolicyResource]
) -> tuple[list[PolicyResource], bool]:
    """The stack's channels an alert notifies, and whether that list is certain.

    Per-property dependencies on `notificationChannels` are exact. Without them (the engine gave
    only the alert's dependencies), a channel the alert depends on counts, and the list is
    certain only when the alert lists at least as many channels as it depends on: an extra
    dependency on a channel it does not list could otherwise pass for one it notifies.
    """
    declared = {channel.urn: channel for channel in channels}
    by_property = (alert.property_dependencies or {}).get("notificationChannels")
    dependencies = by_property if by_property is not None else (alert.dependencies or [])
    found: dict[str, PolicyResource] = {}
    for dependency in dependencies:
        urn = getattr(dependency, "urn", None)
        if urn in declared:
            found[urn] = declared[urn]
    listed = get(alert.props, "notificationChannels")
    items = [] if is_unknown(listed) else elements(listed)
    by_name = {as_str(get(c.props, "name")): c for c in channels}
    for item in items:
        channel = by_name.get(as_str(item)) if as_str(item) else None
        if channel is not None:
            found[channel.urn] = channel
    certain = by_property is not None or (
        not is_unknown(listed)
        and not any(is_unknown(item) for item in items)
        and len(found) <= len(items)
    )
    return list(found.values()), certain


def pages(
    alert: PolicyResource, channels: Sequence[PolicyResource], paging_types: frozenset[str]
) -> bool | None:
    """Whether the alert notifies an enabled paging channel of the stack (None: cannot tell)."""
    listed = get(alert.props, "notificationChannels")
    if not is_unknown(listed) and not elements(listed):
        return False
    notified, certain = notified_channels(alert, channels)
    open_question = is_unknown(listed) and not notified
    paging = False
    for channel in notified:
        kind, enabled = get(channel.props, "type"), get(channel.props, "enabled")
        if is_unknown(kind) or is_unknown(enabled):
            open_question = True
        elif as_str(kind) in paging_types and as_bool(enabled, True) is not False:
            paging = True
    if paging:
        return True if certain else None
    return None if open_question else False


# --- Threshold alerts ------------------------------------------------------------------------


@dataclass(frozen=True)
class AlertKind:
    """What makes a condition an alert of one kind; the defaults are this program's alerts."""

    metric_types: tuple[str, ...]
    # Further `selector = value` terms the filter must require (config `requiredTerms`).
    terms: Mapping[str, str] = field(default_factory=dict)
    needs_denominator: bool = False
    # What makes such an alert fire when the target is exceeded (`fires`): the per-series
    # aligners and cross-series reducers that keep the measure (empty: not judged), and whether
    # the filter (and denominator) must name the stack's own Cloud Run service.
    aligners: tuple[str, ...] = ()
    reducers: tuple[str, ...] = ()
    on_service: bool = False

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
            self.aligners,
            self.reducers,
            self.on_service,
        )

    def matches(self, condition: Condition) -> bool:
        """Whether the condition's filter requires one of the metric types and every term."""
        found = condition.terms
        if found is None or (self.needs_denominator and not condition.has_denominator):
            return False
        return any(requires(found, "metric.type", metric) for metric in self.metric_types) and all(
            requires(found, selector, value) for selector, value in self.terms.items()
        )


# A percentile target is watched at that percentile or a stricter one; across series, the worst
# (or a percentile as strict), never a mean or minimum that hides one slow revision.
_P95_OR_STRICTER: Final = ("ALIGN_PERCENTILE_95", "ALIGN_PERCENTILE_99")
_WORST_SERIES: Final = (
    "REDUCE_NONE",
    "REDUCE_MAX",
    "REDUCE_PERCENTILE_95",
    "REDUCE_PERCENTILE_99",
)
API_LATENCY: Final = AlertKind(
    ("run.googleapis.com/request_latencies",),
    aligners=_P95_OR_STRICTER,
    reducers=_WORST_SERIES,
    on_service=True,
)
API_ERROR_RATE: Final = AlertKind(
    ("run.googleapis.com/request_count",),
    {"metric.labels.response_code_class": "5xx"},
    needs_denominator=True,
    # A ratio of counts: both sides counted alike (`fires` checks they are aggregated the same).
    aligners=("ALIGN_RATE", "ALIGN_DELTA"),
    reducers=("REDUCE_SUM",),
    on_service=True,
)
SLOW_QUERIES: Final = AlertKind(
    tuple(
        f"cloudsql.googleapis.com/database/postgresql/insights/{scope}/latencies"
        for scope in ("aggregate", "perquery", "pertag")
    ),
    aligners=_P95_OR_STRICTER,
    reducers=_WORST_SERIES,
)
UPTIME: Final = AlertKind(("monitoring.googleapis.com/uptime_check/check_passed",))


@dataclass
class AlertSearch:
    """Alerts of one kind in a stack, judged on what is known: `satisfied` when one passes,
    `shortfalls` of the known candidates that do not, and what is `undecided`."""

    satisfied: bool = False
    shortfalls: list[str] = field(default_factory=list)
    undecided: Undecided = field(default_factory=Undecided)


Judge = Callable[[str, Condition], tuple[list[str], list[str]]]
"""What keeps a condition from firing: (problems, open questions) for the alert's label."""


def _judge_condition(
    name: str,
    condition: Condition,
    threshold_ok: Callable[[float], bool] | None,
    threshold_text: str,
    fires: Judge | None,
) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    questions: list[str] = []
    if threshold_ok is not None:
        if condition.threshold is None:
            questions.append(unknown(name, "thresholdValue"))
        elif not threshold_ok(condition.threshold):
            problems.append(f"thresholdValue must be at most {threshold_text}")
    if fires is not None:
        more_problems, more_questions = fires(name, condition)
        problems += more_problems
        questions += more_questions
    return problems, questions


def _combined(alert: PolicyResource, name: str) -> bool | None:
    """Whether any one condition firing fires the policy (None: unknown)."""
    if len(all_conditions(alert)) <= 1:
        return True
    combiner = get(alert.props, "combiner")
    if is_unknown(combiner):
        return None
    return as_str(combiner) == "OR"


def find_alerts(
    args: StackValidationArgs,
    is_kind: Callable[[Condition], bool],
    what: str,
    threshold_ok: Callable[[float], bool] | None = None,
    threshold_text: str = "",
    *,
    fires: Judge | None = None,
) -> AlertSearch:
    """Look for an enabled alert, routed to a stack channel, whose condition is of the kind,
    (with `threshold_ok`) within the floor and (with `fires`) fires when it is exceeded."""
    search = AlertSearch()
    channels = of_type(args.resources, NOTIFICATION_CHANNEL)
    for alert in of_type(args.resources, ALERT_POLICY):
        name = label(alert)
        candidates = []
        for condition in all_conditions(alert):
            if condition.terms is None:
                why = (
                    "is unknown until the update runs"
                    if condition.unreadable == "unknown"
                    else ("cannot be read with certainty")
                )
                search.undecided.add(f"{name}: a condition's filter {why}")
            elif is_kind(condition):
                candidates.append(condition)
        if not candidates:
            continue
        problems: list[str] = []
        open_questions: list[str] = []
        enabled = as_bool(prop(alert.props, ALERT_POLICY, "enabled"))
        if enabled is False:
            problems.append("enabled must be true")
        elif enabled is None:
            open_questions.append(unknown(name, "enabled"))
        route = routed(alert, channels)
        if route is False:
            problems.append("notificationChannels must name a channel the stack declares")
        elif route is None:
            open_questions.append(unknown(name, "notificationChannels"))
        if threshold_ok is not None or fires is not None:
            verdicts = [
                _judge_condition(name, c, threshold_ok, threshold_text, fires) for c in candidates
            ]
            if any(not p and not q for p, q in verdicts):
                pass
            elif any(not p for p, _ in verdicts):
                open_questions.extend(q for p, qs in verdicts if not p for q in qs)
            else:
                problems.extend(verdicts[0][0])
        if fires is not None:
            combined = _combined(alert, name)
            if combined is False:
                problems.append("combiner must be OR when the policy has several conditions")
            elif combined is None:
                open_questions.append(unknown(name, "combiner"))
        if problems:
            search.shortfalls.append(f"{name} (the {what} alert): {'; '.join(problems)}.")
        elif open_questions:
            for question in open_questions:
                search.undecided.add(question)
        else:
            search.satisfied = True
    return search


# --- What makes a threshold alert fire ---------------------------------------------------------

DEFAULT_MAX_DURATION_SECONDS: Final = 300.0
_FIRING_SCHEMA: Final[dict[str, Any]] = {
    "maxDurationSeconds": {
        "type": "number",
        "minimum": 0,
        "default": DEFAULT_MAX_DURATION_SECONDS,
    }
}
_FIRING_COMPARISONS: Final = ("COMPARISON_GT", "COMPARISON_GE")
CLOUD_RUN_SERVICES: Final = ("gcp:cloudrunv2/service:Service", "gcp:cloudrun/service:Service")
SERVICE_SELECTOR: Final = "resource.labels.service_name"


def _service_names(args: StackValidationArgs) -> tuple[set[str], bool]:
    """The names of the stack's Cloud Run services, and whether some name is unknown."""
    names: set[str] = set()
    undecided = False
    for service in of_type(args.resources, *CLOUD_RUN_SERVICES):
        name = get(service.props, "name")
        if is_unknown(name):
            undecided = True
        elif isinstance(name, str) and name:
            names.add(name)
    return names, undecided


@dataclass(frozen=True)
class FiringCheck:
    """Whether a threshold condition of the kind fires when the target is exceeded: above it
    (COMPARISON_GT or GE), within `max_duration` seconds, on the first series that breaches
    (trigger count 1), measured with the kind's aligners and reducers, and (for the API's
    alerts) on the stack's own Cloud Run service."""

    kind: AlertKind
    services: tuple[set[str], bool]
    max_duration: float

    def judge(self, name: str, condition: Condition) -> tuple[list[str], list[str]]:
        problems: list[str] = []
        questions: list[str] = []
        body = condition.body
        for check in (self._comparison, self._duration, self._trigger, self._aggregations):
            check(name, body, problems, questions)
        if self.kind.on_service:
            self._service(name, condition, problems, questions)
        return problems, questions

    def _comparison(self, name: str, body: Any, problems: list[str], questions: list[str]) -> None:
        comparison = get(body, "comparison")
        if is_unknown(comparison):
            questions.append(unknown(name, "comparison"))
        elif as_str(comparison) not in _FIRING_COMPARISONS:
            problems.append(
                "comparison must be COMPARISON_GT or COMPARISON_GE (it fires above the target)"
            )

    def _duration(self, name: str, body: Any, problems: list[str], questions: list[str]) -> None:
        duration = get(body, "duration")
        if is_unknown(duration):
            questions.append(unknown(name, "duration"))
            return
        seconds = 0.0 if duration is MISSING else duration_seconds(as_str(duration))
        if seconds is None:
            questions.append(f"{name}: duration is not a duration in seconds")
        elif seconds > self.max_duration:
            problems.append(f"duration must be at most {fmt_number(self.max_duration)}s")

    def _trigger(self, name: str, body: Any, problems: list[str], questions: list[str]) -> None:
        count, percent = get(body, "trigger.count"), get(body, "trigger.percent")
        if is_unknown(count) or is_unknown(percent):
            questions.append(unknown(name, "trigger"))
            return
        if percent is not MISSING and percent is not None:
            problems.append("trigger must be a count of 1, not a percent of the series")
        elif count is not MISSING and count is not None and as_number(count) != 1:
            problems.append("trigger.count must be 1 (absent means 1)")

    def _aggregations(
        self, name: str, body: Any, problems: list[str], questions: list[str]
    ) -> None:
        if not self.kind.aligners:
            return
        sides = ["aggregations"]
        if self.kind.needs_denominator:
            sides.append("denominatorAggregations")
        read: list[list[tuple[str | None, str | None]]] = []
        for side in sides:
            listed = get(body, side)
            items = [] if is_unknown(listed) else elements(listed)
            if is_unknown(listed) or any(is_unknown(item) for item in items):
                questions.append(unknown(name, side))
                return
            steps = []
            for index, item in enumerate(items):
                aligner = get(item, "perSeriesAligner")
                reducer = get(item, "crossSeriesReducer")
                if is_unknown(aligner) or is_unknown(reducer):
                    questions.append(unknown(name, f"{side}[{index}]"))
                    return
                steps.append((as_str(aligner), as_str(reducer)))
            if not steps or any(a not in self.kind.aligners for a, _ in steps):
                problems.append(
                    f"{side} must align each series with {' or '.join(self.kind.aligners)}"
                )
            if any(r is not None and r not in self.kind.reducers for _, r in steps):
                problems.append(
                    f"{side} may reduce across series only with {', '.join(self.kind.reducers)}"
                )
            read.append(steps)
        if len(read) == 2 and read[0] != read[1]:
            problems.append("denominatorAggregations must aggregate as aggregations do")

    def _service(
        self, name: str, condition: Condition, problems: list[str], questions: list[str]
    ) -> None:
        names, undecided = self.services
        filters = [("filter", condition.terms)]
        if self.kind.needs_denominator:
            text = get(condition.body, "denominatorFilter")
            if is_unknown(text):
                questions.append(unknown(name, "denominatorFilter"))
                return
            try:
                filters.append(("denominatorFilter", required_terms(as_str(text) or "")))
            except FilterSyntaxError:
                questions.append(f"{name}: denominatorFilter cannot be read with certainty")
                return
        for path, terms in filters:
            on = {
                t.value
                for t in terms or ()
                if t.selector == SERVICE_SELECTOR and t.operator == "=" and t.literal
            }
            if on & names:
                if path == "denominatorFilter" and not any(
                    requires(terms or (), "metric.type", m) for m in self.kind.metric_types
                ):
                    problems.append(
                        f"denominatorFilter must require metric.type = {self.kind.metric_types[0]}"
                    )
                continue
            if undecided:
                questions.append(unknown(name, "the name of the stack's Cloud Run service"))
            elif not names:
                problems.append(f"{path} must watch the stack's Cloud Run service; it has none")
            else:
                problems.append(
                    f"{path} must require {SERVICE_SELECTOR} = "
                    f"{' or '.join(sorted(names))} (the stack's own service)"
                )


def _threshold_alert_policy(
    name: str,
    kind: AlertKind,
    what: str,
    *,
    limit: Callable[[Any], float | None],
    unit_text: Callable[[Any], str],
    limit_schema: Mapping[str, Mapping[str, Any]],
    required: Sequence[str] = (),
) -> StackValidationPolicy:
    """A stack policy: an enabled, routed alert of the kind with a threshold within the limit,
    configured with the limit's parameter (`limit_schema`) and what counts as the kind."""
    return stack_policy(
        name=name,
        check=_threshold_alert_check(kind, limit, what, unit_text),
        config_schema=schema(
            {**limit_schema, **_FIRING_SCHEMA, **kind.config_schema()}, required=required
        ),
    )


def _threshold_alert_check(
    kind: AlertKind,
    limit: Callable[[Any], float | None],
    what: str,
    unit_text: Callable[[Any], str],
) -> Callable[[StackValidationArgs, StackReport], None]:
    """A stack check: an enabled, routed alert of the kind with a threshold within the limit."""

    def check(args: StackValidationArgs, report: StackReport) -> None:
        config = args.get_config()
        maximum = limit(config)
        if maximum is None:
            args.not_applicable(f"no limit configured for the {what} alert")
            return
        configured = kind.configured(config)
        max_duration = param_number(config, "maxDurationSeconds", DEFAULT_MAX_DURATION_SECONDS)
        fires = FiringCheck(
            configured,
            _service_names(args) if configured.on_service else (set(), False),
            DEFAULT_MAX_DURATION_SECONDS if max_duration is None else max_duration,
        )
        search = find_alerts(
            args,
            configured.matches,
            what,
            lambda value: value <= maximum,
            unit_text(config),
            fires=fires.judge,
        )
        if search.satisfied:
            return
        for shortfall in search.shortfalls:
            report(shortfall, None)
        if search.shortfalls:
            return
        search.undecided.settle(args, f"the {what} alert")
        report(
            f"The stack must declare an enabled alert policy on {what} ({unit_text(config)}), "
            "routed to a notification channel it declares.",
            None,
        )

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


# --- Uptime ----------------------------------------------------------------------------------


def _check_uptime(args: StackValidationArgs, report: StackReport) -> None:
    hosts = [stack_setting(args, f"domain.{role}") for role in PUBLIC_HOST_ROLES]
    checked: set[str] = set()
    undecided = Undecided()
    for uptime in of_type(args.resources, UPTIME_CHECK):
        host = get(uptime.props, "monitoredResource.labels.host")
        if is_unknown(host):
            undecided.add(unknown(label(uptime), "monitoredResource.labels.host"))
        elif isinstance(host, str):
            checked.add(host.strip().lower().rstrip("."))
    missing = [host for host in hosts if host.lower() not in checked]
    kind = UPTIME.configured(args.get_config())
    search = find_alerts(args, kind.matches, "uptime")
    for shortfall in search.shortfalls if not search.satisfied else []:
        report(shortfall, None)
    if undecided and missing:
        undecided.settle(args, f"an uptime check for {', '.join(missing)}")
    for host in missing:
        report(
            f"The stack must declare an uptime check with monitoredResource.labels.host = {host}.",
            None,
        )
    if search.satisfied or search.shortfalls:
        return
    search.undecided.settle(args, "the uptime alert")
    metrics = " or ".join(kind.metric_types)
    report(
        f"The stack must declare an enabled alert policy on {metrics}, routed to a notification "
        "channel it declares.",
        None,
    )


# --- Severity and paging --------------------------------------------------------------------

SEVERITIES: Final = ("CRITICAL", "ERROR", "WARNING")
PAGING_CHANNEL_TYPES: Final = (
    "sms",
    "pagerduty",
    "slack",
    "webhook_tokenauth",
    "webhook_basicauth",
)
CRITICAL_METRIC_TYPES: Final = ("monitoring.googleapis.com/uptime_check/check_passed",)


def _check_severity(args: ResourceValidationArgs, report: Report) -> None:
    value = get(args.props, "severity")
    if is_unknown(value):
        args.not_applicable(unknown(label(args), "severity"))
    if as_str(value) not in SEVERITIES:
        report(
            f"{label(args)}: severity must be one of {', '.join(SEVERITIES)} (absent means "
            "none: who is notified, and how fast they respond, follows the severity)."
        )


def _check_critical_pages(args: StackValidationArgs, report: StackReport) -> None:
    config = args.get_config()
    paging_types = frozenset(param_strs(config, "pagingChannelTypes", PAGING_CHANNEL_TYPES))
    critical_metrics = param_strs(config, "criticalMetricTypes", CRITICAL_METRIC_TYPES)
    channels = of_type(args.resources, NOTIFICATION_CHANNEL)
    types_text = ", ".join(sorted(paging_types))
    undecided = Undecided()
    reported, paged = False, False
    for alert in of_type(args.resources, ALERT_POLICY):
        name = label(alert)
        enabled = as_bool(prop(alert.props, ALERT_POLICY, "enabled"))
        if enabled is False:
            continue
        severity = get(alert.props, "severity")
        if enabled is None or is_unknown(severity):
            undecided.add(unknown(name, "enabled" if enabled is None else "severity"))
            continue
        if as_str(severity) != "CRITICAL":
            conditions = all_conditions(alert)
            watched = [
                metric
                for metric in critical_metrics
                for condition in conditions
                if condition.terms is not None and requires(condition.terms, "metric.type", metric)
            ]
            if watched:
                reported = True
                report(
                    f"{name}: severity must be CRITICAL: it alerts on {watched[0]} (production "
                    "down), which pages.",
                    alert.urn,
                )
            elif any(condition.terms is None for condition in conditions):
                undecided.add(
                    f"{name}: a condition's filter cannot be read, and the alert is not CRITICAL"
                )
            continue
        verdict = pages(alert, channels, paging_types)
        if verdict:
            paged = True
        elif verdict is False:
            reported = True
            report(
                f"{name}: a CRITICAL alert must notify a paging channel the stack declares "
                f"(type {types_text}, not disabled); it notifies none.",
                alert.urn,
            )
        else:
            undecided.add(f"{name}: which channels it notifies, or their types, is unknown")
    if reported:
        return
    undecided.settle(args, "that critical alerts page")
    if not paged:
        report(
            "The stack must declare an enabled CRITICAL alert policy (production down) that "
            f"notifies a paging channel it declares (type {types_text}).",
            None,
        )


def _check_notification_channels(args: ResourceValidationArgs, report: Report) -> None:
    channels = get(args.props, "notificationChannels")
    if is_unknown(channels):
        args.not_applicable(unknown(label(args), "notificationChannels"))
        return
    if not elements(channels):
        report(f"{label(args)}: notificationChannels must name at least one channel.")


def _check_uptime_tls(args: ResourceValidationArgs, report: Report) -> None:
    http = get(args.props, "httpCheck")
    if is_unknown(http):
        args.not_applicable(unknown(label(args), "httpCheck"))
        return
    for path in ("httpCheck.useSsl", "httpCheck.validateSsl"):
        value = prop(args.props, UPTIME_CHECK, path)
        if is_unknown(value):
            args.not_applicable(unknown(label(args), path))
        if as_bool(value) is False:
            report(f"{label(args)}: {path} must be true (absent means false).")


# --- CIS 2.x log-based metrics ------------------------------------------------------------------

LogEntry = Mapping[str, Any]


def _audit_entry(
    service: str, method: str, resource_type: str, service_data: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """An Admin Activity audit-log entry as Cloud Logging stores it."""
    payload: dict[str, Any] = {
        "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
        "serviceName": service,
        "methodName": method,
        "authenticationInfo": {"principalEmail": "someone@example.com"},
    }
    if service_data is not None:
        payload["serviceData"] = service_data
    return {
        "logName": "projects/p/logs/cloudaudit.googleapis.com%2Factivity",
        "resource": {"type": resource_type, "labels": {"project_id": "p"}},
        "severity": "NOTICE",
        "protoPayload": payload,
    }


def _binding_delta(action: str, role: str) -> dict[str, Any]:
    return {
        "policyDelta": {"bindingDeltas": [{"action": action, "role": role, "member": "user:x"}]}
    }


@dataclass(frozen=True)
class SecurityEvent:
    """A CIS 2.x event: sample log entries of it, and the fields a metric must require.

    `required` lists (field path, another value, what the field is): each sample with that field
    changed (None: removed) is not the event, so the metric's query must not match it.
    """

    policy: str
    reference: str
    what: str
    entries: tuple[LogEntry, ...]
    required: tuple[tuple[str, str | None, str], ...]

    def variants(self) -> list[tuple[str, LogEntry]]:
        """(what was changed, entry) for each sample and required field."""
        result: list[tuple[str, LogEntry]] = []
        for entry in self.entries:
            for path, other, what in self.required:
                result.append((what, _with_field(entry, path.split("."), other)))
        return result


def _with_field(entry: LogEntry, path: list[str], value: str | None) -> dict[str, Any]:
    result: dict[str, Any] = copy.deepcopy(dict(entry))

    def walk(node: Any, keys: list[str]) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, keys)
        elif isinstance(node, dict) and keys[0] in node:
            if len(keys) > 1:
                walk(node[keys[0]], keys[1:])
            elif value is None:
                del node[keys[0]]
            else:
                node[keys[0]] = value

    walk(result, path)
    return result


_METHOD = "protoPayload.methodName"
_CRM = "cloudresourcemanager.googleapis.com"
_COMPUTE = "compute.googleapis.com"
_IAM_ROLE_METHODS = ("CreateRole", "DeleteRole", "UpdateRole")
SECURITY_EVENTS: Final = (
    SecurityEvent(
        "gcp-logging-metric-project-ownership-changes",
        "2.4",
        "project ownership assignments or changes",
        tuple(
            _audit_entry(_CRM, "SetIamPolicy", "project", _binding_delta(action, "roles/owner"))
            for action in ("ADD", "REMOVE")
        ),
        (
            (_METHOD, "GetIamPolicy", "the method (SetIamPolicy)"),
            (
                "protoPayload.serviceData.policyDelta.bindingDeltas.role",
                "roles/viewer",
                "the role (roles/owner)",
            ),
        ),
    ),
    SecurityEvent(
        "gcp-logging-metric-audit-config-changes",
        "2.5",
        "audit configuration changes",
        (
            _audit_entry(
                _CRM,
                "SetIamPolicy",
                "project",
                {
                    "policyDelta": {
                        "auditConfigDeltas": [
                            {"action": "REMOVE", "service": "allServices", "logType": "DATA_READ"}
                        ]
                    }
                },
            ),
        ),
        (
            (_METHOD, "GetIamPolicy", "the method (SetIamPolicy)"),
            (
                "protoPayload.serviceData.policyDelta.auditConfigDeltas",
                None,
                "the audit config change (auditConfigDeltas)",
            ),
        ),
    ),
    SecurityEvent(
        "gcp-logging-metric-custom-role-changes",
        "2.6",
        "custom role changes",
        tuple(
            _audit_entry("iam.googleapis.com", f"google.iam.admin.v1.{method}", "iam_role")
            for method in _IAM_ROLE_METHODS
        ),
        (
            ("resource.type", "service_account", "the resource type (iam_role)"),
            (
                _METHOD,
                "google.iam.admin.v1.GetRole",
                "the method (CreateRole, DeleteRole, UpdateRole)",
            ),
        ),
    ),
    SecurityEvent(
        "gcp-logging-metric-firewall-rule-changes",
        "2.7",
        "VPC firewall rule changes",
        tuple(
            _audit_entry(_COMPUTE, f"v1.compute.firewalls.{verb}", "gce_firewall_rule")
            for verb in ("insert", "patch", "delete")
        ),
        (
            ("resource.type", "gce_instance", "the resource type (gce_firewall_rule)"),
            (_METHOD, "v1.compute.firewalls.get", "the method (insert, patch, delete)"),
        ),
    ),
    SecurityEvent(
        "gcp-logging-metric-route-changes",
        "2.8",
        "VPC network route changes",
        tuple(
            _audit_entry(_COMPUTE, f"v1.compute.routes.{verb}", "gce_route")
            for verb in ("insert", "delete")
        ),
        (
            ("resource.type", "gce_instance", "the resource type (gce_route)"),
            (_METHOD, "v1.compute.routes.get", "the method (insert, delete)"),
        ),
    ),
    SecurityEvent(
        "gcp-logging-metric-network-changes",
        "2.9",
        "VPC network changes",
        tuple(
            _audit_entry(_COMPUTE, f"v1.compute.networks.{verb}", "gce_network")
            for verb in ("insert", "patch", "delete", "removePeering", "addPeering")
        ),
        (
            ("resource.type", "gce_instance", "the resource type (gce_network)"),
            (_METHOD, "v1.compute.networks.get", "the method (insert, patch, delete, peering)"),
        ),
    ),
    SecurityEvent(
        "gcp-logging-metric-bucket-iam-changes",
        "2.10",
        "Cloud Storage IAM permission changes",
        (_audit_entry("storage.googleapis.com", "storage.setIamPermissions", "gcs_bucket"),),
        (
            ("resource.type", "gce_instance", "the resource type (gcs_bucket)"),
            (_METHOD, "storage.getIamPermissions", "the method (storage.setIamPermissions)"),
        ),
    ),
    SecurityEvent(
        "gcp-logging-metric-sql-config-changes",
        "2.11",
        "Cloud SQL instance configuration changes",
        (
            _audit_entry(
                "cloudsql.googleapis.com", "cloudsql.instances.update", "cloudsql_database"
            ),
        ),
        ((_METHOD, "cloudsql.instances.get", "the method (cloudsql.instances.update)"),),
    ),
)


def metric_shortfall(event: SecurityEvent, query: str) -> str | None:
    """Why a Logging query does not count exactly the event (None: it does).

    Raises `FilterSyntaxError` / `UnsupportedQueryError` when the query cannot be evaluated.
    """
    if not all(matches(query, entry) for entry in event.entries):
        return f"its filter does not match every {event.what} log entry"
    loose = sorted({what for what, entry in event.variants() if matches(query, entry)})
    if loose:
        return (
            f"its filter does not require {' or '.join(loose)}: it also matches entries that "
            "differ there (negated or OR-ed away)"
        )
    return None


def _security_event_check(
    event: SecurityEvent,
) -> Callable[[StackValidationArgs, StackReport], None]:
    def check(args: StackValidationArgs, report: StackReport) -> None:
        undecided = Undecided()
        shortfalls: list[str] = []  # the event's metric, known to be off or not alerted on
        near_misses: list[str] = []  # metrics that match the event but not exactly it
        for metric in of_type(args.resources, LOG_METRIC):
            name_label = label(metric)
            text, name = get(metric.props, "filter"), get(metric.props, "name")
            disabled = as_bool(get(metric.props, "disabled"), False)
            if is_unknown(text):
                undecided.add(unknown(name_label, "filter"))
                continue
            if not isinstance(text, str):
                continue
            try:
                problem = metric_shortfall(event, text)
            except (FilterSyntaxError, UnsupportedQueryError) as error:
                undecided.add(f"{name_label}: its filter cannot be evaluated ({error})")
                continue
            if problem is not None:
                if any(matches(text, entry) for entry in event.entries):
                    near_misses.append(f"{name_label}: {problem}.")
                continue
            # The metric counts the event; now it must be on and alerted on.
            if disabled is None or is_unknown(name):
                undecided.add(unknown(name_label, "disabled" if disabled is None else "name"))
                continue
            if disabled or not isinstance(name, str) or not name:
                shortfalls.append(f"{name_label}: disabled must be false.")
                continue
            wanted = USER_METRIC_PREFIX + name

            def on_metric(condition: Condition, wanted: str = wanted) -> bool:
                return condition.terms is not None and requires(
                    condition.terms, "metric.type", wanted
                )

            search = find_alerts(args, on_metric, f"{event.what} metric")
            if search.satisfied:
                return
            if search.shortfalls:
                shortfalls.extend(search.shortfalls)
            elif search.undecided:
                undecided.reasons.extend(search.undecided.reasons)
            else:
                shortfalls.append(
                    f"{name_label} has no enabled alert policy requiring metric.type = "
                    f"{USER_METRIC_PREFIX}<its name>, routed to a notification channel the stack "
                    "declares."
                )
        for shortfall in shortfalls:
            report(f"{shortfall} (CIS GCP {event.reference})", None)
        if shortfalls:
            return
        undecided.settle(args, f"a log-based metric for {event.what}")
        for near_miss in near_misses:
            report(
                f"No metric counts exactly {event.what}: {near_miss} (CIS GCP {event.reference})",
                None,
            )
        if near_misses:
            return
        report(
            f"The stack must declare a logging Metric whose filter matches {event.what}, and an "
            f"alert on it (CIS GCP {event.reference}).",
            None,
        )

    return check


POLICIES: Final = [
    _threshold_alert_policy(
        "gcp-monitoring-alert-api-latency",
        API_LATENCY,
        "API latency",
        limit=_latency_limit,
        unit_text=_ms("latencyP95Ms"),
        limit_schema={"latencyP95Ms": {"type": "number", "exclusiveMinimum": 0}},
        required=["latencyP95Ms"],
    ),
    _threshold_alert_policy(
        "gcp-monitoring-alert-error-rate",
        API_ERROR_RATE,
        "API 5xx rate",
        limit=_error_limit,
        unit_text=_percent,
        limit_schema={
            "maxErrorRatePercent": {"type": "number", "exclusiveMinimum": 0, "default": 0.1}
        },
    ),
    _threshold_alert_policy(
        "gcp-monitoring-alert-slow-queries",
        SLOW_QUERIES,
        "slow queries",
        limit=_slow_query_limit,
        unit_text=_ms("slowQueryMs"),
        limit_schema={"slowQueryMs": {"type": "number", "exclusiveMinimum": 0}},
        required=["slowQueryMs"],
    ),
    stack_policy(
        name="gcp-monitoring-uptime-public-hosts",
        check=_check_uptime,
        config_schema=schema(UPTIME.config_schema()),
    ),
    resource_policy(
        name="gcp-monitoring-alertpolicy-notification-channels",
        resource_types=[ALERT_POLICY],
        check=_check_notification_channels,
    ),
    resource_policy(
        name="gcp-monitoring-alertpolicy-severity",
        resource_types=[ALERT_POLICY],
        check=_check_severity,
    ),
    stack_policy(
        name="gcp-monitoring-critical-alerts-page",
        check=_check_critical_pages,
        config_schema=schema(
            {
                "pagingChannelTypes": {
                    **STRING_LIST,
                    "minItems": 1,
                    "default": list(PAGING_CHANNEL_TYPES),
                },
                "criticalMetricTypes": {
                    **STRING_LIST,
                    "default": list(CRITICAL_METRIC_TYPES),
                },
            }
        ),
    ),
    resource_policy(
        name="gcp-monitoring-uptimecheck-validates-tls",
        resource_types=[UPTIME_CHECK],
        check=_check_uptime_tls,
    ),
    *[
        stack_policy(
            name=event.policy,
            check=_security_event_check(event),
        )
        for event in SECURITY_EVENTS
    ],
]

"""The `Monitoring` component: channels first, then what notifies them, then the dashboard."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
from pulumi_gcp import logging as cloud_logging
from pulumi_gcp import monitoring

from components.component import Component
from components.monitoring.alerts import AlertPolicies, rotation_notice_alert, service_alerts
from components.monitoring.channels import notification_channels
from components.monitoring.dashboard import dashboard
from components.monitoring.log_metrics import cis_log_metrics
from components.monitoring.scope import Scope
from components.monitoring.severity import ESCALATIONS
from components.monitoring.slos import booking_completion, service_objectives
from components.monitoring.uptime import UptimeTarget, uptime_checks
from settings.monitoring import AlertSettings


@dataclass(frozen=True)
class MonitoringArgs:
    """Who is paged, what is checked and the stack's thresholds."""

    alerts: AlertSettings
    api_service_name: pulumi.Input[str]
    env: str
    project: str
    # Secret Manager's rotation notices: the topic, and the subscription that keeps them.
    rotation_subscription: pulumi.Input[str]
    rotation_topic: pulumi.Input[str]
    uptime_targets: Mapping[str, UptimeTarget]
    labels: Mapping[str, str] = field(default_factory=dict)
    # Webhook channel name -> its URL (a secret read at deploy time); a webhook channel whose
    # URL is absent is not created yet.
    webhook_urls: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)


class Monitoring(Component[MonitoringArgs]):
    """Notification channels, uptime checks, alert policies, SLOs, log metrics and a dashboard."""

    type_token = "myhibachi:monitoring:Monitoring"

    alert_policies: dict[str, monitoring.AlertPolicy]
    channels: dict[str, monitoring.NotificationChannel]
    dashboard: monitoring.Dashboard
    log_metrics: dict[str, cloud_logging.Metric]
    slos: dict[str, monitoring.Slo]
    uptime_checks: dict[str, monitoring.UptimeCheckConfig]

    def _declare(self, name: str, args: MonitoringArgs) -> pulumi.Inputs:
        scope = Scope(name, args.project, args.env, args.labels, parent=self)
        self.channels = notification_channels(scope, args.alerts.channels, args.webhook_urls)
        routes = {
            severity: [
                self.channels[name]
                for name in args.alerts.notify.of(escalation.setting)
                if name in self.channels
            ]
            for severity, escalation in ESCALATIONS.items()
        }
        alerts = AlertPolicies(scope, routes)
        self.uptime_checks = uptime_checks(scope, args.uptime_targets, alerts)
        service_alerts(alerts, args.alerts, args.api_service_name)
        self.slos = service_objectives(scope, alerts, args.alerts, args.api_service_name)
        rotation_notice_alert(alerts, args.rotation_topic, args.rotation_subscription)
        self.log_metrics = {
            **cis_log_metrics(scope, alerts),
            **booking_completion(scope, alerts, args.api_service_name),
        }
        self.alert_policies = alerts.by_key
        self.dashboard = dashboard(scope, args.alerts, args.api_service_name)
        return {
            "alert_policies": sorted(self.alert_policies),
            "channels": {key: c.name for key, c in self.channels.items()},
            "dashboard": self.dashboard.id,
        }

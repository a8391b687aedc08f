"""Cloud Monitoring: who is paged, uptime checks, alert policies, SLOs, log metrics, a dashboard.

Each stack is its own GCP project with one API service, one Cloud SQL instance and one Redis
instance, so resource filters are project-scoped plus the API's service name. Every alert policy
has a severity, notifies that severity's channels (`myhibachi:alerts.notify`) and carries
documentation telling the person notified how fast to respond and what to do.

One `Monitoring` component (`component.py`) composes the concerns, one module each: `channels`,
`severity` (the escalation table), `uptime`, `alerts` (threshold alert policies, rotation
notices), `slos` (the API's service level objectives with their burn-rate alerts, and the booking
completion rate), `log_metrics` (the CIS log-based metrics and their alerts) and `dashboard`;
`filters` names the metrics the alerts watch and the dashboard charts.
"""

from components.monitoring.component import Monitoring, MonitoringArgs
from components.monitoring.uptime import UptimeTarget

__all__ = ["Monitoring", "MonitoringArgs", "UptimeTarget"]

"""Cloud Monitoring: who is paged, uptime checks, alert policies, SLOs, log metrics, a dashboard.

Each stack is its own GCP project with one API service, one Cloud SQL instance and one Redis
instance, so resource filters are project-scoped plus the API's service name. Every alert policy
pages every notification channel and carries documentation telling the person paged what to do.

One `Monitoring` component (`component.py`) composes the concerns, one module each: `channels`,
`uptime`, `alerts` (threshold alert policies, rotation notices), `slos` (the API's service level
objectives with their burn-rate alerts, and the booking completion rate), `log_metrics` (the CIS
log-based metrics and their alerts) and `dashboard`; `filters` names the metrics the alerts watch
and the dashboard charts.
"""

from components.monitoring.component import Monitoring, MonitoringArgs
from components.monitoring.uptime import UptimeTarget

__all__ = ["Monitoring", "MonitoringArgs", "UptimeTarget"]

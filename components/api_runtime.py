"""The backend API on Cloud Run: the service, its migration job and its project roles.

Decisions:
- Identity: the dedicated API service account (never the default compute one). Beyond the
  per-secret accessor bindings the secret catalog makes, it gets exactly four project roles:
  Cloud SQL client, log writer, metric writer and trace agent (it writes its request traces to
  Cloud Trace, whose latency breakdown the dashboard links to).
- Secrets reach the container as Secret Manager references (`secret_key_ref`, version
  `latest`), never as plain values: a new secret version is picked up by the next revision.
- Network: direct VPC egress through the stack's subnet with `PRIVATE_RANGES_ONLY`, so Cloud
  SQL and Redis (private service access) are reachable while internet egress stays direct.
- Ingress: `INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER` and the default `run.app` URL disabled:
  requests arrive only through the stack's load balancer (`components/api_ingress.py`), which
  admits only Cloudflare.
- Invocation: `allUsers` holds `roles/run.invoker` (a public API behind Cloudflare; it
  authenticates its users itself). The grant stays explicit, and allow-listed by name in the
  policy config, rather than turning Cloud Run's invoker check off, which would make the service
  public with no grant anyone could review.
- The migration job runs the same image, identity, secrets and network with
  `alembic upgrade head`; it is executed on each release (`gcloud run jobs execute`), not here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import pulumi
from pulumi_gcp import cloudrunv2, projects

from components.component import Component
from settings.api_runtime import ApiSettings

# Project-level roles of the API identity: nothing that reads data or changes resources.
API_PROJECT_ROLES: tuple[str, ...] = (
    "roles/cloudsql.client",
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/cloudtrace.agent",
)
MIGRATION_COMMAND: tuple[str, ...] = ("alembic", "upgrade", "head")
# Cloud SQL and Redis (private service access) through the VPC; the internet directly.
EGRESS = "PRIVATE_RANGES_ONLY"
EnvT = TypeVar("EnvT")
AccessT = TypeVar("AccessT")


@dataclass(frozen=True)
class ApiRuntimeArgs:
    """What the API runs, as whom, with which config and secrets, and where it answers."""

    api_host: str
    env_vars: Mapping[str, str]
    network_id: pulumi.Input[str]
    project: str
    region: str
    # Environment variable name -> Secret Manager secret id (`projects/P/secrets/NAME`).
    secret_env: Mapping[str, pulumi.Input[str]]
    service_account_email: pulumi.Input[str]
    service_account_member: pulumi.Input[str]
    settings: ApiSettings
    subnet_id: pulumi.Input[str]
    depends_on: Sequence[pulumi.Resource] = field(default_factory=list)
    labels: Mapping[str, str] = field(default_factory=dict)
    protect: bool = False


class ApiRuntime(Component[ApiRuntimeArgs]):
    """The Cloud Run service and migration job of the API, and its project roles."""

    type_token = "myhibachi:api:ApiRuntime"

    migration_job: cloudrunv2.Job
    service: cloudrunv2.Service
    url: str

    def _declare(self, name: str, args: ApiRuntimeArgs) -> pulumi.Inputs:
        child = pulumi.ResourceOptions(parent=self)
        settings = args.settings
        roles = [
            projects.IAMMember(
                f"{name}-{role.split('/')[1]}",
                project=args.project,
                role=role,
                member=args.service_account_member,
                opts=child,
            )
            for role in API_PROJECT_ROLES
        ]
        # The service and job need their roles and every secret version before they start.
        ready = pulumi.ResourceOptions(parent=self, depends_on=[*roles, *args.depends_on])

        self.service = cloudrunv2.Service(
            f"{name}-service",
            project=args.project,
            location=args.region,
            name=f"{args.labels.get('app', 'myhibachi')}-api",
            description="My Hibachi backend API",
            ingress="INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
            default_uri_disabled=True,
            deletion_protection=args.protect,
            labels=dict(args.labels),
            template=cloudrunv2.ServiceTemplateArgs(
                service_account=args.service_account_email,
                labels=dict(args.labels),
                scaling=cloudrunv2.ServiceTemplateScalingArgs(
                    min_instance_count=settings.min_instances,
                    max_instance_count=settings.max_instances,
                ),
                vpc_access=_vpc_access(
                    args,
                    cloudrunv2.ServiceTemplateVpcAccessArgs,
                    cloudrunv2.ServiceTemplateVpcAccessNetworkInterfaceArgs,
                ),
                containers=[
                    cloudrunv2.ServiceTemplateContainerArgs(
                        image=settings.image,
                        resources=cloudrunv2.ServiceTemplateContainerResourcesArgs(
                            limits={"cpu": settings.cpu, "memory": settings.memory},
                            startup_cpu_boost=True,
                        ),
                        envs=_envs(
                            args,
                            cloudrunv2.ServiceTemplateContainerEnvArgs,
                            cloudrunv2.ServiceTemplateContainerEnvValueSourceArgs,
                            cloudrunv2.ServiceTemplateContainerEnvValueSourceSecretKeyRefArgs,
                        ),
                        startup_probe=cloudrunv2.ServiceTemplateContainerStartupProbeArgs(
                            http_get=cloudrunv2.ServiceTemplateContainerStartupProbeHttpGetArgs(
                                path=settings.health_path
                            ),
                            period_seconds=5,
                            failure_threshold=12,
                        ),
                        liveness_probe=cloudrunv2.ServiceTemplateContainerLivenessProbeArgs(
                            http_get=cloudrunv2.ServiceTemplateContainerLivenessProbeHttpGetArgs(
                                path=settings.health_path
                            ),
                            period_seconds=30,
                        ),
                    )
                ],
            ),
            opts=ready,
        )
        cloudrunv2.ServiceIamMember(
            f"{name}-public-invoker",
            project=args.project,
            location=args.region,
            name=self.service.name,
            role="roles/run.invoker",
            member="allUsers",
            opts=child,
        )
        self.migration_job = cloudrunv2.Job(
            f"{name}-migrate",
            project=args.project,
            location=args.region,
            name=f"{args.labels.get('app', 'myhibachi')}-api-migrate",
            deletion_protection=args.protect,
            labels=dict(args.labels),
            template=cloudrunv2.JobTemplateArgs(
                task_count=1,
                parallelism=1,
                labels=dict(args.labels),
                template=cloudrunv2.JobTemplateTemplateArgs(
                    service_account=args.service_account_email,
                    # A failed migration is investigated, never blindly retried.
                    max_retries=0,
                    timeout="900s",
                    vpc_access=_vpc_access(
                        args,
                        cloudrunv2.JobTemplateTemplateVpcAccessArgs,
                        cloudrunv2.JobTemplateTemplateVpcAccessNetworkInterfaceArgs,
                    ),
                    containers=[
                        cloudrunv2.JobTemplateTemplateContainerArgs(
                            image=settings.image,
                            commands=[MIGRATION_COMMAND[0]],
                            args=list(MIGRATION_COMMAND[1:]),
                            resources=cloudrunv2.JobTemplateTemplateContainerResourcesArgs(
                                limits={"cpu": settings.cpu, "memory": settings.memory}
                            ),
                            envs=_envs(
                                args,
                                cloudrunv2.JobTemplateTemplateContainerEnvArgs,
                                cloudrunv2.JobTemplateTemplateContainerEnvValueSourceArgs,
                                cloudrunv2.JobTemplateTemplateContainerEnvValueSourceSecretKeyRefArgs,
                            ),
                        )
                    ],
                ),
            ),
            opts=ready,
        )
        self.url = f"https://{args.api_host}"
        return {"url": self.url, "job": self.migration_job.name}


# The service and the job spell the same container fields with args classes of their own; these
# build both from the classes they are given.


def _envs(
    args: ApiRuntimeArgs,
    env: Callable[..., EnvT],
    value_source: Callable[..., object],
    secret_key_ref: Callable[..., object],
) -> list[EnvT]:
    """Plain variables, then each secret as a reference to its latest version, by name."""
    plain = [env(name=key, value=value) for key, value in sorted(args.env_vars.items())]
    secret = [
        env(
            name=key,
            value_source=value_source(
                secret_key_ref=secret_key_ref(secret=secret_id, version="latest")
            ),
        )
        for key, secret_id in sorted(args.secret_env.items())
    ]
    return plain + secret


def _vpc_access(
    args: ApiRuntimeArgs, access: Callable[..., AccessT], interface: Callable[..., object]
) -> AccessT:
    """Direct VPC egress through the stack's subnet, for private ranges only."""
    return access(
        egress=EGRESS,
        network_interfaces=[interface(network=args.network_id, subnetwork=args.subnet_id)],
    )

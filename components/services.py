"""The Google APIs the stack uses, enabled once per project."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_gcp import projects

from components.component import Component

# Every API a component of this project calls. Kept sorted: a new API is one added line.
REQUIRED_APIS: tuple[str, ...] = (
    "apikeys.googleapis.com",
    "certificatemanager.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "cloudkms.googleapis.com",
    "cloudscheduler.googleapis.com",
    "cloudtrace.googleapis.com",
    "compute.googleapis.com",
    "essentialcontacts.googleapis.com",
    "geocoding-backend.googleapis.com",
    "iam.googleapis.com",
    "logging.googleapis.com",
    "maps-backend.googleapis.com",
    "monitoring.googleapis.com",
    "places-backend.googleapis.com",
    "pubsub.googleapis.com",
    "redis.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "servicenetworking.googleapis.com",
    "sqladmin.googleapis.com",
    "storage.googleapis.com",
    "workflows.googleapis.com",
)


@dataclass(frozen=True)
class ProjectServicesArgs:
    """Which project gets which APIs."""

    project: str
    apis: tuple[str, ...] = REQUIRED_APIS


class ProjectServices(Component[ProjectServicesArgs]):
    """Enables the project's APIs; destroying the stack never disables them.

    Disabling an API on destroy would break anything else in the project that uses it.
    """

    type_token = "myhibachi:services:ProjectServices"

    services: dict[str, projects.Service]

    def _declare(self, name: str, args: ProjectServicesArgs) -> pulumi.Inputs:
        self.services = {
            api: projects.Service(
                f"{name}-{api.split('.')[0]}",
                project=args.project,
                service=api,
                disable_on_destroy=False,
                disable_dependent_services=False,
                opts=pulumi.ResourceOptions(parent=self),
            )
            for api in args.apis
        }
        return {"services": sorted(self.services)}

"""Service accounts the project creates: each workload runs as its own identity, named
`<env>-<role>`."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_gcp import serviceaccount

from components.component import Component


@dataclass(frozen=True)
class WorkloadIdentitiesArgs:
    """The project and the stack's short environment name."""

    env: str
    project: str


def service_account_member(email: pulumi.Input[str]) -> pulumi.Output[str]:
    """A service account's IAM member: `serviceAccount:<email>`."""
    return pulumi.Output.from_input(email).apply(lambda address: f"serviceAccount:{address}")


def workload_account(
    resource_name: str,
    *,
    project: str,
    env: str,
    role: str,
    title: str,
    description: str,
    parent: pulumi.Resource,
) -> serviceaccount.Account:
    """A workload's own service account, `<env>-<role>`, shown as `My Hibachi <title> (<env>)`."""
    return serviceaccount.Account(
        resource_name,
        project=project,
        account_id=f"{env}-{role}",
        display_name=f"My Hibachi {title} ({env})",
        description=description,
        opts=pulumi.ResourceOptions(parent=parent),
    )


class WorkloadIdentities(Component[WorkloadIdentitiesArgs]):
    """The API's service account (used by the Cloud Run service and its migration job).

    Never the default compute account, which holds Editor on the project.
    """

    type_token = "myhibachi:identities:WorkloadIdentities"

    api: serviceaccount.Account
    api_member: pulumi.Output[str]

    def _declare(self, name: str, args: WorkloadIdentitiesArgs) -> pulumi.Inputs:
        self.api = workload_account(
            f"{name}-api",
            project=args.project,
            env=args.env,
            role="api",
            title="API",
            description="Runs the backend API and its migrations; reads only its own secrets.",
            parent=self,
        )
        self.api_member = service_account_member(self.api.email)
        return {"api_email": self.api.email}

    def members(self) -> dict[str, pulumi.Output[str]]:
        """IAM members by the names stack settings use for them."""
        return {"api": self.api_member}

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


@dataclass(frozen=True)
class Workload:
    """A workload that runs as its own service account, `<env>-<role>`, shown as
    `My Hibachi <title> (<env>)`, its description saying what it does and nothing more."""

    role: str
    title: str
    description: str

    def account(
        self, resource_name: str, *, project: str, env: str, parent: pulumi.Resource
    ) -> serviceaccount.Account:
        """The workload's service account in the stack's project, a child of `parent`."""
        return serviceaccount.Account(
            resource_name,
            project=project,
            account_id=f"{env}-{self.role}",
            display_name=f"My Hibachi {self.title} ({env})",
            description=self.description,
            opts=pulumi.ResourceOptions(parent=parent),
        )


API = Workload(
    role="api",
    title="API",
    description="Runs the backend API and its migrations; reads only its own secrets.",
)


class WorkloadIdentities(Component[WorkloadIdentitiesArgs]):
    """The API's service account (used by the Cloud Run service and its migration job).

    Never the default compute account, which holds Editor on the project.
    """

    type_token = "myhibachi:identities:WorkloadIdentities"

    api: serviceaccount.Account
    api_member: pulumi.Output[str]

    def _declare(self, name: str, args: WorkloadIdentitiesArgs) -> pulumi.Inputs:
        self.api = API.account(f"{name}-api", project=args.project, env=args.env, parent=self)
        self.api_member = service_account_member(self.api.email)
        return {"api_email": self.api.email}

    def members(self) -> dict[str, pulumi.Output[str]]:
        """IAM members by the names stack settings use for them."""
        return {"api": self.api_member}

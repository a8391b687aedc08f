"""Service accounts the project creates: each workload runs as its own identity."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_gcp import serviceaccount


@dataclass(frozen=True)
class WorkloadIdentitiesArgs:
    """The project and the stack's short environment name."""

    env: str
    project: str


class WorkloadIdentities(pulumi.ComponentResource):
    """The API's service account (used by the Cloud Run service and its migration job).

    Never the default compute account, which holds Editor on the project.
    """

    api: serviceaccount.Account
    api_member: pulumi.Output[str]

    def __init__(
        self, name: str, args: WorkloadIdentitiesArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("myhibachi:identities:WorkloadIdentities", name, None, opts)
        self.api = serviceaccount.Account(
            f"{name}-api",
            project=args.project,
            account_id=f"{args.env}-api",
            display_name=f"My Hibachi API ({args.env})",
            description="Runs the backend API and its migrations; reads only its own secrets.",
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.api_member = self.api.email.apply(lambda email: f"serviceAccount:{email}")
        self.register_outputs({"api_email": self.api.email})

    def members(self) -> dict[str, pulumi.Output[str]]:
        """IAM members by the names stack settings use for them."""
        return {"api": self.api_member}

"""`myhibachi:frontends`: the Vercel projects, where their code lives and which branch deploys."""

from __future__ import annotations

from settings.fields import StackContext, nested, removed, section, setting, text
from settings.reader import Fields, Node

_RELATIVE_DIR = r"[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*"
_GIT_BRANCH = r"[A-Za-z0-9._/-]{1,100}"
_VERCEL_PROJECT = r"[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?"
_GITHUB_REPO = r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}"


def _root_directory(node: Node, context: StackContext) -> str:
    directory = node.text(_RELATIVE_DIR, "a directory relative to the repository")
    if ".." in directory.split("/"):
        raise node.fail("must stay inside the repository (no '..')")
    return directory


@section
class FrontendApp:
    """One Next.js application: its Vercel project and its directory in the repository."""

    project_name: str = setting(
        "projectName",
        text(_VERCEL_PROJECT, "a Vercel project name (lowercase letters, digits, '.', '_', '-')"),
    )
    root_directory: str = setting("rootDirectory", _root_directory)


@section
class FrontendSettings:
    """The Vercel projects: where their code lives and which branch deploys as this stack."""

    admin: FrontendApp = setting("admin", nested(FrontendApp))
    customer: FrontendApp = setting("customer", nested(FrontendApp))
    production_branch: str = setting("productionBranch", text(_GIT_BRANCH, "a git branch name"))
    repository: str = setting("repository", text(_GITHUB_REPO, "a GitHub repository owner/name"))
    # Moved: every value the program reads at deploy time waits for the same flag.
    stripe_publishable_key_ready: None = setting(
        "stripePublishableKeyReady",
        removed("moved to myhibachi:secrets.valuesReady"),
        default=None,
    )

    def validate(self, fields: Fields, context: StackContext) -> None:
        """The two apps never share a Vercel project."""
        if self.customer.project_name == self.admin.project_name:
            raise (
                fields["customer"]
                .child("projectName", self.customer.project_name)
                .fail(f"'{self.customer.project_name}' is already used by the other app")
            )

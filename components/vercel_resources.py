"""The three pulumiverse-vercel 5.21.1 resources the frontends use, without importing the package.

Why: `import pulumiverse_vercel` executes its package `__init__`, which imports every resource
module and its large `_inputs.py`/`outputs.py` (about 0.5 s here, the largest single import of
the offline preview); three resource types do not need that.

What the real CLI sees is identical to the generated classes (the same reasoning as
`components.cloudflare_resources`): the same type tokens, `version` 5.21.1 and the package's
plugin download URL `github://api.github.com/pulumiverse` (from its `pulumi-plugin.json`, so
the engine fetches and loads the same provider plugin), engine (camelCase) property names,
and for ProjectEnvironmentVariable the generated class's secret handling: `value` always a
secret, and `value`/`valueWo` as additional secret outputs. `tests/components/test_frontends.py`
registers each class next to the generated one under the mock runtime and compares the
requests field by field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

PACKAGE_VERSION = "5.21.1"
PLUGIN_DOWNLOAD_URL = "github://api.github.com/pulumiverse"


def _options(opts: pulumi.ResourceOptions | None, **extra: Any) -> pulumi.ResourceOptions:
    defaults = pulumi.ResourceOptions(
        version=PACKAGE_VERSION, plugin_download_url=PLUGIN_DOWNLOAD_URL
    )
    merged = pulumi.ResourceOptions.merge(defaults, opts)
    if extra:
        merged = pulumi.ResourceOptions.merge(merged, pulumi.ResourceOptions(**extra))
    return merged


class Project(pulumi.CustomResource):
    """`vercel.Project`: one Vercel project built from a git repository."""

    id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        framework: pulumi.Input[str],
        root_directory: pulumi.Input[str],
        git_repository: Mapping[str, pulumi.Input[str]],
        vercel_authentication: Mapping[str, pulumi.Input[str]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = {
            "framework": framework,
            # Engine names of the repository object: type, repo, productionBranch.
            "gitRepository": dict(git_repository),
            "name": name,
            "rootDirectory": root_directory,
            "vercelAuthentication": dict(vercel_authentication),
        }
        super().__init__("vercel:index/project:Project", resource_name, props, _options(opts))


class ProjectDomain(pulumi.CustomResource):
    """`vercel.ProjectDomain`: a custom domain served by a project."""

    def __init__(
        self,
        resource_name: str,
        *,
        project_id: pulumi.Input[str],
        domain: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = {
            "domain": domain,
            "projectId": project_id,
            "misconfigured": None,
            "verifications": None,
            "verified": None,
        }
        super().__init__(
            "vercel:index/projectDomain:ProjectDomain", resource_name, props, _options(opts)
        )


class ProjectEnvironmentVariable(pulumi.CustomResource):
    """`vercel.ProjectEnvironmentVariable`: one variable for the given targets."""

    def __init__(
        self,
        resource_name: str,
        *,
        project_id: pulumi.Input[str],
        key: pulumi.Input[str],
        value: pulumi.Input[str],
        targets: Sequence[str],
        sensitive: bool,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = {
            "key": key,
            "projectId": project_id,
            "sensitive": sensitive,
            "targets": list(targets),
            # The generated class always sends the value as a secret.
            "value": pulumi.Output.secret(value),
        }
        super().__init__(
            "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
            resource_name,
            props,
            _options(opts, additional_secret_outputs=["value", "valueWo"]),
        )

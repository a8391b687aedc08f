"""Cloud Run's (v1) DomainMapping without loading `pulumi_gcp.cloudrun`.

Why: domain mappings exist only in the v1 `cloudrun` module; its first use loads the module's
whole `_inputs.py` (about 0.2 s here) for one resource, while the service and job come from
`cloudrunv2`.

What the real CLI sees is identical to the generated `pulumi_gcp.cloudrun.DomainMapping`: the
same type token, the resource options of `pulumi_gcp._utilities.get_resource_opts_defaults()`
(the provider version and plugin download URL), engine (camelCase) property names, and the
same computed outputs; the class declares no aliases or additional secret outputs.
`tests/components/test_api_runtime.py` registers it next to the generated class under the mock
runtime and compares the requests field by field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi_gcp import _utilities


class DomainMapping(pulumi.CustomResource):
    """`gcp.cloudrun.DomainMapping`: a custom domain routed to a Cloud Run service."""

    def __init__(
        self,
        resource_name: str,
        *,
        project: pulumi.Input[str],
        location: pulumi.Input[str],
        name: pulumi.Input[str],
        namespace: pulumi.Input[str],
        route_name: pulumi.Input[str],
        labels: Mapping[str, str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        metadata: dict[str, Any] = {"namespace": namespace}
        if labels:
            metadata["labels"] = dict(labels)
        props: dict[str, Any] = {
            "deletionPolicy": None,
            "location": location,
            "metadata": metadata,
            "name": name,
            "project": project,
            "spec": {"routeName": route_name},
            "statuses": None,
        }
        super().__init__(
            "gcp:cloudrun/domainMapping:DomainMapping",
            resource_name,
            props,
            pulumi.ResourceOptions.merge(_utilities.get_resource_opts_defaults(), opts),
        )

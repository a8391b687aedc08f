"""The Google Maps API key, restricted to the Maps APIs and the stack's own sites."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_gcp import projects, secretmanager

# The only APIs the key may call (seed item 1: Geocoding, Maps JavaScript, Places).
MAPS_API_TARGETS: tuple[str, ...] = (
    "geocoding-backend.googleapis.com",
    "maps-backend.googleapis.com",
    "places-backend.googleapis.com",
)


@dataclass(frozen=True)
class MapsApiKeyArgs:
    """Where the key lives, who may use it, and which generation it is."""

    allowed_referrers: tuple[str, ...]
    env: str
    generation: int
    key_secret_id: pulumi.Input[str]
    project: str


class MapsApiKey(pulumi.ComponentResource):
    """The key plus its key string as a version of the GOOGLE_MAPS_SERVER_KEY secret.

    Rotation: bump `generation`. The key's id carries the generation, so Pulumi replaces it,
    creating the new key (and a new secret version) before deleting the old one.
    """

    key: projects.ApiKey
    key_name: pulumi.Output[str]

    def __init__(
        self, name: str, args: MapsApiKeyArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("myhibachi:keys:MapsApiKey", name, None, opts)
        self.key = projects.ApiKey(
            f"{name}-key",
            project=args.project,
            name=f"{args.env}-maps-g{args.generation}",
            display_name=f"My Hibachi Maps ({args.env}, generation {args.generation})",
            restrictions=projects.ApiKeyRestrictionsArgs(
                api_targets=[
                    projects.ApiKeyRestrictionsApiTargetArgs(service=service)
                    for service in MAPS_API_TARGETS
                ],
                browser_key_restrictions=projects.ApiKeyRestrictionsBrowserKeyRestrictionsArgs(
                    allowed_referrers=list(args.allowed_referrers)
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self, delete_before_replace=False),
        )
        secretmanager.SecretVersion(
            f"{name}-key-version",
            secret=args.key_secret_id,
            secret_data=self.key.key_string,  # a secret output of the key, kept secret
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.key_name = self.key.name
        self.register_outputs({"key_name": self.key_name})

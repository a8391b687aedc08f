"""The Google Maps API keys: a browser key and a server key, each stored as a secret version.

Decisions:
- Two keys, because one key cannot serve both: the Maps JavaScript API runs in the browser and
  is protected by HTTP-referrer restrictions, while the Geocoding and Places web services are
  called by the API server and reject referrer-restricted keys. So the browser key may call only
  the Maps JavaScript API from the stack's own https sites, and the server key only Geocoding and
  Places (restricted by API: Cloud Run's egress has no fixed address to restrict by); the server
  key lives only in Secret Manager, readable by the API's identity alone.
- Rotation: bump a key's generation. Its id carries the generation, so Pulumi replaces it,
  creating the new key (and a new secret version) before deleting the old one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_gcp import projects, secretmanager

from components.component import Component
from components.data_store import version_deletion_policy
from settings.api_keys import MapsKeySettings

# The Maps JavaScript API, from the browser.
BROWSER_API_TARGETS: tuple[str, ...] = ("maps-backend.googleapis.com",)
# The Geocoding and Places web services, from the API server.
SERVER_API_TARGETS: tuple[str, ...] = (
    "geocoding-backend.googleapis.com",
    "places-backend.googleapis.com",
)


@dataclass(frozen=True)
class MapsApiKeysArgs:
    """Where the keys live, who may use them, their generations and their secrets."""

    allowed_referrers: tuple[str, ...]
    browser_key_secret_id: pulumi.Input[str]
    env: str
    generations: MapsKeySettings
    project: str
    server_key_secret_id: pulumi.Input[str]
    protect: bool = False


class MapsApiKeys(Component[MapsApiKeysArgs]):
    """The browser and server keys, each with its key string as a version of its secret."""

    type_token = "myhibachi:keys:MapsApiKeys"

    browser_key: projects.ApiKey
    browser_key_string: pulumi.Output[str]
    server_key: projects.ApiKey

    def _declare(self, name: str, args: MapsApiKeysArgs) -> pulumi.Inputs:
        browser = args.generations.browser.generation
        self.browser_key = self._key(
            name,
            "browser",
            args,
            generation=browser,
            restrictions=projects.ApiKeyRestrictionsArgs(
                api_targets=_targets(BROWSER_API_TARGETS),
                browser_key_restrictions=projects.ApiKeyRestrictionsBrowserKeyRestrictionsArgs(
                    allowed_referrers=list(args.allowed_referrers)
                ),
            ),
            secret_id=args.browser_key_secret_id,
        )
        server = args.generations.server.generation
        self.server_key = self._key(
            name,
            "server",
            args,
            generation=server,
            restrictions=projects.ApiKeyRestrictionsArgs(api_targets=_targets(SERVER_API_TARGETS)),
            secret_id=args.server_key_secret_id,
        )
        # A secret output of the key: the frontends receive it as a sensitive variable.
        self.browser_key_string = self.browser_key.key_string
        return {"browser_key": self.browser_key.name, "server_key": self.server_key.name}

    def _key(
        self,
        name: str,
        role: str,
        args: MapsApiKeysArgs,
        *,
        generation: int,
        restrictions: projects.ApiKeyRestrictionsArgs,
        secret_id: pulumi.Input[str],
    ) -> projects.ApiKey:
        key = projects.ApiKey(
            f"{name}-{role}-key",
            project=args.project,
            name=f"{args.env}-maps-{role}-g{generation}",
            display_name=f"My Hibachi Maps {role} ({args.env}, generation {generation})",
            restrictions=restrictions,
            opts=pulumi.ResourceOptions(parent=self, delete_before_replace=False),
        )
        secretmanager.SecretVersion(
            f"{name}-{role}-key-version",
            secret=secret_id,
            secret_data=key.key_string,  # a secret output of the key, kept secret
            deletion_policy=version_deletion_policy(args.protect),
            opts=pulumi.ResourceOptions(parent=self),
        )
        return key


def _targets(services: tuple[str, ...]) -> list[projects.ApiKeyRestrictionsApiTargetArgs]:
    return [projects.ApiKeyRestrictionsApiTargetArgs(service=service) for service in services]

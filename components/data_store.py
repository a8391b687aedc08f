"""What the stack's private data stores (Cloud SQL, Memorystore) share: where an instance lives,
and the secret its connection URL goes to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import pulumi
from pulumi_gcp import secretmanager

SettingsT = TypeVar("SettingsT")


@dataclass(frozen=True)
class DataStoreArgs(Generic[SettingsT]):
    """The instance's settings plus where it lives and where its URL goes."""

    network_id: pulumi.Input[str]
    project: str
    region: str
    settings: SettingsT
    url_secret_id: pulumi.Input[str]
    labels: dict[str, str] = field(default_factory=dict)
    protect: bool = False
    depends_on: list[pulumi.Resource] = field(default_factory=list)


def version_deletion_policy(protect: bool) -> str | None:
    """Where the stack protects its data, a replaced or deleted version is disabled, not
    destroyed: the old value stays recoverable. (`protect` would refuse the replacement that
    a new generated value needs; the secret holding every version is itself protected.)"""
    return "DISABLE" if protect else None


def url_version(
    name: str, args: DataStoreArgs[Any], url: pulumi.Output[str], parent: pulumi.Resource
) -> secretmanager.SecretVersion:
    """`<name>-url-version`: the connection URL as a version of the store's URL secret.

    Secret twice over: built from secret outputs, and the provider marks secret_data secret.
    """
    return secretmanager.SecretVersion(
        f"{name}-url-version",
        secret=args.url_secret_id,
        secret_data=url,
        deletion_policy=version_deletion_policy(args.protect),
        opts=pulumi.ResourceOptions(parent=parent),
    )

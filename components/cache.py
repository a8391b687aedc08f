"""Memorystore Redis: AUTH, TLS in transit, reachable only through private service access."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
from pulumi_gcp import redis, secretmanager

from settings.cache import CacheSettings


@dataclass(frozen=True)
class CacheArgs:
    """The instance's settings plus where it lives and where its URL goes."""

    network_id: pulumi.Input[str]
    project: str
    region: str
    settings: CacheSettings
    url_secret_id: pulumi.Input[str]
    labels: dict[str, str] = field(default_factory=dict)
    protect: bool = False
    depends_on: list[pulumi.Resource] = field(default_factory=list)


class Cache(pulumi.ComponentResource):
    """The Redis instance and REDIS_URL (rediss://, with the AUTH string) as a secret version."""

    instance: redis.Instance
    host: pulumi.Output[str]

    def __init__(
        self, name: str, args: CacheArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("myhibachi:cache:Cache", name, None, opts)
        settings = args.settings
        persistence = (
            redis.InstancePersistenceConfigArgs(
                persistence_mode="RDB", rdb_snapshot_period=settings.rdb_snapshot_period
            )
            if settings.rdb_snapshot_period
            else None
        )
        self.instance = redis.Instance(
            f"{name}-redis",
            project=args.project,
            region=args.region,
            tier=settings.tier,
            memory_size_gb=settings.memory_size_gb,
            redis_version=settings.version,
            authorized_network=args.network_id,
            connect_mode="PRIVATE_SERVICE_ACCESS",
            auth_enabled=True,
            transit_encryption_mode="SERVER_AUTHENTICATION",
            persistence_config=persistence,
            labels=args.labels,
            opts=pulumi.ResourceOptions(
                parent=self, protect=args.protect, depends_on=args.depends_on
            ),
        )
        # Secret twice over: built from secret outputs, and the provider marks secret_data secret.
        url = pulumi.Output.format(
            "rediss://:{0}@{1}:{2}/0",
            self.instance.auth_string,
            self.instance.host,
            self.instance.port,
        )
        secretmanager.SecretVersion(
            f"{name}-url-version",
            secret=args.url_secret_id,
            secret_data=url,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.host = self.instance.host
        self.register_outputs({"host": self.host, "instance": self.instance.name})

"""Memorystore Redis: AUTH, TLS in transit, reachable only through private service access."""

from __future__ import annotations

import pulumi
from pulumi_gcp import redis

from components.component import Component
from components.data_store import DataStoreArgs, url_version
from settings.cache import CacheSettings

CacheArgs = DataStoreArgs[CacheSettings]
"""The Redis instance's settings plus where it lives and where REDIS_URL goes."""


class Cache(Component[CacheArgs]):
    """The Redis instance and REDIS_URL (rediss://, with the AUTH string) as a secret version."""

    type_token = "myhibachi:cache:Cache"

    instance: redis.Instance
    host: pulumi.Output[str]

    def _declare(self, name: str, args: CacheArgs) -> pulumi.Inputs:
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
        url = pulumi.Output.format(
            "rediss://:{0}@{1}:{2}/0",
            self.instance.auth_string,
            self.instance.host,
            self.instance.port,
        )
        url_version(name, args, url, parent=self)
        self.host = self.instance.host
        return {"host": self.host, "instance": self.instance.name}

"""Secret Manager: the stack's secret catalog, its rotation schedule and who may read each secret.

Values typed by people are added out of band (`gcloud secrets versions add`); values Pulumi
generates are written as versions by the component that generates them.

Rotation: each secret first rotates `rotation_days` after the day it is created (a fixed date
would fail for every secret added after it), then every `rotation_days`; Secret Manager moves the
next rotation time forward itself, so later runs leave it alone. Each notice goes to a Pub/Sub
topic whose subscription keeps it for a week, so no notice is lost before someone reads it (the
monitoring component alerts DevOps when one is published).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
from pulumi_gcp import projects, pubsub, secretmanager

from components.component import Component
from components.durations import duration
from settings.secrets import SecretSpec


@dataclass(frozen=True)
class SecretCatalogArgs:
    """The catalog, the rotation schedule and the identities accessors may name."""

    catalog: tuple[SecretSpec, ...]
    created_on: datetime.date
    project: str
    rotation_days: int
    identities: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    protect: bool = False


class SecretCatalog(Component[SecretCatalogArgs]):
    """One secret per catalog entry, each on a rotation schedule that notifies a Pub/Sub topic.

    Each accessor gets `secretAccessor` on that one secret only, never project-wide.
    """

    type_token = "myhibachi:secrets:SecretCatalog"

    rotation_notices: pubsub.Subscription
    rotation_topic: pubsub.Topic
    secrets: dict[str, secretmanager.Secret]
    secret_ids: dict[str, pulumi.Output[str]]

    def _declare(self, name: str, args: SecretCatalogArgs) -> pulumi.Inputs:
        child = pulumi.ResourceOptions(parent=self)
        self.rotation_topic = pubsub.Topic(
            f"{name}-rotation", project=args.project, labels=args.labels, opts=child
        )
        agent = projects.ServiceIdentity(
            f"{name}-agent",
            project=args.project,
            service="secretmanager.googleapis.com",
            opts=child,
        )
        # Secret Manager refuses a rotation topic its service agent cannot publish to.
        publisher = pubsub.TopicIAMMember(
            f"{name}-rotation-publisher",
            project=args.project,
            topic=self.rotation_topic.name,
            role="roles/pubsub.publisher",
            member=agent.member,
            opts=child,
        )
        self.rotation_notices = pubsub.Subscription(
            f"{name}-rotation-notices",
            project=args.project,
            topic=self.rotation_topic.id,
            ack_deadline_seconds=60,
            # Kept a week, the subscription never expires: a quiet quarter must not delete it.
            message_retention_duration=duration(7),
            expiration_policy=pubsub.SubscriptionExpirationPolicyArgs(ttl=""),
            labels=args.labels,
            opts=child,
        )
        first_rotation = (
            datetime.datetime.combine(args.created_on, datetime.time(), datetime.UTC)
            + datetime.timedelta(days=args.rotation_days)
        ).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.secrets = {}
        for spec in args.catalog:
            secret = secretmanager.Secret(
                f"{name}-{spec.name}",
                project=args.project,
                secret_id=spec.name,
                labels={**args.labels, "scope": spec.scope},
                replication=secretmanager.SecretReplicationArgs(
                    auto=secretmanager.SecretReplicationAutoArgs()
                ),
                rotation=secretmanager.SecretRotationArgs(
                    rotation_period=duration(args.rotation_days),
                    next_rotation_time=first_rotation,
                ),
                topics=[secretmanager.SecretTopicArgs(name=self.rotation_topic.id)],
                deletion_protection=args.protect,
                opts=pulumi.ResourceOptions(
                    parent=self,
                    protect=args.protect,
                    depends_on=[publisher],
                    # Secret Manager moves the next rotation time forward after each notice.
                    ignore_changes=["rotation.nextRotationTime"],
                ),
            )
            self.secrets[spec.name] = secret
            for accessor in spec.accessors:
                secretmanager.SecretIamMember(
                    f"{name}-{spec.name}-{_slug(accessor)}-accessor",
                    project=args.project,
                    secret_id=secret.secret_id,
                    role="roles/secretmanager.secretAccessor",
                    member=args.identities.get(accessor, accessor),
                    opts=child,
                )
        self.secret_ids = {spec_name: s.id for spec_name, s in self.secrets.items()}
        return {
            "rotation_notices": self.rotation_notices.id,
            "rotation_topic": self.rotation_topic.id,
            "secret_ids": self.secret_ids,
        }


def _slug(member: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", member).strip("-").lower()

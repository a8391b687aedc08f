"""Hygiene (advisory): the labels env, app and owner on every labelable GCP resource.

`LABEL_PATHS` lists the types this project declares that take labels, with the property
that holds them (checked against pulumi-gcp 10.2.0's argument classes). Types not listed
(compute networks, service accounts, IAM, logging metrics, ...) take no labels. For the
top-level `labels` field the GCP provider's `defaultLabels` count too.
"""

from __future__ import annotations

from typing import Final

from pulumi_policy import ResourceValidationArgs

from .helpers import (
    STRING_LIST,
    Report,
    entries,
    get,
    is_unknown,
    label,
    param_strs,
    provider_default_labels,
    resource_policy,
    schema,
)

LABEL_PATHS: Final = {
    "gcp:alloydb/cluster:Cluster": "labels",
    "gcp:alloydb/instance:Instance": "labels",
    "gcp:artifactregistry/repository:Repository": "labels",
    "gcp:cloudfunctions/function:Function": "labels",
    "gcp:cloudfunctionsv2/function:Function": "labels",
    "gcp:cloudrun/service:Service": "metadata.labels",
    "gcp:cloudrunv2/job:Job": "labels",
    "gcp:cloudrunv2/service:Service": "labels",
    "gcp:compute/globalAddress:GlobalAddress": "labels",
    "gcp:kms/cryptoKey:CryptoKey": "labels",
    "gcp:memorystore/instance:Instance": "labels",
    "gcp:monitoring/alertPolicy:AlertPolicy": "userLabels",
    "gcp:monitoring/notificationChannel:NotificationChannel": "userLabels",
    "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": "userLabels",
    "gcp:pubsub/subscription:Subscription": "labels",
    "gcp:pubsub/topic:Topic": "labels",
    "gcp:redis/cluster:Cluster": "labels",
    "gcp:redis/instance:Instance": "labels",
    "gcp:secretmanager/regionalSecret:RegionalSecret": "labels",
    "gcp:secretmanager/secret:Secret": "labels",
    "gcp:sql/databaseInstance:DatabaseInstance": "settings.userLabels",
    "gcp:storage/bucket:Bucket": "labels",
    "gcp:workflows/workflow:Workflow": "labels",
}
DEFAULT_REQUIRED_LABELS: Final = ("env", "app", "owner")


def _check_labels(args: ResourceValidationArgs, report: Report) -> None:
    path = LABEL_PATHS[args.resource_type]
    raw = get(args.props, path)
    if is_unknown(raw):
        return
    labels = entries(raw)
    if path == "labels" and args.provider is not None:
        labels = {**provider_default_labels(args.provider.props), **labels}
    required = param_strs(args.get_config(), "requiredLabels", DEFAULT_REQUIRED_LABELS)
    missing = [key for key in required if key not in labels]
    if missing:
        report(f"{label(args)}: {path} must include {', '.join(missing)}.")


POLICIES: Final = [
    resource_policy(
        name="gcp-resource-labels-required",
        resource_types=LABEL_PATHS.keys(),
        check=_check_labels,
        config_schema=schema(
            {"requiredLabels": {**STRING_LIST, "default": list(DEFAULT_REQUIRED_LABELS)}}
        ),
    ),
]

"""Fixture args shared by the component scenarios.

Values are deliberately unlike either stack file's (another project, env, tier, schedule...),
so a test that passes shows the component passing its args through, never a stack's values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, TypeVar

import pulumi

from components.data_store import DataStoreArgs
from components.section_args import SectionArgs

SettingsT = TypeVar("SettingsT")

ENV: Final = "test"
# The mock stack's project and region (`gcp:project`, `gcp:region`) that every scenario runs in.
PROJECT: Final = "test-project"
REGION: Final = "us-central1"
LABELS: Final = {"app": "fixture-app", "env": ENV, "owner": "fixture-team"}
NETWORK_ID: Final = f"projects/{PROJECT}/global/networks/fixture-vpc"
SUBNET_ID: Final = f"projects/{PROJECT}/regions/{REGION}/subnetworks/fixture-subnet"


def secret_id(name: str) -> str:
    """The id of a secret the scenario does not declare itself."""
    return f"projects/{PROJECT}/secrets/{ENV}-{name}"


def member(account: str) -> str:
    """An IAM member for a service account of the fixture project."""
    return f"serviceAccount:{account}@{PROJECT}.iam.gserviceaccount.com"


def section_args(settings: SettingsT, protect: bool) -> SectionArgs[SettingsT]:
    """The args of a component built from one stack-file section, in the fixture stack."""
    return SectionArgs(env=ENV, project=PROJECT, settings=settings, labels=LABELS, protect=protect)


def data_store_args(
    settings: SettingsT,
    protect: bool,
    url_secret: str,
    depends_on: Sequence[pulumi.Resource] = (),
) -> DataStoreArgs[SettingsT]:
    """The args of a private data store in the fixture network, its URL going to the secret
    `url_secret` (a name as `secret_id` takes it)."""
    return DataStoreArgs(
        network_id=NETWORK_ID,
        project=PROJECT,
        region=REGION,
        settings=settings,
        url_secret_id=secret_id(url_secret),
        labels=LABELS,
        protect=protect,
        depends_on=list(depends_on),
    )

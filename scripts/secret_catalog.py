"""A stack's secret catalog, as the program declares it: read from `Pulumi.<stack>.yaml`.

The same reader and validation the Pulumi program uses (`preflight.stack_file` and
`settings.load_settings`), so the scripts see exactly the secrets, accessors and rotation the
stack declares; bad config is one line naming the stack file, the key and the problem.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

from preflight.stack_file import StackFileError, read_stack_config
from settings import SettingsError, load_settings
from settings.secrets import SecretSpec

PROJECT_DIR = Path(__file__).resolve().parent.parent


class InputError(Exception):
    """Bad input (stack file, argument, archive): one line, exit code 2."""


@dataclass(frozen=True)
class StackCatalog:
    """The secrets one stack declares, in the project that holds them."""

    stack: str
    project: str
    env: str
    rotation_days: int
    secrets: tuple[SecretSpec, ...]
    # The stack's secret backup key (`myhibachi:secretBackups`): its full name follows from the
    # stack file, and is the program's `secretBackupKey` stack output.
    backup_key: str

    @property
    def stack_file(self) -> str:
        """The file the catalog came from."""
        return f"Pulumi.{self.stack}.yaml"

    @property
    def names(self) -> tuple[str, ...]:
        """The secret ids, in catalog order."""
        return tuple(spec.name for spec in self.secrets)

    def secret_path(self, name: str) -> str:
        """The secret's resource name: `projects/{project}/secrets/{name}`."""
        return f"projects/{self.project}/secrets/{name}"

    def member(self, accessor: str) -> str:
        """The IAM member an accessor names: the project's own identities, or the member itself."""
        if accessor == "api":
            # components/identities.py: the API's service account is `{env}-api`.
            return f"serviceAccount:{self.env}-api@{self.project}.iam.gserviceaccount.com"
        return accessor


def stack_name(value: str) -> str:
    """The `--stack` argument: a stack name, as in `Pulumi.<stack>.yaml`."""
    if not re.fullmatch(r"[a-z][a-z0-9-]{0,39}", value):
        raise argparse.ArgumentTypeError("must be a stack name such as staging or production")
    return value


def load_catalog(stack: str, project_dir: Path = PROJECT_DIR) -> StackCatalog:
    """The validated catalog of `Pulumi.<stack>.yaml`; InputError on any bad config."""
    try:
        config = read_stack_config(project_dir, stack)
        settings = load_settings(stack, config.values)
    except (StackFileError, SettingsError) as error:
        raise InputError(str(error)) from None
    return StackCatalog(
        stack=stack,
        project=settings.project,
        env=settings.env,
        rotation_days=settings.secrets.rotation_days,
        secrets=settings.secrets.catalog,
        backup_key=settings.secret_backup_key,
    )

"""`myhibachi:secretBackups`: the Cloud KMS key that seals the encrypted secret backups.

Seed item 13.3 (docs/runbooks/secret-backups.md): `scripts/secret_backup.py` wraps each archive's
data key with this key. Who may seal (`exporters`: whoever runs the export) and who may open
(`breakGlassGroup`: a Google group, nobody else) are named here; the key rotates every
`rotationDays` (CIS Google Cloud 1.10: at most 90). The key ring and key names are fixed, so the
key's full name follows from the stack file alone (`key_name`).
"""

from __future__ import annotations

from typing import Final

from settings.fields import StackContext, integer, list_of, section, setting, text
from settings.patterns import EMAIL, IAM_MEMBER
from settings.reader import Fields

KMS_LOCATION: Final = r"global|us|europe|asia|[a-z]+-[a-z]+[1-9][0-9]?"
KEY_ID: Final = "secrets"


def key_ring_id(env: str) -> str:
    """The key ring of a stack's secret backup key."""
    return f"{env}-secret-backups"


@section
class SecretBackupSettings:
    """Where the key lives, how often it rotates, who seals with it and who may open."""

    break_glass_group: str = setting(
        "breakGlassGroup", text(EMAIL, "a Google group's address, such as break-glass@example.com")
    )
    exporters: tuple[str, ...] = setting(
        "exporters",
        list_of(
            text(IAM_MEMBER, "an IAM member such as group:devops@example.com"),
            non_empty="must name who runs the export",
        ),
    )
    # A multi-region keeps the key usable when the stack's region is lost.
    location: str = setting(
        "location", text(KMS_LOCATION, "a Cloud KMS location such as us or us-central1")
    )
    # Cloud KMS rotates after more than a day; CIS GCP 1.10 asks for 90 days at most.
    rotation_days: int = setting("rotationDays", integer(2, 90))

    @property
    def decrypter(self) -> str:
        """The one IAM member that may decrypt: the break-glass group."""
        return f"group:{self.break_glass_group}"

    def key_name(self, project: str, env: str) -> str:
        """`projects/P/locations/L/keyRings/R/cryptoKeys/K`: the key's full name."""
        return (
            f"projects/{project}/locations/{self.location}/keyRings/{key_ring_id(env)}"
            f"/cryptoKeys/{KEY_ID}"
        )

    def validate(self, fields: Fields, context: StackContext) -> None:
        """Who seals never opens: the break-glass group is not an exporter."""
        for member, item in zip(self.exporters, fields["exporters"].items(), strict=True):
            if member.lower() == self.decrypter.lower():
                raise item.fail(
                    "is the break-glass group: who seals the backups must not open them"
                )

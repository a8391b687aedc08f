"""The Cloud KMS key that seals the encrypted secret backups (seed item 13.3).

`scripts/secret_backup.py` wraps each archive's data key with this key
(docs/runbooks/secret-backups.md). Decisions:

- One key ring and one symmetric key per stack, named from the stack file (`key_ring_id`,
  `KEY_ID`), so the key's full name is known before it exists; it rotates every `rotationDays`
  (CIS Google Cloud 1.10). Rotation keeps the old versions: old archives still open.
- The key's whole IAM policy is declared here, authoritatively: decrypt for the break-glass
  group only, encrypt for the exporters only (who seals never opens). A grant made by hand
  elsewhere on the key shows up as drift and is removed by the next `pulumi up`.
- In production the key ring and the key carry `protect`, and the key its own deletion policy
  (`PREVENT`): destroying the key would make every archive unreadable.
"""

from __future__ import annotations

import json

import pulumi
from pulumi_gcp import kms

from components.component import Component
from components.durations import duration
from components.section_args import SectionArgs
from settings.secret_backups import KEY_ID, SecretBackupSettings, key_ring_id

DECRYPTER_ROLE = "roles/cloudkms.cryptoKeyDecrypter"
ENCRYPTER_ROLE = "roles/cloudkms.cryptoKeyEncrypter"


SecretBackupKeyArgs = SectionArgs[SecretBackupSettings]
"""The stack's env and project, and who seals and opens the backups."""


class SecretBackupKey(Component[SecretBackupKeyArgs]):
    """The key ring, the rotating key and the key's IAM policy."""

    type_token = "myhibachi:backups:SecretBackupKey"

    key: kms.CryptoKey
    key_id: pulumi.Output[str]
    key_ring: kms.KeyRing

    def _declare(self, name: str, args: SecretBackupKeyArgs) -> pulumi.Inputs:
        settings = args.settings
        kept = pulumi.ResourceOptions(parent=self, protect=args.protect)
        self.key_ring = kms.KeyRing(
            f"{name}-ring",
            project=args.project,
            location=settings.location,
            name=key_ring_id(args.env),
            opts=kept,
        )
        self.key = kms.CryptoKey(
            f"{name}-key",
            key_ring=self.key_ring.id,
            name=KEY_ID,
            purpose="ENCRYPT_DECRYPT",
            rotation_period=duration(settings.rotation_days),
            labels={**args.labels, "purpose": "secret-backups"},
            deletion_policy="PREVENT" if args.protect else "DELETE",
            opts=kept,
        )
        kms.CryptoKeyIAMPolicy(
            f"{name}-iam",
            crypto_key_id=self.key.id,
            policy_data=key_policy(settings),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.key_id = self.key.id
        return {"key_id": self.key_id}


def key_policy(settings: SecretBackupSettings) -> str:
    """The key's IAM policy: decrypt for the break-glass group, encrypt for the exporters."""
    bindings = [
        {"members": [settings.decrypter], "role": DECRYPTER_ROLE},
        {"members": sorted(set(settings.exporters)), "role": ENCRYPTER_ROLE},
    ]
    return json.dumps({"bindings": sorted(bindings, key=lambda b: str(b["role"]))}, sort_keys=True)

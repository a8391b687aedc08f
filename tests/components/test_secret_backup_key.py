"""The secret backups' key: a rotating key whose whole IAM policy lets one group decrypt."""

from __future__ import annotations

import json

from components.secret_backup_key import SecretBackupKey
from preflight.capture import Capture
from preflight.values import unwrapped
from settings.secret_backups import SecretBackupSettings
from tests.components.fixtures import ENV, LABELS, PROJECT, section_args
from tests.components.inventory import capture_fixture, inventory_test, protection_scenarios, run

KEY = "gcp:kms/cryptoKey:CryptoKey"
RING = "gcp:kms/keyRing:KeyRing"
POLICY = "gcp:kms/cryptoKeyIAMPolicy:CryptoKeyIAMPolicy"
SETTINGS = SecretBackupSettings(
    break_glass_group="fixture-glass@example.test",
    exporters=("serviceAccount:fixture-exporter@test-project.iam.gserviceaccount.com",),
    location="europe",
    rotation_days=30,
)


SCENARIOS = protection_scenarios(
    "secret_backup_key",
    lambda protect: SecretBackupKey("secret-backups", section_args(SETTINGS, protect)),
)


test_matches_its_inventory = inventory_test(SCENARIOS)


protected = capture_fixture(SCENARIOS[0])


def test_the_key_rotates_as_the_settings_say(protected: Capture) -> None:
    key = unwrapped(protected.one(KEY).inputs)
    assert key["rotationPeriod"] == f"{30 * 86_400}s"
    assert key["purpose"] == "ENCRYPT_DECRYPT"
    assert key["keyRing"] == protected.one(RING).id
    assert key["labels"] == {**LABELS, "purpose": "secret-backups"}
    ring = unwrapped(protected.one(RING).inputs)
    assert (ring["location"], ring["name"], ring["project"]) == (
        "europe",
        f"{ENV}-secret-backups",
        PROJECT,
    )


def test_its_full_name_is_known_from_the_settings(protected: Capture) -> None:
    assert protected.one(KEY).id == SETTINGS.key_name(PROJECT, ENV)


def test_only_the_break_glass_group_decrypts_and_only_exporters_encrypt(
    protected: Capture,
) -> None:
    policy = unwrapped(protected.one(POLICY).inputs)
    assert policy["cryptoKeyId"] == protected.one(KEY).id
    bindings = {b["role"]: b["members"] for b in json.loads(policy["policyData"])["bindings"]}
    assert bindings == {
        "roles/cloudkms.cryptoKeyDecrypter": ["group:fixture-glass@example.test"],
        "roles/cloudkms.cryptoKeyEncrypter": list(SETTINGS.exporters),
    }


def test_production_keeps_the_key_both_ways(protected: Capture) -> None:
    assert protected.one(KEY).protect and protected.one(RING).protect
    assert protected.one(KEY).inputs["deletionPolicy"] == "PREVENT"
    destroyable = run(SCENARIOS[1])
    assert not destroyable.one(KEY).protect and not destroyable.one(RING).protect
    assert destroyable.one(KEY).inputs["deletionPolicy"] == "DELETE"

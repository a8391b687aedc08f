"""What every backup bucket is (`components/backup_bucket.py`), checked alike in the tests of each
component that declares one: the database exports' and the code bundles'."""

from __future__ import annotations

from typing import Any

from preflight.capture import Capture
from preflight.values import unwrapped
from tests.components.fixtures import LABELS

BUCKET = "gcp:storage/bucket:Bucket"


def assert_backup_bucket(capture: Capture, *, retention_days: int, location: str) -> dict[str, Any]:
    """Assert that the capture's one bucket is private, keeps each object `retention_days` days
    with no other protection scheme, is never force-destroyed, lives in `location` and is
    labelled a backup; return its inputs for the component's own checks."""
    bucket: dict[str, Any] = unwrapped(capture.one(BUCKET).inputs)
    assert bucket["uniformBucketLevelAccess"] is True
    assert bucket["publicAccessPrevention"] == "enforced"
    # Cloud Storage refuses Object Versioning beside a retention policy: retention alone.
    assert "versioning" not in bucket
    # The provider types the period as a string of seconds.
    assert bucket["retentionPolicy"]["retentionPeriod"] == str(retention_days * 86_400)
    assert bucket["forceDestroy"] is False
    assert bucket["location"] == location
    assert bucket["labels"] == {**LABELS, "purpose": "backup"}
    return bucket

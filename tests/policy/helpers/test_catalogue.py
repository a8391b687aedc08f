"""The policy catalogue: one entry per policy, joined at construction, malformed entries refused
with one line naming the file, the policy and the key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi_policy import EnforcementLevel, Severity

from policy.myhibachi_policy.gcp_monitoring import SECURITY_EVENTS, SecurityEvent
from policy.myhibachi_policy.helpers import catalogue as cat
from policy.myhibachi_policy.helpers.construction import resource_policy, stack_policy
from policy.myhibachi_policy.index import all_policies, policies_by_name

GOOD = """
[some-policy]
description = "Something holds (seed item 1)."
severity = "high"
tags = ["gcp", "thing"]
remediation = "Make it hold."
"""


@pytest.fixture
def catalogue_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A catalogue of the test's own, read afresh; the pack's is read again afterwards."""
    path = tmp_path / "catalogue.toml"
    path.write_text(GOOD)
    monkeypatch.setattr(cat, "CATALOGUE_PATH", path)
    cat.catalogue.cache_clear()
    yield path
    cat.catalogue.cache_clear()


def test_every_policy_has_an_entry_and_every_entry_a_policy() -> None:
    assert list(cat.catalogue()) == [policy.name for policy in all_policies()]


def test_a_policy_carries_its_entry() -> None:
    policy = policies_by_name()["gcp-storage-bucket-uniform-access"]
    assert policy.description.startswith("Buckets use uniform bucket-level access")
    assert policy.severity == Severity.HIGH
    assert policy.tags == ["gcp", "storage", "CKV_GCP_29", "public-access"]
    assert policy.framework is not None
    assert (policy.framework.name, policy.framework.version, policy.framework.reference) == (
        cat.CIS_GCP,
        cat.CIS_GCP_VERSION,
        "5.2",
    )
    assert policy.enforcement_level == EnforcementLevel.MANDATORY
    assert policy.remediation_steps == "Set uniformBucketLevelAccess = true."


def test_enforcement_defaults_to_mandatory_and_may_be_advisory() -> None:
    by_name = policies_by_name()
    assert by_name["gcp-resource-labels-required"].enforcement_level == EnforcementLevel.ADVISORY
    assert by_name["gcp-sql-instance-tls-required"].framework is not None
    assert by_name["gcp-sql-instance-protected"].framework is None


@pytest.mark.parametrize(
    "name",
    ["gcp-storage-bucket-iam-no-public-principals", "gcp-secretmanager-iam-no-public-principals"],
)
def test_no_public_principals_policies_are_critical_cis_5_1(name: str) -> None:
    policy = policies_by_name()[name]
    assert policy.severity == Severity.CRITICAL
    assert policy.framework is not None and policy.framework.reference == "5.1"
    assert policy.tags is not None and policy.tags[-2:] == ["iam", "public-access"]


@pytest.mark.parametrize("event", SECURITY_EVENTS, ids=lambda event: event.policy)
def test_security_event_entries_match_their_events(event: SecurityEvent) -> None:
    # The monitoring module reports with the event's section and wording; its entry says the same.
    policy = policies_by_name()[event.policy]
    assert policy.framework is not None and policy.framework.reference == event.reference
    assert f"exactly {event.what} (" in policy.description
    assert policy.description.endswith(f"(CIS GCP {event.reference}).")


def test_entry_joins_name_and_logic(catalogue_file: Path) -> None:
    policy = stack_policy(name="some-policy", check=lambda args, report: None)
    assert (policy.name, policy.description, policy.remediation_steps) == (
        "some-policy",
        "Something holds (seed item 1).",
        "Make it hold.",
    )
    assert (policy.severity, policy.tags, policy.framework) == (
        Severity.HIGH,
        ["gcp", "thing"],
        None,
    )
    assert policy.enforcement_level == EnforcementLevel.MANDATORY


def test_a_policy_without_an_entry_is_refused(catalogue_file: Path) -> None:
    with pytest.raises(cat.CatalogueError) as error:
        resource_policy(name="other-policy", resource_types=[], check=lambda args, report: None)
    assert str(error.value) == f"{catalogue_file}: no entry for policy [other-policy]"


def test_an_entry_without_a_policy_is_refused(catalogue_file: Path) -> None:
    cat.check_complete(["some-policy"])
    with pytest.raises(cat.CatalogueError) as error:
        cat.check_complete(["renamed-policy"])
    assert str(error.value) == f"{catalogue_file}: entries without a policy: some-policy"


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (
            ('severity = "high"', 'severity = "severe"'),
            "severity must be one of low, medium, high, critical",
        ),
        (('severity = "high"', "severity = 3"), "severity must be a non-empty string"),
        (
            ('tags = ["gcp", "thing"]', "tags = []"),
            "tags must be a non-empty list of non-empty strings",
        ),
        (
            ('tags = ["gcp", "thing"]', 'tags = "gcp"'),
            "tags must be a non-empty list of non-empty strings",
        ),
        (('remediation = "Make it hold."', ""), "remediation is missing"),
        (
            ('remediation = "Make it hold."', 'remediation = " "'),
            "remediation must be a non-empty string",
        ),
        (('tags = ["gcp", "thing"]', 'tags = ["gcp"]\nurl = "x"'), "unknown key url"),
        (
            ('tags = ["gcp", "thing"]', 'tags = ["gcp"]\nenforcement = "strict"'),
            "enforcement must be one of advisory, mandatory, remediate, disabled",
        ),
    ],
)
def test_a_malformed_entry_gives_one_line(
    catalogue_file: Path, edit: tuple[str, str], problem: str
) -> None:
    catalogue_file.write_text(GOOD.replace(*edit))
    with pytest.raises(cat.CatalogueError) as error:
        cat.catalogue()
    assert str(error.value) == f"{catalogue_file}: [some-policy] {problem}"


def test_an_unreadable_catalogue_gives_one_line(catalogue_file: Path) -> None:
    catalogue_file.write_text("[some-policy\n")
    with pytest.raises(cat.CatalogueError) as error:
        cat.catalogue()
    assert str(error.value).startswith(f"{catalogue_file}: ")
    assert "\n" not in str(error.value)


def test_cis_entries_name_the_benchmark(catalogue_file: Path) -> None:
    catalogue_file.write_text(
        GOOD.replace('tags = ["gcp", "thing"]', 'tags = ["gcp"]\ncis = "6.4"')
    )
    framework = cat.entry("some-policy").framework
    assert framework is not None
    assert (framework.name, framework.version, framework.reference) == (
        "CIS Google Cloud Platform Foundation Benchmark",
        "3.0.0",
        "6.4",
    )

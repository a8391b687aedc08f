"""A check that reads an unknown value outside the helpers ends as "could not verify", naming the
property, unless it already reported a violation; it never passes silently."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from pulumi_policy import PolicyResource, ResourceValidationArgs, StackValidationArgs
from pulumi_policy.proxy import unknown_checking_proxy

from policy.myhibachi_policy.helpers.construction import (
    Report,
    StackReport,
    resource_policy,
    stack_policy,
)
from tests.policy.support import (
    UNKNOWN,
    NotApplicableError,
    ResourceArgs,
    StackArgs,
    resource_options,
)

BUCKET = "gcp:storage/bucket:Bucket"
NAME = "gcp-storage-bucket-uniform-access"  # any catalogued name: the policy is built, not run


def _recorder(messages: list[str]) -> Any:
    def record(message: str, urn: str | None = None) -> None:
        messages.append(message)

    return record


def _reads_then_maybe_reports(report_first: bool) -> Any:
    def check(args: ResourceValidationArgs, report: Report) -> None:
        if report_first:
            report("a known violation")
        if args.props["settings"]["ipv4Enabled"]:
            report("public")

    return check


def _run_resource(report_first: bool) -> tuple[list[str], list[str]]:
    policy = resource_policy(
        name=NAME, resource_types=[BUCKET], check=_reads_then_maybe_reports(report_first)
    )
    skipped: list[str] = []
    messages: list[str] = []
    args = ResourceArgs(
        skipped,
        resource_type=BUCKET,
        props=unknown_checking_proxy({"settings": {"ipv4Enabled": UNKNOWN}}),
        urn="urn:bucket",
        name="bucket",
        opts=resource_options(protect=True),
        provider=None,
    )
    with contextlib.suppress(NotApplicableError):
        policy.validate(args, _recorder(messages))
    return skipped, messages


def test_an_unknown_read_outside_the_helpers_is_could_not_verify() -> None:
    skipped, messages = _run_resource(report_first=False)
    assert messages == []
    assert len(skipped) == 1
    assert skipped[0].startswith("could not verify: ")
    assert ".settings.ipv4Enabled" in skipped[0]


def test_a_violation_reported_before_the_unknown_stands() -> None:
    skipped, messages = _run_resource(report_first=True)
    assert messages == ["a known violation"]
    assert skipped == []


@pytest.mark.parametrize("report_first", [False, True])
def test_a_stack_policy_follows_the_same_rule(report_first: bool) -> None:
    def check(args: StackValidationArgs, report: StackReport) -> None:
        if report_first:
            report("a known violation", None)
        for resource in args.resources:
            if resource.props["versioning"]["enabled"]:
                report("versioned", resource.urn)

    policy = stack_policy(name="gcp-logging-audit-trail-retained", check=check)
    bucket = PolicyResource(
        BUCKET,
        unknown_checking_proxy({"versioning": {"enabled": UNKNOWN}}),
        "urn:bucket",
        "bucket",
        resource_options(protect=True),
        None,
        None,
        [],
        {},
    )
    skipped: list[str] = []
    messages: list[str] = []
    with contextlib.suppress(NotApplicableError):
        policy.validate(
            StackArgs(skipped, resources=[bucket]),
            _recorder(messages),
        )

    if report_first:
        assert (messages, skipped) == (["a known violation"], [])
    else:
        assert messages == []
        assert len(skipped) == 1
        assert ".versioning.enabled" in skipped[0]

"""Diffs between two captures: what a change updates, replaces and deletes, secrets masked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from preflight.capture import Capture
from preflight.diff import ResourceChange, diff_captures
from preflight.render_text import render_stack
from preflight.report import StackReport
from preflight.values import SECRET_MASK
from tests.conftest import captured, stack_document

Run = Callable[[str, dict[str, Any]], Capture]


def changed(changes: list[ResourceChange]) -> dict[str, ResourceChange]:
    return {c.name: c for c in changes if c.operation != "same"}


def test_no_change_means_every_resource_is_the_same(run_with_config: Run) -> None:
    again = run_with_config("staging", stack_document("staging"))
    assert changed(diff_captures(captured("staging"), again)) == {}


def test_without_a_base_everything_is_created(staging: Capture) -> None:
    operations = {c.operation for c in diff_captures(None, staging)}
    assert operations == {"create"}


def test_a_setting_change_is_an_update_of_that_property(run_with_config: Run) -> None:
    document = stack_document("staging")
    document["config"]["myhibachi:database"]["retainedBackups"] = 14
    changes = changed(diff_captures(captured("staging"), run_with_config("staging", document)))
    assert list(changes) == ["database-instance"]
    instance = changes["database-instance"]
    assert instance.operation == "update"
    assert [(p.path, p.old, p.new) for p in instance.properties] == [
        ("settings.backupConfiguration.backupRetentionSettings.retainedBackups", 30, 14)
    ]
    assert not instance.dangerous


def test_replacing_a_stateful_resource_stands_out(run_with_config: Run) -> None:
    document = stack_document("production")
    document["config"]["myhibachi:cache"]["tier"] = "BASIC"
    changes = changed(
        diff_captures(captured("production"), run_with_config("production", document))
    )
    redis = changes["cache-redis"]
    assert redis.operation == "replace"
    assert redis.replace_reasons == ("tier",)
    assert redis.protected and redis.stateful and redis.dangerous


def test_removing_a_secret_deletes_it_and_its_binding(run_with_config: Run) -> None:
    document = stack_document("staging")
    catalog = document["config"]["myhibachi:secrets"]["catalog"]
    document["config"]["myhibachi:secrets"]["catalog"] = [
        entry for entry in catalog if not entry["name"].endswith("SENTRY_DSN")
    ]
    changes = changed(diff_captures(captured("staging"), run_with_config("staging", document)))
    deleted = {name for name, c in changes.items() if c.operation == "delete"}
    assert deleted == {
        "secrets-staging-backend-SENTRY_DSN",
        "secrets-staging-backend-SENTRY_DSN-api-accessor",
    }
    assert changes["secrets-staging-backend-SENTRY_DSN"].dangerous


def test_secret_changes_show_masked(run_with_config: Run) -> None:
    document = stack_document("staging")
    document["config"]["myhibachi:database"]["user"] = "booking_app"
    changes = changed(diff_captures(captured("staging"), run_with_config("staging", document)))
    url = changes["database-url-version"]
    secret_change = next(p for p in url.properties if p.path == "secretData")
    assert (secret_change.old, secret_change.new) == (SECRET_MASK, SECRET_MASK)
    assert url.operation == "replace"


def test_against_a_base_the_tree_shows_only_changes_and_their_components(
    run_with_config: Run,
) -> None:
    document = stack_document("staging")
    document["config"]["myhibachi:database"]["retainedBackups"] = 14
    head = run_with_config("staging", document)
    report = StackReport(head, diff_captures(captured("staging"), head), base_ref="main")
    rows = [line for line in render_stack(report).splitlines() if "─ " in line]
    assert [row.split()[-2:] for row in rows] == [
        ["database", "same"],
        ["database-instance", "update"],
    ]
    assert "retainedBackups: 30 => 14" in render_stack(report)

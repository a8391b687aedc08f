"""`scripts/verify_secrets.py`: each kind of problem is one line and exit 1; healthy is exit 0."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from google.api_core import exceptions

from scripts import verify_secrets
from scripts.secret_catalog import StackCatalog, load_catalog
from scripts.secret_clients import ACCESSOR_ROLE
from tests.conftest import PROJECT_DIR, STACKS, stack_document
from tests.scripts.fakes import NOW, FakeSecretManager, State, api_error, canary, healthy_store

API = "serviceAccount:staging-api@my-hibachi-staging.iam.gserviceaccount.com"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run(stack: str, store: FakeSecretManager) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = verify_secrets.main(
        ["--stack", stack], clients=lambda: store, now=lambda: NOW, stdout=out, stderr=err
    )
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def catalog() -> StackCatalog:
    return load_catalog("staging", PROJECT_DIR)


@pytest.mark.parametrize("stack", STACKS)
def test_a_healthy_stack_passes(stack: str) -> None:
    catalog = load_catalog(stack, PROJECT_DIR)
    store = healthy_store(catalog)
    result = run(stack, store)
    assert result.code == 0
    assert result.out == ""
    assert result.err == f"{stack}: {len(catalog.secrets)} secrets checked, no problems\n"
    # Metadata and IAM policies only: no value is ever read.
    assert not any(call.startswith("access_secret_version") for call in store.calls)


def test_the_api_account_is_the_one_the_program_creates(catalog: StackCatalog) -> None:
    assert catalog.member("api") == API
    assert catalog.member("group:devops@myhibachichef.com") == "group:devops@myhibachichef.com"


Break = Callable[[FakeSecretManager], None]


def _missing(store: FakeSecretManager) -> None:
    del store.secrets["staging-global-OPENAI_API_KEY"]


def _disabled(store: FakeSecretManager) -> None:
    store.secrets["staging-backend-SENTRY_DSN"].versions.append((canary("new"), State.DISABLED))


def _destroyed(store: FakeSecretManager) -> None:
    store.secrets["staging-backend-SENTRY_DSN"].versions.append((b"", State.DESTROYED))


def _no_version(store: FakeSecretManager) -> None:
    store.secrets["staging-frontend-web-NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY"].versions.clear()


def _overdue(store: FakeSecretManager) -> None:
    store.secrets["staging-global-STRIPE_SECRET_KEY"].next_rotation = NOW - timedelta(days=3)


def _period_too_long(store: FakeSecretManager) -> None:
    store.secrets["staging-global-STRIPE_SECRET_KEY"].rotation_period = timedelta(days=120)


def _no_rotation(store: FakeSecretManager) -> None:
    secret = store.secrets["staging-backend-REDIS_URL"]
    secret.next_rotation, secret.rotation_period = None, None


def _no_accessor(store: FakeSecretManager) -> None:
    store.secrets["staging-backend-DATABASE_URL"].bindings.clear()


def _another_role(store: FakeSecretManager) -> None:
    store.secrets["staging-backend-DATABASE_URL"].bindings = [
        ("roles/secretmanager.viewer", API, "")
    ]


def _conditional(store: FakeSecretManager) -> None:
    condition = 'request.time < timestamp("2027-01-01T00:00:00Z")'
    store.secrets["staging-backend-DATABASE_URL"].bindings = [(ACCESSOR_ROLE, API, condition)]


PROBLEMS: dict[str, tuple[Break, str]] = {
    "missing secret": (
        _missing,
        "staging-global-OPENAI_API_KEY: missing: no such secret in project my-hibachi-staging",
    ),
    "latest version disabled": (
        _disabled,
        "staging-backend-SENTRY_DSN: latest version 2 is DISABLED, not ENABLED: "
        "the API reads `latest`",
    ),
    "latest version destroyed": (
        _destroyed,
        "staging-backend-SENTRY_DSN: latest version 2 is DESTROYED, not ENABLED: "
        "the API reads `latest`",
    ),
    "no version": (
        _no_version,
        "staging-frontend-web-NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: no version: "
        "the API has nothing to read",
    ),
    "overdue rotation": (
        _overdue,
        "staging-global-STRIPE_SECRET_KEY: rotation overdue: next rotation time "
        "2027-02-26T12:00:00Z passed 3 days ago",
    ),
    "rotation period too long": (
        _period_too_long,
        "staging-global-STRIPE_SECRET_KEY: rotation period of 120 days is longer than the "
        "stack's rotationDays (90)",
    ),
    "no rotation": (
        _no_rotation,
        "staging-backend-REDIS_URL: no rotation schedule (the stack rotates every 90 days)",
    ),
    "missing accessor": (
        _no_accessor,
        f"staging-backend-DATABASE_URL: api ({API}) cannot access it: "
        f"no {ACCESSOR_ROLE} binding on the secret",
    ),
    "accessor with another role": (
        _another_role,
        f"staging-backend-DATABASE_URL: api ({API}) cannot access it: "
        f"no {ACCESSOR_ROLE} binding on the secret",
    ),
    "accessor only under a condition": (
        _conditional,
        f"staging-backend-DATABASE_URL: api ({API}) cannot access it: "
        f"no {ACCESSOR_ROLE} binding on the secret",
    ),
}


@pytest.mark.parametrize(("breaks", "line"), PROBLEMS.values(), ids=PROBLEMS.keys())
def test_each_problem_is_one_line_and_exit_1(
    catalog: StackCatalog, breaks: Break, line: str
) -> None:
    store = healthy_store(catalog)
    breaks(store)
    result = run("staging", store)
    assert result.code == 1
    assert result.out == line + "\n"
    assert result.err == f"staging: {len(catalog.secrets)} secrets checked, 1 problem\n"


def test_every_problem_is_reported_not_only_the_first(catalog: StackCatalog) -> None:
    store = healthy_store(catalog)
    for breaks, _ in PROBLEMS.values():
        if breaks not in (_destroyed, _another_role, _conditional):
            breaks(store)
    result = run("staging", store)
    assert result.code == 1
    expected = [
        line
        for breaks, line in PROBLEMS.values()
        if breaks not in (_destroyed, _another_role, _conditional)
    ]
    assert sorted(result.out.splitlines()) == sorted(expected)


def test_a_rotation_is_overdue_after_a_day_of_grace(catalog: StackCatalog) -> None:
    store = healthy_store(catalog)
    secret = store.secrets["staging-global-STRIPE_SECRET_KEY"]
    secret.next_rotation = NOW - timedelta(hours=23)
    assert run("staging", store).code == 0
    secret.next_rotation = NOW - timedelta(hours=25)
    late = run("staging", store)
    assert late.code == 1
    assert late.out == (
        "staging-global-STRIPE_SECRET_KEY: rotation overdue: next rotation time "
        "2027-02-28T11:00:00Z passed 1 day ago\n"
    )


def test_a_secret_without_accessors_needs_no_binding(catalog: StackCatalog) -> None:
    name = "staging-frontend-web-NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY"
    assert next(s for s in catalog.secrets if s.name == name).accessors == ()
    store = healthy_store(catalog)
    assert store.secrets[name].bindings == []
    assert run("staging", store).code == 0
    assert f"get_iam_policy projects/my-hibachi-staging/secrets/{name}" not in store.calls


def test_an_api_that_cannot_be_reached_is_exit_2(catalog: StackCatalog) -> None:
    store = healthy_store(catalog)
    store.failures["get_secret"] = api_error(
        exceptions.PermissionDenied, "Permission 'secretmanager.secrets.get' denied."
    )
    result = run("staging", store)
    assert result.code == 2
    assert result.out == ""
    assert result.err == (
        "error: staging-global-STRIPE_SECRET_KEY: PermissionDenied: "
        "Permission 'secretmanager.secrets.get' denied.\n"
    )


def test_a_missing_stack_file_is_one_line_and_exit_2() -> None:
    store = FakeSecretManager("unused")
    result = run("qa", store)
    assert result.code == 2
    assert result.err == (
        "error: Pulumi.qa.yaml: no such stack file (stacks are Pulumi.<stack>.yaml)\n"
    )
    assert store.calls == []


def test_a_bad_catalog_is_one_line_naming_file_and_key(tmp_path: Path) -> None:
    document = stack_document("staging")
    document["config"]["myhibachi:secrets"]["catalog"][0]["name"] = "prod-global-STRIPE_SECRET_KEY"
    (tmp_path / "Pulumi.staging.yaml").write_text(yaml.safe_dump(document))
    out, err = io.StringIO(), io.StringIO()
    code = verify_secrets.main(
        ["--stack", "staging"],
        clients=lambda: FakeSecretManager("unused"),
        project_dir=tmp_path,
        stdout=out,
        stderr=err,
    )
    assert code == 2
    assert err.getvalue().startswith(
        "error: Pulumi.staging.yaml: myhibachi:secrets.catalog[0].name: "
    )
    assert len(err.getvalue().splitlines()) == 1

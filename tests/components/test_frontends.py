"""Vercel: one project per app, its domain, its URLs and flags, keys as sensitive variables."""

from __future__ import annotations

import pytest

from components.frontends import Frontends, FrontendsArgs
from preflight.capture import Capture
from preflight.values import is_secret, unwrapped
from settings.frontends import FrontendApp, FrontendSettings
from tests.components.inventory import Scenario, capture_fixture, inventory_test, run

PROJECT = "vercel:index/project:Project"
DOMAIN = "vercel:index/projectDomain:ProjectDomain"
ENV_VAR = "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable"
SETTINGS = FrontendSettings(
    admin=FrontendApp(project_name="fixture-admin", root_directory="web/admin"),
    customer=FrontendApp(project_name="fixture-site", root_directory="web/site"),
    production_branch="release",
    repository="fixture-org/fixture-repo",
)
FLAGS = {"NEXT_PUBLIC_FEATURE_ONE": "true", "NEXT_PUBLIC_FEATURE_TWO": "false"}
HOSTS = {"admin": "admin.example.test", "customer": "www.example.test"}


def _frontends(publishable_key: str | None) -> None:
    Frontends(
        "frontends",
        FrontendsArgs(
            admin_host=HOSTS["admin"],
            api_url="https://api.example.test",
            feature_env=FLAGS,
            maps_browser_key="fixture-browser-key",
            settings=SETTINGS,
            site_host=HOSTS["customer"],
            stripe_publishable_key=publishable_key,
        ),
    )


SCENARIOS = [
    Scenario("frontends", "with-publishable-key", lambda: _frontends("fixture-publishable")),
    # A new stack's first `pulumi up`, before the key's first secret version exists.
    Scenario("frontends", "before-the-publishable-key", lambda: _frontends(None)),
]


test_matches_its_inventory = inventory_test(SCENARIOS)


frontends = capture_fixture(SCENARIOS[0])


def _env(capture: Capture, app: str) -> dict[str, str]:
    project_id = capture.one(PROJECT, f"frontends-{app}").id
    return {
        v.inputs["key"]: unwrapped(v.inputs["value"])
        for v in capture.by_type(ENV_VAR)
        if v.inputs["projectId"] == project_id
    }


@pytest.mark.parametrize("app", ["customer", "admin"])
def test_api_and_app_urls_and_flags(frontends: Capture, app: str) -> None:
    env = _env(frontends, app)
    assert env["NEXT_PUBLIC_API_URL"] == "https://api.example.test"
    assert env["NEXT_PUBLIC_APP_URL"] == f"https://{HOSTS[app]}"
    assert {k: v for k, v in env.items() if k.startswith("NEXT_PUBLIC_FEATURE_")} == FLAGS


def test_one_project_per_app_built_from_the_repository_on_its_domain(frontends: Capture) -> None:
    projects = {p.name: unwrapped(p.inputs) for p in frontends.by_type(PROJECT)}
    assert projects["frontends-admin"]["name"] == "fixture-admin"
    assert projects["frontends-customer"]["rootDirectory"] == "web/site"
    assert projects["frontends-customer"]["gitRepository"] == {
        "productionBranch": "release",
        "repo": "fixture-org/fixture-repo",
        "type": "github",
    }
    ids = {frontends.one(PROJECT, f"frontends-{app}").id: app for app in HOSTS}
    served = {ids[d.inputs["projectId"]]: d.inputs["domain"] for d in frontends.by_type(DOMAIN)}
    assert served == HOSTS


def test_the_admin_panel_is_protected_on_every_deployment(frontends: Capture) -> None:
    protection = {
        p.name: unwrapped(p.inputs)["vercelAuthentication"]["deploymentType"]
        for p in frontends.by_type(PROJECT)
    }
    assert protection == {
        "frontends-admin": "all_deployments",
        "frontends-customer": "standard_protection_new",
    }


def test_every_variable_targets_production_and_preview(frontends: Capture) -> None:
    for variable in frontends.by_type(ENV_VAR):
        assert sorted(variable.inputs["targets"]) == ["preview", "production"], variable.urn


def test_keys_are_sensitive_secrets_and_the_publishable_key_is_the_sites_only(
    frontends: Capture,
) -> None:
    keys = {
        (v.inputs["key"], v.inputs["projectId"]): v
        for v in frontends.by_type(ENV_VAR)
        if v.inputs["key"].endswith("_KEY")
    }
    site = frontends.one(PROJECT, "frontends-customer").id
    admin = frontends.one(PROJECT, "frontends-admin").id
    assert sorted(keys) == sorted(
        [
            ("NEXT_PUBLIC_GOOGLE_MAPS_BROWSER_KEY", admin),
            ("NEXT_PUBLIC_GOOGLE_MAPS_BROWSER_KEY", site),
            ("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", site),
        ]
    )
    for variable in keys.values():
        assert variable.inputs["sensitive"] is True
        assert is_secret(variable.inputs["value"])


def test_a_new_stack_can_go_up_before_the_publishable_key_exists() -> None:
    keys = {v.inputs["key"] for v in run(SCENARIOS[1]).by_type(ENV_VAR)}
    assert "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY" not in keys
    assert "NEXT_PUBLIC_API_URL" in keys

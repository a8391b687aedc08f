"""The project's APIs: enabled once, never disabled when the stack is destroyed."""

from __future__ import annotations

from components.services import REQUIRED_APIS, ProjectServices, ProjectServicesArgs
from preflight.values import unwrapped
from tests.components.fixtures import PROJECT
from tests.components.inventory import Scenario, inventory_test, run

SCENARIOS = [
    Scenario(
        "services",
        "required-apis",
        lambda: ProjectServices("services", ProjectServicesArgs(PROJECT)),
    ),
]


test_matches_its_inventory = inventory_test(SCENARIOS)


def test_every_required_api_is_enabled_and_never_disabled() -> None:
    services = [
        unwrapped(s.inputs) for s in run(SCENARIOS[0]).by_type("gcp:projects/service:Service")
    ]
    assert sorted(s["service"] for s in services) == sorted(REQUIRED_APIS)
    assert all(s["disableOnDestroy"] is False for s in services)
    assert all(s["disableDependentServices"] is False for s in services)

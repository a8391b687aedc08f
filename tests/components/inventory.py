"""Expected plans as data: each component built from fixture args, compared with a YAML inventory.

A scenario is a small program that declares one component from fixture args (plus, where the
component depends on one, a stand-in for what it depends on). Its inventory,
`tests/components/inventories/<component>/<scenario>.yaml`, holds what the scenario registers:
the count of resources per type and, per resource (by Pulumi name), its type, parent, options
and inputs, with secrets as `[secret]`. A test passes when the inventory is a subset of what the
scenario registers (a key set to `__missing__` must be absent) and the counts are equal, so an
inventory may be trimmed to what matters, and any added or removed resource shows up.

    .venv/bin/python -m tests.components.inventory          # check every scenario
    .venv/bin/python -m tests.components.inventory --write  # rewrite inventories from the code

Reviewers read a changed inventory in the diff as the change to the plan.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from preflight.capture import Capture, CapturedResource, capture_program
from preflight.stack_file import StackConfig
from preflight.values import masked
from tests.components.fixtures import PROJECT, REGION

INVENTORIES = Path(__file__).resolve().parent / "inventories"
MISSING = "__missing__"
_HEADER = (
    "# What the scenario registers; regenerate with\n"
    "#   .venv/bin/python -m tests.components.inventory --write\n"
    "# and review the diff: it is the change to the plan.\n"
)


@dataclass(frozen=True)
class Scenario:
    """One way of building a component, from fixture args."""

    component: str
    name: str
    build: Callable[[], object]

    @property
    def path(self) -> Path:
        """Where this scenario's inventory lives."""
        return INVENTORIES / self.component / f"{self.name}.yaml"

    def __str__(self) -> str:
        return f"{self.component}/{self.name}"


def protection_scenarios(component: str, build: Callable[[bool], object]) -> list[Scenario]:
    """The component built with `protect` on (`protected`, as production) and off
    (`destroyable`), from a builder that takes `protect`."""
    return [
        Scenario(component, "protected", lambda: build(True)),
        Scenario(component, "destroyable", lambda: build(False)),
    ]


def run(scenario: Scenario) -> Capture:
    """Register the scenario's resources under the mocks (project `test-project`)."""
    config = StackConfig("test", {"gcp:project": PROJECT, "gcp:region": REGION})

    def program() -> None:
        scenario.build()  # what it returns (the component) is not needed

    return capture_program(program, config)


def inventory(capture: Capture) -> dict[str, Any]:
    """The full inventory of a capture: counts by type and every resource by name."""
    names = {resource.urn: resource.name for resource in capture.resources}
    counts: dict[str, int] = {}
    resources: dict[str, Any] = {}
    for resource in capture.resources:
        counts[resource.type] = counts.get(resource.type, 0) + 1
        resources[resource.name] = _entry(resource, names)
    return {"counts": dict(sorted(counts.items())), "resources": dict(sorted(resources.items()))}


def _entry(resource: CapturedResource, names: dict[str, str]) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": resource.type}
    if resource.parent in names:
        entry["parent"] = names[resource.parent]
    if resource.protect:
        entry["protect"] = True
    if resource.ignore_changes:
        entry["ignoreChanges"] = sorted(resource.ignore_changes)
    depends = sorted(names.get(urn, urn) for urn in resource.dependencies)
    if depends:
        entry["dependsOn"] = depends
    if resource.custom:
        entry["inputs"] = _sorted(masked(resource.inputs))
    return entry


def _sorted(value: Any) -> Any:
    # Inputs arrive in the order of a protobuf map; sorted, two runs write the same file.
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


def differences(expected: Any, actual: Any, path: str = "") -> Iterator[str]:
    """Where `actual` does not hold `expected` (a subset match; `__missing__` = must be absent)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            yield f"{path or '.'}: expected an object, got {actual!r}"
            return
        for key, value in expected.items():
            where = f"{path}.{key}" if path else str(key)
            if value == MISSING:
                if key in actual:
                    yield f"{where}: expected absent, got {actual[key]!r}"
            elif key not in actual:
                yield f"{where}: missing"
            else:
                yield from differences(value, actual[key], where)
    elif isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            yield f"{path}: expected {expected!r}, got {actual!r}"
            return
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            yield from differences(want, got, f"{path}[{index}]")
    elif expected != actual:
        yield f"{path}: expected {expected!r}, got {actual!r}"


def check(scenario: Scenario) -> list[str]:
    """Every way the scenario's registrations differ from its inventory."""
    if not scenario.path.is_file():
        return [f"{scenario.path.relative_to(INVENTORIES.parent)}: no inventory; run --write"]
    expected = yaml.safe_load(scenario.path.read_text(encoding="utf-8"))
    actual = inventory(run(scenario))
    problems = list(differences(expected.get("resources", {}), actual["resources"], "resources"))
    if expected.get("counts") != actual["counts"]:
        problems.append(f"counts: expected {expected.get('counts')}, got {actual['counts']}")
    return problems


def inventory_test(scenarios: Sequence[Scenario]) -> Callable[[Scenario], None]:
    """A test, parametrized per scenario: what it registers matches its inventory. Bind it to
    `test_matches_its_inventory` in the component's test module."""

    @pytest.mark.parametrize("scenario", scenarios, ids=str)
    def test(scenario: Scenario) -> None:
        assert check(scenario) == []

    return test


def capture_fixture(scenario: Scenario) -> Callable[[], Capture]:
    """A module-scoped fixture: the scenario's registrations, made once for the module's tests.
    Bind it to the fixture's name in the component's test module (`ha = capture_fixture(...)`)."""

    @pytest.fixture(scope="module")
    def fixture() -> Capture:
        return run(scenario)

    return fixture


def write(scenario: Scenario) -> None:
    """Write the scenario's full inventory."""
    scenario.path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(inventory(run(scenario)), sort_keys=False, width=100)
    scenario.path.write_text(_HEADER + text, encoding="utf-8")


def all_scenarios() -> list[Scenario]:
    """The `SCENARIOS` of every component test module."""
    package = Path(__file__).resolve().parent
    found: list[Scenario] = []
    for module in pkgutil.iter_modules([str(package)]):
        if module.name.startswith("test_"):
            loaded = importlib.import_module(f"tests.components.{module.name}")
            found.extend(getattr(loaded, "SCENARIOS", ()))
    return found


def main(argv: list[str]) -> int:
    """Check every scenario, or with --write rewrite their inventories."""
    failed = 0
    for scenario in all_scenarios():
        if "--write" in argv:
            write(scenario)
            print(f"wrote {scenario.path.relative_to(INVENTORIES.parent.parent.parent)}")
            continue
        for problem in check(scenario):
            failed += 1
            print(f"{scenario}: {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The inventory comparison itself: it catches each kind of drift it is meant to catch."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.components import inventory
from tests.components.inventory import MISSING, Scenario, check, differences
from tests.components.test_cache import SCENARIOS


def test_subset_match_reports_changed_missing_and_forbidden_keys() -> None:
    actual = {"a": 1, "b": {"c": [1, 2]}, "d": "x"}
    assert list(differences({"a": 1, "b": {"c": [1, 2]}}, actual)) == []
    assert list(differences({"a": 2}, actual)) == ["a: expected 2, got 1"]
    assert list(differences({"e": 1}, actual)) == ["e: missing"]
    assert list(differences({"d": MISSING}, actual)) == ["d: expected absent, got 'x'"]
    assert list(differences({"b": {"c": [1]}}, actual)) == ["b.c: expected [1], got [1, 2]"]


def test_a_drifted_inventory_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario: Scenario = SCENARIOS[0]
    document = yaml.safe_load(scenario.path.read_text())
    document["resources"]["cache-redis"]["inputs"]["authEnabled"] = False
    document["counts"]["gcp:redis/instance:Instance"] = 2
    monkeypatch.setattr(inventory, "INVENTORIES", tmp_path)
    scenario.path.parent.mkdir(parents=True)
    scenario.path.write_text(yaml.safe_dump(document))
    problems = check(scenario)
    assert "resources.cache-redis.inputs.authEnabled: expected False, got True" in problems
    assert any(problem.startswith("counts: expected") for problem in problems)


def test_every_inventory_file_belongs_to_a_scenario() -> None:
    # A renamed or removed scenario must take its expected plan with it.
    expected = {scenario.path for scenario in inventory.all_scenarios()}
    found = set(inventory.INVENTORIES.glob("*/*.yaml"))
    assert sorted(map(str, found - expected)) == []

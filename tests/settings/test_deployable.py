"""What only a deploy refuses: production's placeholder Cloudflare zone id, at `pulumi up`."""

from __future__ import annotations

import json

import pytest

from preflight.stack_file import read_stack_config
from settings import SettingsError, load_settings
from settings.stack import PLACEHOLDER_ZONE_ID, StackSettings, check_deployable
from tests.conftest import PROJECT_DIR


def settings_with_zone(stack: str, zone_id: str) -> StackSettings:
    values = dict(read_stack_config(PROJECT_DIR, stack).values)
    edge = json.loads(values["myhibachi:edge"])
    edge["zoneId"] = zone_id
    values["myhibachi:edge"] = json.dumps(edge)
    return load_settings(stack, values)


def test_production_refuses_the_placeholder_zone_id() -> None:
    warnings: list[str] = []
    with pytest.raises(SettingsError) as raised:
        check_deployable(settings_with_zone("production", PLACEHOLDER_ZONE_ID), warnings.append)
    assert str(raised.value).startswith(
        "Pulumi.production.yaml: myhibachi:edge.zoneId: is the placeholder zone id"
    )
    assert warnings == []


def test_staging_warns_and_a_real_zone_id_passes() -> None:
    warnings: list[str] = []
    check_deployable(settings_with_zone("staging", PLACEHOLDER_ZONE_ID), warnings.append)
    assert len(warnings) == 1 and "placeholder zone id" in warnings[0]
    check_deployable(settings_with_zone("production", "f" * 32), warnings.append)
    assert len(warnings) == 1

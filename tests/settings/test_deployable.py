"""The Cloudflare zone id: optional (the zone is looked up by its name); the placeholder id is
refused in production whenever the settings load, and warned about at `pulumi up` elsewhere."""

from __future__ import annotations

import json

import pytest

from preflight.stack_file import read_stack_config
from settings import SettingsError, load_settings
from settings.stack import PLACEHOLDER_ZONE_ID, StackSettings, warn_before_deploy
from tests.conftest import PROJECT_DIR, STACKS


def settings_with_zone(stack: str, zone_id: str) -> StackSettings:
    values = dict(read_stack_config(PROJECT_DIR, stack).values)
    edge = json.loads(values["myhibachi:edge"])
    edge["zoneId"] = zone_id
    values["myhibachi:edge"] = json.dumps(edge)
    return load_settings(stack, values)


def test_production_refuses_the_placeholder_zone_id() -> None:
    with pytest.raises(SettingsError) as raised:
        settings_with_zone("production", PLACEHOLDER_ZONE_ID)
    message = str(raised.value)
    assert message.startswith(
        "Pulumi.production.yaml: myhibachi:edge.zoneId: is the placeholder zone id"
    )
    assert "\n" not in message
    assert "look the zone up by its name" in message


def test_staging_warns_and_a_real_zone_id_passes() -> None:
    warnings: list[str] = []
    warn_before_deploy(settings_with_zone("staging", PLACEHOLDER_ZONE_ID), warnings.append)
    assert len(warnings) == 1 and "placeholder zone id" in warnings[0]
    assert warnings[0].startswith("Pulumi.staging.yaml: myhibachi:edge.zoneId: ")
    pinned = settings_with_zone("production", "f" * 32)
    assert pinned.edge.zone_id == "f" * 32
    warn_before_deploy(pinned, warnings.append)
    assert len(warnings) == 1


@pytest.mark.parametrize("stack", STACKS)
def test_the_shipped_stack_files_look_the_zone_up_by_name(stack: str) -> None:
    settings = load_settings(stack, read_stack_config(PROJECT_DIR, stack).values)
    assert settings.edge.zone_id is None
    assert settings.domain.zone == "myhibachichef.com"
    warnings: list[str] = []
    warn_before_deploy(settings, warnings.append)
    assert warnings == []

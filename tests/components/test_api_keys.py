"""The Maps keys: a referrer-restricted browser key and an API-restricted server key, each with
its key string as a version of its own secret."""

from __future__ import annotations

from typing import Any

from components.api_keys import MapsApiKeys, MapsApiKeysArgs
from preflight.capture import Capture
from preflight.values import is_secret, unwrapped
from settings.api_keys import KeyGeneration, MapsKeySettings
from tests.components.fixtures import ENV, PROJECT, secret_id
from tests.components.inventory import Scenario, capture_fixture, inventory_test, run

API_KEY = "gcp:projects/apiKey:ApiKey"
VERSION = "gcp:secretmanager/secretVersion:SecretVersion"
REFERRERS = ("https://www.example.test/*", "https://admin.example.test/*")


def _keys(browser: int, server: int) -> None:
    MapsApiKeys(
        "maps",
        MapsApiKeysArgs(
            allowed_referrers=REFERRERS,
            browser_key_secret_id=secret_id("frontend-web-MAPS_BROWSER_KEY"),
            env=ENV,
            generations=MapsKeySettings(
                browser=KeyGeneration(generation=browser), server=KeyGeneration(generation=server)
            ),
            project=PROJECT,
            server_key_secret_id=secret_id("global-MAPS_SERVER_KEY"),
        ),
    )


SCENARIOS = [
    Scenario("api_keys", "first-generation", lambda: _keys(3, 5)),
    Scenario("api_keys", "server-key-rotated", lambda: _keys(3, 6)),
]


test_matches_its_inventory = inventory_test(SCENARIOS)


keys = capture_fixture(SCENARIOS[0])


def _restrictions(capture: Capture, role: str) -> dict[str, Any]:
    restrictions: dict[str, Any] = unwrapped(
        capture.one(API_KEY, f"maps-{role}-key").inputs["restrictions"]
    )
    return restrictions


def test_browser_key_calls_only_the_maps_javascript_api_from_the_given_sites(
    keys: Capture,
) -> None:
    assert _restrictions(keys, "browser") == {
        "apiTargets": [{"service": "maps-backend.googleapis.com"}],
        "browserKeyRestrictions": {"allowedReferrers": list(REFERRERS)},
    }


def test_server_key_calls_only_geocoding_and_places_with_no_referrer_restriction(
    keys: Capture,
) -> None:
    # The web services refuse a referrer-restricted key: the API restriction is the guard.
    assert _restrictions(keys, "server") == {
        "apiTargets": [
            {"service": "geocoding-backend.googleapis.com"},
            {"service": "places-backend.googleapis.com"},
        ]
    }


def test_each_key_string_is_written_to_its_own_secret(keys: Capture) -> None:
    versions = {v.name: v for v in keys.by_type(VERSION)}
    assert versions["maps-browser-key-version"].inputs["secret"] == secret_id(
        "frontend-web-MAPS_BROWSER_KEY"
    )
    assert versions["maps-server-key-version"].inputs["secret"] == secret_id(
        "global-MAPS_SERVER_KEY"
    )
    assert all(is_secret(v.inputs["secretData"]) for v in versions.values())


def test_rotating_one_key_is_a_generation_bump_that_replaces_create_first(keys: Capture) -> None:
    rotated = run(SCENARIOS[1])
    before, after = keys.one(API_KEY, "maps-server-key"), rotated.one(API_KEY, "maps-server-key")
    # Same logical resource, new key id: Pulumi replaces it, creating the new key first.
    assert after.urn == before.urn
    assert (before.inputs["name"], after.inputs["name"]) == (
        "test-maps-server-g5",
        "test-maps-server-g6",
    )
    assert after.delete_before_replace is False
    browser = (keys.one(API_KEY, "maps-browser-key"), rotated.one(API_KEY, "maps-browser-key"))
    assert browser[0].inputs == browser[1].inputs

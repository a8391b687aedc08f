"""The provider stand-ins register and invoke, in the real program, exactly what the generated
classes and functions do."""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import pkgutil
import sys
from collections.abc import Callable, Iterator
from types import FunctionType, ModuleType
from typing import Any

import pulumi
import pytest

import components
from components import provider_shims
from components.provider_shims import cloudflare
from components.provider_shims.resource import ProviderResource
from tests.conftest import PROJECT_DIR, STACKS
from tests.registration import ProgramRequests, invoke_requests, program_requests

Requests = dict[str, dict[str, Any]]
Runs = dict[str, tuple[ProgramRequests, ProgramRequests]]


def _shim_modules() -> Iterator[ModuleType]:
    for info in pkgutil.iter_modules(provider_shims.__path__):
        module = importlib.import_module(f"{provider_shims.__name__}.{info.name}")
        if hasattr(module, "GENERATED_MODULE"):
            yield module


def _stand_ins() -> dict[tuple[ModuleType, str], type[ProviderResource]]:
    """Every stand-in class, by the module and name the program reaches it through."""
    return {
        (module, name): value
        for module in _shim_modules()
        for name, value in vars(module).items()
        if isinstance(value, type) and issubclass(value, ProviderResource)
        if value.__module__ == module.__name__
    }


def _invoke_stand_ins() -> dict[tuple[ModuleType, str], Callable[..., Any]]:
    """Every stand-in provider function (`get_zone_output`), by its module and name."""
    return {
        (module, name): value
        for module in _shim_modules()
        for name, value in vars(module).items()
        if isinstance(value, FunctionType) and not name.startswith("_")
        if value.__module__ == module.__name__
    }


@pytest.fixture(scope="module")
def runs() -> Runs:
    """Per stack: the program's requests with the stand-ins, then with the generated classes and
    functions in their place."""
    with_stand_ins = {stack: program_requests(PROJECT_DIR, stack) for stack in STACKS}
    with pytest.MonkeyPatch.context() as patch:
        for module, name in [*_stand_ins(), *_invoke_stand_ins()]:
            generated = importlib.import_module(module.GENERATED_MODULE)
            patch.setattr(module, name, getattr(generated, name))
        with_generated = {stack: program_requests(PROJECT_DIR, stack) for stack in STACKS}
    return {stack: (with_stand_ins[stack], with_generated[stack]) for stack in STACKS}


def _differences(ours: Requests, theirs: Requests) -> dict[str, list[str]]:
    return {
        key: sorted(
            field
            for field in {*request, *theirs[key]}
            if request.get(field) != theirs[key].get(field)
        )
        for key, request in ours.items()
        if request != theirs[key]
    }


def test_the_program_reaches_each_stand_in_through_its_module(
    runs: Runs,
) -> None:
    # A name imported elsewhere (`from ... import DnsRecord`) would escape the substitution.
    classes = set(_stand_ins().values())
    assert len(classes) == 13
    stand_ins: set[object] = {*classes, *_invoke_stand_ins().values()}
    holders = [
        f"{name}.{attribute}"
        for name, module in sorted(sys.modules.items())
        if name.startswith(f"{components.__name__}.")
        and not name.startswith(f"{provider_shims.__name__}.")
        for attribute, value in vars(module).items()
        if isinstance(value, (type, FunctionType)) and value in stand_ins
    ]
    assert "components.edge" in sys.modules
    assert holders == []


@pytest.mark.parametrize("stack", STACKS)
def test_every_request_is_the_generated_classes_request(runs: Runs, stack: str) -> None:
    with_stand_ins, with_generated = runs[stack]
    assert sorted(with_stand_ins.resources) == sorted(with_generated.resources)
    assert _differences(with_stand_ins.resources, with_generated.resources) == {}


@pytest.mark.parametrize("stack", STACKS)
def test_every_invoke_is_the_generated_functions_invoke(runs: Runs, stack: str) -> None:
    with_stand_ins, with_generated = runs[stack]
    # Both shipped stack files leave the zone id out: each stack looks its zone up by name.
    assert [invoke["tok"] for invoke in with_stand_ins.invokes].count(
        "cloudflare:index/getZone:getZone"
    ) == 1
    assert len(with_stand_ins.invokes) == len(with_generated.invokes)
    ours = {str(index): invoke for index, invoke in enumerate(with_stand_ins.invokes)}
    theirs = {str(index): invoke for index, invoke in enumerate(with_generated.invokes)}
    assert _differences(ours, theirs) == {}


def test_every_stand_in_is_used_and_sends_its_providers_version(
    runs: Runs,
) -> None:
    requests = [
        request for stand_ins, _ in runs.values() for request in stand_ins.resources.values()
    ]
    for stand_in in set(_stand_ins().values()):
        sent = [r for r in requests if r["type"] == stand_in.type_token]
        assert sent, f"{stand_in.__name__} is never registered: replace it by the generated class"
        expected = importlib.metadata.version(stand_in.package)
        assert {r.get("version") for r in sent} == {expected}, stand_in.__name__


def test_every_invoke_stand_in_is_the_generated_functions_namesake(runs: Runs) -> None:
    invokes = [invoke for stand_ins, _ in runs.values() for invoke in stand_ins.invokes]
    stand_ins = _invoke_stand_ins()
    assert [name for _, name in stand_ins] == ["get_zone_output"]
    for (module, name), stand_in in stand_ins.items():
        generated = getattr(importlib.import_module(module.GENERATED_MODULE), name)
        # The same keyword arguments, so swapping one for the other is a change of import only.
        assert list(inspect.signature(stand_in).parameters) == list(
            inspect.signature(generated).parameters
        )
    expected = importlib.metadata.version("pulumi_cloudflare")
    zone_lookups = [i for i in invokes if i["tok"] == "cloudflare:index/getZone:getZone"]
    assert zone_lookups, "get_zone_output is never invoked: replace it by the generated function"
    assert {i.get("version") for i in zone_lookups} == {expected}


# Each way of calling the zone lookup: the request and the typed result must be the generated
# function's, including the caller's options over the provider's defaults. Built per call, as
# outputs and options belong to one run.
ZONE_LOOKUPS: dict[str, Callable[[], dict[str, Any]]] = {
    "by name": lambda: {"filter": {"match": "all", "name": "example.test"}},
    "by name, given as an output": lambda: {
        "filter": {"match": "all", "name": pulumi.Output.from_input("example.test")}
    },
    "by id": lambda: {"zone_id": "0" * 32},
    "a caller's version": lambda: {
        "filter": {"match": "all", "name": "example.test"},
        "opts": pulumi.InvokeOptions(version="6.0.0"),
    },
    "a caller's download URL": lambda: {
        "zone_id": "0" * 32,
        "opts": pulumi.InvokeOutputOptions(plugin_download_url="https://plugins.example.test"),
    },
}


def _lookup(
    get_zone_output: Callable[..., pulumi.Output[Any]], arguments: Callable[[], dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[tuple[str, ...]]]:
    results: list[tuple[str, ...]] = []

    def call() -> None:
        found = get_zone_output(**arguments())
        found.apply(lambda zone: results.append((zone.id, zone.zone_id, zone.name, zone.status)))

    return invoke_requests(call), results


@pytest.mark.parametrize("arguments", ZONE_LOOKUPS.values(), ids=ZONE_LOOKUPS.keys())
def test_the_zone_lookup_sends_and_reads_what_the_generated_function_does(
    arguments: Callable[[], dict[str, Any]],
) -> None:
    import pulumi_cloudflare

    requests, results = _lookup(cloudflare.get_zone_output, arguments)
    generated_requests, generated_results = _lookup(pulumi_cloudflare.get_zone_output, arguments)
    assert len(requests) == 1
    [request], [generated] = requests, generated_requests
    assert request["tok"] == cloudflare.GET_ZONE_TOKEN == "cloudflare:index/getZone:getZone"
    # Field by field: token, arguments, provider version, plugin download URL, and the rest.
    assert {
        field: (request.get(field), generated.get(field))
        for field in {*request, *generated}
        if request.get(field) != generated.get(field)
    } == {}
    assert results == generated_results
    [(zone_id, same_id, _, status)] = results
    assert zone_id == same_id and len(zone_id) == 32 and status == "active"


def test_the_zone_lookup_sends_the_installed_providers_version() -> None:
    requests, _ = _lookup(cloudflare.get_zone_output, ZONE_LOOKUPS["by name"])
    assert requests[0]["version"] == importlib.metadata.version("pulumi_cloudflare")
    assert "pluginDownloadURL" not in requests[0]  # the provider's package names none
    assert requests[0]["args"] == {"filter": {"match": "all", "name": "example.test"}}
    by_id, _ = _lookup(cloudflare.get_zone_output, ZONE_LOOKUPS["by id"])
    assert by_id[0]["args"] == {"zoneId": "0" * 32}
    caller, _ = _lookup(cloudflare.get_zone_output, ZONE_LOOKUPS["a caller's version"])
    assert caller[0]["version"] == "6.0.0"

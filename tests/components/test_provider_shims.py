"""The provider stand-ins register, in the real program, exactly what the generated classes do."""

from __future__ import annotations

import importlib
import importlib.metadata
import pkgutil
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

import components
from components import provider_shims
from components.provider_shims.resource import ProviderResource
from tests.conftest import PROJECT_DIR, STACKS
from tests.registration import program_requests

Requests = dict[str, dict[str, Any]]
Runs = dict[str, tuple[Requests, Requests]]


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


@pytest.fixture(scope="module")
def runs() -> Runs:
    """Per stack: the program's requests with the stand-ins, then with the generated classes."""
    with_stand_ins = {stack: program_requests(PROJECT_DIR, stack) for stack in STACKS}
    with pytest.MonkeyPatch.context() as patch:
        for module, name in _stand_ins():
            generated = importlib.import_module(module.GENERATED_MODULE)
            patch.setattr(module, name, getattr(generated, name))
        with_generated = {stack: program_requests(PROJECT_DIR, stack) for stack in STACKS}
    return {stack: (with_stand_ins[stack], with_generated[stack]) for stack in STACKS}


def test_the_program_reaches_each_stand_in_through_its_module(
    runs: Runs,
) -> None:
    # A name imported elsewhere (`from ... import DnsRecord`) would escape the substitution.
    stand_ins = set(_stand_ins().values())
    assert len(stand_ins) == 13
    holders = [
        f"{name}.{attribute}"
        for name, module in sorted(sys.modules.items())
        if name.startswith(f"{components.__name__}.")
        and not name.startswith(f"{provider_shims.__name__}.")
        for attribute, value in vars(module).items()
        if isinstance(value, type) and value in stand_ins
    ]
    assert "components.edge" in sys.modules
    assert holders == []


@pytest.mark.parametrize("stack", STACKS)
def test_every_request_is_the_generated_classes_request(runs: Runs, stack: str) -> None:
    with_stand_ins, with_generated = runs[stack]
    assert sorted(with_stand_ins) == sorted(with_generated)
    differences = {
        urn: sorted(
            field
            for field in {*request, *with_generated[urn]}
            if request.get(field) != with_generated[urn].get(field)
        )
        for urn, request in with_stand_ins.items()
        if request != with_generated[urn]
    }
    assert differences == {}


def test_every_stand_in_is_used_and_sends_its_providers_version(
    runs: Runs,
) -> None:
    requests = [request for stand_ins, _ in runs.values() for request in stand_ins.values()]
    for stand_in in set(_stand_ins().values()):
        sent = [r for r in requests if r["type"] == stand_in.type_token]
        assert sent, f"{stand_in.__name__} is never registered: replace it by the generated class"
        expected = importlib.metadata.version(stand_in.package)
        assert {r.get("version") for r in sent} == {expected}, stand_in.__name__

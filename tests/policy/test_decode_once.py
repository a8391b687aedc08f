"""The pack's server decodes each resource's properties once per request, and every policy
still receives its own copy of the same values.

The tests drive pulumi-policy's own servicer (the object the pack's gRPC server calls) with
counting around `json_format.MessageToDict`, so they also fail if the pinned SDK moves the
hooks `decode_once` relies on, or starts decoding once by itself (then the module can go)."""

from __future__ import annotations

import runpy
import sys
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pulumi_policy
import pytest
from google.protobuf import json_format
from google.protobuf.message import Message
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy import policy as sdk
from pulumi_policy import proxy as sdk_proxy

from policy.myhibachi_policy import decode_once

PACK_DIR = Path(decode_once.__file__).resolve().parent.parent
BUCKET = "gcp:storage/bucket:Bucket"
PROPERTIES = {"name": "exports", "labels": {"team": "ops"}, "cors": [{"origins": ["a"]}]}


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Count decodings per resource (by its name property); restore the SDK's hooks after."""
    counts: Counter[str] = Counter()
    convert = json_format.MessageToDict

    def counting(message: Message, *args: Any, **kwargs: Any) -> Any:
        decoded = convert(message, *args, **kwargs)
        counts[decoded.get("name", "")] += 1
        return decoded

    monkeypatch.setattr(json_format, "MessageToDict", counting)
    servicer = sdk._PolicyAnalyzerServicer
    monkeypatch.setattr(servicer, "Analyze", servicer.Analyze)
    monkeypatch.setattr(servicer, "AnalyzeStack", servicer.AnalyzeStack)
    for hook in ("json_format", "deserialize_properties", "unknown_checking_proxy"):
        monkeypatch.setitem(vars(sdk), hook, vars(sdk)[hook])
    yield counts


def _server(policies: list[Any]) -> Any:
    return sdk._PolicyAnalyzerServicer("probe", "0.0.1", policies, EnforcementLevel.MANDATORY)


def _resource_request(properties: dict[str, Any]) -> analyzer_pb2.AnalyzeRequest:
    request = analyzer_pb2.AnalyzeRequest(type=BUCKET, name="exports", urn="urn:exports")
    request.properties.update(properties)
    return request


def _stack_request(count: int) -> analyzer_pb2.AnalyzeStackRequest:
    request = analyzer_pb2.AnalyzeStackRequest()
    for index in range(count):
        resource = request.resources.add(type=BUCKET, name=f"b{index}", urn=f"urn:b{index}")
        resource.properties.update({**PROPERTIES, "name": f"b{index}"})
    return request


def _recording_resource_policies(count: int, seen: list[Mapping[str, Any]]) -> list[Any]:
    def record(args: ResourceValidationArgs, report: ReportViolation) -> None:
        seen.append(args.props)
        if args.props["labels"]["team"] != "ops":
            report("changed by another policy", None)
        args.props["labels"]["team"] = "changed"  # a policy that changes what it was given

    return [ResourceValidationPolicy(f"p{index}", "records", record) for index in range(count)]


def test_without_it_the_sdk_decodes_a_resource_once_per_policy(decodes: Counter[str]) -> None:
    request = _resource_request(PROPERTIES)
    _server(_recording_resource_policies(3, [])).Analyze(request, None)
    assert decodes["exports"] == 3


def test_analyze_decodes_a_resource_once_and_each_policy_gets_its_own_copy(
    decodes: Counter[str],
) -> None:
    decode_once.install()
    request = _resource_request(PROPERTIES)
    seen: list[Mapping[str, Any]] = []

    response = _server(_recording_resource_policies(3, seen)).Analyze(request, None)

    assert decodes["exports"] == 1
    assert len(seen) == 3
    assert not response.diagnostics  # no policy saw another one's change
    assert [props["name"] for props in seen] == ["exports"] * 3


def test_analyze_stack_decodes_each_resource_once_whatever_the_number_of_policies(
    decodes: Counter[str],
) -> None:
    decode_once.install()
    request = _stack_request(3)
    names_seen: list[list[str]] = []

    def record(args: StackValidationArgs, report: ReportViolation) -> None:
        names_seen.append([resource.props["name"] for resource in args.resources])

    policies = [StackValidationPolicy(f"s{index}", "records", record) for index in range(4)]
    _server(policies).AnalyzeStack(request, None)

    assert [decodes[f"b{index}"] for index in range(3)] == [1, 1, 1]
    assert names_seen == [["b0", "b1", "b2"]] * 4


def test_each_request_decodes_anew(decodes: Counter[str]) -> None:
    decode_once.install()
    server = _server(_recording_resource_policies(2, []))
    request = _resource_request(PROPERTIES)

    server.Analyze(request, None)
    server.Analyze(request, None)

    assert decodes["exports"] == 2


def test_outside_a_request_nothing_is_remembered(decodes: Counter[str]) -> None:
    decode_once.install()
    message = _resource_request(PROPERTIES).properties
    converter = vars(sdk)["json_format"]

    converter.MessageToDict(message)
    converter.MessageToDict(message)

    assert decodes["exports"] == 2


def test_installing_twice_wraps_once(decodes: Counter[str]) -> None:
    decode_once.install()
    analyze = sdk._PolicyAnalyzerServicer.Analyze
    decode_once.install()

    assert sdk._PolicyAnalyzerServicer.Analyze is analyze
    request = _resource_request(PROPERTIES)
    _server(_recording_resource_policies(2, [])).Analyze(request, None)
    assert decodes["exports"] == 1


def test_the_pack_entry_point_installs_it_before_the_server_starts(
    decodes: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    installed_at_start: list[bool] = []

    def start_server(**_: Any) -> None:
        analyze = sdk._PolicyAnalyzerServicer.Analyze
        installed_at_start.append(getattr(analyze, "decodes_once", False))

    monkeypatch.setattr(pulumi_policy, "PolicyPack", start_server)
    monkeypatch.setattr(sys, "modules", dict(sys.modules))  # the pack's own package name goes
    monkeypatch.syspath_prepend(str(PACK_DIR))  # as the CLI runs it: the pack dir on sys.path
    runpy.run_path(str(PACK_DIR / "__main__.py"), run_name="__main__")

    assert installed_at_start == [True]


def test_properties_are_copied_only_for_the_policies_that_read_them(
    decodes: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    decode_once.install()
    copies: list[int] = []
    make_proxy = sdk_proxy.unknown_checking_proxy

    def counting(props: dict[str, Any]) -> Any:
        copies.append(1)
        return make_proxy(props)

    monkeypatch.setattr(sdk_proxy, "unknown_checking_proxy", counting)

    def type_only(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if args.resource_type != BUCKET:
            report("not a bucket", None)

    seen: list[Mapping[str, Any]] = []
    policies = [
        *(ResourceValidationPolicy(f"t{index}", "type only", type_only) for index in range(5)),
        *_recording_resource_policies(2, seen),
    ]
    response = _server(policies).Analyze(_resource_request(PROPERTIES), None)

    assert len(copies) == 2  # the two policies that read, each its own copy
    assert not response.diagnostics
    assert [dict(props)["name"] for props in seen] == ["exports", "exports"]

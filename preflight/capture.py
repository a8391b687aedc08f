"""Run the real Pulumi program for a stack under the SDK's mock runtime; record what it declares.

Every registration is recorded at the engine boundary, as the engine would receive it: type, name,
URN, parent, options and the raw input properties with secrets still marked. Provider-computed
outputs (ids, autonames, IP addresses, key strings) come from deterministic mocks, so two runs of
one commit capture the same thing.
"""

from __future__ import annotations

import hashlib
import runpy
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from google.protobuf import json_format
from pulumi.runtime import mocks, stack
from pulumi.runtime.config import set_all_config
from pulumi.runtime.sync_await import _sync_await

from preflight.stack_file import StackConfig, read_stack_config

PROJECT_NAME = "myhibachi"
STACK_TYPE = "pulumi:pulumi:Stack"
# The provider's zone lookup (`cloudflare.get_zone_output`), answered offline by zone name.
GET_ZONE_TOKEN = "cloudflare:index/getZone:getZone"


@dataclass
class CapturedResource:
    """One resource registration as the engine received it."""

    type: str
    name: str
    urn: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    protect: bool = False
    delete_before_replace: bool = False
    retain_on_delete: bool = False
    ignore_changes: tuple[str, ...] = ()
    dependencies: tuple[str, ...] = ()
    input_dependencies: tuple[str, ...] = ()
    """The resources whose outputs its inputs reference (the engine's property dependencies)."""
    provider: str = ""
    id: str = ""
    outputs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Capture:
    """Everything one run of the program declared."""

    stack: str
    project: str
    resources: list[CapturedResource]
    stack_urn: str
    stack_outputs: dict[str, Any]
    warnings: tuple[str, ...] = ()

    def by_type(self, type_token: str) -> list[CapturedResource]:
        """Resources of one type, in registration order."""
        return [r for r in self.resources if r.type == type_token]

    def one(self, type_token: str, name: str | None = None) -> CapturedResource:
        """The single resource of this type (and name, if given)."""
        found = [r for r in self.by_type(type_token) if name is None or r.name == name]
        if len(found) != 1:
            raise LookupError(f"expected one {type_token} {name or ''}, found {len(found)}")
        return found[0]


class ProgramError(Exception):
    """The program failed for a reason other than bad config; the message is one line."""


def _struct_to_dict(struct: Any) -> dict[str, Any]:
    value: dict[str, Any] = json_format.MessageToDict(struct)
    return value


def _suffix(urn: str) -> str:
    return hashlib.sha256(urn.encode()).hexdigest()[:7]


class _RecordingMonitor(mocks.MockMonitor):
    """The SDK's mock monitor, plus a record of each request as the engine would see it."""

    def __init__(
        self,
        program_mocks: mocks.Mocks,
        on_resource: Callable[[CapturedResource], None] | None = None,
    ) -> None:
        super().__init__(program_mocks)
        self.on_resource = on_resource
        self.recorded: list[CapturedResource] = []
        self.stack_urn = ""
        self.stack_outputs: dict[str, Any] = {}

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        base: Any = super()  # the SDK's monitor is untyped
        response = base.RegisterResource(request)
        if request.type == STACK_TYPE:
            self.stack_urn = response.urn
            return response
        captured = CapturedResource(
            type=request.type,
            name=request.name,
            urn=response.urn,
            parent=request.parent,
            custom=request.custom,
            inputs=_struct_to_dict(request.object),
            protect=bool(request.protect),
            delete_before_replace=request.deleteBeforeReplace,
            retain_on_delete=bool(request.retainOnDelete),
            ignore_changes=tuple(request.ignoreChanges),
            dependencies=tuple(request.dependencies),
            input_dependencies=tuple(
                sorted({urn for deps in request.propertyDependencies.values() for urn in deps.urns})
            ),
            provider=request.provider,
            id=response.id,
            outputs=_struct_to_dict(response.object),
        )
        self.recorded.append(captured)
        if self.on_resource is not None:
            self.on_resource(captured)
        return response

    def RegisterResourceOutputs(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        if request.urn == self.stack_urn:
            self.stack_outputs = _struct_to_dict(request.outputs)
        base: Any = super()
        return base.RegisterResourceOutputs(request)


class ProgramMocks(mocks.Mocks):
    """Deterministic stand-ins for what providers compute."""

    def __init__(self, project: str, region: str) -> None:
        self.project = project
        self.region = region

    def new_resource(self, args: mocks.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        state = dict(args.inputs)
        urn_key = f"{args.typ}::{args.name}"
        # Autonaming happens in the provider's Check step, which mocks skip.
        state.setdefault("name", f"{args.name}-{_suffix(urn_key)}")
        state.update(self._computed(args.typ, state))
        resource_id = str(state.get("id") or f"{args.name}-id")
        return resource_id, state

    def _computed(self, typ: str, state: dict[str, Any]) -> dict[str, Any]:
        project = state.get("project") or self.project
        name = str(state.get("name"))
        account_email = f"{state.get('accountId')}@{project}.iam.gserviceaccount.com"
        agent = str(state.get("service")).split(".")[0]
        agent_email = f"service-000000000000@gcp-sa-{agent}.iam.gserviceaccount.com"
        computed: dict[str, dict[str, Any]] = {
            "gcp:sql/databaseInstance:DatabaseInstance": {
                "connectionName": f"{project}:{state.get('region', self.region)}:{name}",
                "privateIpAddress": "10.20.0.3",
                "serviceAccountEmailAddress": "p000000000000-abcdef@gcp-sa-cloud-sql.iam"
                ".gserviceaccount.com",
            },
            "gcp:redis/instance:Instance": {
                "host": "10.20.1.4",
                "port": 6378,
                "authString": "mock-redis-auth-string",
            },
            "gcp:projects/apiKey:ApiKey": {"keyString": "mock-maps-key-string"},
            "gcp:serviceaccount/account:Account": {
                "email": account_email,
                "member": f"serviceAccount:{account_email}",
            },
            "gcp:projects/serviceIdentity:ServiceIdentity": {
                "email": agent_email,
                "member": f"serviceAccount:{agent_email}",
            },
            "gcp:secretmanager/secret:Secret": {
                "id": f"projects/{project}/secrets/{state.get('secretId')}",
                "name": f"projects/000000000000/secrets/{state.get('secretId')}",
            },
            "gcp:pubsub/topic:Topic": {"id": f"projects/{project}/topics/{name}"},
            "gcp:compute/network:Network": {"id": f"projects/{project}/global/networks/{name}"},
            "gcp:compute/subnetwork:Subnetwork": {
                "id": f"projects/{project}/regions/{state.get('region', self.region)}"
                f"/subnetworks/{name}"
            },
            "gcp:cloudrunv2/service:Service": {
                "uri": f"https://{name}-000000000000.{state.get('location', self.region)}.run.app"
            },
            "gcp:monitoring/notificationChannel:NotificationChannel": {
                "id": f"projects/{project}/notificationChannels/{_suffix(name)}",
                "name": f"projects/{project}/notificationChannels/{_suffix(name)}",
            },
            "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": {
                "uptimeCheckId": f"{name}-{_suffix(name)}"
            },
            "gcp:storage/bucket:Bucket": {"url": f"gs://{name}"},
            "gcp:compute/globalAddress:GlobalAddress": {"address": "203.0.113.80"},
            "gcp:certificatemanager/dnsAuthorization:DnsAuthorization": {
                "dnsResourceRecords": [
                    {
                        "name": f"_acme-challenge.{state.get('domain')}.",
                        "type": "CNAME",
                        "data": f"{_suffix(name)}.9.authorize.certificatemanager.goog.",
                    }
                ]
            },
            "gcp:logging/projectBucketConfig:ProjectBucketConfig": {
                "name": f"projects/{project}/locations/{state.get('location')}"
                f"/buckets/{state.get('bucketId')}"
            },
            "gcp:monitoring/slo:Slo": {
                "name": f"projects/{project}/services/{state.get('service')}"
                f"/serviceLevelObjectives/{state.get('sloId')}"
            },
            "gcp:projects/iAMCustomRole:IAMCustomRole": {
                "name": f"projects/{project}/roles/{state.get('roleId')}"
            },
            "gcp:kms/keyRing:KeyRing": {
                "id": f"projects/{project}/locations/{state.get('location')}/keyRings/{name}"
            },
            "gcp:kms/cryptoKey:CryptoKey": {"id": f"{state.get('keyRing')}/cryptoKeys/{name}"},
            "vercel:index/project:Project": {"id": f"prj_mock{_suffix(name)}"},
            "random:index/randomPassword:RandomPassword": {
                "result": f"mock-password-{_suffix(name)}"
            },
        }
        return computed.get(typ, {})

    def call(self, args: mocks.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        if args.token == "gcp:secretmanager/getSecretVersion:getSecretVersion":
            # A value typed by people lives only in Secret Manager; offline it is a stand-in.
            secret = str(args.args.get("secret"))
            return {
                "secret": secret,
                "version": "1",
                "name": f"projects/000000000000/secrets/{secret}/versions/1",
                "secretData": f"mock-secret-data-{_suffix(secret)}",
                "enabled": True,
            }, []
        if args.token == GET_ZONE_TOKEN:
            return _zone_lookup(args.args)
        # The SDK's mock monitor iterates the failures: an empty list, never None.
        return {}, []


def mock_zone_id(zone: str) -> str:
    """The id the offline zone lookup gives a zone name: 32 hexadecimal characters, as
    Cloudflare's, the same on every run."""
    return hashlib.sha256(f"cloudflare-zone:{zone}".encode()).hexdigest()[:32]


def _zone_lookup(args: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """`getZone` by id or by name, as the provider answers for an active zone; like the
    provider, it fails without something to find the zone by."""
    zone_filter = args.get("filter")
    name = zone_filter.get("name") if isinstance(zone_filter, dict) else None
    pinned = args.get("zoneId")
    if not isinstance(pinned, str) and not isinstance(name, str):
        return {}, [("filter", "a zone is found by its zoneId or by filter.name")]
    zone_id = pinned if isinstance(pinned, str) else mock_zone_id(str(name))
    found = {"id": zone_id, "zoneId": zone_id, "status": "active", "paused": False, "type": "full"}
    return ({**found, "name": name} if isinstance(name, str) else found), []


def capture_stack(
    project_dir: Path,
    stack_name: str,
    on_resource: Callable[[CapturedResource], None] | None = None,
) -> Capture:
    """Run `<project_dir>/__main__.py` for a stack and return what it declared.

    Raises StackFileError for a bad stack file, `pulumi.RunError` for the program's own one-line
    errors (bad config), ProgramError for anything else.
    """
    config = read_stack_config(project_dir, stack_name)
    return capture_with_config(project_dir, config, on_resource)


def capture_with_config(
    project_dir: Path,
    config: StackConfig,
    on_resource: Callable[[CapturedResource], None] | None = None,
) -> Capture:
    """Run the program with an already-read stack config.

    `on_resource` sees each registration as it happens, as an analyzer does in the engine.
    """

    def program() -> None:
        runpy.run_path(str(project_dir / "__main__.py"), run_name="__main__")

    added_path = str(project_dir) not in sys.path
    if added_path:
        sys.path.insert(0, str(project_dir))
    try:
        return capture_program(program, config, on_resource)
    finally:
        if added_path:
            sys.path.remove(str(project_dir))


def capture_program(
    program: Callable[[], None],
    config: StackConfig,
    on_resource: Callable[[CapturedResource], None] | None = None,
) -> Capture:
    """Run any Pulumi program function (the project's, or a test's few components) under the
    mocks with a stack's config, and record what it declares."""
    set_all_config(config.values, list(config.secret_keys))
    program_mocks = ProgramMocks(
        config.values.get("gcp:project", "project"), config.values.get("gcp:region", "region")
    )
    monitor = _RecordingMonitor(program_mocks, on_resource)
    mocks.set_mocks(program_mocks, PROJECT_NAME, config.stack, preview=True, monitor=monitor)
    # set_mocks registers an empty stack at once; a fresh root collects this run's exports.
    pulumi.runtime.settings.ROOT.set(None)
    root = stack.Stack()
    try:
        _sync_await(stack.run_pulumi_func(program))
        # Register the stack's exports, as the real stack does when the program ends.
        root._finish()
        _sync_await(stack.wait_for_rpcs())
    except pulumi.RunError:
        # The SDK's clean-exit error (the program's config errors are RunErrors): the CLI
        # prints its message as one line, so it passes through unwrapped.
        raise
    except Exception as error:
        raise ProgramError(f"the program failed: {type(error).__name__}: {error}") from error
    return Capture(
        stack=config.stack,
        project=PROJECT_NAME,
        resources=monitor.recorded,
        stack_urn=monitor.stack_urn,
        stack_outputs=monitor.stack_outputs,
        warnings=config.warnings,
    )


def skip_source_positions() -> None:
    """For the rest of this process, register resources without their source positions.

    On every registration the SDK walks the Python stack, checking each frame's file on disk, to
    tell the engine where the resource was declared. The preview never shows it and the walk
    costs a tenth of a two-stack run, so `python -m preflight` skips it; tests that compare
    whole registration requests keep it. Does nothing if the SDK changes that function.
    """
    from pulumi.runtime import resource as sdk_resource
    from pulumi.runtime.proto import source_pb2

    if callable(getattr(sdk_resource, "_get_stack_trace", None)):
        sdk_resource._get_stack_trace = source_pb2.StackTrace


__all__ = [
    "Capture",
    "CapturedResource",
    "ProgramError",
    "capture_program",
    "capture_stack",
    "capture_with_config",
    "skip_source_positions",
]

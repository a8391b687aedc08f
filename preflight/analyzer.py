"""Speak the Analyzer gRPC protocol to a policy pack's server, as the Pulumi CLI does.

The CLI calls GetAnalyzerInfo, ConfigureStack, Configure (the reconciled
`--policy-pack-config`), Analyze per resource and AnalyzeStack once. `AnalyzerClient` does the
same with the unmodified pack, whose server process `preflight.pack_process` starts:

    with AnalyzerClient(Path("policy"), stack="production") as client:
        client.configure(read_policy_config(path, client.analyzer_info().policies))
        found = client.analyze(Resource("gcp:redis/instance:Instance", "cache", {...}))

Properties go over the wire in the engine's encoding (`preflight.values`). Replies come back as
`Findings`: the violations, and the policies that reported themselves not applicable.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Final

import grpc
from google.protobuf import empty_pb2, json_format
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from preflight.findings import Findings, NotApplicable, Violation
from preflight.pack_process import AnalyzerError, PackProcess
from preflight.policy_config import PolicyConfig, PolicySummary
from preflight.urns import make_urn
from preflight.values import to_struct

_LEVEL_TO_PROTO: Final = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "remediate": analyzer_pb2.REMEDIATE,
    "disabled": analyzer_pb2.DISABLED,
}
_PROTO_TO_LEVEL: Final = {value: key for key, value in _LEVEL_TO_PROTO.items()}


@dataclass(frozen=True)
class Resource:
    """A resource as the engine hands it to analyzers (engine-encoded inputs, camelCase)."""

    type: str
    name: str
    properties: Mapping[str, Any]
    urn: str = ""
    protect: bool = False
    parent: str = ""
    dependencies: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnalyzerInfo:
    """The pack's name, version and policies, as GetAnalyzerInfo reports them."""

    name: str
    version: str
    policies: tuple[PolicySummary, ...]


class AnalyzerClient:
    """Starts a policy pack's analyzer server and speaks the Analyzer protocol to it."""

    def __init__(
        self,
        pack_dir: Path,
        *,
        stack: str,
        project: str = "myhibachi",
        dry_run: bool = True,
        program_config: Mapping[str, str] | None = None,
        python: str | None = None,
        startup_timeout: float = 60.0,
    ) -> None:
        self.stack = stack
        self.project = project
        self.dry_run = dry_run
        self.program_config = dict(program_config or {})
        self.startup_timeout = startup_timeout
        # The stack's identity, as the CLI puts it in the pack's environment.
        environment = {
            "PULUMI_PROJECT": project,
            "PULUMI_STACK": stack,
            "PULUMI_DRY_RUN": "true" if dry_run else "false",
            "PULUMI_CONFIG": json.dumps(self.program_config),
        }
        self.server = PackProcess(
            pack_dir, environment, python=python, startup_timeout=startup_timeout
        )
        self._channel: grpc.Channel | None = None
        self._stub: analyzer_pb2_grpc.AnalyzerStub | None = None
        self._info: AnalyzerInfo | None = None

    def __enter__(self) -> AnalyzerClient:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        """Start the pack's server and connect to it."""
        port = self.server.start()
        self._channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        try:
            grpc.channel_ready_future(self._channel).result(timeout=self.startup_timeout)
        except grpc.FutureTimeoutError:
            self.close()
            raise AnalyzerError(
                f"policy pack at {self.server.pack_dir} did not accept connections"
            ) from None
        self._stub = analyzer_pb2_grpc.AnalyzerStub(self._channel)

    def close(self) -> None:
        """Close the channel and stop the server."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        self._stub = None
        self.server.stop()

    @property
    def stub(self) -> analyzer_pb2_grpc.AnalyzerStub:
        """The connected stub; an AnalyzerError before `start()`."""
        if self._stub is None:
            raise AnalyzerError("the analyzer client is not started")
        return self._stub

    def analyzer_info(self) -> AnalyzerInfo:
        """GetAnalyzerInfo, asked once."""
        if self._info is None:
            reply = self.stub.GetAnalyzerInfo(empty_pb2.Empty())
            policies = tuple(
                PolicySummary(
                    name=p.name,
                    description=p.description,
                    enforcement_level=_PROTO_TO_LEVEL.get(p.enforcementLevel, "advisory"),
                    policy_type="stack"
                    if p.policy_type == analyzer_pb2.POLICY_TYPE_STACK
                    else "resource",
                    config_properties=json_format.MessageToDict(p.configSchema.properties),
                    config_required=tuple(p.configSchema.required),
                    severity=analyzer_pb2.PolicySeverity.Name(p.severity),
                    remediation_steps=p.remediation_steps,
                )
                for p in reply.policies
            )
            self._info = AnalyzerInfo(reply.name, reply.version, policies)
        return self._info

    def plugin_version(self) -> str:
        """GetPluginInfo: the version of the policy SDK serving the pack."""
        return str(self.stub.GetPluginInfo(empty_pb2.Empty()).version)

    def configure_stack(self, tags: Mapping[str, str] | None = None) -> None:
        """ConfigureStack: the stack, project and program config the policies may read."""
        self.stub.ConfigureStack(
            analyzer_pb2.AnalyzerStackConfigureRequest(
                stack=self.stack,
                project=self.project,
                organization="organization",
                dry_run=self.dry_run,
                config=self.program_config,
                tags=dict(tags or {}),
            )
        )

    def configure(self, config: Mapping[str, PolicyConfig]) -> None:
        """Configure: each policy's enforcement level and properties."""
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for name, policy_config in config.items():
            entry = request.policyConfig[name]
            entry.enforcementLevel = _LEVEL_TO_PROTO[policy_config.enforcement_level]
            entry.properties.update(dict(policy_config.properties))
        self.stub.Configure(request)

    def analyze(self, resource: Resource) -> Findings:
        """Analyze one resource."""
        return self.analyze_async(resource)()

    def analyze_async(self, resource: Resource) -> Callable[[], Findings]:
        """Send one Analyze request now; the returned function waits for its findings.

        The server works on it while this side goes on (the engine, too, analyzes each
        resource as it is registered). Findings carry the resource's URN, which the policy
        SDK leaves to the engine."""
        message = self._resource_message(resource)
        future = self.stub.Analyze.future(analyzer_pb2.AnalyzeRequest(**message))
        return lambda: _findings(future.result(), message["urn"])

    def analyze_stack(self, resources: Sequence[Resource]) -> Findings:
        """AnalyzeStack: the stack policies over every resource."""
        return self.analyze_stack_async(resources)()

    def analyze_stack_async(self, resources: Sequence[Resource]) -> Callable[[], Findings]:
        """Send AnalyzeStack now; the returned function waits for its findings."""
        items = [
            analyzer_pb2.AnalyzerResource(
                **self._resource_message(resource),
                parent=resource.parent,
                dependencies=list(resource.dependencies),
            )
            for resource in resources
        ]
        future = self.stub.AnalyzeStack.future(analyzer_pb2.AnalyzeStackRequest(resources=items))
        return lambda: _findings(future.result(), "")

    def _resource_message(self, resource: Resource) -> dict[str, Any]:
        return {
            "type": resource.type,
            "name": resource.name,
            "urn": resource.urn or make_urn(self.project, self.stack, resource.type, resource.name),
            "properties": to_struct(resource.properties),
            "options": analyzer_pb2.AnalyzerResourceOptions(
                protect=resource.protect, parent=resource.parent
            ),
        }


def _findings(reply: Any, urn: str) -> Findings:
    """An AnalyzeResponse as Findings; `urn` where the reply names none."""
    violations = tuple(
        Violation(
            policy=d.policyName,
            level=_PROTO_TO_LEVEL.get(d.enforcementLevel, "advisory"),
            message=d.message,
            urn=d.urn or urn,
            pack=d.policyPackName,
            description=d.description,
            severity=analyzer_pb2.PolicySeverity.Name(d.severity),
        )
        for d in reply.diagnostics
    )
    not_applicable = tuple(
        NotApplicable(policy=n.policy_name, reason=n.reason, urn=urn) for n in reply.not_applicable
    )
    return Findings(violations, not_applicable)


__all__ = ["AnalyzerClient", "AnalyzerError", "AnalyzerInfo", "Resource"]

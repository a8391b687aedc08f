"""Drive a CrossGuard policy pack through the real Analyzer gRPC protocol, as the Pulumi CLI does.

The CLI starts a Python pack as `python -m pulumi.policy <engine-address> <pack-dir>` with the
pack directory as working directory, reads the port the pack prints on stdout, and then calls
GetAnalyzerInfo, Configure (the reconciled `--policy-pack-config`), Analyze per resource and
AnalyzeStack once. `AnalyzerClient` does the same with the unmodified pack:

    with AnalyzerClient(Path("policy"), stack="production") as client:
        client.configure_from_file(Path("policy/config/production.json"))
        violations = client.analyze(Resource("gcp:redis/instance:Instance", "cache", {...}))

The Python policy host never dials the engine address (`pulumi.policy.__main__` parses it and
`pulumi.log` falls back to stderr without an engine), so no engine service is started; the
address passed is a placeholder.

Config semantics follow the CLI (`pkg/resource/analyzer/config.go`): each policy starts from
its default enforcement level and its schema defaults; `all` sets every policy's level; a
policy entry is a level string or an object with `enforcementLevel` plus properties. Two
deliberate differences, to catch typos: an entry naming no policy of the pack, and a property
not in the policy's schema, are errors.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Final

import grpc
import yaml
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

# Property-value encodings of the engine (sdk/go/common/resource/properties.go).
SPECIAL_SIG_KEY: Final = "4dabf18193072939515e22adb298388d"
SECRET_SIG: Final = "1b47061264138c4ac30d75fd1eb44270"
UNKNOWN_STRING_VALUE: Final = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

ENFORCEMENT_LEVELS: Final = ("advisory", "mandatory", "remediate", "disabled")
_LEVEL_TO_PROTO: Final = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "remediate": analyzer_pb2.REMEDIATE,
    "disabled": analyzer_pb2.DISABLED,
}
_PROTO_TO_LEVEL: Final = {value: key for key, value in _LEVEL_TO_PROTO.items()}
_PLACEHOLDER_ENGINE: Final = "127.0.0.1:0"


class AnalyzerError(Exception):
    """The pack did not start or a call failed; the message is one line."""


class PolicyConfigError(Exception):
    """A policy config file is invalid; the message is one line naming file, policy and key."""


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()
"""A property value not known until the update runs (marshalled as the engine's sentinel)."""


@dataclass(frozen=True)
class Secret:
    """A secret property value (marshalled as the engine's secret signature object)."""

    value: Any


@dataclass(frozen=True)
class ProviderRef:
    """The provider resource of a resource, as the engine sends it."""

    type: str
    name: str
    urn: str
    properties: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Resource:
    """A resource as the engine hands it to analyzers (inputs with engine names, camelCase)."""

    type: str
    name: str
    properties: Mapping[str, Any]
    urn: str = ""
    protect: bool = False
    parent: str = ""
    provider: ProviderRef | None = None
    dependencies: tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicySummary:
    """A policy as GetAnalyzerInfo reports it."""

    name: str
    description: str
    enforcement_level: str
    policy_type: str  # "resource" or "stack"
    config_properties: Mapping[str, Any]
    config_required: tuple[str, ...]
    severity: str


@dataclass(frozen=True)
class AnalyzerInfo:
    name: str
    version: str
    policies: tuple[PolicySummary, ...]


@dataclass(frozen=True)
class PolicyConfig:
    """One policy's reconciled config, as Configure sends it."""

    enforcement_level: str
    properties: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Violation:
    """One diagnostic returned by Analyze or AnalyzeStack."""

    policy_name: str
    policy_pack_name: str
    policy_pack_version: str
    description: str
    message: str
    urn: str
    enforcement_level: str
    severity: str


# --- Property marshalling -----------------------------------------------------------------------


def marshal_value(value: Any) -> Any:
    """A Python value as the engine marshals it: secrets and unknowns become their encodings."""
    if value is UNKNOWN:
        return UNKNOWN_STRING_VALUE
    if isinstance(value, Secret):
        return {SPECIAL_SIG_KEY: SECRET_SIG, "value": marshal_value(value.value)}
    if isinstance(value, Mapping):
        return {str(k): marshal_value(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [marshal_value(item) for item in value]
    return value


def to_struct(properties: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(marshal_value(properties))
    return struct


def make_urn(project: str, stack: str, resource_type: str, name: str) -> str:
    return f"urn:pulumi:{stack}::{project}::{resource_type}::{name}"


# --- Policy config ------------------------------------------------------------------------------

RawPolicyConfig = dict[str, tuple[str | None, dict[str, Any]]]


def parse_policy_config(text: str, source: str) -> RawPolicyConfig:
    """Parse a `--policy-pack-config` document: name -> (level or None, properties)."""
    if not text.strip():
        return {}
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise PolicyConfigError(
            f"{source}: not valid JSON at line {error.lineno}: {error.msg}"
        ) from None
    if not isinstance(document, dict):
        raise PolicyConfigError(f"{source}: must be an object of policy names")
    result: RawPolicyConfig = {}
    for name, value in document.items():
        if isinstance(value, str):
            result[name] = (_level(value, source, name), {})
        elif isinstance(value, dict):
            properties = dict(value)
            level = properties.pop("enforcementLevel", None)
            if level is not None and not isinstance(level, str):
                raise PolicyConfigError(f"{source}: {name}: enforcementLevel: must be a string")
            result[name] = (_level(level, source, name) if level else None, properties)
        else:
            raise PolicyConfigError(
                f"{source}: {name}: must be an enforcement level string or an object"
            )
    return result


def _level(value: str, source: str, name: str) -> str:
    if value not in ENFORCEMENT_LEVELS:
        raise PolicyConfigError(
            f"{source}: {name}: enforcementLevel: {value!r} is not one of "
            f"{', '.join(ENFORCEMENT_LEVELS)}"
        )
    return value


_JSON_TYPES: Final = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def _schema_error(value: Any, schema: Mapping[str, Any]) -> str | None:
    """A short reason `value` does not match a (simple) JSON schema, or None."""
    kind = schema.get("type")
    if isinstance(kind, str) and kind in _JSON_TYPES:
        matches = isinstance(value, _JSON_TYPES[kind]) and not (
            kind in ("integer", "number") and isinstance(value, bool)
        )
        if kind == "integer" and isinstance(value, float) and value.is_integer():
            matches = True
        if not matches:
            return (
                f"must be {'an' if kind[0] in 'aeiou' else 'a'} {kind} (got {type(value).__name__})"
            )
    if "enum" in schema and value not in schema["enum"]:
        return f"must be one of {', '.join(map(str, schema['enum']))}"
    if isinstance(value, str):
        if len(value) < int(schema.get("minLength", 0)):
            return "must not be empty"
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and not re.search(pattern, value):
            return f"must match {pattern}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            return f"must be at least {schema['minimum']}"
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            return f"must be greater than {schema['exclusiveMinimum']}"
    if isinstance(value, list):
        if len(value) < int(schema.get("minItems", 0)):
            return f"must have at least {schema['minItems']} item(s)"
        items = schema.get("items")
        if isinstance(items, Mapping):
            for index, item in enumerate(value):
                reason = _schema_error(item, items)
                if reason:
                    return f"[{index}] {reason}"
    return None


def reconcile_policy_config(
    policies: Sequence[PolicySummary], config: RawPolicyConfig, source: str
) -> dict[str, PolicyConfig]:
    """Defaults, then `all`, then per-policy entries; validated against each config schema."""
    known = {policy.name: policy for policy in policies}
    for name in config:
        if name != "all" and name not in known:
            raise PolicyConfigError(f"{source}: {name}: no such policy in the pack")
    all_level = config.get("all", (None, {}))[0]
    result: dict[str, PolicyConfig] = {}
    for policy in policies:
        level, given = config.get(policy.name, (None, {}))
        properties = {
            key: schema["default"]
            for key, schema in policy.config_properties.items()
            if isinstance(schema, Mapping) and "default" in schema
        }
        for key, value in given.items():
            if key not in policy.config_properties:
                raise PolicyConfigError(
                    f"{source}: {policy.name}: {key}: not a config property of this policy"
                    + (
                        f" (known: {', '.join(sorted(policy.config_properties))})"
                        if policy.config_properties
                        else " (it takes none)"
                    )
                )
            reason = _schema_error(value, policy.config_properties[key])
            if reason:
                raise PolicyConfigError(f"{source}: {policy.name}: {key}: {reason}")
            properties[key] = value
        for key in policy.config_required:
            if key not in properties:
                raise PolicyConfigError(f"{source}: {policy.name}: {key}: is required")
        result[policy.name] = PolicyConfig(
            level or all_level or policy.enforcement_level, properties
        )
    return result


# --- The client ---------------------------------------------------------------------------------


def pack_python(pack_dir: Path) -> str:
    """The interpreter PulumiPolicy.yaml asks for (runtime.options.virtualenv), else ours."""
    try:
        document = yaml.safe_load((pack_dir / "PulumiPolicy.yaml").read_text(encoding="utf-8"))
        virtualenv = document["runtime"]["options"]["virtualenv"]
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return sys.executable
    # No resolve(): the venv's python is a symlink, and following it would leave the venv.
    candidate = Path(os.path.normpath(pack_dir.absolute() / str(virtualenv) / "bin" / "python"))
    return str(candidate) if candidate.exists() else sys.executable


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
        self.pack_dir = pack_dir.resolve()
        self.stack = stack
        self.project = project
        self.dry_run = dry_run
        self.program_config = dict(program_config or {})
        self.python = python or pack_python(self.pack_dir)
        self.startup_timeout = startup_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._channel: grpc.Channel | None = None
        self._stub: analyzer_pb2_grpc.AnalyzerStub | None = None
        self._info: AnalyzerInfo | None = None

    # lifecycle

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
        """Spawn the pack as the CLI does and connect to the port it prints."""
        env = {
            **os.environ,
            "PULUMI_PROJECT": self.project,
            "PULUMI_STACK": self.stack,
            "PULUMI_DRY_RUN": "true" if self.dry_run else "false",
            "PULUMI_CONFIG": json.dumps(self.program_config),
        }
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self._process = subprocess.Popen(
            [self.python, "-m", "pulumi.policy", _PLACEHOLDER_ENGINE, str(self.pack_dir)],
            cwd=self.pack_dir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        port = self._read_port()
        self._channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        try:
            grpc.channel_ready_future(self._channel).result(timeout=self.startup_timeout)
        except grpc.FutureTimeoutError:
            self.close()
            raise AnalyzerError(
                f"policy pack at {self.pack_dir} did not accept connections"
            ) from None
        self._stub = analyzer_pb2_grpc.AnalyzerStub(self._channel)

    def _read_port(self) -> int:
        assert self._process is not None and self._process.stdout is not None
        stdout = self._process.stdout
        line: list[bytes] = []
        reader = threading.Thread(target=lambda: line.append(stdout.readline()), daemon=True)
        reader.start()
        reader.join(self.startup_timeout)
        text = line[0].decode().strip() if line else ""
        if not text.isdigit():
            detail = self._stderr_tail()
            self.close()
            raise AnalyzerError(
                f"policy pack at {self.pack_dir} did not print its port"
                + (f": {detail}" if detail else "")
            )
        # Keep draining stdout so a chatty pack never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in stdout], daemon=True).start()
        return int(text)

    def _stderr_tail(self) -> str:
        if self._stderr is None:
            return ""
        if self._process is not None and self._process.poll() is None:
            return ""
        self._stderr.seek(0)
        lines = [ln for ln in self._stderr.read().decode(errors="replace").splitlines() if ln]
        return lines[-1] if lines else ""

    def close(self) -> None:
        """Close the channel and stop the server process (terminate, then kill)."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        self._stub = None
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)
            if process.stdout is not None:
                process.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    @property
    def stub(self) -> analyzer_pb2_grpc.AnalyzerStub:
        if self._stub is None:
            raise AnalyzerError("the analyzer client is not started")
        return self._stub

    # protocol

    def analyzer_info(self) -> AnalyzerInfo:
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
                )
                for p in reply.policies
            )
            self._info = AnalyzerInfo(reply.name, reply.version, policies)
        return self._info

    def plugin_version(self) -> str:
        return str(self.stub.GetPluginInfo(empty_pb2.Empty()).version)

    def configure_stack(self, tags: Mapping[str, str] | None = None) -> None:
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
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for name, policy_config in config.items():
            entry = request.policyConfig[name]
            entry.enforcementLevel = _LEVEL_TO_PROTO[policy_config.enforcement_level]
            entry.properties.update(dict(policy_config.properties))
        self.stub.Configure(request)

    def load_config_file(self, path: Path) -> dict[str, PolicyConfig]:
        """Read and reconcile a policy config file against this pack's policies."""
        source = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise PolicyConfigError(f"{source}: cannot read: {error.strerror}") from None
        return reconcile_policy_config(
            self.analyzer_info().policies, parse_policy_config(text, source), source
        )

    def configure_from_file(self, path: Path) -> dict[str, PolicyConfig]:
        config = self.load_config_file(path)
        self.configure(config)
        return config

    def _resource_message(self, resource: Resource) -> dict[str, Any]:
        urn = resource.urn or make_urn(self.project, self.stack, resource.type, resource.name)
        message: dict[str, Any] = {
            "type": resource.type,
            "name": resource.name,
            "urn": urn,
            "properties": to_struct(resource.properties),
            "options": analyzer_pb2.AnalyzerResourceOptions(
                protect=resource.protect, parent=resource.parent
            ),
        }
        if resource.provider is not None:
            message["provider"] = analyzer_pb2.AnalyzerProviderResource(
                type=resource.provider.type,
                name=resource.provider.name,
                urn=resource.provider.urn,
                properties=to_struct(resource.provider.properties),
            )
        return message

    def analyze(self, resource: Resource) -> list[Violation]:
        """Analyze one resource; violations carry its URN (the SDK leaves it to the engine)."""
        message = self._resource_message(resource)
        reply = self.stub.Analyze(analyzer_pb2.AnalyzeRequest(**message))
        return [
            v if v.urn else dataclasses.replace(v, urn=message["urn"]) for v in _violations(reply)
        ]

    def analyze_async(self, resource: Resource) -> Callable[[], list[Violation]]:
        """Send one Analyze request now; the returned function waits for its violations.

        The server works on it while this side goes on (the engine, too, analyzes each
        resource as it is registered)."""
        message = self._resource_message(resource)
        future = self.stub.Analyze.future(analyzer_pb2.AnalyzeRequest(**message))

        def result() -> list[Violation]:
            return [
                v if v.urn else dataclasses.replace(v, urn=message["urn"])
                for v in _violations(future.result())
            ]

        return result

    def analyze_many(self, resources: Sequence[Resource]) -> list[Violation]:
        """Analyze several resources with every request in flight at once."""
        pending = [self.analyze_async(resource) for resource in resources]
        return [violation for result in pending for violation in result()]

    def analyze_stack(self, resources: Sequence[Resource]) -> list[Violation]:
        items = [
            analyzer_pb2.AnalyzerResource(
                **self._resource_message(resource),
                parent=resource.parent,
                dependencies=list(resource.dependencies),
            )
            for resource in resources
        ]
        reply = self.stub.AnalyzeStack(analyzer_pb2.AnalyzeStackRequest(resources=items))
        return _violations(reply)

    def analyze_all(self, resources: Sequence[Resource]) -> list[Violation]:
        """Analyze every resource, then the stack: the whole preview's verdict."""
        found = [v for resource in resources for v in self.analyze(resource)]
        return found + self.analyze_stack(resources)


def _violations(reply: Any) -> list[Violation]:
    return [
        Violation(
            policy_name=d.policyName,
            policy_pack_name=d.policyPackName,
            policy_pack_version=d.policyPackVersion,
            description=d.description,
            message=d.message,
            urn=d.urn,
            enforcement_level=_PROTO_TO_LEVEL.get(d.enforcementLevel, "advisory"),
            severity=analyzer_pb2.PolicySeverity.Name(d.severity),
        )
        for d in reply.diagnostics
    ]


__all__ = [
    "UNKNOWN",
    "AnalyzerClient",
    "AnalyzerError",
    "AnalyzerInfo",
    "PolicyConfig",
    "PolicyConfigError",
    "PolicySummary",
    "ProviderRef",
    "Resource",
    "Secret",
    "Violation",
    "make_urn",
    "marshal_value",
    "parse_policy_config",
    "reconcile_policy_config",
]

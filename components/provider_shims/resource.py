"""What every stand-in shares: the provider's version and download URL, and engine names."""

from __future__ import annotations

import functools
import importlib.metadata
import inspect
import json
import re
from collections.abc import Mapping
from typing import Any, ClassVar

import pulumi


@functools.cache
def plugin_of(package: str) -> tuple[str, str | None]:
    """The provider version and plugin download URL an installed provider package declares.

    Read from the package's `pulumi-plugin.json`, as the SDK's own tooling reads it, located
    through the distribution's metadata so that the package itself is never imported.
    """
    distribution = importlib.metadata.distribution(package)
    plugin = json.loads(distribution.locate_file(f"{package}/pulumi-plugin.json").read_text())
    return str(plugin.get("version") or distribution.version), plugin.get("server")


def provider_options(
    package: str, opts: pulumi.ResourceOptions | None, **fixed: Any
) -> pulumi.ResourceOptions:
    """The options a generated class of `package` registers with.

    Its version and download URL first (the caller's `opts` may override them), then what the
    generated class always adds on top (`fixed`: aliases, additional secret outputs).
    """
    version, download_url = plugin_of(package)
    defaults = pulumi.ResourceOptions(version=version, plugin_download_url=download_url)
    merged = pulumi.ResourceOptions.merge(defaults, opts)
    if not fixed:
        return merged
    return pulumi.ResourceOptions.merge(merged, pulumi.ResourceOptions(**fixed))


def _engine_name(python_name: str) -> str:
    return re.sub(r"_([a-z0-9])", lambda match: match.group(1).upper(), python_name)


class ProviderResource(pulumi.CustomResource):
    """A provider resource that registers as its generated class does.

    A subclass sets `type_token` and `package`, declares its outputs (the inputs it takes and
    what the provider computes) as typed class attributes under the generated class's
    (snake_case) names, and calls `_register` from its `__init__`. Outputs may also be declared
    by plain mixin classes, which a family of resources shares.
    """

    type_token: ClassVar[str]
    package: ClassVar[str]
    # The `...ArgsDict` shapes of nested inputs, whose keys the engine also knows in camelCase.
    nested_shapes: ClassVar[tuple[type, ...]] = ()
    # What the generated class always adds to the options: the engine names of the outputs it
    # marks secret, and the type tokens it keeps as aliases (types it replaced).
    secret_outputs: ClassVar[tuple[str, ...]] = ()
    renamed_from: ClassVar[tuple[str, ...]] = ()
    # Derived from the above per subclass: Python name -> engine name, and back.
    _output_names: ClassVar[dict[str, str]]
    _engine_names: ClassVar[dict[str, str]]
    _python_names: ClassVar[dict[str, str]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = [
            name
            for klass in reversed(cls.__mro__)
            if klass not in ProviderResource.__mro__
            for name in inspect.get_annotations(klass)
        ]
        cls._output_names = {name: _engine_name(name) for name in declared}
        nested = {name for shape in cls.nested_shapes for name in shape.__annotations__}
        cls._engine_names = {name: _engine_name(name) for name in nested} | cls._output_names
        cls._python_names = {engine: python for python, engine in cls._output_names.items()}

    def _register(
        self, resource_name: str, opts: pulumi.ResourceOptions | None, inputs: Mapping[str, Any]
    ) -> None:
        # Not a base `__init__`: the SDK records as the resource's source position the caller
        # of the third `__init__` up the stack, which must be the program's line, as it is for
        # a generated class.
        undeclared = sorted(set(inputs) - set(self._output_names))
        if undeclared:
            raise TypeError(f"{type(self).__name__} declares no output {undeclared}")
        props = {name: inputs.get(name) for name in self._output_names}
        fixed: dict[str, Any] = {}
        if self.secret_outputs:
            fixed["additional_secret_outputs"] = list(self.secret_outputs)
        if self.renamed_from:
            fixed["aliases"] = [pulumi.Alias(type_=token) for token in self.renamed_from]
        options = provider_options(self.package, opts, **fixed)
        super().__init__(self.type_token, resource_name, props, options)

    def translate_input_property(self, prop: str) -> str:
        """The engine (camelCase) name of a declared output or of a nested shape's key.

        The SDK applies it to the keys of nested maps too, as it did for every resource before
        typed inputs: a free-form map (labels, a zone setting's value) keeps its keys as long as
        none is one of these names.
        """
        return self._engine_names.get(prop, prop)

    def translate_output_property(self, prop: str) -> str:
        """The Python name of a property the engine returns."""
        return self._python_names.get(prop, prop)

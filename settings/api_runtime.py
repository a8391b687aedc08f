"""`myhibachi:api`: the backend API on Cloud Run: image, scaling, size and log level."""

from __future__ import annotations

from typing import Literal

from settings.fields import StackContext, choice, integer, one_of, section, setting, text
from settings.patterns import URL_PATH
from settings.reader import Fields, Node

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
# registry/path/name followed by a tag or a digest; never an implicit (moving) `latest`.
_IMAGE = (
    r"[a-z0-9.-]+(?::[0-9]+)?/[a-z0-9._/-]+"
    r"(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127}|@sha256:[a-f0-9]{64})"
)


def _image(node: Node, context: StackContext) -> str:
    image = node.text(
        _IMAGE,
        "a container image with a tag or digest, such as REGION-docker.pkg.dev/P/R/api:1.2.3",
    )
    if image.endswith(":latest"):
        raise node.fail("must pin a version tag or digest, not ':latest'")
    return image


@section
class ApiSettings:
    """The API's container and how far it scales."""

    health_path: str = setting("healthPath", text(URL_PATH, "a URL path such as /health"))
    image: str = setting("image", _image)
    log_level: LogLevel = setting("logLevel", one_of(LogLevel))
    max_instances: int = setting("maxInstances", integer(1, 1000))
    min_instances: int = setting("minInstances", integer(0, 100))
    cpu: str = setting("cpu", choice("1", "2", "4", "8"), default="1")
    memory: str = setting(
        "memory", text(r"[1-9][0-9]*(?:Mi|Gi)", "a size such as 512Mi or 2Gi"), default="512Mi"
    )

    def validate(self, fields: Fields, context: StackContext) -> None:
        """The maximum is never below the minimum."""
        if self.max_instances < self.min_instances:
            raise fields["maxInstances"].fail(
                f"must be at least minInstances ({self.min_instances}), got {self.max_instances}"
            )

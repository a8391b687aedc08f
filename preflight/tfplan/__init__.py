"""`--format tfplan`: a stack's resources as a Terraform plan JSON, for Checkov, Trivy and others.

The conversion is in `plan.py`; type and property names come from `schema.py`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from preflight.tfplan.plan import ExportedPlan, export_plan, render_plan

if TYPE_CHECKING:
    from preflight.report import StackReport

__all__ = ["ExportedPlan", "export_plan", "render_plan", "render_tfplan"]


def render_tfplan(reports: list[StackReport]) -> str:
    """The plan of the one stack in `reports`; what could not be mapped goes to stderr."""
    (report,) = reports  # the CLI allows one stack with this format
    operations = {change.urn: change.operation for change in report.changes}
    exported = export_plan(report.capture, operations)
    for warning in exported.warnings:
        print(f"warning: tfplan: {warning}", file=sys.stderr)
    return render_plan(exported)

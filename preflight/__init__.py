"""Preflight: run the Pulumi program offline under the SDK's mock runtime and show its plan."""

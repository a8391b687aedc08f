"""The workload identities: the API's own service account, never the default compute one."""

from __future__ import annotations

from components.identities import WorkloadIdentities, WorkloadIdentitiesArgs
from tests.components.fixtures import ENV, PROJECT
from tests.components.inventory import Scenario, inventory_test, run

SCENARIOS = [
    Scenario(
        "identities",
        "api",
        lambda: WorkloadIdentities("identities", WorkloadIdentitiesArgs(env=ENV, project=PROJECT)),
    ),
]


test_matches_its_inventory = inventory_test(SCENARIOS)


def test_the_api_has_its_own_account_named_after_the_env() -> None:
    account = run(SCENARIOS[0]).one("gcp:serviceaccount/account:Account")
    assert account.inputs["accountId"] == f"{ENV}-api"
    assert not account.outputs["email"].endswith("-compute@developer.gserviceaccount.com")

"""URNs and type tokens as `pulumi preview` shows them."""

from __future__ import annotations

from preflight.urns import display_type, make_urn, resource_label

SQL = "gcp:sql/databaseInstance:DatabaseInstance"


def test_a_type_token_shows_without_its_module_path() -> None:
    assert display_type(SQL) == "gcp:sql:DatabaseInstance"
    assert display_type("myhibachi:database:Database") == "myhibachi:database:Database"


def test_a_label_names_the_resources_own_type_not_its_parents() -> None:
    urn = "urn:pulumi:production::myhibachi::myhibachi:database:Database$" + SQL + "::db-instance"
    assert resource_label(urn) == "gcp:sql:DatabaseInstance: db-instance"
    assert resource_label(make_urn("myhibachi", "staging", SQL, "db")) == (
        "gcp:sql:DatabaseInstance: db"
    )


def test_a_stack_policy_has_no_urn() -> None:
    assert resource_label("") == "(stack)"
    assert resource_label("not-a-urn") == "not-a-urn"

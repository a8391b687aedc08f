"""Entry point the Pulumi CLI runs (`python -m pulumi.policy <engine> <pack dir>`).

Only builds the pack: constructing `PolicyPack` starts the analyzer gRPC server, prints its port
and blocks (after `decode_once` has made that server decode each resource once per request). The
CLI runs this file with the pack directory on sys.path, so the policy package imports as
`myhibachi_policy`; type checkers, run from the repository root, see the same package as
`policy.myhibachi_policy`.
"""

from typing import TYPE_CHECKING

from pulumi_policy import EnforcementLevel, PolicyPack

if TYPE_CHECKING:
    from policy.myhibachi_policy.decode_once import install
    from policy.myhibachi_policy.index import PACK_DESCRIPTION, PACK_NAME, all_policies
else:
    from myhibachi_policy.decode_once import install
    from myhibachi_policy.index import PACK_DESCRIPTION, PACK_NAME, all_policies

install()  # before the server starts: decode each resource once per request (see the module)

PolicyPack(
    name=PACK_NAME,
    description=PACK_DESCRIPTION,
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=all_policies(),
)

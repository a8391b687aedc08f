# Usage: jq --arg region LOST_REGION -f docs/runbooks/forget-region.jq state.json > state-dr.json
# (state.json from `pulumi stack export`). Used by disaster-recovery.md.
#
# Removes from a stack's state every resource that lives in the lost region (its `region` or
# `location` input is that region), the database and user that live inside a lost Cloud SQL
# instance, and every reference to them. Pulumi cannot delete what sits in a region that is down,
# so it must forget it: the next `pulumi up` then creates those resources in the new region and
# updates what referred to them, and deletes nothing. The real resources stay where they are.
# Provider resources are kept (they carry the region as configuration, not as a location).
def in_region($region):
  (.type | startswith("pulumi:providers:") | not)
  and .custom
  and ((.inputs.region // .inputs.location) == $region);

def inside_any($urns):
  (.type == "gcp:sql/database:Database" or .type == "gcp:sql/user:User")
  and ((.dependencies // []) - $urns) != (.dependencies // []);

([.deployment.resources[] | select(in_region($region)) | .urn]) as $regional
| ($regional + [.deployment.resources[] | select(inside_any($regional)) | .urn]) as $gone
| .deployment.resources |= map(
    select(.urn as $urn | $gone | index($urn) | not)
    | if .dependencies then .dependencies -= $gone else . end
    | if .propertyDependencies then .propertyDependencies |= map_values(. - $gone) else . end
    | if (.deletedWith // "") as $d | $gone | index($d) then del(.deletedWith) else . end
  )

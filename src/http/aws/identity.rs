//! The `cognito-identity` operation table: each implemented operation, the principal it
//! needs (which must agree with the service model's auth), and its action.

use super::Operation;
use crate::operation;
use crate::service::identity::{credentials, developer, identities, ids, pools, roles, tags};

pub static OPERATIONS: &[Operation] = &[
    operation!(
        Identity,
        identity,
        Admin,
        "CreateIdentityPool",
        pools::create_identity_pool
    ),
    operation!(
        Identity,
        identity,
        Admin,
        "DeleteIdentities",
        identities::delete_identities
    ),
    operation!(
        Identity,
        identity,
        Admin,
        "DeleteIdentityPool",
        pools::delete_identity_pool
    ),
    operation!(
        Identity,
        identity,
        Admin,
        "DescribeIdentity",
        identities::describe_identity
    ),
    operation!(
        Identity,
        identity,
        Admin,
        "DescribeIdentityPool",
        pools::describe_identity_pool
    ),
    operation!(
        Identity,
        identity,
        Public,
        "GetCredentialsForIdentity",
        credentials::get_credentials_for_identity
    ),
    operation!(Identity, identity, Public, "GetId", ids::get_id),
    operation!(
        Identity,
        identity,
        Admin,
        "GetIdentityPoolRoles",
        roles::get_identity_pool_roles
    ),
    operation!(
        Identity,
        identity,
        Public,
        "GetOpenIdToken",
        credentials::get_open_id_token
    ),
    operation!(
        Identity,
        identity,
        Admin,
        "GetOpenIdTokenForDeveloperIdentity",
        developer::get_open_id_token_for_developer_identity
    ),
    operation!(
        Identity,
        identity,
        Admin,
        "GetPrincipalTagAttributeMap",
        roles::get_principal_tag_attribute_map
    ),
    operation!(
        Identity,
        identity,
        Admin,
        "ListIdentities",
        identities::list_identities
    ),
    operation!(
        Identity,
        identity,
        Admin,
        "ListIdentityPools",
        pools::list_identity_pools
    ),
    operation!(
        Identity,
        identity,
        Admin,
        "ListTagsForResource",
        tags::list_tags_for_resource
    ),
    operation!(
        Identity,
        identity,
        Admin,
        "LookupDeveloperIdentity",
        developer::lookup_developer_identity
    ),
    operation!(
        Identity,
        identity,
        Admin,
        "MergeDeveloperIdentities",
        developer::merge_developer_identities
    ),
    operation!(
        Identity,
        identity,
        Admin,
        "SetIdentityPoolRoles",
        roles::set_identity_pool_roles
    ),
    operation!(
        Identity,
        identity,
        Admin,
        "SetPrincipalTagAttributeMap",
        roles::set_principal_tag_attribute_map
    ),
    operation!(Identity, identity, Admin, "TagResource", tags::tag_resource),
    operation!(
        Identity,
        identity,
        Admin,
        "UnlinkDeveloperIdentity",
        developer::unlink_developer_identity
    ),
    operation!(
        Identity,
        identity,
        Public,
        "UnlinkIdentity",
        identities::unlink_identity
    ),
    operation!(
        Identity,
        identity,
        Admin,
        "UntagResource",
        tags::untag_resource
    ),
    operation!(
        Identity,
        identity,
        Admin,
        "UpdateIdentityPool",
        pools::update_identity_pool
    ),
];

#[cfg(test)]
mod tests {
    use super::super::model::{model, Service};
    use super::super::principal::Kind;
    use super::*;

    #[test]
    fn only_unsigned_operations_are_served_without_a_signature() {
        for op in OPERATIONS {
            let unsigned = model(Service::Identity).is_unsigned(op.name);
            assert_eq!(op.kind == Kind::Unsigned, unsigned, "{}", op.name);
        }
    }

    #[test]
    fn every_operation_is_served() {
        assert_eq!(
            OPERATIONS.len(),
            model(Service::Identity).operations().count()
        );
    }
}

//! The `cognito-idp` operation table: each implemented operation, the principal it needs
//! (which must agree with the service model's auth), and its action.

use super::Operation;
use crate::operation;
use crate::service::idp::{
    account, admin_users, auth, branding, clients, devices, groups, identity_providers,
    import_jobs, list_users, mfa, oauth_domains, passwords, pools, resource_servers, schema,
    signup, tags, ui_customization, users,
};

pub static OPERATIONS: &[Operation] = &[
    operation!(Admin, "AddCustomAttributes", schema::add_custom_attributes),
    operation!(
        Admin,
        "AdminAddUserToGroup",
        groups::admin_add_user_to_group
    ),
    operation!(Admin, "AdminConfirmSignUp", signup::admin_confirm_sign_up),
    operation!(Admin, "AdminCreateUser", admin_users::admin_create_user),
    operation!(Admin, "AdminDeleteUser", admin_users::admin_delete_user),
    operation!(
        Admin,
        "AdminDeleteUserAttributes",
        admin_users::admin_delete_user_attributes
    ),
    operation!(
        Admin,
        "AdminDisableProviderForUser",
        identity_providers::admin_disable_provider_for_user
    ),
    operation!(Admin, "AdminDisableUser", admin_users::admin_disable_user),
    operation!(Admin, "AdminEnableUser", admin_users::admin_enable_user),
    operation!(Admin, "AdminForgetDevice", devices::admin_forget_device),
    operation!(Admin, "AdminGetDevice", devices::admin_get_device),
    operation!(Admin, "AdminGetUser", users::admin_get_user),
    operation!(
        Admin,
        "AdminGetUserAuthFactors",
        auth::admin_get_user_auth_factors
    ),
    operation!(Admin, "AdminInitiateAuth", auth::admin_initiate_auth),
    operation!(
        Admin,
        "AdminLinkProviderForUser",
        identity_providers::admin_link_provider_for_user
    ),
    operation!(Admin, "AdminListDevices", devices::admin_list_devices),
    operation!(
        Admin,
        "AdminListGroupsForUser",
        groups::admin_list_groups_for_user
    ),
    operation!(
        Admin,
        "AdminRemoveUserFromGroup",
        groups::admin_remove_user_from_group
    ),
    operation!(
        Admin,
        "AdminResetUserPassword",
        admin_users::admin_reset_user_password
    ),
    operation!(
        Admin,
        "AdminRespondToAuthChallenge",
        auth::admin_respond_to_auth_challenge
    ),
    operation!(
        Admin,
        "AdminSetUserMFAPreference",
        mfa::admin_set_user_mfa_preference
    ),
    operation!(
        Admin,
        "AdminSetUserPassword",
        admin_users::admin_set_user_password
    ),
    operation!(
        Admin,
        "AdminSetUserSettings",
        admin_users::admin_set_user_settings
    ),
    operation!(
        Admin,
        "AdminUpdateDeviceStatus",
        devices::admin_update_device_status
    ),
    operation!(
        Admin,
        "AdminUpdateUserAttributes",
        admin_users::admin_update_user_attributes
    ),
    operation!(
        Admin,
        "AdminUserGlobalSignOut",
        admin_users::admin_user_global_sign_out
    ),
    operation!(
        Public,
        "AssociateSoftwareToken",
        mfa::associate_software_token
    ),
    operation!(Bearer, "ChangePassword", passwords::change_password),
    operation!(Bearer, "ConfirmDevice", devices::confirm_device),
    operation!(
        Public,
        "ConfirmForgotPassword",
        passwords::confirm_forgot_password
    ),
    operation!(Public, "ConfirmSignUp", signup::confirm_sign_up),
    operation!(Admin, "CreateGroup", groups::create_group),
    operation!(
        Admin,
        "CreateIdentityProvider",
        identity_providers::create_identity_provider
    ),
    operation!(
        Admin,
        "CreateManagedLoginBranding",
        branding::create_managed_login_branding
    ),
    operation!(
        Admin,
        "CreateUserImportJob",
        import_jobs::create_user_import_job
    ),
    operation!(
        Admin,
        "DescribeUserImportJob",
        import_jobs::describe_user_import_job
    ),
    operation!(Admin, "GetCSVHeader", import_jobs::get_csv_header),
    operation!(
        Admin,
        "ListUserImportJobs",
        import_jobs::list_user_import_jobs
    ),
    operation!(
        Admin,
        "StartUserImportJob",
        import_jobs::start_user_import_job
    ),
    operation!(
        Admin,
        "StopUserImportJob",
        import_jobs::stop_user_import_job
    ),
    operation!(
        Admin,
        "CreateResourceServer",
        resource_servers::create_resource_server
    ),
    operation!(Admin, "CreateUserPool", pools::create_user_pool),
    operation!(
        Admin,
        "CreateUserPoolClient",
        clients::create_user_pool_client
    ),
    operation!(
        Admin,
        "CreateUserPoolDomain",
        oauth_domains::create_user_pool_domain
    ),
    operation!(Admin, "DeleteGroup", groups::delete_group),
    operation!(
        Admin,
        "DeleteIdentityProvider",
        identity_providers::delete_identity_provider
    ),
    operation!(
        Admin,
        "DeleteManagedLoginBranding",
        branding::delete_managed_login_branding
    ),
    operation!(
        Admin,
        "DeleteResourceServer",
        resource_servers::delete_resource_server
    ),
    operation!(Bearer, "DeleteUser", account::delete_user),
    operation!(
        Bearer,
        "DeleteUserAttributes",
        account::delete_user_attributes
    ),
    operation!(Admin, "DeleteUserPool", pools::delete_user_pool),
    operation!(
        Admin,
        "DeleteUserPoolClient",
        clients::delete_user_pool_client
    ),
    operation!(
        Admin,
        "DeleteUserPoolDomain",
        oauth_domains::delete_user_pool_domain
    ),
    operation!(
        Admin,
        "DescribeIdentityProvider",
        identity_providers::describe_identity_provider
    ),
    operation!(
        Admin,
        "DescribeManagedLoginBranding",
        branding::describe_managed_login_branding
    ),
    operation!(
        Admin,
        "DescribeManagedLoginBrandingByClient",
        branding::describe_managed_login_branding_by_client
    ),
    operation!(
        Admin,
        "DescribeResourceServer",
        resource_servers::describe_resource_server
    ),
    operation!(Admin, "DescribeUserPool", pools::describe_user_pool),
    operation!(
        Admin,
        "DescribeUserPoolClient",
        clients::describe_user_pool_client
    ),
    operation!(
        Admin,
        "DescribeUserPoolDomain",
        oauth_domains::describe_user_pool_domain
    ),
    operation!(Bearer, "ForgetDevice", devices::forget_device),
    operation!(Public, "ForgotPassword", passwords::forgot_password),
    operation!(Bearer, "GetDevice", devices::get_device),
    operation!(Admin, "GetGroup", groups::get_group),
    operation!(
        Admin,
        "GetIdentityProviderByIdentifier",
        identity_providers::get_identity_provider_by_identifier
    ),
    operation!(
        Public,
        "GetTokensFromRefreshToken",
        auth::get_tokens_from_refresh_token
    ),
    operation!(
        Admin,
        "GetUICustomization",
        ui_customization::get_ui_customization
    ),
    operation!(Bearer, "GetUser", users::get_user),
    operation!(
        Bearer,
        "GetUserAttributeVerificationCode",
        account::get_user_attribute_verification_code
    ),
    operation!(Bearer, "GetUserAuthFactors", auth::get_user_auth_factors),
    operation!(Admin, "GetUserPoolMfaConfig", mfa::get_user_pool_mfa_config),
    operation!(Bearer, "GlobalSignOut", account::global_sign_out),
    operation!(Public, "InitiateAuth", auth::initiate_auth),
    operation!(Bearer, "ListDevices", devices::list_devices),
    operation!(Admin, "ListGroups", groups::list_groups),
    operation!(
        Admin,
        "ListIdentityProviders",
        identity_providers::list_identity_providers
    ),
    operation!(
        Admin,
        "ListResourceServers",
        resource_servers::list_resource_servers
    ),
    operation!(Admin, "ListTagsForResource", tags::list_tags_for_resource),
    operation!(
        Admin,
        "ListUserPoolClients",
        clients::list_user_pool_clients
    ),
    operation!(Admin, "ListUserPools", pools::list_user_pools),
    operation!(Admin, "ListUsers", list_users::list_users),
    operation!(Admin, "ListUsersInGroup", groups::list_users_in_group),
    operation!(
        Public,
        "ResendConfirmationCode",
        signup::resend_confirmation_code
    ),
    operation!(
        Public,
        "RespondToAuthChallenge",
        auth::respond_to_auth_challenge
    ),
    operation!(Public, "RevokeToken", account::revoke_token),
    operation!(
        Admin,
        "SetUICustomization",
        ui_customization::set_ui_customization
    ),
    operation!(Bearer, "SetUserMFAPreference", mfa::set_user_mfa_preference),
    operation!(Admin, "SetUserPoolMfaConfig", mfa::set_user_pool_mfa_config),
    operation!(Bearer, "SetUserSettings", account::set_user_settings),
    operation!(Public, "SignUp", signup::sign_up),
    operation!(Admin, "TagResource", tags::tag_resource),
    operation!(Admin, "UntagResource", tags::untag_resource),
    operation!(Bearer, "UpdateDeviceStatus", devices::update_device_status),
    operation!(Admin, "UpdateGroup", groups::update_group),
    operation!(
        Admin,
        "UpdateIdentityProvider",
        identity_providers::update_identity_provider
    ),
    operation!(
        Admin,
        "UpdateManagedLoginBranding",
        branding::update_managed_login_branding
    ),
    operation!(
        Admin,
        "UpdateResourceServer",
        resource_servers::update_resource_server
    ),
    operation!(
        Bearer,
        "UpdateUserAttributes",
        account::update_user_attributes
    ),
    operation!(Admin, "UpdateUserPool", pools::update_user_pool),
    operation!(
        Admin,
        "UpdateUserPoolClient",
        clients::update_user_pool_client
    ),
    operation!(
        Admin,
        "UpdateUserPoolDomain",
        oauth_domains::update_user_pool_domain
    ),
    operation!(Public, "VerifySoftwareToken", mfa::verify_software_token),
    operation!(
        Bearer,
        "VerifyUserAttribute",
        account::verify_user_attribute
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
            let unsigned = model(Service::Idp).is_unsigned(op.name);
            assert_eq!(
                op.kind == Kind::Unsigned,
                unsigned,
                "{} is {} in the service model but its principal is {:?}",
                op.name,
                if unsigned { "unsigned" } else { "signed" },
                op.kind
            );
        }
    }
}

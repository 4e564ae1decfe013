//! The `cognito-idp` operation table.

use super::Operation;
use crate::operation;
use crate::service::{
    account, admin_users, auth, challenges, choice, clients, devices, groups, list_users, mfa,
    passwords, pools, refresh, schema, signup, tags, users,
};

/// Operations the service model marks `authtype: none`: called with tokens or client ids,
/// never signed. Everything else needs SigV4.
pub const UNAUTHENTICATED: &[&str] = &[
    "AssociateSoftwareToken",
    "ChangePassword",
    "CompleteWebAuthnRegistration",
    "ConfirmDevice",
    "ConfirmForgotPassword",
    "ConfirmSignUp",
    "DeleteUser",
    "DeleteUserAttributes",
    "DeleteWebAuthnCredential",
    "ForgetDevice",
    "ForgotPassword",
    "GetDevice",
    "GetTokensFromRefreshToken",
    "GetUser",
    "GetUserAttributeVerificationCode",
    "GetUserAuthFactors",
    "GlobalSignOut",
    "InitiateAuth",
    "ListDevices",
    "ListWebAuthnCredentials",
    "ResendConfirmationCode",
    "RespondToAuthChallenge",
    "RevokeToken",
    "SetUserMFAPreference",
    "SetUserSettings",
    "SignUp",
    "StartWebAuthnRegistration",
    "UpdateAuthEventFeedback",
    "UpdateDeviceStatus",
    "UpdateUserAttributes",
    "VerifySoftwareToken",
    "VerifyUserAttribute",
];

pub static OPERATIONS: &[Operation] = &[
    operation!("AddCustomAttributes", schema::add_custom_attributes),
    operation!("AdminAddUserToGroup", groups::admin_add_user_to_group),
    operation!("AdminConfirmSignUp", signup::admin_confirm_sign_up),
    operation!("AdminCreateUser", admin_users::admin_create_user),
    operation!("AdminDeleteUser", admin_users::admin_delete_user),
    operation!(
        "AdminDeleteUserAttributes",
        admin_users::admin_delete_user_attributes
    ),
    operation!("AdminDisableUser", admin_users::admin_disable_user),
    operation!("AdminEnableUser", admin_users::admin_enable_user),
    operation!("AdminForgetDevice", devices::forget_device),
    operation!("AdminGetDevice", devices::get_device),
    operation!("AdminGetUser", users::admin_get_user),
    operation!(
        "AdminGetUserAuthFactors",
        choice::admin_get_user_auth_factors
    ),
    operation!("AdminInitiateAuth", auth::admin_initiate_auth),
    operation!("AdminListDevices", devices::list_devices),
    operation!("AdminListGroupsForUser", groups::admin_list_groups_for_user),
    operation!(
        "AdminRemoveUserFromGroup",
        groups::admin_remove_user_from_group
    ),
    operation!(
        "AdminResetUserPassword",
        admin_users::admin_reset_user_password
    ),
    operation!(
        "AdminRespondToAuthChallenge",
        challenges::admin_respond_to_auth_challenge
    ),
    operation!(
        "AdminSetUserMFAPreference",
        mfa::admin_set_user_mfa_preference
    ),
    operation!("AdminSetUserPassword", admin_users::admin_set_user_password),
    operation!("AdminSetUserSettings", admin_users::admin_set_user_settings),
    operation!("AdminUpdateDeviceStatus", devices::update_device_status),
    operation!(
        "AdminUpdateUserAttributes",
        admin_users::admin_update_user_attributes
    ),
    operation!(
        "AdminUserGlobalSignOut",
        admin_users::admin_user_global_sign_out
    ),
    operation!("AssociateSoftwareToken", mfa::associate_software_token),
    operation!("ChangePassword", passwords::change_password),
    operation!("ConfirmDevice", devices::confirm_device),
    operation!("ConfirmForgotPassword", passwords::confirm_forgot_password),
    operation!("ConfirmSignUp", signup::confirm_sign_up),
    operation!("CreateGroup", groups::create_group),
    operation!("CreateUserPool", pools::create_user_pool),
    operation!("CreateUserPoolClient", clients::create_user_pool_client),
    operation!("DeleteGroup", groups::delete_group),
    operation!("DeleteUser", account::delete_user),
    operation!("DeleteUserAttributes", account::delete_user_attributes),
    operation!("DeleteUserPool", pools::delete_user_pool),
    operation!("DeleteUserPoolClient", clients::delete_user_pool_client),
    operation!("DescribeUserPool", pools::describe_user_pool),
    operation!("DescribeUserPoolClient", clients::describe_user_pool_client),
    operation!("ForgetDevice", devices::forget_device),
    operation!("ForgotPassword", passwords::forgot_password),
    operation!("GetDevice", devices::get_device),
    operation!("GetGroup", groups::get_group),
    operation!(
        "GetTokensFromRefreshToken",
        refresh::get_tokens_from_refresh_token
    ),
    operation!("GetUser", users::get_user),
    operation!(
        "GetUserAttributeVerificationCode",
        account::get_user_attribute_verification_code
    ),
    operation!("GetUserAuthFactors", choice::get_user_auth_factors),
    operation!("GetUserPoolMfaConfig", mfa::get_user_pool_mfa_config),
    operation!("GlobalSignOut", account::global_sign_out),
    operation!("InitiateAuth", auth::initiate_auth),
    operation!("ListDevices", devices::list_devices),
    operation!("ListGroups", groups::list_groups),
    operation!("ListTagsForResource", tags::list_tags_for_resource),
    operation!("ListUserPoolClients", clients::list_user_pool_clients),
    operation!("ListUserPools", pools::list_user_pools),
    operation!("ListUsers", list_users::list_users),
    operation!("ListUsersInGroup", groups::list_users_in_group),
    operation!("ResendConfirmationCode", signup::resend_confirmation_code),
    operation!(
        "RespondToAuthChallenge",
        challenges::respond_to_auth_challenge
    ),
    operation!("RevokeToken", account::revoke_token),
    operation!("SetUserMFAPreference", mfa::set_user_mfa_preference),
    operation!("SetUserPoolMfaConfig", mfa::set_user_pool_mfa_config),
    operation!("SetUserSettings", account::set_user_settings),
    operation!("SignUp", signup::sign_up),
    operation!("TagResource", tags::tag_resource),
    operation!("UntagResource", tags::untag_resource),
    operation!("UpdateDeviceStatus", devices::update_device_status),
    operation!("UpdateGroup", groups::update_group),
    operation!("UpdateUserAttributes", account::update_user_attributes),
    operation!("UpdateUserPool", pools::update_user_pool),
    operation!("UpdateUserPoolClient", clients::update_user_pool_client),
    operation!("VerifySoftwareToken", mfa::verify_software_token),
    operation!("VerifyUserAttribute", account::verify_user_attribute),
];

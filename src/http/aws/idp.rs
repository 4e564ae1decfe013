//! The `cognito-idp` operation table.

use super::Operation;
use crate::operation;
use crate::service::{auth, challenges, choice, clients, devices, mfa, pools, signup, users};

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
    operation!("AdminConfirmSignUp", signup::admin_confirm_sign_up),
    operation!("AdminForgetDevice", devices::forget_device),
    operation!("AdminGetDevice", devices::get_device),
    operation!("AdminGetUser", users::admin_get_user),
    operation!(
        "AdminGetUserAuthFactors",
        choice::admin_get_user_auth_factors
    ),
    operation!("AdminInitiateAuth", auth::admin_initiate_auth),
    operation!("AdminListDevices", devices::list_devices),
    operation!(
        "AdminRespondToAuthChallenge",
        challenges::admin_respond_to_auth_challenge
    ),
    operation!(
        "AdminSetUserMFAPreference",
        mfa::admin_set_user_mfa_preference
    ),
    operation!("AdminUpdateDeviceStatus", devices::update_device_status),
    operation!("AssociateSoftwareToken", mfa::associate_software_token),
    operation!("ConfirmDevice", devices::confirm_device),
    operation!("ConfirmSignUp", signup::confirm_sign_up),
    operation!("CreateUserPool", pools::create_user_pool),
    operation!("CreateUserPoolClient", clients::create_user_pool_client),
    operation!("DeleteUserPool", pools::delete_user_pool),
    operation!("DeleteUserPoolClient", clients::delete_user_pool_client),
    operation!("DescribeUserPool", pools::describe_user_pool),
    operation!("DescribeUserPoolClient", clients::describe_user_pool_client),
    operation!("ForgetDevice", devices::forget_device),
    operation!("GetDevice", devices::get_device),
    operation!("GetUser", users::get_user),
    operation!("GetUserAuthFactors", choice::get_user_auth_factors),
    operation!("GetUserPoolMfaConfig", mfa::get_user_pool_mfa_config),
    operation!("InitiateAuth", auth::initiate_auth),
    operation!("ListDevices", devices::list_devices),
    operation!("ListUserPoolClients", clients::list_user_pool_clients),
    operation!("ListUserPools", pools::list_user_pools),
    operation!("ResendConfirmationCode", signup::resend_confirmation_code),
    operation!(
        "RespondToAuthChallenge",
        challenges::respond_to_auth_challenge
    ),
    operation!("SetUserMFAPreference", mfa::set_user_mfa_preference),
    operation!("SetUserPoolMfaConfig", mfa::set_user_pool_mfa_config),
    operation!("SignUp", signup::sign_up),
    operation!("UpdateDeviceStatus", devices::update_device_status),
    operation!("UpdateUserPool", pools::update_user_pool),
    operation!("UpdateUserPoolClient", clients::update_user_pool_client),
    operation!("VerifySoftwareToken", mfa::verify_software_token),
];

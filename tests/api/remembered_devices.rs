//! Remembered devices: NewDeviceMetadata, ConfirmDevice, device SRP instead of MFA, and the
//! device operations.

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, DeviceConfigurationType, DeviceRememberedStatusType,
    DeviceSecretVerifierConfigType, SoftwareTokenMfaConfigType, SoftwareTokenMfaSettingsType,
    UserPoolMfaType,
};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::common::*;

/// USER_PASSWORD_AUTH from the device `device_key`.
async fn sign_in_on_device(
    app: &TestApp,
    pool: &Pool,
    username: &str,
    device_key: &str,
) -> aws_sdk_cognitoidentityprovider::operation::initiate_auth::InitiateAuthOutput {
    app.idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", username)
        .auth_parameters("PASSWORD", PASSWORD)
        .auth_parameters("DEVICE_KEY", device_key)
        .send()
        .await
        .unwrap()
}

fn hex_to_b64(hex: &str) -> String {
    STANDARD.encode(hex::decode(hex).unwrap())
}

#[tokio::test]
async fn a_remembered_device_signs_in_without_mfa() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.idp
        .update_user_pool()
        .user_pool_id(&pool.pool_id)
        .auto_verified_attributes(
            aws_sdk_cognitoidentityprovider::types::VerifiedAttributeType::Email,
        )
        .device_configuration(
            DeviceConfigurationType::builder()
                .challenge_required_on_new_device(true)
                .device_only_remembered_on_user_prompt(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    app.confirmed_user(&pool, "xena").await;

    // First sign-in: a new device is announced and confirmed with its own verifier.
    let first = app.tokens(&pool, "xena").await;
    let meta = first
        .new_device_metadata
        .clone()
        .expect("NewDeviceMetadata");
    let (device_key, group_key) = (meta.device_key.unwrap(), meta.device_group_key.unwrap());
    assert!(device_key.starts_with("us-east-1_"));
    let access = first.access_token.unwrap();
    assert_eq!(claims(&access)["device_key"], device_key.as_str());
    let device_password = "device-secret-password";
    let (salt, verifier) = srp::make_verifier(&group_key, &device_key, device_password);
    let confirmed = app
        .idp
        .confirm_device()
        .access_token(&access)
        .device_key(&device_key)
        .device_name("test phone")
        .device_secret_verifier_config(
            DeviceSecretVerifierConfigType::builder()
                .password_verifier(hex_to_b64(&verifier))
                .salt(hex_to_b64(&salt))
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert!(confirmed.user_confirmation_necessary());
    app.idp
        .update_device_status()
        .access_token(&access)
        .device_key(&device_key)
        .device_remembered_status(DeviceRememberedStatusType::Remembered)
        .send()
        .await
        .unwrap();
    let device = app
        .idp
        .get_device()
        .access_token(&access)
        .device_key(&device_key)
        .send()
        .await
        .unwrap();
    let attrs = pairs(device.device().unwrap().device_attributes());
    assert!(attrs.contains(&("device_name".into(), "test phone".into())));
    assert!(attrs.contains(&("dev:device_remembered_status".into(), "remembered".into())));

    // Turn on TOTP MFA for the user.
    app.idp
        .set_user_pool_mfa_config()
        .user_pool_id(&pool.pool_id)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(true).build(),
        )
        .mfa_configuration(UserPoolMfaType::Optional)
        .send()
        .await
        .unwrap();
    let secret = app
        .idp
        .associate_software_token()
        .access_token(&access)
        .send()
        .await
        .unwrap()
        .secret_code
        .unwrap();
    app.idp
        .verify_software_token()
        .access_token(&access)
        .user_code(totp::code_at(&secret, now_secs()).unwrap())
        .send()
        .await
        .unwrap();
    app.idp
        .set_user_mfa_preference()
        .access_token(&access)
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .unwrap();

    // Without the device: MFA.
    let without = app.password_sign_in(&pool, "xena", PASSWORD).await.unwrap();
    assert_eq!(
        without.challenge_name(),
        Some(&ChallengeNameType::SoftwareTokenMfa)
    );

    // With the remembered device: its SRP proof instead of MFA.
    let with = sign_in_on_device(&app, &pool, "xena", &device_key).await;
    assert_eq!(
        with.challenge_name(),
        Some(&ChallengeNameType::DeviceSrpAuth)
    );
    let (a, big_a) = srp::client::ephemeral();
    let verifier_step = app
        .respond(
            &pool,
            ChallengeNameType::DeviceSrpAuth,
            Some(with.session().unwrap()),
            &[
                ("USERNAME", "xena"),
                ("DEVICE_KEY", &device_key),
                ("SRP_A", &big_a),
            ],
        )
        .await
        .unwrap();
    assert_eq!(
        verifier_step.challenge_name(),
        Some(&ChallengeNameType::DevicePasswordVerifier)
    );
    let p = verifier_step.challenge_parameters().unwrap();
    let ts = srp_timestamp();
    let sig = srp::client::claim(
        &group_key,
        &device_key,
        device_password,
        (&a, &big_a),
        p,
        &ts,
    );
    let done = app
        .respond(
            &pool,
            ChallengeNameType::DevicePasswordVerifier,
            Some(verifier_step.session().unwrap()),
            &[
                ("USERNAME", "xena"),
                ("DEVICE_KEY", &device_key),
                ("PASSWORD_CLAIM_SECRET_BLOCK", &p["SECRET_BLOCK"]),
                ("PASSWORD_CLAIM_SIGNATURE", &sig),
                ("TIMESTAMP", &ts),
            ],
        )
        .await
        .unwrap();
    let result = done.authentication_result.unwrap();
    assert!(result.new_device_metadata.is_none());
    assert_eq!(
        claims(result.access_token().unwrap())["device_key"],
        device_key.as_str()
    );

    // Listed, then forgotten: the device no longer stands in for MFA.
    let listed = app
        .idp
        .admin_list_devices()
        .user_pool_id(&pool.pool_id)
        .username("xena")
        .send()
        .await
        .unwrap();
    assert_eq!(
        listed.devices().len(),
        1,
        "a sign-in stopped at MFA registers no device"
    );
    app.idp
        .admin_forget_device()
        .user_pool_id(&pool.pool_id)
        .username("xena")
        .device_key(&device_key)
        .send()
        .await
        .unwrap();
    let err = app
        .idp
        .get_device()
        .access_token(&access)
        .device_key(&device_key)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
    let after = sign_in_on_device(&app, &pool, "xena", &device_key).await;
    assert_eq!(
        after.challenge_name(),
        Some(&ChallengeNameType::SoftwareTokenMfa)
    );
}

#[tokio::test]
async fn pools_without_device_configuration_track_no_devices() {
    let app = spawn().await;
    let pool = app.pool().await;
    let result = app.signed_in_user(&pool, "yuri").await;
    assert!(result.new_device_metadata.is_none());
    assert!(claims(result.access_token().unwrap())
        .get("device_key")
        .is_none());
    let listed = app
        .idp
        .list_devices()
        .access_token(result.access_token().unwrap())
        .send()
        .await
        .unwrap();
    assert!(listed.devices().is_empty());
    let err = app
        .idp
        .update_device_status()
        .access_token(result.access_token().unwrap())
        .device_key("us-east-1_0000dead-beef")
        .device_remembered_status(DeviceRememberedStatusType::Remembered)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
}

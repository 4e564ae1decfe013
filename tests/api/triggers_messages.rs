//! CustomMessage with every trigger source, and CustomEmailSender / CustomSMSSender with the
//! code encrypted under the pool's sender key.

use std::sync::Arc;

use aws_sdk_cognitoidentityprovider::types::{
    ChallengeNameType, CustomEmailLambdaVersionConfigType, CustomSmsLambdaVersionConfigType,
    DeliveryMediumType, EmailMfaConfigType, EmailMfaSettingsType, LambdaConfigType,
    UserPoolMfaType,
};
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::ChaCha20Poly1305;
use serde_json::{json, Value};

use crate::common::*;
use crate::triggers_lambda::*;

/// Rewrites every message: its source in the subject and body, the code (and for an
/// invitation the username) where the event's placeholders say.
fn rewrite() -> Function {
    Arc::new(|mut event: Value| {
        let source = event["triggerSource"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let code = event["request"]["codeParameter"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let user = match event["request"]["usernameParameter"].as_str() {
            Some(p) => format!(" for {p}"),
            None => String::new(),
        };
        event["response"] = json!({
            "emailSubject": format!("[{source}]"),
            "emailMessage": format!("<b>{source}</b>{user}: {code}"),
            "smsMessage": format!("{source}{user}: {code}"),
        });
        Reply::Event(event)
    })
}

async fn message_pool(app: &TestApp, config: LambdaConfigType) -> Pool {
    app.pool_with(PoolSpec::standard().pool(move |p| p.lambda_config(config)))
        .await
}

#[tokio::test]
async fn custom_message_rewrites_every_source() {
    let lambda = serve(vec![("Message", rewrite())]).await;
    let app = spawn_for(&lambda).await;
    let config = LambdaConfigType::builder()
        .custom_message(arn("Message"))
        .build();
    let pool = message_pool(&app, config).await;
    let idp = &app.idp;

    idp.sign_up()
        .client_id(&pool.client_id)
        .username("ann")
        .password(PASSWORD)
        .user_attributes(attr("email", "ann@example.com"))
        .client_metadata("from", "signup")
        .send()
        .await
        .unwrap();
    let sent = &app.outbox(&pool.pool_id, "ann").await[0];
    assert_eq!(sent["subject"], "[CustomMessage_SignUp]");
    let code = sent["code"].as_str().unwrap();
    assert_eq!(sent["body"], format!("<b>CustomMessage_SignUp</b>: {code}"));
    let first = &lambda.events("Message")[0];
    assert_envelope(
        first,
        "CustomMessage_SignUp",
        &pool,
        "ann",
        Some(&pool.client_id),
    );
    assert_eq!(first["request"]["codeParameter"], "{####}");
    assert_eq!(first["request"]["usernameParameter"], Value::Null);
    assert_eq!(first["request"]["linkParameter"], Value::Null);
    assert_eq!(
        first["request"]["userAttributes"]["email"],
        "ann@example.com"
    );
    assert_eq!(
        first["request"]["clientMetadata"],
        json!({"from": "signup"})
    );
    assert_eq!(
        first["response"],
        json!({"smsMessage": null, "emailMessage": null, "emailSubject": null})
    );

    idp.resend_confirmation_code()
        .client_id(&pool.client_id)
        .username("ann")
        .client_metadata("from", "resend")
        .send()
        .await
        .unwrap();
    let resent = app.latest_code(&pool.pool_id, "ann").await;
    app.confirm_sign_up(&pool, "ann", resent).await.unwrap();
    idp.forgot_password()
        .client_id(&pool.client_id)
        .username("ann")
        .send()
        .await
        .unwrap();
    idp.admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("bob")
        .user_attributes(attr("email", "bob@example.com"))
        .desired_delivery_mediums(DeliveryMediumType::Email)
        .send()
        .await
        .unwrap();
    let invitation = &app.outbox(&pool.pool_id, "bob").await[0];
    let temporary = invitation["code"].as_str().unwrap();
    assert_eq!(
        invitation["body"],
        format!("<b>CustomMessage_AdminCreateUser</b> for bob: {temporary}")
    );

    let access = app.access_token(&pool, "ann").await;
    idp.update_user_attributes()
        .access_token(&access)
        .user_attributes(attr("email", "ann@example.org"))
        .send()
        .await
        .unwrap();
    idp.get_user_attribute_verification_code()
        .access_token(&access)
        .attribute_name("email")
        .send()
        .await
        .unwrap();

    idp.set_user_pool_mfa_config()
        .user_pool_id(&pool.pool_id)
        .email_mfa_configuration(EmailMfaConfigType::builder().subject("Code").build())
        .mfa_configuration(UserPoolMfaType::Optional)
        .send()
        .await
        .unwrap();
    idp.admin_set_user_mfa_preference()
        .user_pool_id(&pool.pool_id)
        .username("bob")
        .email_mfa_settings(EmailMfaSettingsType::builder().enabled(true).build())
        .send()
        .await
        .unwrap();
    idp.admin_update_user_attributes()
        .user_pool_id(&pool.pool_id)
        .username("bob")
        .user_attributes(attr("email_verified", "true"))
        .send()
        .await
        .unwrap();
    idp.admin_set_user_password()
        .user_pool_id(&pool.pool_id)
        .username("bob")
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
    let challenge = app.password_sign_in(&pool, "bob", PASSWORD).await.unwrap();
    assert_eq!(
        challenge.challenge_name(),
        Some(&ChallengeNameType::EmailOtp)
    );
    let mfa = &app.outbox(&pool.pool_id, "bob").await[0];
    assert_eq!(mfa["subject"], "[CustomMessage_Authentication]");

    let events = lambda.events("Message");
    let sources: Vec<&str> = events
        .iter()
        .map(|e| e["triggerSource"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        [
            "CustomMessage_SignUp",
            "CustomMessage_ResendCode",
            "CustomMessage_ForgotPassword",
            "CustomMessage_AdminCreateUser",
            "CustomMessage_UpdateUserAttribute",
            "CustomMessage_VerifyUserAttribute",
            "CustomMessage_Authentication",
        ]
    );
    assert_eq!(
        events[1]["request"]["clientMetadata"],
        json!({"from": "resend"})
    );
    assert_eq!(events[3]["request"]["usernameParameter"], "{username}");
    assert_eq!(
        events[4]["request"]["userAttributes"]["email"], "ann@example.org",
        "the event shows the address the code goes to"
    );
}

#[tokio::test]
async fn a_message_without_the_code_is_refused_and_the_sign_up_undone() {
    let lambda = serve(vec![(
        "Message",
        respond_with(json!({"emailMessage": "Welcome aboard!", "emailSubject": "Hi"})),
    )])
    .await;
    let app = spawn_for(&lambda).await;
    let config = LambdaConfigType::builder()
        .custom_message(arn("Message"))
        .build();
    let pool = message_pool(&app, config).await;
    let err = app
        .idp
        .sign_up()
        .client_id(&pool.client_id)
        .username("cy")
        .password(PASSWORD)
        .user_attributes(attr("email", "cy@example.com"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException", "{}", message(&err));
    // Cognito's wording for an email body without the code.
    assert_eq!(
        message(&err),
        "1 validation error detected: Value at 'emailBody' failed to satisfy constraint: \
         Member must satisfy regular expression pattern: \
         [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{####\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*"
    );
    assert_eq!(app.sql_i64("SELECT COUNT(*) FROM users").await, 0);
    assert!(app.outbox(&pool.pool_id, "cy").await.is_empty());
}

/// The pool's sender key, from the local-mode endpoint.
async fn sender_key(app: &TestApp, pool: &Pool) -> [u8; 32] {
    let url = format!("{}/_dev/sender-key/{}", app.base, pool.pool_id);
    let reply: Value = app
        .http
        .get(url)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(reply["algorithm"], "CHACHA20_POLY1305");
    let b64 = base64::engine::general_purpose::STANDARD;
    b64.decode(reply["key"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap()
}

/// What a sender function does with `request.code`: base64, 12-byte nonce, then the rest.
fn decrypt(key: &[u8; 32], code: &str) -> String {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(code)
        .unwrap();
    let (nonce, sealed) = bytes.split_at(12);
    let plain = ChaCha20Poly1305::new(key.into())
        .decrypt(nonce.into(), sealed)
        .unwrap();
    String::from_utf8(plain).unwrap()
}

#[tokio::test]
async fn custom_senders_get_the_encrypted_code_and_cognate_sends_nothing() {
    let lambda = serve(vec![
        ("Email", pass()),
        ("Sms", pass()),
        ("Message", rewrite()),
    ])
    .await;
    let app = spawn_for(&lambda).await;
    let config = LambdaConfigType::builder()
        .custom_email_sender(
            CustomEmailLambdaVersionConfigType::builder()
                .lambda_version("V1_0".into())
                .lambda_arn(arn("Email"))
                .build()
                .unwrap(),
        )
        .custom_sms_sender(
            CustomSmsLambdaVersionConfigType::builder()
                .lambda_version("V1_0".into())
                .lambda_arn(arn("Sms"))
                .build()
                .unwrap(),
        )
        .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/local")
        .custom_message(arn("Message"))
        .build();
    let pool = message_pool(&app, config).await;
    let key = sender_key(&app, &pool).await;

    let out = app
        .idp
        .sign_up()
        .client_id(&pool.client_id)
        .username("dee")
        .password(PASSWORD)
        .user_attributes(attr("email", "dee@example.com"))
        .client_metadata("from", "signup")
        .send()
        .await
        .unwrap();
    let details = out.code_delivery_details.unwrap();
    assert_eq!(details.destination(), Some("d***@e***"));
    assert!(
        app.outbox(&pool.pool_id, "dee").await.is_empty(),
        "not sent by Cognate"
    );
    assert!(
        lambda.events("Message").is_empty(),
        "senders replace CustomMessage"
    );
    let event = &lambda.events("Email")[0];
    assert_envelope(
        event,
        "CustomEmailSender_SignUp",
        &pool,
        "dee",
        Some(&pool.client_id),
    );
    assert_eq!(event["request"]["type"], "customEmailSenderRequestV1");
    assert_eq!(
        event["request"]["clientMetadata"],
        json!({"from": "signup"})
    );
    assert_eq!(
        event["request"]["userAttributes"]["email"],
        "dee@example.com"
    );
    let code = decrypt(&key, event["request"]["code"].as_str().unwrap());
    assert_eq!(code.len(), 6);
    app.confirm_sign_up(&pool, "dee", &code).await.unwrap();

    app.idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("eve")
        .user_attributes(attr("phone_number", "+15555550199"))
        .desired_delivery_mediums(DeliveryMediumType::Sms)
        .send()
        .await
        .unwrap();
    let event = &lambda.events("Sms")[0];
    assert_envelope(event, "CustomSMSSender_AdminCreateUser", &pool, "eve", None);
    assert_eq!(event["request"]["type"], "customSMSSenderRequestV1");
    let temporary = decrypt(&key, event["request"]["code"].as_str().unwrap());
    let challenge = app
        .password_sign_in(&pool, "eve", &temporary)
        .await
        .unwrap();
    assert_eq!(
        challenge.challenge_name(),
        Some(&ChallengeNameType::NewPasswordRequired)
    );
}

#[tokio::test]
async fn a_failing_sender_undoes_the_sign_up() {
    let failing: Function = Arc::new(|_| Reply::Error("SES is down".into()));
    let lambda = serve(vec![("Email", failing)]).await;
    let app = spawn_for(&lambda).await;
    let config = LambdaConfigType::builder()
        .custom_email_sender(
            CustomEmailLambdaVersionConfigType::builder()
                .lambda_version("V1_0".into())
                .lambda_arn(arn("Email"))
                .build()
                .unwrap(),
        )
        .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/local")
        .build();
    let pool = message_pool(&app, config).await;
    let err = app
        .idp
        .sign_up()
        .client_id(&pool.client_id)
        .username("fay")
        .password(PASSWORD)
        .user_attributes(attr("email", "fay@example.com"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UserLambdaValidationException");
    assert_eq!(
        message(&err),
        "CustomEmailSender failed with error SES is down."
    );
    assert_eq!(app.sql_i64("SELECT COUNT(*) FROM users").await, 0);
}

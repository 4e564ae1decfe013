//! UserMigration's welcome message: a migrated user gets the pool's invitation
//! (InviteMessageTemplate) unless the function answers `messageAction: SUPPRESS`, over
//! `desiredDeliveryMediums` (SMS when absent), through CustomMessage as
//! CustomMessage_AdminCreateUser; the password the user keeps is never written into it.

use std::sync::Arc;

use aws_sdk_cognitoidentityprovider::types::{
    AdminCreateUserConfigType, AuthFlowType, ExplicitAuthFlowsType, LambdaConfigType,
    MessageTemplateType,
};
use serde_json::{json, Value};

use crate::common::*;
use crate::triggers_lambda::*;

/// The old system knows "legacy"; `action` and `media` are its answer's messageAction and
/// desiredDeliveryMediums (absent when None).
fn old_system(action: Option<&'static str>, media: Option<Vec<&'static str>>) -> Function {
    Arc::new(move |mut event: Value| {
        if event["userName"] != "legacy" {
            return Reply::Event(event);
        }
        let mut response = json!({
            "userAttributes": {
                "email": "legacy@example.com",
                "email_verified": "true",
                "phone_number": "+15555550100",
            },
            "finalUserStatus": "CONFIRMED",
        });
        if let Some(action) = action {
            response["messageAction"] = json!(action);
        }
        if let Some(media) = &media {
            response["desiredDeliveryMediums"] = json!(media);
        }
        event["response"] = response;
        Reply::Event(event)
    })
}

/// A pool whose UserMigration is `function`, with its own invitation template; signs
/// "legacy" in with a password and returns the outbox for it.
async fn migrate_with(function: Function, custom_message: bool) -> (Lambda, Vec<Value>) {
    let rewrite: Function = Arc::new(|mut event: Value| {
        event["response"]["smsMessage"] = json!("Rewritten for {username}: {####}");
        Reply::Event(event)
    });
    let lambda = serve(vec![("Migrate", function), ("Message", rewrite)]).await;
    let app = spawn_for(&lambda).await;
    let mut config = LambdaConfigType::builder().user_migration(arn("Migrate"));
    if custom_message {
        config = config.custom_message(arn("Message"));
    }
    let config = config.build();
    let invite = AdminCreateUserConfigType::builder()
        .invite_message_template(
            MessageTemplateType::builder()
                .sms_message("Welcome {username}, code {####}.")
                .email_message("Welcome aboard, {username} ({####}).")
                .email_subject("Welcome to the new system")
                .build(),
        )
        .build();
    let spec = PoolSpec::standard()
        .pool(move |p| p.lambda_config(config).admin_create_user_config(invite))
        .flows(&[ExplicitAuthFlowsType::AllowUserPasswordAuth]);
    let pool = app.pool_with(spec).await;
    let out = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "legacy")
        .auth_parameters("PASSWORD", PASSWORD)
        .client_metadata("app", "v1")
        .send()
        .await
        .unwrap();
    assert!(out.authentication_result.is_some(), "signed in at once");
    let outbox = app.outbox(&pool.pool_id, "legacy").await;
    for message in &outbox {
        let body = message["body"].as_str().unwrap();
        assert!(
            !body.contains(PASSWORD),
            "the kept password is never sent: {body}"
        );
        assert_eq!(message["purpose"], "INVITATION");
    }
    if custom_message {
        let events = lambda.events("Message");
        assert_eq!(events.len(), outbox.len());
        for event in &events {
            assert_envelope(
                event,
                "CustomMessage_AdminCreateUser",
                &pool,
                "legacy",
                Some(&pool.client_id),
            );
            assert_eq!(event["request"]["usernameParameter"], "{username}");
            assert_eq!(event["request"]["clientMetadata"], json!({"app": "v1"}));
        }
    }
    (lambda, outbox)
}

fn media_of(outbox: &[Value]) -> Vec<&str> {
    let mut media: Vec<&str> = outbox
        .iter()
        .map(|m| m["medium"].as_str().unwrap())
        .collect();
    media.sort();
    media
}

#[tokio::test]
async fn a_migrated_user_gets_the_pools_invitation_by_sms_by_default() {
    let (_lambda, outbox) = migrate_with(old_system(None, None), false).await;
    assert_eq!(media_of(&outbox), ["SMS"]);
    assert_eq!(outbox[0]["destination"], "+15555550100");
    // The pool's template, with no temporary password to show: the user keeps theirs.
    assert_eq!(outbox[0]["body"], "Welcome legacy, code .");
}

#[tokio::test]
async fn suppress_sends_no_welcome_message() {
    let (_lambda, outbox) = migrate_with(old_system(Some("SUPPRESS"), None), true).await;
    assert!(outbox.is_empty(), "{outbox:?}");
}

#[tokio::test]
async fn desired_delivery_mediums_choose_email_sms_or_both() {
    let (_lambda, email) = migrate_with(old_system(None, Some(vec!["EMAIL"])), false).await;
    assert_eq!(media_of(&email), ["EMAIL"]);
    assert_eq!(email[0]["destination"], "legacy@example.com");
    assert_eq!(email[0]["subject"], "Welcome to the new system");
    assert!(email[0]["body"]
        .as_str()
        .unwrap()
        .contains("Welcome aboard, legacy"));

    let (_lambda, sms) = migrate_with(old_system(Some("RESEND"), Some(vec!["SMS"])), false).await;
    assert_eq!(media_of(&sms), ["SMS"]);

    let (_lambda, both) = migrate_with(old_system(None, Some(vec!["SMS", "EMAIL"])), false).await;
    assert_eq!(media_of(&both), ["EMAIL", "SMS"]);
}

#[tokio::test]
async fn the_welcome_message_passes_through_custom_message_as_an_invitation() {
    let (_lambda, outbox) = migrate_with(old_system(None, None), true).await;
    assert_eq!(media_of(&outbox), ["SMS"]);
    assert_eq!(outbox[0]["body"], "Rewritten for legacy: ");
}

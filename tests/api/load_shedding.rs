//! Bounded load: argon2 runs on a fixed pool of workers with a bounded queue, and what does not
//! fit is shed with TooManyRequestsException; per-category request-rate quotas, off in local
//! mode unless configured.

use std::collections::BTreeMap;

use futures_util::future::join_all;

use aws_sdk_cognitoidentityprovider as idp;

use crate::common::*;

/// A user pool server whose argon2 runs on one worker with room for one waiting job, each hash
/// costly enough that a burst of sign-ins overlaps it.
async fn one_worker_one_slot() -> TestApp {
    spawn_with(|c| Config {
        hash_workers: 1,
        hash_queue: 1,
        argon2: Argon2Params {
            memory_kib: 32 * 1024,
            iterations: 3,
        },
        ..c
    })
    .await
}

#[tokio::test]
async fn sign_ins_beyond_the_hashing_queue_are_shed_not_queued() {
    let app = one_worker_one_slot().await;
    let pool = app.pool().await;
    app.confirmed_user(&pool, "nina").await;

    let attempts = (0..16).map(|_| app.password_sign_in(&pool, "nina", PASSWORD));
    let (mut signed_in, mut shed) = (0, 0);
    for result in join_all(attempts).await {
        match result {
            Ok(out) => {
                assert!(out.authentication_result.is_some());
                signed_in += 1;
            }
            Err(e) if code(&e) == "TooManyRequestsException" => {
                assert_eq!(message(&e), "Too many requests");
                shed += 1;
            }
            Err(e) => panic!("neither signed in nor shed: {e:?}"),
        }
    }
    assert!(signed_in >= 1, "some sign-ins go through");
    assert!(
        shed >= 1,
        "a full queue sheds the rest ({signed_in} signed in)"
    );
    // Once the burst is over the server serves again.
    app.tokens(&pool, "nina").await;
}

#[tokio::test]
async fn a_shed_request_is_a_cognito_error_with_status_400() {
    let app = one_worker_one_slot().await;
    let pool = app.pool().await;
    let body = format!(
        r#"{{"ClientId":"{}","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{{"USERNAME":"x","PASSWORD":"y"}}}}"#,
        pool.client_id
    );
    let target = "AWSCognitoIdentityProviderService.InitiateAuth";
    let replies = join_all((0..16).map(|_| app.raw(target, &body, false))).await;
    let mut shed = 0;
    for reply in replies {
        let status = reply.status().as_u16();
        let kind = reply
            .headers()
            .get("x-amzn-errortype")
            .map(|v| v.to_str().unwrap().to_string());
        assert_eq!(status, 400, "{kind:?}");
        if kind.as_deref() == Some("TooManyRequestsException") {
            shed += 1;
        }
    }
    assert!(shed >= 1);
}

#[tokio::test]
async fn a_category_quota_refuses_requests_over_its_rate() {
    let app = spawn_with(|c| Config {
        quotas: Quotas {
            enabled: Some(true),
            rates: BTreeMap::from([(QuotaCategory::UserAuthentication, 1)]),
        },
        ..c
    })
    .await;
    let pool = app.pool().await;
    app.confirmed_user(&pool, "olga").await;

    let mut refused = Vec::new();
    for _ in 0..5 {
        if let Err(e) = app.password_sign_in(&pool, "olga", PASSWORD).await {
            refused.push((code(&e), message(&e)));
        }
    }
    assert!(!refused.is_empty(), "five sign-ins exceed one a second");
    for (code, message) in refused {
        assert_eq!(code, "TooManyRequestsException");
        assert_eq!(message, "Too many requests");
    }
    // Other categories keep their own quotas.
    app.admin_get_user(&pool, "olga").await.unwrap();
}

#[tokio::test]
async fn quotas_are_off_in_local_mode_by_default() {
    let app = spawn().await;
    let pool = app.pool().await;
    // Far beyond Cognito's 30 ListUsers a second, all at once.
    let calls = (0..120).map(|_| app.idp.list_users().user_pool_id(&pool.pool_id).send());
    for result in join_all(calls).await {
        result.unwrap();
    }
}

/// Five password sign-ins of an unknown user with a UserAuthentication quota of one a second,
/// quotas left at their default (on or off by mode): the error codes.
async fn five_sign_ins_at_one_a_second(strict: bool) -> Vec<String> {
    const KEY: &str = "AKIACOGNATEADMIN";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCOGNATEKEY";
    let app = spawn_with(|c| Config {
        admin_access_key_id: strict.then(|| KEY.into()),
        admin_secret_access_key: strict.then(|| Secret::new(SECRET)),
        master_key: strict.then(|| Secret::new(Sealer::generate_key())),
        quotas: Quotas {
            enabled: None,
            rates: BTreeMap::from([(QuotaCategory::UserAuthentication, 1)]),
        },
        ..c
    })
    .await;
    let admin = sdk_client(&app.base, KEY, SECRET);
    let pool = admin
        .create_user_pool()
        .pool_name("q")
        .send()
        .await
        .unwrap();
    let pool_id = pool.user_pool.unwrap().id.unwrap();
    let client = admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("q")
        .explicit_auth_flows(idp::types::ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .send()
        .await
        .unwrap();
    let pool = Pool {
        pool_id,
        client_id: client.user_pool_client.unwrap().client_id.unwrap(),
    };
    let mut codes = Vec::new();
    for _ in 0..5 {
        let err = app
            .password_sign_in(&pool, "nobody", PASSWORD)
            .await
            .unwrap_err();
        codes.push(code(&err));
    }
    codes
}

#[tokio::test]
async fn quotas_are_on_by_default_outside_local_mode() {
    let strict = five_sign_ins_at_one_a_second(true).await;
    assert!(
        strict.iter().any(|c| c == "TooManyRequestsException"),
        "{strict:?}"
    );
    let local = five_sign_ins_at_one_a_second(false).await;
    assert!(
        local.iter().all(|c| c != "TooManyRequestsException"),
        "{local:?}"
    );
}

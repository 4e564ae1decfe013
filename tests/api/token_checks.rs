//! How the server checks the tokens it signed: a token signed again with the pool's own key
//! is taken, and one that has expired, was changed after signing, was signed with the key of
//! the other use, or is not signed at all, is refused with Cognito's message.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};

use crate::common::*;

/// `token`'s claims, changed by `edit`, signed with the pool's key for `token_use`.
async fn signed_again(
    app: &TestApp,
    pool: &Pool,
    token: &str,
    token_use: &str,
    edit: impl FnOnce(&mut Value),
) -> String {
    let mut body = claims(token);
    edit(&mut body);
    let keys = key_store::find_by_pool(&app.db().await, &pool.pool_id)
        .await
        .unwrap();
    let key = keys
        .iter()
        .rev()
        .find(|k| k.token_use == token_use)
        .unwrap();
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some(key.kid.clone());
    let private = jsonwebtoken::EncodingKey::from_rsa_pem(key.private_key_pem.as_bytes()).unwrap();
    jsonwebtoken::encode(&header, &body, &private).unwrap()
}

/// What GetUser says of `token`: `Ok` with the username, or the error's code and message.
async fn get_user(app: &TestApp, token: &str) -> Result<String, (String, String)> {
    match app.idp.get_user().access_token(token).send().await {
        Ok(user) => Ok(user.username().to_string()),
        Err(e) => Err((code(&e), message(&e))),
    }
}

fn expired_now(claims: &mut Value) {
    claims["exp"] = json!(now_secs() - 1);
}

fn refused(message: &str) -> Result<String, (String, String)> {
    Err(("NotAuthorizedException".into(), message.into()))
}

#[tokio::test]
async fn access_tokens_are_checked_for_signature_use_and_expiry() {
    let app = spawn().await;
    let pool = app.pool().await;
    let signed_in = app.signed_in_user(&pool, "kate").await;
    let access = signed_in.access_token.unwrap();

    // The pool's access key signing the same claims again: the test's signing is right.
    let same = signed_again(&app, &pool, &access, "access", |_| {}).await;
    assert_eq!(get_user(&app, &same).await, Ok("kate".into()));

    let expired = signed_again(&app, &pool, &access, "access", expired_now).await;
    assert_eq!(
        get_user(&app, &expired).await,
        refused("Access Token has expired")
    );

    // The claims changed after signing: the signature no longer covers them.
    let (signed, signature) = access.rsplit_once('.').unwrap();
    let (header, _) = signed.split_once('.').unwrap();
    let mut forged = claims(&access);
    forged["username"] = json!("root");
    let forged = URL_SAFE_NO_PAD.encode(forged.to_string());
    let tampered = format!("{header}.{forged}.{signature}");
    assert_eq!(
        get_user(&app, &tampered).await,
        refused("Invalid Access Token")
    );

    // The same claims under the pool's ID-token key, and unsigned (`alg: none`).
    let wrong_key = signed_again(&app, &pool, &access, "id", |_| {}).await;
    assert_eq!(
        get_user(&app, &wrong_key).await,
        refused("Invalid Access Token")
    );
    let kid = jsonwebtoken::decode_header(&access).unwrap().kid.unwrap();
    let none = URL_SAFE_NO_PAD.encode(json!({"alg": "none", "kid": kid}).to_string());
    let unsigned = format!("{none}.{forged}.");
    for token in [unsigned.as_str(), "not.a.jwt", &access[..access.len() - 4]] {
        assert_eq!(
            get_user(&app, token).await,
            refused("Invalid Access Token"),
            "{token:?}"
        );
    }

    // An ID token is not an access token, though its signature is good.
    let id = signed_in.id_token.unwrap();
    assert_eq!(get_user(&app, &id).await, refused("Invalid Access Token"));
}

#[tokio::test]
async fn an_identity_pool_refuses_an_expired_or_resigned_id_token() {
    let app = spawn().await;
    let pool = app.pool().await;
    let identity_pool = app.identity_pool(Some(&pool), false).await;
    app.default_roles(&identity_pool).await;
    let ci = app.identity();
    let id = app.id_token(&pool, "alice").await;
    let get_id = |token: String| {
        ci.get_id()
            .identity_pool_id(&identity_pool)
            .logins(provider_of(&pool), token)
            .send()
    };

    let same = signed_again(&app, &pool, &id, "id", |_| {}).await;
    get_id(same)
        .await
        .expect("the pool's ID key signing the same claims");

    let expired = signed_again(&app, &pool, &id, "id", expired_now).await;
    let e = get_id(expired).await.unwrap_err();
    assert_eq!(code(&e), "NotAuthorizedException");
    assert_eq!(message(&e), "Invalid login token. Token expired.");

    let wrong_key = signed_again(&app, &pool, &id, "access", |_| {}).await;
    let e = get_id(wrong_key).await.unwrap_err();
    assert_eq!(code(&e), "NotAuthorizedException");
    assert_eq!(
        message(&e),
        "Invalid login token. Not a valid OpenId Connect identity token."
    );
}

//! `COGNATE_ISSUER_STYLE=aws`: tokens name Cognito's issuer URL, so that verifiers built for
//! Cognito (aws-jwt-verify, API Gateway authorizers) accept them; the keys stay served here.

use serde_json::Value;

use crate::common::*;

#[tokio::test]
async fn aws_style_tokens_name_cognitos_issuer_and_still_work_here() {
    let app = spawn_with(|c| Config {
        issuer_style: IssuerStyle::Aws,
        ..c
    })
    .await;
    let pool = app.pool().await;
    let tokens = app.signed_in_user(&pool, "ivy").await;
    let issuer = format!(
        "https://cognito-idp.us-east-1.amazonaws.com/{}",
        pool.pool_id
    );
    assert_eq!(claims(tokens.id_token().unwrap())["iss"], issuer.as_str());
    assert_eq!(
        claims(tokens.access_token().unwrap())["iss"],
        issuer.as_str()
    );
    // The server accepts its own tokens under that issuer.
    let me = app
        .idp
        .get_user()
        .access_token(tokens.access_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(me.username(), "ivy");
    let doc: Value = app
        .http
        .get(format!(
            "{}/{}/.well-known/openid-configuration",
            app.base, pool.pool_id
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["issuer"], issuer.as_str());
    assert_eq!(
        doc["jwks_uri"],
        format!("{}/{}/.well-known/jwks.json", app.base, pool.pool_id)
    );
}

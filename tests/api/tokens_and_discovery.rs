//! The walking skeleton (pool, client, sign-up, confirm, sign-in, refresh, GetUser) with its
//! tokens verified against the published JWKS, and the discovery and health documents.

use aws_sdk_cognitoidentityprovider::types::AuthFlowType;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

use crate::common::*;

/// Verifies `token` with the served JWKS and returns its claims.
async fn verify(app: &TestApp, pool_id: &str, token: &str) -> Value {
    let jwks: Value = app
        .http
        .get(format!("{}/{pool_id}/.well-known/jwks.json", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kid = jsonwebtoken::decode_header(token).unwrap().kid.unwrap();
    let jwk = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid.as_str())
        .expect("token's kid is published");
    assert_eq!(jwk["alg"], "RS256");
    assert_eq!(jwk["kty"], "RSA");
    let key =
        DecodingKey::from_rsa_components(jwk["n"].as_str().unwrap(), jwk["e"].as_str().unwrap())
            .unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[format!("{}/{pool_id}", app.base)]);
    validation.validate_aud = false;
    jsonwebtoken::decode::<Value>(token, &key, &validation)
        .unwrap()
        .claims
}

#[tokio::test]
async fn sign_up_confirm_sign_in_refresh_and_verify_tokens() {
    let app = spawn().await;
    let pool = app.pool().await;

    let signed_up = app.sign_up(&pool, "alice", "alice@example.com").await;
    assert!(!signed_up.user_confirmed);
    let delivery = signed_up.code_delivery_details.unwrap();
    assert_eq!(delivery.destination(), Some("a***@e***"));
    assert_eq!(delivery.attribute_name(), Some("email"));

    let messages = app.outbox(&pool.pool_id, "alice").await;
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert_eq!(message["medium"], "EMAIL");
    assert_eq!(message["purpose"], "SIGN_UP");
    assert_eq!(message["destination"], "alice@example.com");
    let code = message["code"].as_str().unwrap();
    assert!(message["body"].as_str().unwrap().contains(code));

    let before = app.admin_get_user(&pool, "alice").await.unwrap();
    assert_eq!(before.user_status().unwrap().as_str(), "UNCONFIRMED");

    app.confirm_sign_up(&pool, "alice", code).await.unwrap();

    let result = app.tokens(&pool, "alice").await;
    assert_eq!(result.token_type(), Some("Bearer"));
    assert_eq!(result.expires_in(), 3600);
    let (access, id, refresh) = (
        result.access_token.unwrap(),
        result.id_token.unwrap(),
        result.refresh_token.unwrap(),
    );

    let a = verify(&app, &pool.pool_id, &access).await;
    let i = verify(&app, &pool.pool_id, &id).await;
    let sub = signed_up.user_sub;
    assert_eq!(a["sub"], sub.as_str());
    assert_eq!(a["token_use"], "access");
    assert_eq!(a["client_id"], pool.client_id.as_str());
    assert_eq!(a["username"], "alice");
    assert_eq!(a["scope"], "aws.cognito.signin.user.admin");
    assert!(a.get("aud").is_none());
    assert_eq!(i["sub"], sub.as_str());
    assert_eq!(i["token_use"], "id");
    assert_eq!(i["aud"], pool.client_id.as_str());
    assert_eq!(i["cognito:username"], "alice");
    assert_eq!(i["email"], "alice@example.com");
    assert_eq!(i["email_verified"], true);
    for claims in [&a, &i] {
        assert_eq!(claims["iss"], format!("{}/{}", app.base, pool.pool_id));
        assert_eq!(
            claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
            3600
        );
        assert!(claims["auth_time"].as_i64().unwrap() <= claims["iat"].as_i64().unwrap());
        for name in ["jti", "origin_jti", "event_id"] {
            assert!(
                uuid::Uuid::parse_str(claims[name].as_str().unwrap()).is_ok(),
                "{name}"
            );
        }
    }
    assert_eq!(a["origin_jti"], i["origin_jti"]);
    assert_eq!(a["event_id"], i["event_id"]);
    let header = jsonwebtoken::decode_header(&access).unwrap();
    let id_header = jsonwebtoken::decode_header(&id).unwrap();
    assert_ne!(
        header.kid, id_header.kid,
        "ID and access tokens use separate keys"
    );

    let me = app
        .idp
        .get_user()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(me.username(), "alice");
    let attrs = pairs(me.user_attributes());
    assert!(attrs.contains(&("sub".into(), sub.clone())));
    assert!(attrs.contains(&("email_verified".into(), "true".into())));

    let refreshed = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", &refresh)
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    assert!(
        refreshed.refresh_token.is_none(),
        "no rotation unless the client asks for it"
    );
    let a2 = verify(&app, &pool.pool_id, refreshed.access_token().unwrap()).await;
    assert_eq!(a2["origin_jti"], a["origin_jti"]);
    assert_eq!(a2["auth_time"], a["auth_time"]);
    assert_ne!(a2["jti"], a["jti"]);

    let admin = app
        .idp
        .admin_initiate_auth()
        .user_pool_id(&pool.pool_id)
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap();
    assert!(admin.authentication_result.unwrap().id_token.is_some());

    let after = app.admin_get_user(&pool, "alice").await.unwrap();
    assert_eq!(after.user_status().unwrap().as_str(), "CONFIRMED");
    assert!(after.enabled());
    assert!(after.user_create_date().is_some());
}

#[tokio::test]
async fn discovery_and_health() {
    let app = spawn().await;
    let pool = app.pool().await;
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
    assert_eq!(doc["issuer"], format!("{}/{}", app.base, pool.pool_id));
    assert_eq!(
        doc["jwks_uri"],
        format!("{}/{}/.well-known/jwks.json", app.base, pool.pool_id)
    );
    assert_eq!(doc["id_token_signing_alg_values_supported"][0], "RS256");
    let jwks: Value = app
        .http
        .get(doc["jwks_uri"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
    let missing = app
        .http
        .get(format!(
            "{}/us-east-1_nothere/.well-known/jwks.json",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let health = app
        .http
        .get(format!("{}/health", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let body: Value = health.json().await.unwrap();
    assert_eq!(body["database"], "ok");
}

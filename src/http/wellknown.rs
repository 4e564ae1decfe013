//! `/{poolId}/.well-known/jwks.json` and `/{poolId}/.well-known/openid-configuration`.

use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::aws::AwsError;
use crate::service::directory::{keys, pools};
use crate::service::kernel::ids;
use crate::service::{Error, State};

fn pool_not_found(pool_id: &str) -> HttpResponse {
    HttpResponse::NotFound().json(serde_json::json!({
        "message": format!("User pool {pool_id} does not exist.")
    }))
}

pub async fn jwks(
    path: web::Path<String>,
    state: web::Data<State>,
) -> Result<HttpResponse, AwsError> {
    let pool_id = path.into_inner();
    if !ids::is_user_pool_id(&pool_id) {
        return Ok(pool_not_found(&pool_id));
    }
    Ok(match keys::public_keys(&state, &pool_id).await? {
        Some(keys) => HttpResponse::Ok()
            .insert_header(("cache-control", "public, max-age=300"))
            .json(Jwks::from(keys)),
        None => pool_not_found(&pool_id),
    })
}

/// One public key of the JWK set (RFC 7517).
#[derive(Debug, Serialize)]
struct Jwk {
    alg: &'static str,
    e: String,
    kid: String,
    kty: &'static str,
    n: String,
    #[serde(rename = "use")]
    use_: &'static str,
}

#[derive(Debug, Serialize)]
struct Jwks {
    keys: Vec<Jwk>,
}

impl From<Vec<keys::PublicKey>> for Jwks {
    fn from(keys: Vec<keys::PublicKey>) -> Self {
        Jwks {
            keys: keys
                .into_iter()
                .map(|k| Jwk {
                    alg: "RS256",
                    e: k.exponent,
                    kid: k.kid,
                    kty: "RSA",
                    n: k.modulus,
                    use_: "sig",
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct Discovery {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    userinfo_endpoint: String,
    end_session_endpoint: String,
    revocation_endpoint: String,
    jwks_uri: String,
    response_types_supported: [&'static str; 2],
    scopes_supported: &'static [&'static str],
    grant_types_supported: [&'static str; 4],
    code_challenge_methods_supported: [&'static str; 2],
    claims_supported: [&'static str; 9],
    subject_types_supported: [&'static str; 1],
    id_token_signing_alg_values_supported: [&'static str; 1],
    token_endpoint_auth_methods_supported: [&'static str; 2],
}

pub async fn openid_configuration(
    path: web::Path<String>,
    state: web::Data<State>,
) -> Result<HttpResponse, AwsError> {
    let pool_id = path.into_inner();
    // Only the pool's existence matters here; its keys are the JWKS endpoint's business.
    match pools::load(&state, &pool_id).await {
        Ok(_) => {}
        Err(Error::Cognito { .. }) => return Ok(pool_not_found(&pool_id)),
        Err(e) => return Err(e.into()),
    }
    let base = &state.public_url;
    Ok(HttpResponse::Ok().json(Discovery {
        issuer: state.issuer(&pool_id),
        authorization_endpoint: format!("{base}/oauth2/authorize"),
        token_endpoint: format!("{base}/oauth2/token"),
        userinfo_endpoint: format!("{base}/oauth2/userInfo"),
        end_session_endpoint: format!("{base}/logout"),
        revocation_endpoint: format!("{base}/oauth2/revoke"),
        // The keys are always served here, whichever issuer the tokens name.
        jwks_uri: format!("{base}/{pool_id}/.well-known/jwks.json"),
        response_types_supported: ["code", "token"],
        scopes_supported: crate::service::directory::scopes::STANDARD,
        grant_types_supported: [
            "authorization_code",
            "implicit",
            "refresh_token",
            "client_credentials",
        ],
        code_challenge_methods_supported: ["S256", "plain"],
        claims_supported: [
            "sub",
            "iss",
            "aud",
            "auth_time",
            "nonce",
            "at_hash",
            "cognito:username",
            "email",
            "email_verified",
        ],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    }))
}

//! `/{poolId}/.well-known/jwks.json` and `/{poolId}/.well-known/openid-configuration`.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use bytes::Bytes;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::aws::AwsError;
use crate::service::directory::keys;
use crate::service::kernel::ids;
use crate::service::State;

const CACHE_CONTROL: &str = "public, max-age=300";

/// The two documents of each pool, rendered once: both change only with the pool's key set
/// (the discovery document names nothing else that can change), so each is kept with the
/// key set it was made from and made again when the service hands out another one.
#[derive(Default)]
pub struct Documents {
    rendered: RwLock<HashMap<(String, Kind), Rendered>>,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Jwks,
    Discovery,
}

#[derive(Clone)]
struct Rendered {
    keys: Arc<Vec<keys::PublicKey>>,
    body: Bytes,
    etag: String,
}

impl Documents {
    /// The pool's document of `kind`, or `None` (and nothing kept) when the pool does not exist.
    async fn get(
        &self,
        state: &State,
        pool_id: &str,
        kind: Kind,
    ) -> Result<Option<Rendered>, AwsError> {
        let slot = (pool_id.to_string(), kind);
        let Some(keys) = keys::public_keys(state, pool_id).await? else {
            self.rendered.write().unwrap().remove(&slot);
            return Ok(None);
        };
        if let Some(r) = self.rendered.read().unwrap().get(&slot) {
            if Arc::ptr_eq(&r.keys, &keys) {
                return Ok(Some(r.clone()));
            }
        }
        let body = match kind {
            Kind::Jwks => serde_json::to_vec(&Jwks::from(keys.as_slice())),
            Kind::Discovery => serde_json::to_vec(&Discovery::new(state, pool_id)),
        }
        .map_err(|e| AwsError::from(crate::service::Error::Internal(e.into())))?;
        let etag = format!("\"{}\"", &hex::encode(Sha256::digest(&body))[..32]);
        let rendered = Rendered {
            keys,
            body: Bytes::from(body),
            etag,
        };
        self.rendered
            .write()
            .unwrap()
            .insert(slot, rendered.clone());
        Ok(Some(rendered))
    }
}

/// The cached document, or 304 when the caller holds it already.
fn reply(req: &HttpRequest, doc: Rendered) -> HttpResponse {
    let held = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == doc.etag || t.trim() == "*")
        });
    let mut res = match held {
        true => HttpResponse::NotModified(),
        false => HttpResponse::Ok(),
    };
    res.insert_header((header::CACHE_CONTROL, CACHE_CONTROL))
        .insert_header((header::ETAG, doc.etag));
    match held {
        true => res.finish(),
        false => res.content_type("application/json").body(doc.body),
    }
}

fn pool_not_found(pool_id: &str) -> HttpResponse {
    HttpResponse::NotFound().json(serde_json::json!({
        "message": format!("User pool {pool_id} does not exist.")
    }))
}

pub async fn jwks(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<State>,
    documents: web::Data<Documents>,
) -> Result<HttpResponse, AwsError> {
    document(req, path.into_inner(), state, documents, Kind::Jwks).await
}

async fn document(
    req: HttpRequest,
    pool_id: String,
    state: web::Data<State>,
    documents: web::Data<Documents>,
    kind: Kind,
) -> Result<HttpResponse, AwsError> {
    if !ids::is_user_pool_id(&pool_id) {
        return Ok(pool_not_found(&pool_id));
    }
    Ok(match documents.get(&state, &pool_id, kind).await? {
        Some(doc) => reply(&req, doc),
        None => pool_not_found(&pool_id),
    })
}

/// One public key of the JWK set (RFC 7517).
#[derive(Debug, Serialize)]
struct Jwk<'a> {
    alg: &'static str,
    e: &'a str,
    kid: &'a str,
    kty: &'static str,
    n: &'a str,
    #[serde(rename = "use")]
    use_: &'static str,
}

#[derive(Debug, Serialize)]
struct Jwks<'a> {
    keys: Vec<Jwk<'a>>,
}

impl<'a> From<&'a [keys::PublicKey]> for Jwks<'a> {
    fn from(keys: &'a [keys::PublicKey]) -> Self {
        Jwks {
            keys: keys
                .iter()
                .map(|k| Jwk {
                    alg: "RS256",
                    e: &k.exponent,
                    kid: &k.kid,
                    kty: "RSA",
                    n: &k.modulus,
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
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<State>,
    documents: web::Data<Documents>,
) -> Result<HttpResponse, AwsError> {
    // A pool exists exactly while it has keys, so the key set says whether to answer.
    document(req, path.into_inner(), state, documents, Kind::Discovery).await
}

impl Discovery {
    fn new(state: &State, pool_id: &str) -> Self {
        let base = &state.public_url;
        Discovery {
            issuer: state.issuer(pool_id),
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
        }
    }
}

/// `/.well-known/openid-configuration` at a pool's hosted-UI domain: the pool is the one
/// whose domain the Host header names, as Cognito serves it at `https://{domain}/...`.
pub async fn domain_openid_configuration(
    req: HttpRequest,
    state: web::Data<State>,
    documents: web::Data<Documents>,
) -> Result<HttpResponse, AwsError> {
    let host = req.connection_info().host().to_string();
    match crate::service::oauth2::domain::pool_for_host(&state, &host).await? {
        Some(pool_id) => document(req, pool_id, state, documents, Kind::Discovery).await,
        None => Ok(HttpResponse::NotFound().json(serde_json::json!({
            "message": format!("No user pool domain is served at {host}.")
        }))),
    }
}

//! The OAuth2 / OIDC endpoints: `/oauth2/authorize`, `/oauth2/token`, `/oauth2/userInfo`,
//! `/oauth2/revoke` and `/logout`. Thin: parse, call one `service::oauth2` function, map.

pub mod error;
pub mod idpresponse;

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::ui::{self, cookies, PageError};
use crate::service::oauth2::authorize::{self, Next};
use crate::service::oauth2::logout::{self as logout_flow, AfterLogout};
use crate::service::oauth2::request::AuthorizeParams;
use crate::service::oauth2::token::{self as token_flow, ClientCredentials, TokenRequest};
use crate::service::oauth2::userinfo;
use crate::service::State;
use error::OAuthError;

/// The routes, with CORS on the endpoints single-page apps call from the browser.
pub fn routes(cfg: &mut web::ServiceConfig) {
    let cors = || {
        actix_web::middleware::DefaultHeaders::new()
            .add(("access-control-allow-origin", "*"))
            .add(("access-control-allow-methods", "GET, POST, OPTIONS"))
            .add((
                "access-control-allow-headers",
                "authorization, content-type",
            ))
            .add(("access-control-max-age", "600"))
    };
    cfg.route("/oauth2/authorize", web::get().to(view_authorize))
        .route(
            "/oauth2/idpresponse",
            web::get().to(idpresponse::view_idp_response),
        )
        .route(
            "/oauth2/idpresponse",
            web::post().to(idpresponse::submit_idp_response),
        )
        .route("/logout", web::get().to(view_logout))
        .service(
            web::resource("/oauth2/token")
                .wrap(cors())
                .route(web::post().to(token))
                .route(web::method(actix_web::http::Method::OPTIONS).to(preflight)),
        )
        .service(
            web::resource(["/oauth2/userInfo", "/oauth2/userinfo"])
                .wrap(cors())
                .route(web::get().to(user_info))
                .route(web::post().to(user_info))
                .route(web::method(actix_web::http::Method::OPTIONS).to(preflight)),
        )
        .service(
            web::resource("/oauth2/revoke")
                .wrap(cors())
                .route(web::post().to(revoke))
                .route(web::method(actix_web::http::Method::OPTIONS).to(preflight)),
        );
}

async fn preflight() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

fn found(location: &str) -> HttpResponse {
    HttpResponse::Found()
        .insert_header((header::LOCATION, location))
        .finish()
}

async fn view_authorize(
    req: HttpRequest,
    params: web::Query<AuthorizeParams>,
    state: web::Data<State>,
) -> Result<HttpResponse, PageError> {
    let session = cookies::get(&req, cookies::SESSION);
    match authorize::authorize(&state, &params, session.as_deref()).await? {
        Next::Redirect(to) => Ok(found(&to)),
        Next::Login => Ok(found(&format!("/login?{}", req.query_string()))),
    }
}

#[derive(Debug, Deserialize)]
struct LogoutQuery {
    client_id: Option<String>,
    logout_uri: Option<String>,
}

async fn view_logout(
    req: HttpRequest,
    query: web::Query<LogoutQuery>,
    params: web::Query<AuthorizeParams>,
    state: web::Data<State>,
) -> Result<HttpResponse, PageError> {
    let session = cookies::get(&req, cookies::SESSION);
    let next = logout_flow::logout(
        &state,
        query.client_id.as_deref(),
        query.logout_uri.as_deref(),
        &params,
        session.as_deref(),
    )
    .await?;
    let mut reply = match next {
        AfterLogout::Redirect(to) => found(&to),
        AfterLogout::Login => found(&format!("/login?{}", req.query_string())),
    };
    ui::clear_cookie(&state, &mut reply, cookies::SESSION);
    Ok(reply)
}

/// The client's credentials from HTTP Basic (RFC 6749 section 2.3.1) and the form.
fn client_credentials(req: &HttpRequest, form: &HashMap<String, String>) -> ClientCredentials {
    let basic = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|pair| {
            let (id, secret) = pair.split_once(':')?;
            let decode = |s: &str| {
                url::form_urlencoded::parse(format!("x={s}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            };
            Some((decode(id), decode(secret)))
        });
    ClientCredentials {
        basic,
        client_id: form.get("client_id").cloned(),
        client_secret: form.get("client_secret").cloned(),
    }
}

#[derive(Serialize)]
struct TokenReply {
    #[serde(skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
    access_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    expires_in: i64,
    token_type: &'static str,
}

async fn token(
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<State>,
) -> Result<HttpResponse, OAuthError> {
    let creds = client_credentials(&req, &form);
    let field = |k: &str| form.get(k).cloned();
    let request = TokenRequest {
        grant_type: field("grant_type"),
        code: field("code"),
        redirect_uri: field("redirect_uri"),
        code_verifier: field("code_verifier"),
        refresh_token: field("refresh_token"),
        scope: field("scope"),
    };
    let tokens = token_flow::token(&state, &creds, &request).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::PRAGMA, "no-cache"))
        .json(TokenReply {
            id_token: tokens.id_token,
            access_token: tokens.access_token,
            refresh_token: tokens.refresh_token,
            expires_in: tokens.expires_in,
            token_type: "Bearer",
        }))
}

async fn user_info(req: HttpRequest, state: web::Data<State>) -> Result<HttpResponse, OAuthError> {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let info = userinfo::user_info(&state, bearer).await?;
    Ok(HttpResponse::Ok().json(info))
}

async fn revoke(
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<State>,
) -> Result<HttpResponse, OAuthError> {
    let creds = client_credentials(&req, &form);
    token_flow::revoke(&state, &creds, form.get("token").map(String::as_str)).await?;
    Ok(HttpResponse::Ok().finish())
}

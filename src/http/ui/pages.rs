//! The login, MFA-code and new-password pages and their forms.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::i18n::{self, Texts};
use super::{cookies, PageError};
use crate::service::oauth2::hosted::{self, Progress};
use crate::service::oauth2::request::{self, Authorization, AuthorizeParams};
use crate::service::oauth2::{authorize, Failure, CSRF_LIFETIME_MS, SESSION_LIFETIME_MS};
use crate::service::{Error, State};
use crate::types::pools::PasswordPolicy;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    t: &'a Texts,
    brand: &'a str,
    action: String,
    csrf: String,
    error: Option<String>,
    login_hint: &'a str,
    providers: Vec<super::federation::ProviderButton>,
}

#[derive(Template)]
#[template(path = "challenge.html")]
struct ChallengePage<'a> {
    t: &'a Texts,
    brand: &'a str,
    title: &'a str,
    lead: String,
    action: String,
    csrf: String,
    error: Option<String>,
    challenge: &'a str,
    session: &'a str,
    username: &'a str,
    new_password: bool,
    rules: Vec<String>,
}

fn html(
    state: &State,
    body: Result<String, askama::Error>,
    csrf: &str,
) -> Result<HttpResponse, PageError> {
    let body = body.map_err(|e| Failure::Service(Error::Internal(e.into())))?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("x-frame-options", "DENY"))
        .insert_header((
            header::SET_COOKIE,
            cookies::set(
                &state.public_url,
                cookies::CSRF,
                csrf,
                CSRF_LIFETIME_MS / 1000,
            ),
        ))
        .body(body))
}

async fn login_page(
    state: &State,
    req: &HttpRequest,
    params: &AuthorizeParams,
    error: Option<String>,
) -> Result<HttpResponse, PageError> {
    let t = i18n::texts(params.lang.as_deref());
    let csrf = hosted::new_csrf(state).await?;
    let page = LoginPage {
        t,
        brand: "Cognate",
        action: format!("/login?{}", req.query_string()),
        csrf: csrf.clone(),
        error,
        login_hint: params.login_hint.as_deref().unwrap_or_default(),
        providers: super::federation::buttons(state, params).await?,
    };
    html(state, page.render(), &csrf)
}

pub async fn view_login(
    req: HttpRequest,
    params: web::Query<AuthorizeParams>,
    state: web::Data<State>,
) -> Result<HttpResponse, PageError> {
    request::check(&state, &params).await?;
    login_page(&state, &req, &params, None).await
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

pub async fn submit_login(
    req: HttpRequest,
    params: web::Query<AuthorizeParams>,
    form: web::Form<LoginForm>,
    state: web::Data<State>,
) -> Result<HttpResponse, PageError> {
    let cookie = cookies::get(&req, cookies::CSRF);
    hosted::check_csrf(&state, form.csrf.as_deref(), cookie.as_deref()).await?;
    let authz = request::check(&state, &params).await?;
    let username = form.username.trim();
    match hosted::sign_in(&state, &authz.pool, &authz.client, username, &form.password).await {
        Ok(progress) => next(&state, &req, &params, &authz, username, progress).await,
        Err(e) => match hosted::user_message(&e) {
            Some(message) => login_page(&state, &req, &params, Some(message)).await,
            None => Err(e.into()),
        },
    }
}

#[derive(Deserialize)]
pub struct ChallengeForm {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    challenge: String,
    #[serde(default)]
    session: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    answer: String,
}

/// The response key each challenge's answer goes under.
fn answer_key(challenge: &str) -> Option<&'static str> {
    Some(match challenge {
        "SOFTWARE_TOKEN_MFA" => "SOFTWARE_TOKEN_MFA_CODE",
        "SMS_MFA" => "SMS_MFA_CODE",
        "EMAIL_OTP" => "EMAIL_OTP_CODE",
        "SMS_OTP" => "SMS_OTP_CODE",
        "NEW_PASSWORD_REQUIRED" => "NEW_PASSWORD",
        _ => return None,
    })
}

pub async fn submit_challenge(
    req: HttpRequest,
    params: web::Query<AuthorizeParams>,
    form: web::Form<ChallengeForm>,
    state: web::Data<State>,
) -> Result<HttpResponse, PageError> {
    let cookie = cookies::get(&req, cookies::CSRF);
    hosted::check_csrf(&state, form.csrf.as_deref(), cookie.as_deref()).await?;
    let authz = request::check(&state, &params).await?;
    let t = i18n::texts(params.lang.as_deref());
    let Some(key) = answer_key(&form.challenge) else {
        return Err(Failure::Page(t.unsupported_step.into()).into());
    };
    let answers = HashMap::from([(key.to_string(), form.answer.trim().to_string())]);
    let answered = hosted::answer(
        &state,
        &authz.pool,
        &authz.client,
        &form.challenge,
        &form.session,
        &form.username,
        answers,
    )
    .await;
    match answered {
        Ok(progress) => next(&state, &req, &params, &authz, &form.username, progress).await,
        Err(e) => match hosted::user_message(&e) {
            // A wrong answer ends the challenge session: the sign-in starts again.
            Some(message) => login_page(&state, &req, &params, Some(message)).await,
            None => Err(e.into()),
        },
    }
}

/// The page or redirect that follows a sign-in step.
async fn next(
    state: &State,
    req: &HttpRequest,
    params: &AuthorizeParams,
    authz: &Authorization,
    username: &str,
    progress: Progress,
) -> Result<HttpResponse, PageError> {
    match progress {
        Progress::SignedIn { user, auth_time } => {
            let session = hosted::open_session(state, &user, auth_time).await?;
            let to = authorize::complete(state, authz, &user, auth_time).await?;
            Ok(HttpResponse::Found()
                .insert_header((header::LOCATION, to))
                .insert_header((
                    header::SET_COOKIE,
                    cookies::set(
                        &state.public_url,
                        cookies::SESSION,
                        &session,
                        SESSION_LIFETIME_MS / 1000,
                    ),
                ))
                .finish())
        }
        Progress::Challenge {
            name,
            session,
            parameters,
        } => {
            let t = i18n::texts(params.lang.as_deref());
            let Some(_) = answer_key(&name) else {
                return Err(Failure::Page(t.unsupported_step.into()).into());
            };
            let new_password = name == "NEW_PASSWORD_REQUIRED";
            let destination = parameters.get("CODE_DELIVERY_DESTINATION");
            let (title, lead) = match (new_password, destination) {
                (true, _) => (t.new_password_title, t.new_password_lead.to_string()),
                (false, Some(d)) => (t.code_title, format!("{} {d}.", t.code_lead_sent)),
                (false, None) => (t.code_title, t.code_lead_totp.to_string()),
            };
            let csrf = hosted::new_csrf(state).await?;
            let page = ChallengePage {
                t,
                brand: "Cognate",
                title,
                lead,
                action: format!("/login/challenge?{}", req.query_string()),
                csrf: csrf.clone(),
                error: None,
                challenge: &name,
                session: &session,
                username,
                new_password,
                rules: password_rules(&authz.pool),
            };
            html(state, page.render(), &csrf)
        }
    }
}

/// The pool's password policy, as hints beside the new-password field.
fn password_rules(pool: &crate::store::pools::PoolRecord) -> Vec<String> {
    let policy = pool
        .settings
        .policies
        .as_ref()
        .and_then(|p| p.password_policy.clone())
        .unwrap_or_default();
    let mut rules = vec![format!(
        "At least {} characters",
        policy.minimum_length.unwrap_or(8)
    )];
    let PasswordPolicy {
        require_uppercase,
        require_lowercase,
        require_numbers,
        require_symbols,
        ..
    } = policy;
    for (on, text) in [
        (require_uppercase, "An uppercase letter"),
        (require_lowercase, "A lowercase letter"),
        (require_numbers, "A number"),
        (require_symbols, "A symbol"),
    ] {
        if on {
            rules.push(text.to_string());
        }
    }
    rules
}

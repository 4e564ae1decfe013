//! What every hosted page shares: its frame (texts, look, the request it carries), the HTML
//! reply with a fresh CSRF cookie, and the pool settings pages show (username attributes,
//! password policy, MFA mode, sign-up and first factors).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::Value;

use super::cookies;
use super::i18n::{self, Texts};
use super::PageError;
use crate::service::directory::mfa::{self as factors, MfaMode};
use crate::service::oauth2::look::{self, Look};
use crate::service::oauth2::request::AuthorizeParams;
use crate::service::oauth2::{hosted, Failure, CSRF_LIFETIME_MS};
use crate::service::{Error, State};
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;
use crate::types::pools::PasswordPolicy;

/// The parts of a page that do not depend on the step: words, look, CSRF token, and the
/// authorization request's query, which every link and form carries on.
pub struct Frame {
    pub t: &'static Texts,
    pub look: Look,
    pub csrf: String,
    pub q: String,
}

impl Frame {
    pub async fn new(
        state: &State,
        req: &HttpRequest,
        params: &AuthorizeParams,
        client: &ClientRecord,
    ) -> Result<Frame, PageError> {
        Ok(Frame {
            t: i18n::texts(params.lang.as_deref()),
            look: look::for_client(state, client)
                .await
                .map_err(Failure::Service)?,
            csrf: hosted::new_csrf(state).await?,
            q: req.query_string().to_string(),
        })
    }
}

/// A rendered page, with the CSRF cookie its form's token must match.
pub fn html(
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

/// Checks a form's CSRF token against the browser's cookie.
pub async fn check_csrf(
    state: &State,
    req: &HttpRequest,
    form: Option<&str>,
) -> Result<(), PageError> {
    let cookie = cookies::get(req, cookies::CSRF);
    Ok(hosted::check_csrf(state, form, cookie.as_deref()).await?)
}

/// How the username field is labelled and typed: by the pool's username or alias attributes.
pub fn username_field(t: &Texts, pool: &PoolRecord) -> (String, &'static str) {
    let s = &pool.settings;
    let names = s.username_attributes.as_deref().unwrap_or_default();
    let has = |n: &str| names.iter().any(|a| a == n);
    match (has("email"), has("phone_number")) {
        (true, true) => return (format!("{} {} {}", t.email, t.or, t.phone), "text"),
        (true, false) => return (t.email.to_string(), "email"),
        (false, true) => return (t.phone.to_string(), "tel"),
        _ => {}
    }
    let mut parts = vec![t.username];
    for alias in s.alias_attributes.as_deref().unwrap_or_default() {
        parts.push(match alias.as_str() {
            "email" => t.email,
            "phone_number" => t.phone,
            _ => t.preferred_username,
        });
    }
    // "Username", "Username or email", "Username, email or preferred username".
    let mut words: Vec<String> = parts.iter().map(|p| p.to_lowercase()).collect();
    words[0] = t.username.to_string();
    let label = match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("{} {} {last}", rest.join(", "), t.or)
        }
        _ => t.username.to_string(),
    };
    (label, "text")
}

/// The pool's password policy, as hints beside a new-password field.
pub fn password_rules(t: &Texts, pool: &PoolRecord) -> Vec<String> {
    let policy = pool
        .settings
        .policies
        .as_ref()
        .and_then(|p| p.password_policy.clone())
        .unwrap_or_default();
    let length = policy.minimum_length.unwrap_or(8).to_string();
    let mut rules = vec![t.rule_length.replace("{}", &length)];
    let PasswordPolicy {
        require_uppercase,
        require_lowercase,
        require_numbers,
        require_symbols,
        ..
    } = policy;
    for (on, text) in [
        (require_uppercase, t.rule_upper),
        (require_lowercase, t.rule_lower),
        (require_numbers, t.rule_number),
        (require_symbols, t.rule_symbol),
    ] {
        if on {
            rules.push(text.to_string());
        }
    }
    rules
}

/// The note the login page shows about the pool's MFA mode.
pub fn mfa_note(t: &Texts, pool: &PoolRecord) -> Option<&'static str> {
    match factors::mode(pool) {
        MfaMode::On => Some(t.mfa_required_note),
        MfaMode::Optional => Some(t.mfa_optional_note),
        MfaMode::Off => None,
    }
}

/// Whether users may sign themselves up (AdminCreateUserConfig.AllowAdminCreateUserOnly).
pub fn sign_up_open(pool: &PoolRecord) -> bool {
    let only_admin = pool
        .settings
        .other
        .get("AdminCreateUserConfig")
        .and_then(|c| c.get("AllowAdminCreateUserOnly"))
        .and_then(Value::as_bool);
    only_admin != Some(true)
}

/// The one-time-code first factors the pool allows (choice-based sign-in).
pub fn code_first_factors(pool: &PoolRecord) -> bool {
    pool.settings
        .allowed_first_auth_factors()
        .iter()
        .any(|f| f == "EMAIL_OTP" || f == "SMS_OTP")
}

//! Forgot / reset password: the pages hand their forms to the same actions as
//! ForgotPassword and ConfirmForgotPassword.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::i18n::Texts;
use super::pages::{login_page, shown};
use super::render::{self, Frame};
use super::PageError;
use crate::service::idp::{passwords, Public};
use crate::service::kernel::crypto;
use crate::service::oauth2::look::Look;
use crate::service::oauth2::request::{self, Authorization, AuthorizeParams};
use crate::service::oauth2::Failure;
use crate::service::State;
use crate::types::account::{ConfirmForgotPasswordRequest, ForgotPasswordRequest};

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage<'a> {
    t: &'a Texts,
    look: &'a Look,
    q: &'a str,
    csrf: &'a str,
    error: Option<String>,
    username_label: String,
    username_type: &'static str,
    username: &'a str,
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage<'a> {
    t: &'a Texts,
    look: &'a Look,
    q: &'a str,
    csrf: &'a str,
    error: Option<String>,
    username: &'a str,
    destination: &'a str,
    rules: Vec<String>,
}

async fn forgot_page(
    state: &State,
    req: &HttpRequest,
    params: &AuthorizeParams,
    authz: &Authorization,
    username: &str,
    error: Option<String>,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::new(state, req, params, &authz.client).await?;
    let (username_label, username_type) = render::username_field(frame.t, &authz.pool);
    let page = ForgotPage {
        t: frame.t,
        look: &frame.look,
        q: &frame.q,
        csrf: &frame.csrf,
        error,
        username_label,
        username_type,
        username,
    };
    render::html(state, page.render(), &frame.csrf)
}

async fn reset_page(
    state: &State,
    req: &HttpRequest,
    params: &AuthorizeParams,
    authz: &Authorization,
    (username, destination): (&str, &str),
    error: Option<String>,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::new(state, req, params, &authz.client).await?;
    let page = ResetPage {
        t: frame.t,
        look: &frame.look,
        q: &frame.q,
        csrf: &frame.csrf,
        error,
        username,
        destination,
        rules: render::password_rules(frame.t, &authz.pool),
    };
    render::html(state, page.render(), &frame.csrf)
}

pub async fn view_forgot(
    req: HttpRequest,
    params: web::Query<AuthorizeParams>,
    state: web::Data<State>,
) -> Result<HttpResponse, PageError> {
    let authz = request::check(&state, &params).await?;
    let hint = params.login_hint.clone().unwrap_or_default();
    forgot_page(&state, &req, &params, &authz, &hint, None).await
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    username: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
}

fn secret_hash(authz: &Authorization, username: &str) -> Option<String> {
    let secret = authz.client.secret.as_ref()?;
    Some(crypto::secret_hash(secret, username, &authz.client.id))
}

pub async fn submit_forgot(
    req: HttpRequest,
    params: web::Query<AuthorizeParams>,
    form: web::Form<ForgotForm>,
    state: web::Data<State>,
) -> Result<HttpResponse, PageError> {
    render::check_csrf(&state, &req, form.csrf.as_deref()).await?;
    let authz = request::check(&state, &params).await?;
    let username = form.username.trim();
    let request = ForgotPasswordRequest {
        client_id: authz.client.id.clone().into(),
        secret_hash: secret_hash(&authz, username),
        username: username.to_string().into(),
        client_metadata: Default::default(),
    };
    match passwords::forgot_password(&state, Public, request).await {
        Ok(reply) => {
            let to = reply.code_delivery_details.destination;
            reset_page(&state, &req, &params, &authz, (username, &to), None).await
        }
        Err(e) => {
            let error = Some(shown(Failure::Service(e))?);
            forgot_page(&state, &req, &params, &authz, username, error).await
        }
    }
}

pub async fn submit_reset(
    req: HttpRequest,
    params: web::Query<AuthorizeParams>,
    form: web::Form<ForgotForm>,
    state: web::Data<State>,
) -> Result<HttpResponse, PageError> {
    render::check_csrf(&state, &req, form.csrf.as_deref()).await?;
    let authz = request::check(&state, &params).await?;
    let username = form.username.trim();
    let request = ConfirmForgotPasswordRequest {
        client_id: authz.client.id.clone().into(),
        secret_hash: secret_hash(&authz, username),
        username: username.to_string().into(),
        confirmation_code: form.code.trim().to_string(),
        password: form.password.clone(),
        client_metadata: Default::default(),
    };
    match passwords::confirm_forgot_password(&state, Public, request).await {
        Ok(_) => {
            let t = super::i18n::texts(params.lang.as_deref());
            let notice = (None, Some(t.password_reset_done));
            login_page(&state, &req, &params, &authz, notice, Some(username)).await
        }
        Err(e) => {
            let error = Some(shown(Failure::Service(e))?);
            reset_page(&state, &req, &params, &authz, (username, ""), error).await
        }
    }
}

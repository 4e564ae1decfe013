//! The login page and its form, and the account chooser `prompt=select_account` shows.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::challenge::next;
use super::i18n::Texts;
use super::render::{self, Frame};
use super::{cookies, PageError};
use crate::service::oauth2::hosted;
use crate::service::oauth2::look::Look;
use crate::service::oauth2::request::{self, Authorization, AuthorizeParams};
use crate::service::oauth2::{authorize, Failure};
use crate::service::State;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    t: &'a Texts,
    look: &'a Look,
    q: &'a str,
    csrf: &'a str,
    error: Option<String>,
    notice: Option<&'a str>,
    login_hint: &'a str,
    username_label: String,
    username_type: &'static str,
    mfa_note: Option<&'static str>,
    sign_up: bool,
    code_sign_in: bool,
    providers: Vec<super::federation::ProviderButton>,
}

/// The login page, with an error from the last try or a notice from the step before.
pub async fn login_page(
    state: &State,
    req: &HttpRequest,
    params: &AuthorizeParams,
    authz: &Authorization,
    (error, notice): (Option<String>, Option<&str>),
    hint: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::new(state, req, params, &authz.client).await?;
    let (username_label, username_type) = render::username_field(frame.t, &authz.pool);
    let page = LoginPage {
        t: frame.t,
        look: &frame.look,
        q: &frame.q,
        csrf: &frame.csrf,
        error,
        notice,
        login_hint: hint.or(params.login_hint.as_deref()).unwrap_or_default(),
        username_label,
        username_type,
        mfa_note: render::mfa_note(frame.t, &authz.pool),
        sign_up: render::sign_up_open(&authz.pool),
        code_sign_in: render::code_first_factors(&authz.pool),
        providers: super::federation::buttons(state, params, frame.t).await?,
    };
    render::html(state, page.render(), &frame.csrf)
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage<'a> {
    t: &'a Texts,
    look: &'a Look,
    q: &'a str,
    csrf: &'a str,
    username: &'a str,
    other: String,
}

pub async fn view_login(
    req: HttpRequest,
    params: web::Query<AuthorizeParams>,
    state: web::Data<State>,
) -> Result<HttpResponse, PageError> {
    let authz = request::check(&state, &params).await?;
    let prompt = params.prompt.as_deref().unwrap_or_default();
    if prompt.split_whitespace().any(|p| p == "select_account") {
        let session = cookies::get(&req, cookies::SESSION);
        let signed_in = hosted::session_user(&state, &authz.pool.id, session.as_deref()).await?;
        if let Some((user, _)) = signed_in {
            let frame = Frame::new(&state, &req, &params, &authz.client).await?;
            let mut again = params.0.clone();
            again.prompt = Some("login".into());
            let page = AccountPage {
                t: frame.t,
                look: &frame.look,
                q: &frame.q,
                csrf: &frame.csrf,
                username: &user.username,
                other: serde_urlencoded::to_string(&again).unwrap_or_default(),
            };
            return render::html(&state, page.render(), &frame.csrf);
        }
    }
    login_page(&state, &req, &params, &authz, (None, None), None).await
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

/// The account chooser's "continue": the signed-in browser session answers the request.
pub async fn continue_session(
    req: HttpRequest,
    params: web::Query<AuthorizeParams>,
    form: web::Form<CsrfForm>,
    state: web::Data<State>,
) -> Result<HttpResponse, PageError> {
    render::check_csrf(&state, &req, form.csrf.as_deref()).await?;
    let authz = request::check(&state, &params).await?;
    let session = cookies::get(&req, cookies::SESSION);
    match hosted::session_user(&state, &authz.pool.id, session.as_deref()).await? {
        Some((user, auth_time)) => {
            let to = authorize::complete(&state, &authz, &user, auth_time).await?;
            Ok(HttpResponse::Found()
                .insert_header((header::LOCATION, to))
                .finish())
        }
        None => login_page(&state, &req, &params, &authz, (None, None), None).await,
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    /// `otp` when the user asked for a one-time code instead of typing a password.
    #[serde(default)]
    factor: Option<String>,
}

pub async fn submit_login(
    req: HttpRequest,
    params: web::Query<AuthorizeParams>,
    form: web::Form<LoginForm>,
    state: web::Data<State>,
) -> Result<HttpResponse, PageError> {
    render::check_csrf(&state, &req, form.csrf.as_deref()).await?;
    let authz = request::check(&state, &params).await?;
    let username = form.username.trim();
    let by_code = form.factor.as_deref() == Some("otp") && render::code_first_factors(&authz.pool);
    let started = if by_code {
        hosted::sign_in_choice(&state, &authz.pool, &authz.client, username).await
    } else {
        hosted::sign_in(&state, &authz.pool, &authz.client, username, &form.password).await
    };
    match started {
        Ok(progress) => next(&state, &req, &params, &authz, username, progress).await,
        Err(e) => match hosted::user_message(&e) {
            Some(message) => {
                let error = (Some(message), None);
                login_page(&state, &req, &params, &authz, error, Some(username)).await
            }
            None => Err(PageError(e)),
        },
    }
}

/// The page's error for a failure the user caused, or the error page for the rest.
pub fn shown(e: Failure) -> Result<String, PageError> {
    hosted::user_message(&e).ok_or(PageError(e))
}

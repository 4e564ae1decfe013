//! The console's forms: sign-in and sign-out, revealing a client secret, a user's actions
//! (disable, enable, reset password, global sign-out, confirm), forgetting one of their
//! devices and revoking one sign-in session. Each checks the CSRF token; an action that
//! destroys shows a confirmation page first and runs only when confirmed.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;
use serde_json::json;

use super::pages::{client_page, read, seg, Action, Page, Reply, Section};
use super::users::user_page;
use super::{cookie_token, html, redirect, set_cookie, ConsoleError, Session, SignInPage};
use crate::service::admin::audit::{self, Change};
use crate::service::admin::tokens;
use crate::service::idp::{admin_users, devices, signup};
use crate::service::tokens::sessions;
use crate::service::State;

#[derive(Deserialize)]
pub struct TokenForm {
    token: String,
}

#[derive(Deserialize)]
pub struct Form {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirmed: Option<String>,
}

/// A sign-in form may only come from a page of this server.
fn same_origin(req: &HttpRequest) -> bool {
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return true;
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    let origin = origin.to_str().unwrap_or_default();
    host.is_some_and(|h| {
        origin
            .split_once("://")
            .is_some_and(|(_, o)| o.eq_ignore_ascii_case(h))
    })
}

pub async fn sign_in(
    req: HttpRequest,
    state: web::Data<State>,
    form: web::Form<TokenForm>,
) -> Reply {
    if !same_origin(&req) {
        return Err(ConsoleError::Forbidden(
            "Sign in from the console's own page.",
        ));
    }
    let token = form.token.trim();
    let known = tokens::authenticate(&state.db, token)
        .await
        .map_err(|e| ConsoleError::Internal(e.to_string()))?;
    if known.is_none() {
        let page = SignInPage {
            error: Some("That token is not valid (unknown or revoked).".into()),
        };
        return html(page.render());
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/admin/"))
        .insert_header((
            header::SET_COOKIE,
            set_cookie(&state.public_url, token, 8 * 3600),
        ))
        .finish())
}

pub async fn sign_out(
    req: HttpRequest,
    s: Session,
    state: web::Data<State>,
    form: web::Form<Form>,
) -> Reply {
    s.check(&form.csrf)?;
    let mut res = redirect("/admin/sign-in");
    if cookie_token(&req).is_some() {
        let cookie = set_cookie(&state.public_url, "", 0);
        res.headers_mut().insert(
            header::SET_COOKIE,
            header::HeaderValue::from_str(&cookie)
                .map_err(|e| ConsoleError::Internal(e.to_string()))?,
        );
    }
    Ok(res)
}

pub async fn reveal_secret(
    s: Session,
    state: web::Data<State>,
    path: web::Path<(String, String)>,
    form: web::Form<Form>,
) -> Reply {
    s.check(&form.csrf)?;
    client_page(&state, &s, (&path.0, &path.1), true).await
}

/// Asks before an action that destroys something.
fn confirm(s: &Session, what: &str, url: String, back: String) -> Reply {
    let mut page = Page::new(s, "Are you sure?");
    page.crumb = Some(("No, go back".into(), back));
    page.sections.push(Section {
        id: "confirm",
        pairs: vec![("This will".into(), what.to_string())],
        actions: vec![Action {
            label: "Yes, do it".into(),
            url,
            danger: true,
            confirmed: true,
        }],
        ..Section::default()
    });
    html(page.render())
}

pub async fn user_action(
    s: Session,
    state: web::Data<State>,
    path: web::Path<(String, String, String)>,
    form: web::Form<Form>,
) -> Reply {
    s.check(&form.csrf)?;
    let (pool_id, username, action) = path.into_inner();
    let input = json!({"UserPoolId": pool_id, "Username": username});
    let confirmed = form.confirmed.as_deref() == Some("yes");
    let base = format!("/admin/pools/{}/users/{}", seg(&pool_id), seg(&username));
    let warn = |what: &str| confirm(&s, what, format!("{base}/{action}"), base.clone());
    let done = match action.as_str() {
        "disable" if !confirmed => return warn("disable the user: they can no longer sign in"),
        "reset-password" if !confirmed => {
            return warn("reset the user's password: they must set a new one with a code")
        }
        "global-sign-out" if !confirmed => return warn("revoke every refresh token of the user"),
        "disable" => read(
            &state,
            &s,
            "AdminDisableUser",
            input,
            admin_users::admin_disable_user,
        )
        .await
        .map(|_| "Disabled."),
        "enable" => read(
            &state,
            &s,
            "AdminEnableUser",
            input,
            admin_users::admin_enable_user,
        )
        .await
        .map(|_| "Enabled."),
        "reset-password" => read(
            &state,
            &s,
            "AdminResetUserPassword",
            input,
            admin_users::admin_reset_user_password,
        )
        .await
        .map(|_| "The password was reset."),
        "global-sign-out" => read(
            &state,
            &s,
            "AdminUserGlobalSignOut",
            input,
            admin_users::admin_user_global_sign_out,
        )
        .await
        .map(|_| "Signed out everywhere."),
        "confirm" => read(
            &state,
            &s,
            "AdminConfirmSignUp",
            input,
            signup::admin_confirm_sign_up,
        )
        .await
        .map(|_| "Confirmed."),
        _ => return Ok(HttpResponse::NotFound().finish()),
    };
    user_page(&state, &s, (&pool_id, &username), outcome(done)).await
}

/// The outcome of an action as the user's page shows it.
fn outcome(done: Result<&str, String>) -> (Option<String>, Option<String>) {
    match done {
        Ok(notice) => (Some(notice.to_string()), None),
        Err(e) => (None, Some(e)),
    }
}

pub async fn forget_device(
    s: Session,
    state: web::Data<State>,
    path: web::Path<(String, String, String)>,
    form: web::Form<Form>,
) -> Reply {
    s.check(&form.csrf)?;
    let (pool_id, username, key) = path.into_inner();
    let base = format!("/admin/pools/{}/users/{}", seg(&pool_id), seg(&username));
    if form.confirmed.as_deref() != Some("yes") {
        let url = format!("{base}/devices/{}/forget", seg(&key));
        let what = format!("forget the device {key}: its next sign-in asks for MFA again");
        return confirm(&s, &what, url, base);
    }
    let input = json!({"UserPoolId": pool_id, "Username": username, "DeviceKey": key});
    let forget = devices::admin_forget_device;
    let done = read(&state, &s, "AdminForgetDevice", input, forget).await;
    let shown = outcome(done.map(|_| "The device was forgotten."));
    user_page(&state, &s, (&pool_id, &username), shown).await
}

pub async fn revoke_session(
    s: Session,
    state: web::Data<State>,
    path: web::Path<(String, String, String)>,
    form: web::Form<Form>,
) -> Reply {
    s.check(&form.csrf)?;
    let (pool_id, username, id) = path.into_inner();
    let base = format!("/admin/pools/{}/users/{}", seg(&pool_id), seg(&username));
    if form.confirmed.as_deref() != Some("yes") {
        let url = format!("{base}/sessions/{}/revoke", seg(&id));
        let what = "revoke this sign-in session: its refresh and access tokens stop working";
        return confirm(&s, what, url, base);
    }
    let done = match sessions::revoke(&state, &pool_id, &username, &id).await {
        Ok(()) => {
            let change = Change {
                surface: "console",
                operation: "RevokeSession".into(),
                resource: format!("pool/{pool_id}/user/{username}"),
                fields: Vec::new(),
            };
            audit::record(&state, &s.actor, change).await;
            Ok("The session was revoked.")
        }
        Err(e) => Err(e.to_string()),
    };
    user_page(&state, &s, (&pool_id, &username), outcome(done)).await
}

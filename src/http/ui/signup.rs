//! Sign-up, confirmation and a new confirmation code: the pages hand their forms to the
//! same actions as SignUp, ConfirmSignUp and ResendConfirmationCode.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::i18n::Texts;
use super::pages::{login_page, shown};
use super::render::{self, Frame};
use super::PageError;
use crate::service::idp::{signup, Public};
use crate::service::kernel::crypto;
use crate::service::oauth2::look::Look;
use crate::service::oauth2::request::{self, Authorization, AuthorizeParams};
use crate::service::oauth2::Failure;
use crate::service::State;
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;
use crate::types::users::{ConfirmSignUpRequest, ResendConfirmationCodeRequest, SignUpRequest};
use crate::types::AttributeType;

/// A field of the sign-up form: a required attribute of the pool.
pub struct Field {
    pub name: String,
    pub label: String,
    pub kind: &'static str,
    pub autocomplete: &'static str,
    pub value: String,
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignUpPage<'a> {
    t: &'a Texts,
    look: &'a Look,
    q: &'a str,
    csrf: &'a str,
    error: Option<String>,
    username_label: String,
    username_type: &'static str,
    username: &'a str,
    fields: Vec<Field>,
    rules: Vec<String>,
}

#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmPage<'a> {
    t: &'a Texts,
    look: &'a Look,
    q: &'a str,
    csrf: &'a str,
    error: Option<String>,
    notice: Option<&'a str>,
    username: &'a str,
    destination: &'a str,
}

fn label(t: &Texts, name: &str) -> (String, &'static str, &'static str) {
    match name {
        "email" => (t.email.into(), "email", "email"),
        "phone_number" => (t.phone.into(), "tel", "tel"),
        "preferred_username" => (t.preferred_username.into(), "text", "nickname"),
        "birthdate" => ("Birthdate".into(), "date", "bday"),
        "name" => ("Name".into(), "text", "name"),
        "given_name" => ("Given name".into(), "text", "given-name"),
        "family_name" => ("Family name".into(), "text", "family-name"),
        other => {
            let plain = other.trim_start_matches("custom:").replace('_', " ");
            let mut chars = plain.chars();
            let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
            (first.unwrap_or_default() + chars.as_str(), "text", "off")
        }
    }
}

/// The pool's required attributes, less those the username already carries.
fn fields(t: &Texts, pool: &PoolRecord, form: &HashMap<String, String>) -> Vec<Field> {
    let username_attrs = pool
        .settings
        .username_attributes
        .clone()
        .unwrap_or_default();
    let schema = pool
        .settings
        .schema_attributes
        .as_deref()
        .unwrap_or_default();
    schema
        .iter()
        .filter(|a| a.required == Some(true) && a.developer_only_attribute != Some(true))
        .filter_map(|a| a.name.clone())
        // `sub` is the server's to assign; a username attribute is typed as the username.
        .filter(|n| n != "sub" && !username_attrs.contains(n))
        .map(|name| {
            let (label, kind, autocomplete) = label(t, &name);
            let value = form
                .get(&format!("attr:{name}"))
                .cloned()
                .unwrap_or_default();
            Field {
                name,
                label,
                kind,
                autocomplete,
                value,
            }
        })
        .collect()
}

async fn sign_up_page(
    state: &State,
    req: &HttpRequest,
    params: &AuthorizeParams,
    authz: &Authorization,
    form: &HashMap<String, String>,
    error: Option<String>,
) -> Result<HttpResponse, PageError> {
    let frame = Frame::new(state, req, params, &authz.client).await?;
    let (username_label, username_type) = render::username_field(frame.t, &authz.pool);
    let page = SignUpPage {
        t: frame.t,
        look: &frame.look,
        q: &frame.q,
        csrf: &frame.csrf,
        error,
        username_label,
        username_type,
        username: form.get("username").map(String::as_str).unwrap_or_default(),
        fields: fields(frame.t, &authz.pool, form),
        rules: render::password_rules(frame.t, &authz.pool),
    };
    render::html(state, page.render(), &frame.csrf)
}

/// The pool lets users sign themselves up, or the page says it does not.
async fn open(state: &State, params: &AuthorizeParams) -> Result<Authorization, PageError> {
    let authz = request::check(state, params).await?;
    if !render::sign_up_open(&authz.pool) {
        let t = super::i18n::texts(params.lang.as_deref());
        return Err(Failure::Page(t.sign_up_closed.into()).into());
    }
    Ok(authz)
}

pub async fn view_sign_up(
    req: HttpRequest,
    params: web::Query<AuthorizeParams>,
    state: web::Data<State>,
) -> Result<HttpResponse, PageError> {
    let authz = open(&state, &params).await?;
    sign_up_page(&state, &req, &params, &authz, &HashMap::new(), None).await
}

fn secret_hash(client: &ClientRecord, username: &str) -> Option<String> {
    let secret = client.secret.as_ref()?;
    Some(crypto::secret_hash(secret, username, &client.id))
}

pub async fn submit_sign_up(
    req: HttpRequest,
    params: web::Query<AuthorizeParams>,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<State>,
) -> Result<HttpResponse, PageError> {
    render::check_csrf(&state, &req, form.get("_csrf").map(String::as_str)).await?;
    let authz = open(&state, &params).await?;
    let username = form.get("username").map_or("", |u| u.trim()).to_string();
    let user_attributes = form
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("attr:")?, v.trim())))
        .filter(|(_, v)| !v.is_empty())
        .map(|(name, value)| AttributeType {
            name: name.to_string(),
            value: Some(value.to_string()),
        })
        .collect();
    let request = SignUpRequest {
        client_id: authz.client.id.clone().into(),
        secret_hash: secret_hash(&authz.client, &username),
        username: username.clone().into(),
        password: form.get("password").cloned(),
        user_attributes,
        validation_data: Vec::new(),
        client_metadata: HashMap::new(),
    };
    match signup::sign_up(&state, Public, request).await {
        Ok(reply) if reply.user_confirmed => {
            let notice = (
                None,
                Some(super::i18n::texts(params.lang.as_deref()).confirmed),
            );
            login_page(&state, &req, &params, &authz, notice, Some(&username)).await
        }
        Ok(reply) => {
            let to = reply
                .code_delivery_details
                .map(|d| d.destination)
                .unwrap_or_default();
            confirm_page(
                &state,
                &req,
                &params,
                &authz,
                (&username, &to),
                (None, None),
            )
            .await
        }
        Err(e) => {
            let error = Some(shown(Failure::Service(e))?);
            sign_up_page(&state, &req, &params, &authz, &form, error).await
        }
    }
}

async fn confirm_page(
    state: &State,
    req: &HttpRequest,
    params: &AuthorizeParams,
    authz: &Authorization,
    (username, destination): (&str, &str),
    (error, notice): (Option<String>, Option<&str>),
) -> Result<HttpResponse, PageError> {
    let frame = Frame::new(state, req, params, &authz.client).await?;
    let page = ConfirmPage {
        t: frame.t,
        look: &frame.look,
        q: &frame.q,
        csrf: &frame.csrf,
        error,
        notice,
        username,
        destination,
    };
    render::html(state, page.render(), &frame.csrf)
}

/// The confirmation form, for a user who comes back with a code.
pub async fn view_confirm(
    req: HttpRequest,
    params: web::Query<AuthorizeParams>,
    state: web::Data<State>,
) -> Result<HttpResponse, PageError> {
    let authz = request::check(&state, &params).await?;
    let hint = params.login_hint.clone().unwrap_or_default();
    confirm_page(&state, &req, &params, &authz, (&hint, ""), (None, None)).await
}

/// Confirms with the code, or (the resend button) sends a new one.
pub async fn submit_confirm(
    req: HttpRequest,
    params: web::Query<AuthorizeParams>,
    form: web::Form<HashMap<String, String>>,
    state: web::Data<State>,
) -> Result<HttpResponse, PageError> {
    render::check_csrf(&state, &req, form.get("_csrf").map(String::as_str)).await?;
    let authz = request::check(&state, &params).await?;
    let t = super::i18n::texts(params.lang.as_deref());
    let username = form.get("username").map_or("", |u| u.trim()).to_string();
    let hash = secret_hash(&authz.client, &username);
    if form.get("resend").is_some() {
        let request = ResendConfirmationCodeRequest {
            client_id: authz.client.id.clone().into(),
            secret_hash: hash,
            username: username.clone().into(),
            client_metadata: Default::default(),
        };
        let (to, error, notice) =
            match signup::resend_confirmation_code(&state, Public, request).await {
                Ok(r) => (
                    r.code_delivery_details.map(|d| d.destination),
                    None,
                    Some(t.resent),
                ),
                Err(e) => (None, Some(shown(Failure::Service(e))?), None),
            };
        let shown_to = (username.as_str(), to.as_deref().unwrap_or_default());
        return confirm_page(&state, &req, &params, &authz, shown_to, (error, notice)).await;
    }
    let request = ConfirmSignUpRequest {
        client_id: authz.client.id.clone().into(),
        secret_hash: hash,
        username: username.clone().into(),
        confirmation_code: form.get("code").map_or("", |c| c.trim()).to_string(),
        client_metadata: HashMap::new(),
    };
    match signup::confirm_sign_up(&state, Public, request).await {
        Ok(_) => {
            login_page(
                &state,
                &req,
                &params,
                &authz,
                (None, Some(t.confirmed)),
                Some(&username),
            )
            .await
        }
        Err(e) => {
            let error = (Some(shown(Failure::Service(e))?), None);
            confirm_page(&state, &req, &params, &authz, (&username, ""), error).await
        }
    }
}

//! The sign-in steps after the first factor: a code (TOTP, SMS, email), a new password, the
//! choice of a factor (SELECT_MFA_TYPE, SELECT_CHALLENGE) and the set-up of an authenticator
//! app with a QR code (MFA_SETUP), each answered through the same sign-in steps as
//! RespondToAuthChallenge, AssociateSoftwareToken and VerifySoftwareToken.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::i18n::Texts;
use super::pages::login_page;
use super::render::{self, Frame};
use super::{cookies, PageError};
use crate::service::idp::{mfa, Public};
use crate::service::oauth2::hosted::{self, Progress};
use crate::service::oauth2::look::Look;
use crate::service::oauth2::request::{self, Authorization, AuthorizeParams};
use crate::service::oauth2::{authorize, Failure, SESSION_LIFETIME_MS};
use crate::service::State;
use crate::types::auth::{AssociateSoftwareTokenRequest, VerifySoftwareTokenRequest};

#[derive(Template)]
#[template(path = "challenge.html")]
struct ChallengePage<'a> {
    t: &'a Texts,
    look: &'a Look,
    q: &'a str,
    csrf: &'a str,
    title: &'a str,
    lead: String,
    challenge: &'a str,
    session: &'a str,
    username: &'a str,
    new_password: bool,
    rules: Vec<String>,
}

/// A choice between factors: (value, label).
#[derive(Template)]
#[template(path = "choose.html")]
struct ChoosePage<'a> {
    t: &'a Texts,
    look: &'a Look,
    q: &'a str,
    csrf: &'a str,
    title: &'a str,
    lead: &'a str,
    challenge: &'a str,
    session: &'a str,
    username: &'a str,
    choices: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "mfa_setup.html")]
struct SetupPage<'a> {
    t: &'a Texts,
    look: &'a Look,
    q: &'a str,
    csrf: &'a str,
    session: &'a str,
    username: &'a str,
    secret: &'a str,
    qr: String,
    error: Option<String>,
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
    /// MFA_SETUP: the secret shown, so that a wrong code can show it again.
    #[serde(default)]
    secret: String,
}

/// The response key each challenge's answer goes under.
fn answer_key(challenge: &str) -> Option<&'static str> {
    Some(match challenge {
        "SOFTWARE_TOKEN_MFA" => "SOFTWARE_TOKEN_MFA_CODE",
        "SMS_MFA" => "SMS_MFA_CODE",
        "EMAIL_OTP" => "EMAIL_OTP_CODE",
        "SMS_OTP" => "SMS_OTP_CODE",
        "NEW_PASSWORD_REQUIRED" => "NEW_PASSWORD",
        "SELECT_MFA_TYPE" | "SELECT_CHALLENGE" => "ANSWER",
        _ => return None,
    })
}

pub async fn submit_challenge(
    req: HttpRequest,
    params: web::Query<AuthorizeParams>,
    form: web::Form<ChallengeForm>,
    state: web::Data<State>,
) -> Result<HttpResponse, PageError> {
    render::check_csrf(&state, &req, form.csrf.as_deref()).await?;
    let authz = request::check(&state, &params).await?;
    if form.challenge == "MFA_SETUP" {
        return submit_setup(&state, &req, &params, &authz, &form).await;
    }
    let Some(key) = answer_key(&form.challenge) else {
        let t = super::i18n::texts(params.lang.as_deref());
        return Err(Failure::Page(t.unsupported_step.into()).into());
    };
    let answers = HashMap::from([(key.to_string(), form.answer.trim().to_string())]);
    let (pool, client) = (&authz.pool, &authz.client);
    let (name, session, user) = (&form.challenge, &form.session, &form.username);
    match hosted::answer(&state, pool, client, name, session, user, answers).await {
        Ok(progress) => next(&state, &req, &params, &authz, &form.username, progress).await,
        // A wrong answer ends the challenge session: the sign-in starts again.
        Err(e) => {
            let error = (Some(super::pages::shown(e)?), None);
            login_page(&state, &req, &params, &authz, error, Some(&form.username)).await
        }
    }
}

/// MFA_SETUP answered: the code verifies the new authenticator within the challenge's
/// session, then the session completes the challenge.
async fn submit_setup(
    state: &State,
    req: &HttpRequest,
    params: &AuthorizeParams,
    authz: &Authorization,
    form: &ChallengeForm,
) -> Result<HttpResponse, PageError> {
    let verified = mfa::verify_software_token(
        state,
        Public,
        VerifySoftwareTokenRequest {
            access_token: None,
            session: Some(form.session.clone()),
            user_code: form.answer.trim().to_string(),
            friendly_device_name: None,
        },
    )
    .await;
    let session = match verified {
        Ok(reply) => reply.session.unwrap_or_default(),
        Err(e) => {
            let message = super::pages::shown(Failure::Service(e))?;
            let setup = (form.session.as_str(), form.secret.as_str(), Some(message));
            return setup_page(state, req, params, authz, &form.username, setup).await;
        }
    };
    let (pool, client, user) = (&authz.pool, &authz.client, &form.username);
    let done = hosted::answer(
        state,
        pool,
        client,
        "MFA_SETUP",
        &session,
        user,
        HashMap::new(),
    );
    match done.await {
        Ok(progress) => next(state, req, params, authz, &form.username, progress).await,
        Err(e) => {
            let error = (Some(super::pages::shown(e)?), None);
            login_page(state, req, params, authz, error, Some(&form.username)).await
        }
    }
}

/// The set-up page: the secret as a QR code (an `otpauth://` URI) and as text.
async fn setup_page(
    state: &State,
    req: &HttpRequest,
    params: &AuthorizeParams,
    authz: &Authorization,
    username: &str,
    (session, secret, error): (&str, &str, Option<String>),
) -> Result<HttpResponse, PageError> {
    let frame = Frame::new(state, req, params, &authz.client).await?;
    let issuer = frame.look.name.clone();
    let page = SetupPage {
        t: frame.t,
        look: &frame.look,
        q: &frame.q,
        csrf: &frame.csrf,
        session,
        username,
        secret,
        qr: qr_svg(&issuer, username, secret),
        error,
    };
    render::html(state, page.render(), &frame.csrf)
}

/// The authenticator URI as an inline SVG QR code.
fn qr_svg(issuer: &str, username: &str, secret: &str) -> String {
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let uri = format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}",
        enc(issuer),
        enc(username),
        enc(issuer)
    );
    match qrcode::QrCode::new(uri.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

/// The page or redirect that follows a sign-in step.
pub async fn next(
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
            available,
        } => {
            let step = Step {
                name: &name,
                session: &session,
                username,
                parameters,
                available,
            };
            challenge_page(state, req, params, authz, step).await
        }
    }
}

struct Step<'a> {
    name: &'a str,
    session: &'a str,
    username: &'a str,
    parameters: HashMap<String, String>,
    available: Vec<String>,
}

async fn challenge_page(
    state: &State,
    req: &HttpRequest,
    params: &AuthorizeParams,
    authz: &Authorization,
    step: Step<'_>,
) -> Result<HttpResponse, PageError> {
    if step.name == "MFA_SETUP" {
        let associated = mfa::associate_software_token(
            state,
            Public,
            AssociateSoftwareTokenRequest {
                access_token: None,
                session: Some(step.session.to_string()),
            },
        )
        .await
        .map_err(Failure::Service)?;
        let session = associated.session.unwrap_or_default();
        let setup = (session.as_str(), associated.secret_code.as_str(), None);
        return setup_page(state, req, params, authz, step.username, setup).await;
    }
    let frame = Frame::new(state, req, params, &authz.client).await?;
    let t = frame.t;
    if let Some((title, lead, choices)) = choices(t, &step) {
        let page = ChoosePage {
            t,
            look: &frame.look,
            q: &frame.q,
            csrf: &frame.csrf,
            title,
            lead,
            challenge: step.name,
            session: step.session,
            username: step.username,
            choices,
        };
        return render::html(state, page.render(), &frame.csrf);
    }
    if answer_key(step.name).is_none() {
        return Err(Failure::Page(t.unsupported_step.into()).into());
    }
    let new_password = step.name == "NEW_PASSWORD_REQUIRED";
    let destination = step.parameters.get("CODE_DELIVERY_DESTINATION");
    let (title, lead) = match (new_password, destination) {
        (true, _) => (t.new_password_title, t.new_password_lead.to_string()),
        (false, Some(d)) => (t.code_title, format!("{} {d}.", t.code_lead_sent)),
        (false, None) => (t.code_title, t.code_lead_totp.to_string()),
    };
    let page = ChallengePage {
        t,
        look: &frame.look,
        q: &frame.q,
        csrf: &frame.csrf,
        title,
        lead,
        challenge: step.name,
        session: step.session,
        username: step.username,
        new_password,
        rules: render::password_rules(t, &authz.pool),
    };
    render::html(state, page.render(), &frame.csrf)
}

/// A factor to pick: its challenge name and its label.
type Choice = (String, &'static str);

/// For a choice step: its title, lead and the options, each with its label.
fn choices(
    t: &'static Texts,
    step: &Step<'_>,
) -> Option<(&'static str, &'static str, Vec<Choice>)> {
    let options: Vec<String> = match step.name {
        "SELECT_MFA_TYPE" => step
            .parameters
            .get("MFAS_CAN_CHOOSE")
            .and_then(|l| serde_json::from_str(l).ok())
            .unwrap_or_default(),
        // The password is typed on the login page; here the other first factors.
        "SELECT_CHALLENGE" => step
            .available
            .iter()
            .filter(|c| matches!(c.as_str(), "EMAIL_OTP" | "SMS_OTP"))
            .cloned()
            .collect(),
        _ => return None,
    };
    let labelled = options.into_iter().map(|o| {
        let label = t.factor(&o);
        (o, label)
    });
    let (title, lead) = match step.name {
        "SELECT_MFA_TYPE" => (t.select_mfa_title, t.select_mfa_lead),
        _ => (t.select_factor_title, t.select_factor_lead),
    };
    Some((title, lead, labelled.collect()))
}

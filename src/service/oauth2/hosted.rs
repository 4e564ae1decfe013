//! The hosted sign-in: the pages' answers handed to the same sign-in steps as InitiateAuth
//! and RespondToAuthChallenge, the browser session it leaves behind, and CSRF tokens. All
//! of it lives in the database, so any instance serves any step.

use std::collections::HashMap;

use super::{Failure, Result, CSRF_LIFETIME_MS, SESSION_LIFETIME_MS};
use crate::service::directory::users::UserStatus;
use crate::service::kernel::crypto;
use crate::service::signin::{respond, start, Step};
use crate::service::tokens::{self, refresh};
use crate::service::{now_ms, Error, State};
use crate::store::clients::ClientRecord;
use crate::store::oauth_flow::{self as flow_store, HostedSessionRow};
use crate::store::pools::PoolRecord;
use crate::store::tokens as token_store;
use crate::store::users::{self as user_store, UserRecord};

/// Where a hosted sign-in step leads.
#[derive(Debug)]
pub enum Progress {
    /// Signed in: the user and when they proved who they are (seconds).
    SignedIn { user: UserRecord, auth_time: i64 },
    /// Another challenge: its name and the session token its answer must carry.
    Challenge {
        name: String,
        session: String,
        parameters: HashMap<String, String>,
        /// For SELECT_CHALLENGE: the first factors the user may pick.
        available: Vec<String>,
    },
}

/// A sign-in step that failed in a way the page shows (a wrong password, a wrong code).
pub fn user_message(e: &Failure) -> Option<String> {
    match e {
        Failure::Service(Error::Cognito { message, .. }) => Some(message.clone()),
        _ => None,
    }
}

fn with_secret_hash(
    client: &ClientRecord,
    username: &str,
    mut p: HashMap<String, String>,
) -> HashMap<String, String> {
    p.insert("USERNAME".into(), username.to_string());
    if let Some(secret) = &client.secret {
        p.insert(
            "SECRET_HASH".into(),
            crypto::secret_hash(secret, username, &client.id),
        );
    }
    p
}

/// The username and password typed into the login page.
pub async fn sign_in(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    username: &str,
    password: &str,
) -> Result<Progress> {
    let params = with_secret_hash(
        client,
        username,
        HashMap::from([("PASSWORD".to_string(), password.to_string())]),
    );
    let step = start::start_hosted(state, pool, client, &params).await?;
    progress(state, step).await
}

/// A sign-in that starts with the username alone, where the pool allows a first factor
/// other than the password (choice-based sign-in): the factors the user may pick next.
pub async fn sign_in_choice(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    username: &str,
) -> Result<Progress> {
    let params = with_secret_hash(client, username, HashMap::new());
    let step = start::start_hosted_choice(state, pool, client, &params).await?;
    progress(state, step).await
}

/// The answer to challenge `name` typed into its page.
pub async fn answer(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    name: &str,
    session: &str,
    username: &str,
    answers: HashMap<String, String>,
) -> Result<Progress> {
    let responses = with_secret_hash(client, username, answers);
    let step = respond::respond(state, pool, client, name, Some(session), &responses).await?;
    progress(state, step).await
}

/// The sign-in pipeline ends in tokens for API callers; the hosted UI keeps only who signed
/// in and when, and withdraws the refresh token nobody will hold. The app's tokens come
/// from the code, with the scopes it was granted.
async fn progress(state: &State, step: Step) -> Result<Progress> {
    match step {
        Step::Challenge(c) => Ok(Progress::Challenge {
            name: c.name.to_string(),
            session: c.session,
            parameters: c.parameters,
            available: c.available.unwrap_or_default(),
        }),
        Step::Tokens(issued) => {
            let who = tokens::authenticate_access_token(state, &issued.access_token).await?;
            if let Some(token) = &issued.refresh_token {
                token_store::revoke(&state.db, &refresh::token_hash(token), now_ms())
                    .await
                    .map_err(Error::from)?;
            }
            Ok(Progress::SignedIn {
                auth_time: who.claims.auth_time,
                user: who.user,
            })
        }
    }
}

fn session_id(token: &str) -> String {
    crypto::sha256_hex("hosted-session", token)
}

/// Opens a browser session for `user`; the token goes into the session cookie.
pub async fn open_session(state: &State, user: &UserRecord, auth_time: i64) -> Result<String> {
    let token = crypto::random_token(32);
    let now = now_ms();
    flow_store::insert_session(
        &state.db,
        &HostedSessionRow {
            id: session_id(&token),
            pool_id: user.pool_id.clone(),
            sub: user.sub.clone(),
            auth_time,
            expires_at: now + SESSION_LIFETIME_MS,
            created_at: now,
        },
    )
    .await
    .map_err(Error::from)?;
    Ok(token)
}

/// The signed-in user of a browser session in `pool_id`, if it is live and they may still
/// sign in.
pub async fn session_user(
    state: &State,
    pool_id: &str,
    token: Option<&str>,
) -> Result<Option<(UserRecord, i64)>> {
    let Some(token) = token else {
        return Ok(None);
    };
    let row = flow_store::find_session(&state.db, &session_id(token), now_ms())
        .await
        .map_err(Error::from)?;
    let Some(row) = row.filter(|r| r.pool_id == pool_id) else {
        return Ok(None);
    };
    let user = user_store::find_by_sub(&state.db, pool_id, &row.sub)
        .await
        .map_err(Error::from)?;
    Ok(user
        .filter(|u| {
            u.enabled
                && matches!(
                    u.status,
                    UserStatus::Confirmed | UserStatus::ExternalProvider
                )
        })
        .map(|u| (u, row.auth_time)))
}

pub async fn close_session(state: &State, token: &str) -> Result<()> {
    flow_store::delete_session(&state.db, &session_id(token))
        .await
        .map_err(Error::from)?;
    Ok(())
}

fn csrf_id(token: &str) -> String {
    crypto::sha256_hex("hosted-csrf", token)
}

/// A new CSRF token for a form; the same value goes into the CSRF cookie.
pub async fn new_csrf(state: &State) -> Result<String> {
    let token = crypto::random_token(24);
    let now = now_ms();
    flow_store::insert_csrf(&state.db, &csrf_id(&token), now + CSRF_LIFETIME_MS, now)
        .await
        .map_err(Error::from)?;
    Ok(token)
}

/// A form's CSRF token must be one this server issued, still live, and the one in the
/// browser's CSRF cookie.
pub async fn check_csrf(state: &State, form: Option<&str>, cookie: Option<&str>) -> Result<()> {
    let (Some(form), Some(cookie)) = (form, cookie) else {
        return Err(Failure::Page(
            "The form has expired. Go back and try again.".into(),
        ));
    };
    let known = flow_store::csrf_exists(&state.db, &csrf_id(form), now_ms())
        .await
        .map_err(Error::from)?;
    if !known || !crypto::constant_time_eq(form, cookie) {
        return Err(Failure::Page(
            "The form has expired. Go back and try again.".into(),
        ));
    }
    Ok(())
}

//! CUSTOM_AUTH: the pool's DefineAuthChallenge decides each round from the session's
//! history, CreateAuthChallenge makes each CUSTOM_CHALLENGE and VerifyAuthChallengeResponse
//! judges its ANSWER. With `CHALLENGE_NAME: SRP_A` the password is proven by SRP first, when
//! the function asks for PASSWORD_VERIFIER. Answers [`Outcome`]s for the pipeline.

use std::collections::HashMap;

use super::params::{check_can_sign_in, device_key, required_param, unknown_user};
use super::password::identify;
use super::respond::Answer;
use super::session::{self, CustomFlow, SessionState};
use super::srp;
use super::step::{Challenge, Outcome};
use crate::service::triggers::custom::{self as trigger, Subject};
use crate::service::triggers::events::ChallengeResult;
use crate::service::triggers::{self, user_attributes, Context, Trigger};
use crate::service::{fail, now_ms, Exception, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;

pub const CUSTOM_CHALLENGE: &str = "CUSTOM_CHALLENGE";

/// InitiateAuth with CUSTOM_AUTH: the first round.
pub async fn start(
    state: &State,
    (pool, client): (&PoolRecord, &ClientRecord),
    params: &HashMap<String, String>,
    meta: &HashMap<String, String>,
) -> Result<Outcome> {
    if !triggers::configured(pool, Trigger::DefineAuthChallenge) {
        return fail(
            Exception::InvalidParameter,
            "Custom auth lambda trigger is not configured for the user pool.",
        );
    }
    let (_, user) = identify(state, pool, client, params).await?;
    let Some(user) = user else {
        return unknown_user(client);
    };
    check_can_sign_in(&user)?;
    let mut st = SessionState {
        username: user.username.clone(),
        device_key: device_key(params),
        custom: Some(CustomFlow::default()),
        ..SessionState::default()
    };
    let srp_a = match params.get("CHALLENGE_NAME").map(String::as_str) {
        Some("SRP_A") => {
            push(&mut st, "SRP_A", true, None);
            Some(required_param(params, "SRP_A")?.to_string())
        }
        _ => None,
    };
    let round = Round { pool, client, meta };
    next(state, &round, user, st, srp_a.as_deref()).await
}

/// The call a round belongs to.
struct Round<'a> {
    pool: &'a PoolRecord,
    client: &'a ClientRecord,
    meta: &'a HashMap<String, String>,
}

fn push(st: &mut SessionState, name: &str, result: bool, metadata: Option<String>) {
    if let Some(flow) = st.custom.as_mut() {
        flow.history.push(ChallengeResult {
            challenge_name: name.into(),
            challenge_result: result,
            challenge_metadata: metadata,
        });
    }
}

/// Asks DefineAuthChallenge what follows the history so far, and does it.
async fn next(
    state: &State,
    round: &Round<'_>,
    user: UserRecord,
    mut st: SessionState,
    srp_a: Option<&str>,
) -> Result<Outcome> {
    let attributes = user_attributes(&user);
    let who = Subject {
        attributes: &attributes,
        user_not_found: false,
    };
    let ctx = Context {
        pool: round.pool,
        client_id: Some(&round.client.id),
        user_name: &user.username,
        client_metadata: round.meta,
    };
    let history = st.custom.clone().unwrap_or_default().history;
    let decision = trigger::define(state, &ctx, &who, &history).await?;
    if decision.fail_authentication {
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    }
    if decision.issue_tokens {
        st.auth_time = now_ms() / 1000;
        return Ok(Outcome::Verified { user, st });
    }
    match decision.challenge_name.as_deref() {
        Some(CUSTOM_CHALLENGE) => {
            let created = trigger::create(state, &ctx, &who, CUSTOM_CHALLENGE, &history).await?;
            let flow = st.custom.get_or_insert_with(CustomFlow::default);
            flow.private = created.private;
            flow.metadata = created.metadata;
            let mut parameters = created.public;
            parameters.insert("USERNAME".into(), user.username.clone());
            let token = session::open(state, round.client, &user, CUSTOM_CHALLENGE, &st).await?;
            Ok(Outcome::Challenge(Challenge {
                name: CUSTOM_CHALLENGE,
                session: token,
                parameters,
                available: None,
            }))
        }
        Some("PASSWORD_VERIFIER") if srp_a.is_some() => {
            let srp_a = srp_a.unwrap_or_default();
            srp::password_verifier_challenge_in(state, round.client, &user, srp_a, st).await
        }
        _ => Err(triggers::failure(
            Trigger::DefineAuthChallenge,
            crate::service::outbound::lambda::InvokeError::Invalid,
        )),
    }
}

/// RespondToAuthChallenge with CUSTOM_CHALLENGE: the ANSWER judged, then the next round.
pub async fn answer(
    state: &State,
    a: Answer<'_>,
    meta: &HashMap<String, String>,
) -> Result<Outcome> {
    let given = required_param(a.responses, "ANSWER")?;
    let mut st = a.st;
    let flow = st.custom.clone().unwrap_or_default();
    let attributes = user_attributes(&a.user);
    let who = Subject {
        attributes: &attributes,
        user_not_found: false,
    };
    let ctx = Context {
        pool: a.pool,
        client_id: Some(&a.client.id),
        user_name: &a.user.username,
        client_metadata: meta,
    };
    let correct = trigger::verify(state, &ctx, &who, &flow.private, given).await?;
    push(&mut st, CUSTOM_CHALLENGE, correct, flow.metadata);
    if let Some(flow) = st.custom.as_mut() {
        flow.private.clear();
        flow.metadata = None;
    }
    let round = Round {
        pool: a.pool,
        client: a.client,
        meta,
    };
    next(state, &round, a.user, st, None).await
}

/// PASSWORD_VERIFIER within a custom sign-in: the SRP proof, then the next round.
pub async fn answer_password_verifier(
    state: &State,
    a: Answer<'_>,
    meta: &HashMap<String, String>,
) -> Result<Outcome> {
    let (pool, client) = (a.pool, a.client);
    let mut st = a.st.clone();
    st.srp_a = None;
    st.srp_b = None;
    let user = match srp::answer_password_verifier(state, a).await? {
        Outcome::PasswordProven { user, .. } => user,
        other => return Ok(other),
    };
    push(&mut st, "PASSWORD_VERIFIER", true, None);
    next(state, &Round { pool, client, meta }, user, st, None).await
}

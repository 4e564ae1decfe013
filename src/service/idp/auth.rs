//! Sign-in actions: InitiateAuth, RespondToAuthChallenge and their Admin forms,
//! GetTokensFromRefreshToken, and (Admin)GetUserAuthFactors. Each runs the domain's sign-in
//! and maps the [`Step`] it answers with to Cognito's reply.

use std::collections::HashMap;

use super::{Admin, Bearer, Public};
use crate::service::directory::{clients, mfa, pools, users};
use crate::service::kernel::crypto;
use crate::service::signin::{self, choice, respond, Caller, Step};
use crate::service::tokens::refresh as refresh_tokens;
use crate::service::tokens::Issued;
use crate::service::{fail, Exception, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::users::UserRecord;
use crate::types::auth::*;

impl From<Issued> for AuthenticationResult {
    fn from(i: Issued) -> Self {
        AuthenticationResult {
            access_token: i.access_token,
            expires_in: i.expires_in,
            token_type: "Bearer",
            refresh_token: i.refresh_token,
            id_token: i.id_token,
            new_device_metadata: i.new_device.map(|d| NewDeviceMetadata {
                device_key: d.device_key,
                device_group_key: d.device_group_key,
            }),
        }
    }
}

impl From<Step> for AuthResponse {
    fn from(step: Step) -> Self {
        match step {
            Step::Tokens(issued) => AuthResponse {
                authentication_result: Some(issued.into()),
                ..AuthResponse::default()
            },
            Step::Challenge(c) => AuthResponse {
                challenge_name: Some(c.name.into()),
                session: Some(c.session),
                challenge_parameters: c.parameters,
                authentication_result: None,
                available_challenges: c.available,
            },
        }
    }
}

pub async fn initiate_auth(
    state: &State,
    _: Public,
    req: InitiateAuthRequest,
) -> Result<AuthResponse> {
    let client = clients::load(state, &req.client_id).await?;
    let (flow, params) = (&req.auth_flow, &req.auth_parameters);
    let meta = &req.client_metadata;
    start(state, client, (Caller::Public, flow), params, meta).await
}

pub async fn admin_initiate_auth(
    state: &State,
    _: Admin,
    req: AdminInitiateAuthRequest,
) -> Result<AuthResponse> {
    let client = clients::load_in_pool(state, &req.user_pool_id, &req.client_id).await?;
    let (flow, params) = (&req.auth_flow, &req.auth_parameters);
    let meta = &req.client_metadata;
    start(state, client, (Caller::Admin, flow), params, meta).await
}

async fn start(
    state: &State,
    client: ClientRecord,
    how: (Caller, &str),
    params: &HashMap<String, String>,
    meta: &HashMap<String, String>,
) -> Result<AuthResponse> {
    let pool = pools::load(state, &client.pool_id).await?;
    let step = signin::start::start_with(state, &pool, &client, how, params, meta).await;
    count_sign_in(state, how.1, &step);
    Ok(step?.into())
}

pub async fn respond_to_auth_challenge(
    state: &State,
    _: Public,
    req: RespondToAuthChallengeRequest,
) -> Result<AuthResponse> {
    let client = clients::load(state, &req.client_id).await?;
    let session = req.session.as_deref();
    respond(
        state,
        client,
        &req.challenge_name,
        session,
        (&req.challenge_responses, &req.client_metadata),
    )
    .await
}

pub async fn admin_respond_to_auth_challenge(
    state: &State,
    _: Admin,
    req: AdminRespondToAuthChallengeRequest,
) -> Result<AuthResponse> {
    let client = clients::load_in_pool(state, &req.user_pool_id, &req.client_id).await?;
    let session = req.session.as_deref();
    respond(
        state,
        client,
        &req.challenge_name,
        session,
        (&req.challenge_responses, &req.client_metadata),
    )
    .await
}

async fn respond(
    state: &State,
    client: ClientRecord,
    name: &str,
    session: Option<&str>,
    (responses, meta): (&HashMap<String, String>, &HashMap<String, String>),
) -> Result<AuthResponse> {
    let pool = pools::load(state, &client.pool_id).await?;
    let step = respond::respond_with(state, (&pool, &client), name, session, responses, meta).await;
    count_sign_in(state, name, &step);
    Ok(step?.into())
}

/// The one place sign-in steps are counted: by flow (or challenge answered) and outcome.
fn count_sign_in(state: &State, flow: &str, step: &Result<Step>) {
    let outcome = match step {
        Ok(Step::Tokens(_)) => "tokens",
        Ok(Step::Challenge(_)) => "challenge",
        Err(crate::service::Error::Cognito { kind, .. }) => kind.name(),
        Err(crate::service::Error::Internal(_)) => "internal_error",
    };
    state.metrics.sign_in(flow, outcome);
}

pub async fn get_tokens_from_refresh_token(
    state: &State,
    _: Public,
    req: GetTokensFromRefreshTokenRequest,
) -> Result<GetTokensFromRefreshTokenResponse> {
    let client = clients::load(state, &req.client_id).await?;
    if let Some(secret) = &client.secret {
        let given = req.client_secret.as_deref().unwrap_or_default();
        if !crypto::constant_time_eq(secret, given) {
            return fail(
                Exception::NotAuthorized,
                format!("Client {} is configured with secret but the secret was not received or is wrong", client.id),
            );
        }
    }
    let pool = pools::load(state, &client.pool_id).await?;
    let (row, user) =
        refresh_tokens::find_refresh_token(state, &client, &req.refresh_token).await?;
    let issued = refresh_tokens::refresh(state, &pool, &client, row, &user).await?;
    Ok(GetTokensFromRefreshTokenResponse {
        authentication_result: issued.into(),
    })
}

pub async fn get_user_auth_factors(
    state: &State,
    caller: Bearer,
    _: GetUserAuthFactorsRequest,
) -> Result<GetUserAuthFactorsResponse> {
    factors_of(state, caller.0.user).await
}

pub async fn admin_get_user_auth_factors(
    state: &State,
    _: Admin,
    req: GetUserAuthFactorsRequest,
) -> Result<GetUserAuthFactorsResponse> {
    let pool = pools::load(state, req.user_pool_id.as_deref().unwrap_or_default()).await?;
    let username = req.username.as_deref().unwrap_or_default();
    let user = users::find_or_fail(state, &pool, username).await?;
    factors_of(state, user).await
}

async fn factors_of(state: &State, user: UserRecord) -> Result<GetUserAuthFactorsResponse> {
    let (user_mfa_setting_list, preferred_mfa_setting) = mfa::summary(state, &user).await?;
    Ok(GetUserAuthFactorsResponse {
        configured_user_auth_factors: choice::configured_factors(&user)
            .into_iter()
            .map(String::from)
            .collect(),
        username: user.username.into(),
        preferred_mfa_setting,
        user_mfa_setting_list,
    })
}

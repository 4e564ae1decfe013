//! PreTokenGeneration: version 1 (`claimsOverrideDetails`: ID token claims and groups) and
//! versions 2 and 3 (`claimsAndScopeOverrideDetails`: both tokens, scopes and groups), as
//! `LambdaConfig.PreTokenGenerationConfig.LambdaVersion` selects.

use serde_json::Value;

use super::events::{
    ClaimsChange, GroupConfiguration, PreTokenGenerationRequest, PreTokenGenerationV1Response,
    PreTokenGenerationV2Response,
};
use super::{call_version, user_attributes, Context, Trigger};
use crate::service::{Result, State};
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;

/// Why tokens are being issued: the trigger source's suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenSource {
    HostedAuth,
    Authentication,
    NewPasswordChallenge,
    AuthenticateDevice,
    RefreshTokens,
}

impl TokenSource {
    fn trigger_source(self) -> &'static str {
        match self {
            TokenSource::HostedAuth => "TokenGeneration_HostedAuth",
            TokenSource::Authentication => "TokenGeneration_Authentication",
            TokenSource::NewPasswordChallenge => "TokenGeneration_NewPasswordChallenge",
            TokenSource::AuthenticateDevice => "TokenGeneration_AuthenticateDevice",
            TokenSource::RefreshTokens => "TokenGeneration_RefreshTokens",
        }
    }
}

/// What the function asked to change; empty when there is no function.
#[derive(Debug, Default)]
pub struct TokenChanges {
    pub id: ClaimsChange,
    /// Version 1 never changes the access token (except its groups).
    pub access: ClaimsChange,
    pub groups: Option<GroupConfiguration>,
}

/// The event version the pool asks for: "1", "2" or "3".
fn version(pool: &PoolRecord) -> &'static str {
    let config = pool.settings.lambda_config();
    let asked = config
        .and_then(|c| c.get("PreTokenGenerationConfig"))
        .and_then(|c| c.get("LambdaVersion"))
        .and_then(Value::as_str);
    match asked {
        Some("V2_0") => "2",
        Some("V3_0") => "3",
        _ => "1",
    }
}

/// Runs PreTokenGeneration for tokens about to be signed for `user`.
pub async fn pre_token_generation(
    state: &State,
    ctx: &Context<'_>,
    source: TokenSource,
    user: &UserRecord,
    groups: &GroupConfiguration,
    scopes: &[String],
) -> Result<TokenChanges> {
    let version = version(ctx.pool);
    let attributes = user_attributes(user);
    let request = PreTokenGenerationRequest {
        user_attributes: &attributes,
        group_configuration: groups,
        scopes: (version != "1").then_some(scopes),
        client_metadata: ctx.client_metadata,
    };
    let (trigger, source) = (Trigger::PreTokenGeneration, source.trigger_source());
    if version == "1" {
        let answer: Option<PreTokenGenerationV1Response> = call_version(
            state,
            trigger,
            version,
            source,
            ctx,
            request,
            PreTokenGenerationV1Response::default(),
        )
        .await?;
        let Some(details) = answer.and_then(|a| a.claims_override_details) else {
            return Ok(TokenChanges::default());
        };
        return Ok(TokenChanges {
            id: ClaimsChange {
                claims_to_add_or_override: details.claims_to_add_or_override,
                claims_to_suppress: details.claims_to_suppress,
                ..ClaimsChange::default()
            },
            access: ClaimsChange::default(),
            groups: details.group_override_details,
        });
    }
    let answer: Option<PreTokenGenerationV2Response> = call_version(
        state,
        trigger,
        version,
        source,
        ctx,
        request,
        PreTokenGenerationV2Response::default(),
    )
    .await?;
    let Some(details) = answer.and_then(|a| a.claims_and_scope_override_details) else {
        return Ok(TokenChanges::default());
    };
    Ok(TokenChanges {
        id: details.id_token_generation.unwrap_or_default(),
        access: details.access_token_generation.unwrap_or_default(),
        groups: details.group_override_details,
    })
}

/// Claims no function may change, in either token.
const PROTECTED: &[&str] = &[
    "acr",
    "amr",
    "aud",
    "at_hash",
    "auth_time",
    "azp",
    "c_hash",
    "client_id",
    "cognito:username",
    "event_id",
    "exp",
    "iat",
    "identities",
    "iss",
    "jti",
    "nbf",
    "nonce",
    "origin_jti",
    "scope",
    "sub",
    "token_use",
    "username",
    "device_key",
];

/// Applies `change` to a token's claims (groups and scopes are applied by the caller).
pub fn apply(change: &ClaimsChange, claims: &mut serde_json::Map<String, Value>) {
    let free = |name: &str| !PROTECTED.contains(&name) && !name.starts_with("cognito:");
    for name in change.claims_to_suppress.iter().flatten() {
        if free(name) {
            claims.remove(name);
        }
    }
    for (name, value) in change.claims_to_add_or_override.iter().flatten() {
        if free(name) {
            claims.insert(name.clone(), value.clone());
        }
    }
}

/// The scopes of an access token after `change`.
pub fn scopes(change: &ClaimsChange, mut scopes: Vec<String>) -> Vec<String> {
    if let Some(suppress) = &change.scopes_to_suppress {
        scopes.retain(|s| !suppress.contains(s));
    }
    for scope in change.scopes_to_add.iter().flatten() {
        if !scopes.contains(scope) {
            scopes.push(scope.clone());
        }
    }
    scopes
}

/// The request of a client-credentials token's event: no user, no groups.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct MachineRequest<'a> {
    user_attributes: serde_json::Map<String, Value>,
    group_configuration: Option<()>,
    scopes: &'a [String],
    client_metadata: &'a crate::service::triggers::events::Metadata,
}

/// Runs PreTokenGeneration for a client_credentials access token (source
/// TokenGeneration_ClientCredentials): only with event version 3, as in Cognito. Returns
/// the access token's changes; `None` without a function for it.
pub async fn pre_token_generation_machine(
    state: &State,
    ctx: &Context<'_>,
    scopes: &[String],
) -> Result<Option<ClaimsChange>> {
    if version(ctx.pool) != "3" {
        return Ok(None);
    }
    let request = MachineRequest {
        user_attributes: serde_json::Map::new(),
        group_configuration: None,
        scopes,
        client_metadata: ctx.client_metadata,
    };
    let answer: Option<PreTokenGenerationV2Response> = call_version(
        state,
        Trigger::PreTokenGeneration,
        "3",
        "TokenGeneration_ClientCredentials",
        ctx,
        request,
        PreTokenGenerationV2Response::default(),
    )
    .await?;
    Ok(answer.map(|a| {
        a.claims_and_scope_override_details
            .and_then(|d| d.access_token_generation)
            .unwrap_or_default()
    }))
}

//! Lambda triggers: the pool's LambdaConfig, the events Cognito sends its functions (built
//! from plain data the caller passes), and what their responses mean. Each trigger has a
//! function that returns `None` when the pool has no function for it; a failing function
//! becomes Cognito's error, and the caller has written nothing yet.

pub mod auth;
pub mod custom;
pub mod events;
pub mod invitation;
pub mod messages;
pub mod migration;
pub mod senders;
pub mod signup;
pub mod tokens;

use std::collections::{BTreeMap, HashMap};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::service::outbound::lambda::InvokeError;
use crate::service::{Error, Exception, Result, State};
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;
use events::{CallerContext, Event};

/// The triggers, by their LambdaConfig member (which is also the name Cognito's errors use).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    PreSignUp,
    PostConfirmation,
    PreAuthentication,
    PostAuthentication,
    PreTokenGeneration,
    DefineAuthChallenge,
    CreateAuthChallenge,
    VerifyAuthChallengeResponse,
    CustomMessage,
    UserMigration,
    CustomEmailSender,
    CustomSMSSender,
}

impl Trigger {
    pub fn name(self) -> &'static str {
        match self {
            Trigger::PreSignUp => "PreSignUp",
            Trigger::PostConfirmation => "PostConfirmation",
            Trigger::PreAuthentication => "PreAuthentication",
            Trigger::PostAuthentication => "PostAuthentication",
            Trigger::PreTokenGeneration => "PreTokenGeneration",
            Trigger::DefineAuthChallenge => "DefineAuthChallenge",
            Trigger::CreateAuthChallenge => "CreateAuthChallenge",
            Trigger::VerifyAuthChallengeResponse => "VerifyAuthChallengeResponse",
            Trigger::CustomMessage => "CustomMessage",
            Trigger::UserMigration => "UserMigration",
            Trigger::CustomEmailSender => "CustomEmailSender",
            Trigger::CustomSMSSender => "CustomSMSSender",
        }
    }
}

/// The function configured for `trigger`, if any.
pub fn arn(pool: &PoolRecord, trigger: Trigger) -> Option<String> {
    let config = pool.settings.lambda_config()?;
    if trigger == Trigger::PreTokenGeneration {
        let v2 = config
            .get("PreTokenGenerationConfig")
            .and_then(|c| c.get("LambdaArn"))
            .and_then(Value::as_str);
        if let Some(arn) = v2 {
            return Some(arn.to_string());
        }
    }
    let member = config.get(trigger.name())?;
    // The senders are objects: {LambdaVersion, LambdaArn}.
    let arn = member
        .as_str()
        .or_else(|| member.get("LambdaArn").and_then(Value::as_str))?;
    (!arn.is_empty()).then(|| arn.to_string())
}

/// Whether the pool has a function for `trigger`.
pub fn configured(pool: &PoolRecord, trigger: Trigger) -> bool {
    arn(pool, trigger).is_some()
}

/// Who and what an event is about.
pub struct Context<'a> {
    pub pool: &'a PoolRecord,
    pub client_id: Option<&'a str>,
    pub user_name: &'a str,
    pub client_metadata: &'a HashMap<String, String>,
}

/// Invokes `trigger` (if configured) with an event of `source`, and reads back the
/// `response` member of what it returns.
async fn call<Req: Serialize, Resp: Serialize, Out: DeserializeOwned + Default>(
    state: &State,
    trigger: Trigger,
    source: &str,
    ctx: &Context<'_>,
    request: Req,
    response: Resp,
) -> Result<Option<Out>> {
    call_version(state, trigger, "1", source, ctx, request, response).await
}

async fn call_version<Req: Serialize, Resp: Serialize, Out: DeserializeOwned + Default>(
    state: &State,
    trigger: Trigger,
    version: &str,
    source: &str,
    ctx: &Context<'_>,
    request: Req,
    response: Resp,
) -> Result<Option<Out>> {
    let Some(arn) = arn(ctx.pool, trigger) else {
        return Ok(None);
    };
    let event = Event {
        version,
        trigger_source: source,
        region: &state.region,
        user_pool_id: &ctx.pool.id,
        user_name: ctx.user_name,
        caller_context: CallerContext {
            aws_sdk_version: "aws-sdk-unknown-unknown",
            client_id: ctx.client_id.unwrap_or("CLIENT_ID_NOT_APPLICABLE"),
        },
        request,
        response,
    };
    let event = serde_json::to_value(&event).map_err(|e| Error::Internal(e.into()))?;
    let answer = state.triggers.invoke(&arn, &event).await;
    let out = answer.and_then(|a| match a.get("response") {
        None | Some(Value::Null) => Ok(Out::default()),
        Some(value) => serde_json::from_value(value.clone()).map_err(|_| InvokeError::Invalid),
    });
    let outcome = out.as_ref().map_or_else(InvokeError::outcome, |_| "ok");
    state.metrics.trigger(source, outcome);
    out.map(Some).map_err(|e| failure(trigger, e))
}

/// Cognito's error for a failed invocation of `trigger`.
pub fn failure(trigger: Trigger, e: InvokeError) -> Error {
    let (kind, message) = match e {
        InvokeError::Function(m) => (
            Exception::UserLambdaValidation,
            format!("{} failed with error {m}.", trigger.name()),
        ),
        InvokeError::Unreachable(cause) => (
            Exception::UnexpectedLambda,
            format!("{} invocation failed due to error {cause}.", trigger.name()),
        ),
        InvokeError::Invalid => (
            Exception::InvalidLambdaResponse,
            "Unrecognizable lambda output".to_string(),
        ),
    };
    Error::Cognito { kind, message }
}

/// A user's attributes as events carry them: with `sub` and `cognito:user_status`.
pub fn user_attributes(user: &UserRecord) -> BTreeMap<String, String> {
    let mut attributes: BTreeMap<String, String> = user
        .attributes
        .iter()
        .filter(|(k, _)| !k.starts_with("dev:"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    attributes.insert("sub".into(), user.sub.clone());
    attributes.insert("cognito:user_status".into(), user.status.to_string());
    attributes
}

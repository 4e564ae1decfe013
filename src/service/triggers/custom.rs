//! The custom authentication trio: DefineAuthChallenge decides what comes next from the
//! session's history, CreateAuthChallenge makes a challenge, VerifyAuthChallengeResponse
//! judges an answer (source Authentication).

use std::collections::HashMap;

use super::events::{
    Attributes, ChallengeResult, CreateAuthChallengeBlank, CreateAuthChallengeRequest,
    CreateAuthChallengeResponse, DefineAuthChallengeBlank, DefineAuthChallengeRequest,
    DefineAuthChallengeResponse, VerifyAuthChallengeBlank, VerifyAuthChallengeRequest,
    VerifyAuthChallengeResponse,
};
use super::{call, failure, Context, Trigger};
use crate::service::outbound::lambda::InvokeError;
use crate::service::{Result, State};

/// Invokes one of the trio, which the pool must have configured: custom sign-in cannot go
/// on without it (Cognito's answer names the missing function's invocation as denied).
async fn required<Req, Blank, Out>(
    state: &State,
    (trigger, source): (Trigger, &str),
    ctx: &Context<'_>,
    request: Req,
    blank: Blank,
) -> Result<Out>
where
    Req: serde::Serialize,
    Blank: serde::Serialize,
    Out: serde::de::DeserializeOwned + Default,
{
    let answer: Option<Out> = call(state, trigger, source, ctx, request, blank).await?;
    answer.ok_or_else(|| {
        failure(
            trigger,
            InvokeError::Unreachable("AccessDeniedException".into()),
        )
    })
}

/// The user a custom sign-in is about: their attributes, or none when unknown.
pub struct Subject<'a> {
    pub attributes: &'a Attributes,
    pub user_not_found: bool,
}

/// What DefineAuthChallenge decided.
#[derive(Debug, Default)]
pub struct Decision {
    pub challenge_name: Option<String>,
    pub issue_tokens: bool,
    pub fail_authentication: bool,
}

pub async fn define(
    state: &State,
    ctx: &Context<'_>,
    who: &Subject<'_>,
    session: &[ChallengeResult],
) -> Result<Decision> {
    let request = DefineAuthChallengeRequest {
        user_attributes: who.attributes,
        session,
        client_metadata: ctx.client_metadata,
        user_not_found: who.user_not_found,
    };
    let (trigger, source) = (
        Trigger::DefineAuthChallenge,
        "DefineAuthChallenge_Authentication",
    );
    let blank = DefineAuthChallengeBlank {
        challenge_name: None,
        issue_tokens: None,
        fail_authentication: None,
    };
    let answer: DefineAuthChallengeResponse =
        required(state, (trigger, source), ctx, request, blank).await?;
    Ok(Decision {
        challenge_name: answer.challenge_name,
        issue_tokens: answer.issue_tokens,
        fail_authentication: answer.fail_authentication,
    })
}

/// A challenge CreateAuthChallenge made.
#[derive(Debug, Default)]
pub struct Created {
    pub public: HashMap<String, String>,
    pub private: HashMap<String, String>,
    pub metadata: Option<String>,
}

pub async fn create(
    state: &State,
    ctx: &Context<'_>,
    who: &Subject<'_>,
    challenge_name: &str,
    session: &[ChallengeResult],
) -> Result<Created> {
    let request = CreateAuthChallengeRequest {
        user_attributes: who.attributes,
        challenge_name,
        session,
        client_metadata: ctx.client_metadata,
        user_not_found: who.user_not_found,
    };
    let (trigger, source) = (
        Trigger::CreateAuthChallenge,
        "CreateAuthChallenge_Authentication",
    );
    let blank = CreateAuthChallengeBlank {
        public_challenge_parameters: None,
        private_challenge_parameters: None,
        challenge_metadata: None,
    };
    let answer: CreateAuthChallengeResponse =
        required(state, (trigger, source), ctx, request, blank).await?;
    Ok(Created {
        public: answer.public_challenge_parameters.unwrap_or_default(),
        private: answer.private_challenge_parameters.unwrap_or_default(),
        metadata: answer.challenge_metadata,
    })
}

pub async fn verify(
    state: &State,
    ctx: &Context<'_>,
    who: &Subject<'_>,
    private: &HashMap<String, String>,
    answer: &str,
) -> Result<bool> {
    let request = VerifyAuthChallengeRequest {
        user_attributes: who.attributes,
        private_challenge_parameters: private,
        challenge_answer: answer,
        client_metadata: ctx.client_metadata,
        user_not_found: who.user_not_found,
    };
    let (trigger, source) = (
        Trigger::VerifyAuthChallengeResponse,
        "VerifyAuthChallengeResponse_Authentication",
    );
    let blank = VerifyAuthChallengeBlank {
        answer_correct: None,
    };
    let verdict: VerifyAuthChallengeResponse =
        required(state, (trigger, source), ctx, request, blank).await?;
    Ok(verdict.answer_correct)
}

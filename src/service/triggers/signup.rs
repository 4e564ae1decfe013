//! PreSignUp (sources SignUp, AdminCreateUser, ExternalProvider) and PostConfirmation
//! (ConfirmSignUp, ConfirmForgotPassword).

use super::events::UserRequest;
use super::events::{Attributes, Metadata, NoResponse, PreSignUpRequest, PreSignUpResponse};
use super::{call, user_attributes, Context, Trigger};
use crate::service::{Result, State};
use crate::store::users::UserRecord;

/// Where a PreSignUp comes from.
#[derive(Clone, Copy, Debug)]
pub enum SignUpSource {
    SignUp,
    AdminCreateUser,
    ExternalProvider,
}

impl SignUpSource {
    fn trigger_source(self) -> &'static str {
        match self {
            SignUpSource::SignUp => "PreSignUp_SignUp",
            SignUpSource::AdminCreateUser => "PreSignUp_AdminCreateUser",
            SignUpSource::ExternalProvider => "PreSignUp_ExternalProvider",
        }
    }
}

/// What a PreSignUp function decided; all false when there is none.
pub type PreSignUp = PreSignUpResponse;

/// Runs PreSignUp for a user about to be created with `attributes` (as submitted).
pub async fn pre_sign_up(
    state: &State,
    ctx: &Context<'_>,
    source: SignUpSource,
    attributes: &Attributes,
    validation_data: &Metadata,
) -> Result<PreSignUp> {
    let request = PreSignUpRequest {
        user_attributes: attributes,
        validation_data,
        client_metadata: ctx.client_metadata,
    };
    let source = source.trigger_source();
    let response = PreSignUpResponse::default();
    let answer = call(state, Trigger::PreSignUp, source, ctx, request, response).await?;
    Ok(answer.unwrap_or_default())
}

/// Where a PostConfirmation comes from.
#[derive(Clone, Copy, Debug)]
pub enum ConfirmSource {
    ConfirmSignUp,
    ConfirmForgotPassword,
}

/// Runs PostConfirmation for `user`, as they are once confirmed.
pub async fn post_confirmation(
    state: &State,
    ctx: &Context<'_>,
    source: ConfirmSource,
    user: &UserRecord,
) -> Result<()> {
    let source = match source {
        ConfirmSource::ConfirmSignUp => "PostConfirmation_ConfirmSignUp",
        ConfirmSource::ConfirmForgotPassword => "PostConfirmation_ConfirmForgotPassword",
    };
    let request = UserRequest {
        user_attributes: &user_attributes(user),
        client_metadata: ctx.client_metadata,
    };
    let trigger = Trigger::PostConfirmation;
    let _: Option<NoResponse> = call(state, trigger, source, ctx, request, NoResponse {}).await?;
    Ok(())
}

impl PreSignUpResponse {
    /// Applies what the function decided to a user about to be stored: confirmed (where
    /// `may_confirm`), and the email or phone marked verified where the user has them.
    pub fn apply(&self, user: &mut UserRecord, may_confirm: bool) {
        if self.auto_confirm_user && may_confirm {
            user.status = crate::store::users::UserStatus::Confirmed;
        }
        for (asked, attribute) in [
            (self.auto_verify_email, "email"),
            (self.auto_verify_phone, "phone_number"),
        ] {
            if asked && user.attributes.contains_key(attribute) {
                user.attributes
                    .insert(format!("{attribute}_verified"), "true".into());
            }
        }
    }
}

/// The attributes a PreSignUp event shows: those submitted, without the generated `sub`.
pub fn submitted(user: &UserRecord) -> Attributes {
    user.attributes
        .iter()
        .filter(|(k, _)| *k != "sub" && !k.starts_with("dev:"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// ValidationData as the event carries it: a map.
pub fn validation_map<'a>(pairs: impl Iterator<Item = (&'a str, Option<&'a str>)>) -> Metadata {
    pairs
        .map(|(k, v)| (k.to_string(), v.unwrap_or_default().to_string()))
        .collect()
}

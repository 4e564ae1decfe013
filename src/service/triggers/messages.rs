//! Every code and invitation the pool sends passes here: to the pool's CustomEmailSender or
//! CustomSMSSender when it has one (then Cognate sends nothing itself), else through its
//! CustomMessage function (which may rewrite the subject and body), then out.

use serde::{Deserialize, Serialize};

use super::events::{Attributes, Metadata};
use super::{call, configured, senders, user_attributes, Context, Trigger};
use crate::service::outbound::messaging::{self, Delivered, Dispatch, Medium, Message};
use crate::service::{fail, Exception, Result, State};
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;

/// Why a message is sent: the trigger source's suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageSource {
    SignUp,
    AdminCreateUser,
    ResendCode,
    ForgotPassword,
    UpdateUserAttribute,
    VerifyUserAttribute,
    Authentication,
}

impl MessageSource {
    pub fn suffix(self) -> &'static str {
        match self {
            MessageSource::SignUp => "SignUp",
            MessageSource::AdminCreateUser => "AdminCreateUser",
            MessageSource::ResendCode => "ResendCode",
            MessageSource::ForgotPassword => "ForgotPassword",
            MessageSource::UpdateUserAttribute => "UpdateUserAttribute",
            MessageSource::VerifyUserAttribute => "VerifyUserAttribute",
            MessageSource::Authentication => "Authentication",
        }
    }
}

/// The call a message belongs to: its app client and ClientMetadata, where it has them.
#[derive(Clone, Copy)]
pub struct Call<'a> {
    pub client_id: Option<&'a str>,
    pub metadata: &'a Metadata,
}

impl Call<'static> {
    /// A call that names no client and carries no ClientMetadata.
    pub fn none() -> Call<'static> {
        Call {
            client_id: None,
            metadata: super::auth::no_metadata(),
        }
    }
}

/// The placeholders Cognito's CustomMessage events name.
const CODE_PARAMETER: &str = "{####}";
const USERNAME_PARAMETER: &str = "{username}";
/// The longest email body Cognito takes from a function; a longer one is not used.
const MAX_EMAIL_MESSAGE: usize = 20_000;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CustomMessageRequest<'a> {
    user_attributes: &'a Attributes,
    code_parameter: &'a str,
    link_parameter: Option<&'a str>,
    username_parameter: Option<&'a str>,
    client_metadata: &'a Metadata,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CustomMessageResponse {
    #[serde(default)]
    sms_message: Option<String>,
    #[serde(default)]
    email_message: Option<String>,
    #[serde(default)]
    email_subject: Option<String>,
}

/// Sends `m` for `user` as the pool's triggers say.
pub async fn deliver(
    state: &State,
    (pool, user): (&PoolRecord, &UserRecord),
    (source, call_of): (MessageSource, Call<'_>),
    m: Message<'_>,
    dispatch: Dispatch,
) -> Result<Delivered> {
    let mut attributes = user_attributes(user);
    // The event shows the address the message goes to (a new value waiting for
    // verification, where that is the one).
    attributes.insert(m.medium.attribute().into(), m.destination.into());
    if let Some(sender) = senders::sender_for(pool, m.medium) {
        let trigger = (sender, source);
        return senders::send(state, (pool, &attributes), trigger, call_of, &m).await;
    }
    let m = custom_message(state, (pool, &attributes), (source, call_of), m).await?;
    messaging::send_as(state, m, dispatch).await
}

/// `m` as the pool's CustomMessage function rewrites it (unchanged without one).
async fn custom_message<'m>(
    state: &State,
    (pool, attributes): (&PoolRecord, &Attributes),
    (source, call_of): (MessageSource, Call<'_>),
    mut m: Message<'m>,
) -> Result<Message<'m>> {
    if !configured(pool, Trigger::CustomMessage) {
        return Ok(m);
    }
    let invitation = source == MessageSource::AdminCreateUser;
    let request = CustomMessageRequest {
        user_attributes: attributes,
        code_parameter: CODE_PARAMETER,
        link_parameter: None,
        username_parameter: invitation.then_some(USERNAME_PARAMETER),
        client_metadata: call_of.metadata,
    };
    let ctx = Context {
        pool,
        client_id: call_of.client_id,
        user_name: m.username,
        client_metadata: call_of.metadata,
    };
    let source = format!("CustomMessage_{}", source.suffix());
    let blank = CustomMessageResponse::default();
    let answer: Option<CustomMessageResponse> =
        call(state, Trigger::CustomMessage, &source, &ctx, request, blank).await?;
    let answer = answer.unwrap_or_default();
    let body = match m.medium {
        Medium::Email => answer.email_message,
        Medium::Sms => answer.sms_message,
    };
    if let Some(body) = body.filter(|b| !b.is_empty()) {
        check_placeholders(&body, m.medium, invitation)?;
        if m.medium == Medium::Sms || body.chars().count() <= MAX_EMAIL_MESSAGE {
            m.template = body;
        } else {
            tracing::warn!(pool_id = %pool.id, "CustomMessage emailMessage over 20000 characters; the pool's message is sent");
        }
    }
    if let Some(subject) = answer.email_subject.filter(|s| !s.is_empty()) {
        if m.medium == Medium::Email {
            m.subject = Some(subject.chars().take(140).collect());
        }
    }
    Ok(m)
}

/// A message must carry the code (and an invitation the username), as Cognito checks the
/// body a function returns. The wording is Cognito's, as seen for an email body without the
/// code: `Value at 'emailBody' failed to satisfy constraint: Member must satisfy regular
/// expression pattern: ...\{####\}...`.
fn check_placeholders(body: &str, medium: Medium, invitation: bool) -> Result<()> {
    let mut needed = vec![CODE_PARAMETER];
    if invitation {
        needed.push(USERNAME_PARAMETER);
    }
    let field = match medium {
        Medium::Email => "emailBody",
        Medium::Sms => "smsMessage",
    };
    match needed.into_iter().find(|p| !body.contains(p)) {
        None => Ok(()),
        Some(missing) => {
            let escaped = missing.replace('{', "\\{").replace('}', "\\}");
            let any = "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*";
            fail(
                Exception::InvalidParameter,
                format!(
                    "1 validation error detected: Value at '{field}' failed to satisfy \
                     constraint: Member must satisfy regular expression pattern: \
                     {any}{escaped}{any}"
                ),
            )
        }
    }
}

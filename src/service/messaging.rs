//! Delivery of codes and notices. Until real senders arrive, messages are logged, and in local
//! mode kept in the dev outbox so that developers and tests can read their codes.

use super::{now_ms, Result, State};
use crate::store::outbox::{self, OutboxRow};
use crate::types::CodeDeliveryDetails;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Medium {
    Email,
    Sms,
}

impl Medium {
    pub fn name(self) -> &'static str {
        match self {
            Medium::Email => "EMAIL",
            Medium::Sms => "SMS",
        }
    }
    pub fn attribute(self) -> &'static str {
        match self {
            Medium::Email => "email",
            Medium::Sms => "phone_number",
        }
    }
}

pub struct Message<'a> {
    pub pool_id: &'a str,
    pub username: &'a str,
    pub medium: Medium,
    pub destination: &'a str,
    pub purpose: &'static str,
    pub code: Option<&'a str>,
    pub subject: Option<String>,
    pub body: String,
}

/// Sends a message; returns the delivery details Cognito reports to the caller.
pub async fn send(state: &State, m: Message<'_>) -> Result<CodeDeliveryDetails> {
    if state.local_mode {
        tracing::info!(
            pool_id = m.pool_id,
            username = m.username,
            medium = m.medium.name(),
            destination = m.destination,
            purpose = m.purpose,
            code = m.code,
            "dev outbox: message kept instead of sent"
        );
        outbox::insert(
            &state.db,
            &OutboxRow {
                pool_id: m.pool_id.into(),
                username: m.username.into(),
                medium: m.medium.name().into(),
                destination: m.destination.into(),
                purpose: m.purpose.into(),
                code: m.code.map(Into::into),
                subject: m.subject,
                body: m.body,
                sent_at: now_ms(),
            },
        )
        .await?;
    } else {
        // Never log the code itself outside local mode.
        tracing::info!(
            pool_id = m.pool_id,
            medium = m.medium.name(),
            purpose = m.purpose,
            "message delivery is not configured; message dropped"
        );
    }
    Ok(CodeDeliveryDetails {
        destination: mask(m.medium, m.destination),
        delivery_medium: m.medium.name().into(),
        attribute_name: m.medium.attribute().into(),
    })
}

/// Masks a destination as Cognito does: `j***@e***` for email, `+*******1234` for phones.
pub fn mask(medium: Medium, destination: &str) -> String {
    match medium {
        Medium::Email => {
            let (local, domain) = destination.split_once('@').unwrap_or((destination, ""));
            let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
            format!("{}***@{}***", first(local), first(domain))
        }
        Medium::Sms => {
            let n = destination.chars().count();
            let tail: String = destination.chars().skip(n.saturating_sub(4)).collect();
            format!("+{}{tail}", "*".repeat(n.saturating_sub(5)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_are_masked() {
        assert_eq!(mask(Medium::Email, "jane@example.com"), "j***@e***");
        assert_eq!(mask(Medium::Sms, "+15555550123"), "+*******0123");
    }
}

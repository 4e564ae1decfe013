//! The pool's invitation (AdminCreateUserConfig.InviteMessageTemplate): the message
//! AdminCreateUser sends a new user with their temporary password, and the "welcome
//! message" Cognito sends a user its UserMigration function created (unless the function
//! answered `messageAction: SUPPRESS`). Both pass through CustomMessage as
//! `CustomMessage_AdminCreateUser`, the only source Cognito documents for an invitation.

use super::messages::{self, Call, MessageSource};
use crate::service::outbound::messaging::{Dispatch, Medium, Message};
use crate::service::{invalid_parameter, Result, State};
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;

const INVITATION: &str = "INVITATION";

/// The media an invitation goes to: those asked for (SMS when none is) that the user has an
/// address for. `strict` (AdminCreateUser) refuses media asked for by name that the user has
/// no address for, as Cognito does; otherwise they are skipped.
pub fn media(user: &UserRecord, asked: &[String], strict: bool) -> Result<Vec<(Medium, String)>> {
    let names: Vec<&str> = if asked.is_empty() {
        vec!["SMS"]
    } else {
        asked.iter().map(String::as_str).collect()
    };
    let mut media = Vec::new();
    for name in &names {
        // The service model allows only these two.
        let medium = match *name {
            "EMAIL" => Medium::Email,
            _ => Medium::Sms,
        };
        if media.iter().any(|(m, _)| *m == medium) {
            continue;
        }
        if let Some(dest) = user.attributes.get(medium.attribute()) {
            media.push((medium, dest.clone()));
        }
    }
    if strict && media.is_empty() && !asked.is_empty() {
        let attr = names.iter().map(|m| {
            if *m == "EMAIL" {
                "email"
            } else {
                "phone_number"
            }
        });
        return invalid_parameter(format!(
            "User has no attribute matching desired delivery mediums: {}",
            attr.collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(media)
}

/// Sends the pool's invitation to `user` over each of `media`. `temporary_password` fills
/// the `{####}` placeholder; a migrated user has none (they keep the password they proved),
/// and Cognate never writes a real password into a message, so there it is left empty.
pub async fn send(
    state: &State,
    (pool, user): (&PoolRecord, &UserRecord),
    media: &[(Medium, String)],
    temporary_password: Option<&str>,
    call: Call<'_>,
) -> Result<()> {
    let field = |name: &str, default: &str| {
        pool.settings
            .invite_template(name)
            .unwrap_or(default)
            .to_string()
    };
    let default_body = "Your username is {username} and temporary password is {####}.";
    for (medium, destination) in media {
        let (subject, body) = match medium {
            Medium::Email => (
                Some(field("EmailSubject", "Your temporary password")),
                field("EmailMessage", default_body),
            ),
            Medium::Sms => (None, field("SMSMessage", default_body)),
        };
        messages::deliver(
            state,
            (pool, user),
            (MessageSource::AdminCreateUser, call),
            Message {
                pool_id: &pool.id,
                username: &user.username,
                medium: *medium,
                destination,
                purpose: INVITATION,
                // The outbox shows the temporary password where other messages show codes.
                code: Some(temporary_password.unwrap_or("")),
                subject,
                template: body,
            },
            Dispatch::Awaited,
        )
        .await?;
    }
    Ok(())
}

//! UserMigration: a username this pool does not know, signed in with a password (or sent
//! to ForgotPassword), is looked up through the pool's UserMigration function and, when
//! found, created with the attributes and status it returns (and the password it was
//! proven with). SRP cannot migrate: the password never reaches the server, so an SRP
//! sign-in of an unknown user answers as for any unknown user, as in Cognito.
//!
//! Nothing is stored unless the function found the user: a failing function gives
//! Cognito's error, an empty answer the unknown-user answer the caller gives anyway.

use std::collections::HashMap;

use crate::service::directory::attributes::{Attribute, Writer};
use crate::service::directory::users::{self, UserStatus};
use crate::service::directory::{aliases, credentials};
use crate::service::kernel::ids;
use crate::service::triggers::invitation;
use crate::service::triggers::messages::Call;
use crate::service::triggers::migration::{self as trigger, Migrated, MigrationSource};
use crate::service::triggers::{self, Context, Trigger};
use crate::service::{now_ms, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::mfa as mfa_store;
use crate::store::pools::PoolRecord;
use crate::store::users::{self as user_store, UserRecord};
use crate::store::StoreError;

/// The user `username` names after asking the pool's UserMigration function, if it has
/// one and the function found them; `password` is what the sign-in gave (None for
/// ForgotPassword).
pub async fn migrate(
    state: &State,
    (pool, client): (&PoolRecord, &ClientRecord),
    username: &str,
    password: Option<&str>,
    meta: &HashMap<String, String>,
) -> Result<Option<UserRecord>> {
    if !triggers::configured(pool, Trigger::UserMigration) {
        return Ok(None);
    }
    let ctx = Context {
        pool,
        client_id: Some(&client.id),
        user_name: username,
        client_metadata: meta,
    };
    let source = match password {
        Some(_) => MigrationSource::Authentication,
        None => MigrationSource::ForgotPassword,
    };
    let Some(found) = trigger::user_migration(state, &ctx, source, password).await? else {
        return Ok(None);
    };
    let mut user = new_user(pool, username, &found)?;
    if let Some(password) = password {
        credentials::hash_new(state, &pool.id, &user.username, password)
            .await?
            .apply(&mut user);
    }
    let force = found.force_alias_creation && !aliases::uses_username_attributes(pool);
    if force {
        aliases::take_over(state, pool, &user).await?;
    } else {
        aliases::check_unique(state, pool, &user, true).await?;
    }
    match user_store::insert(&state.db, &user).await {
        // Migrated a moment ago by a concurrent sign-in: that user it is.
        Err(StoreError::Conflict(_)) => users::find(state, pool, username).await,
        Err(StoreError::AliasTaken { name }) => Err(aliases::taken(pool, &name, true)),
        Err(e) => Err(e.into()),
        Ok(()) => {
            tracing::info!(pool_id = %pool.id, sub = %user.sub, "user migrated");
            if let Err(e) = welcome(state, (pool, client), &user, &found, meta).await {
                // Undelivered (or refused by CustomMessage): the sign-in fails, and leaves
                // no user behind, as AdminCreateUser's invitation does.
                user_store::delete(&state.db, &pool.id, &user.sub).await?;
                return Err(e);
            }
            if found.enable_sms_mfa && user.attributes.contains_key("phone_number") {
                let mut mfa = mfa_store::find(&state.db, &pool.id, &user.sub).await?;
                mfa.sms_enabled = true;
                mfa_store::save(&state.db, &mfa).await?;
            }
            Ok(Some(user))
        }
    }
}

/// The welcome message Cognito sends a migrated user unless the function answered
/// `messageAction: SUPPRESS`: the pool's invitation, over `desiredDeliveryMediums` (SMS when
/// absent) that the user has an address for.
async fn welcome(
    state: &State,
    (pool, client): (&PoolRecord, &ClientRecord),
    user: &UserRecord,
    found: &Migrated,
    meta: &HashMap<String, String>,
) -> Result<()> {
    if found.message_action.as_deref() == Some("SUPPRESS") {
        return Ok(());
    }
    let media = invitation::media(user, &found.desired_delivery_mediums, false)?;
    let call = Call {
        client_id: Some(&client.id),
        metadata: meta,
    };
    invitation::send(state, (pool, user), &media, None, call).await
}

/// The record of a migrated user: the function's attributes (its `sub` and `username` are
/// the pool's to choose, not the function's), confirmed or RESET_REQUIRED.
fn new_user(pool: &PoolRecord, username: &str, found: &Migrated) -> Result<UserRecord> {
    let sub = ids::uuid();
    let given: Vec<Attribute> = found
        .attributes
        .iter()
        .filter(|(name, _)| {
            !matches!(name.as_str(), "sub" | "username")
                && !name.starts_with("cognito:")
                && !name.starts_with("dev:")
        })
        .map(|(name, value)| Attribute {
            name: name.clone(),
            value: value.clone(),
        })
        .collect();
    let (username, given) = aliases::creation_names(pool, username, &given, &sub)?;
    let attributes = users::parse_attributes(pool, Writer::Admin, &given)?;
    let status = match found.reset_required {
        true => UserStatus::ResetRequired,
        false => UserStatus::Confirmed,
    };
    let now = now_ms();
    Ok(UserRecord {
        pool_id: pool.id.clone(),
        sub,
        username_key: users::username_key(pool, &username),
        username,
        status,
        enabled: true,
        password_hash: None,
        srp_salt: None,
        srp_verifier: None,
        attributes,
        created_at: now,
        updated_at: now,
    })
}

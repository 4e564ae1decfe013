//! Self-service with an access token: UpdateUserAttributes, DeleteUserAttributes, DeleteUser,
//! GetUserAttributeVerificationCode, VerifyUserAttribute, SetUserSettings, GlobalSignOut, and
//! RevokeToken.

use super::users::set_mfa_options;
use super::{deliveries, domain_attributes, Bearer, Public};
use crate::service::directory::attributes::Writer;
use crate::service::directory::{aliases, attributes, clients, codes, pending, pools, profile};
use crate::service::kernel::crypto;
use crate::service::tokens::claims::AccessClaims;
use crate::service::tokens::refresh::token_hash;
use crate::service::{fail, invalid_parameter, now_ms, Exception, Result, State};
use crate::store::pools::PoolRecord;
use crate::store::tokens as token_store;
use crate::store::users::{self as user_store, UserRecord};
use crate::types::account::*;
use crate::types::users::AccessTokenRequest;
use crate::types::Empty;

/// The caller's token claims, pool and user.
async fn caller(state: &State, caller: Bearer) -> Result<(AccessClaims, PoolRecord, UserRecord)> {
    let Bearer(auth) = caller;
    let pool = pools::load(state, &auth.user.pool_id).await?;
    Ok((auth.claims, pool, auth.user))
}

pub async fn update_user_attributes(
    state: &State,
    who: Bearer,
    req: UpdateUserAttributesRequest,
) -> Result<UpdateUserAttributesResponse> {
    let (claims, pool, mut user) = caller(state, who).await?;
    let client = clients::load(state, &claims.client_id).await?;
    clients::check_writable(&client, req.user_attributes.iter().map(|a| a.name.as_str()))?;
    let given = domain_attributes(&req.user_attributes);
    let sent = profile::update(state, &pool, &mut user, Writer::User, &given).await?;
    Ok(UpdateUserAttributesResponse {
        code_delivery_details_list: deliveries(sent),
    })
}

pub async fn delete_user_attributes(
    state: &State,
    who: Bearer,
    req: DeleteUserAttributesRequest,
) -> Result<Empty> {
    let (claims, pool, mut user) = caller(state, who).await?;
    let client = clients::load(state, &claims.client_id).await?;
    clients::check_writable(&client, req.user_attribute_names.iter().map(String::as_str))?;
    attributes::delete_names(&pool, &mut user, &req.user_attribute_names)?;
    user.updated_at = now_ms();
    user_store::update_status(&state.db, &user, None).await?;
    Ok(Empty {})
}

pub async fn delete_user(state: &State, who: Bearer, _: AccessTokenRequest) -> Result<Empty> {
    let (_, pool, user) = caller(state, who).await?;
    user_store::delete(&state.db, &pool.id, &user.sub).await?;
    Ok(Empty {})
}

pub async fn get_user_attribute_verification_code(
    state: &State,
    who: Bearer,
    req: AttributeNameRequest,
) -> Result<CodeDeliveryReply> {
    let (_, pool, user) = caller(state, who).await?;
    let destination = verifiable_value(state, &user, &req.attribute_name).await?;
    let sent = pending::send_code(state, &pool, &user, &req.attribute_name, &destination).await?;
    Ok(CodeDeliveryReply {
        code_delivery_details: sent.into(),
    })
}

/// The value a code for `name` verifies: a new value waiting for verification, else the
/// current one.
async fn verifiable_value(state: &State, user: &UserRecord, name: &str) -> Result<String> {
    if attributes::medium_of(name).is_none() {
        return invalid_parameter(format!("Attribute {name} cannot be verified."));
    }
    let waiting = pending::load(state, user).await?.remove(name);
    match waiting.or_else(|| user.attributes.get(name).cloned()) {
        Some(v) => Ok(v),
        None => invalid_parameter(format!(
            "User does not have a value for the attribute {name}."
        )),
    }
}

pub async fn verify_user_attribute(
    state: &State,
    who: Bearer,
    req: VerifyUserAttributeRequest,
) -> Result<Empty> {
    let (_, pool, mut user) = caller(state, who).await?;
    let name = req.attribute_name.as_str();
    let value = verifiable_value(state, &user, name).await?;
    let key = attributes::verify_key(name);
    codes::check(state, &user, &key, &req.code).await?;
    user.attributes.insert(name.to_string(), value);
    user.attributes
        .insert(format!("{name}_verified"), "true".into());
    user.updated_at = now_ms();
    aliases::check_unique(state, &pool, &user, false).await?;
    if !user_store::update_status(&state.db, &user, Some(&key)).await? {
        return fail(
            Exception::ExpiredCode,
            "Invalid code provided, please request a code again.",
        );
    }
    pending::release(state, &user, name).await?;
    Ok(Empty {})
}

pub async fn set_user_settings(
    state: &State,
    who: Bearer,
    req: SetUserSettingsRequest,
) -> Result<Empty> {
    let (_, _, mut user) = caller(state, who).await?;
    set_mfa_options(state, &mut user, &req.mfa_options).await?;
    Ok(Empty {})
}

pub async fn global_sign_out(state: &State, who: Bearer, _: AccessTokenRequest) -> Result<Empty> {
    let (_, pool, user) = caller(state, who).await?;
    token_store::revoke_all_for_user(&state.db, &pool.id, &user.sub, now_ms()).await?;
    Ok(Empty {})
}

/// RevokeToken: revokes a refresh token and, through its session, the access tokens issued
/// with it. Unknown tokens are not an error (RFC 7009).
pub async fn revoke_token(state: &State, _: Public, req: RevokeTokenRequest) -> Result<Empty> {
    let client = clients::load(state, &req.client_id).await?;
    if let Some(secret) = &client.secret {
        let given = req.client_secret.as_deref().unwrap_or_default();
        if !crypto::constant_time_eq(given, secret) {
            return fail(Exception::Unauthorized, "Invalid client secret.");
        }
    }
    if client.settings.enable_token_revocation == Some(false) {
        return fail(
            Exception::Unsupported,
            "Token revocation is not enabled for this client.",
        );
    }
    if req.token.split('.').count() == 3 {
        return fail(
            Exception::UnsupportedTokenType,
            "Only refresh tokens can be revoked.",
        );
    }
    let hash = token_hash(&req.token);
    match token_store::find_by_hash(&state.db, &hash).await? {
        Some(row) if row.client_id != client.id => fail(
            Exception::Unauthorized,
            "The token was not issued to this client.",
        ),
        Some(_) => {
            token_store::revoke(&state.db, &hash, now_ms()).await?;
            Ok(Empty {})
        }
        None => Ok(Empty {}),
    }
}

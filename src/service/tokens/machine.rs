//! Access tokens for machines (the client_credentials grant): no user, the client as
//! subject, only the custom scopes it was granted.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::service::directory::{clients, keys};
use crate::service::kernel::ids;
use crate::service::triggers::{self, auth::no_metadata, tokens as trigger, Context};
use crate::service::{blocking, now_ms, Error, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;

#[derive(Serialize)]
struct MachineClaims {
    sub: String,
    token_use: &'static str,
    scope: String,
    auth_time: i64,
    iss: String,
    exp: i64,
    iat: i64,
    version: i64,
    jti: String,
    client_id: String,
}

/// A signed access token for `client` with `scope`, and its lifetime in seconds.
pub async fn issue(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    scope: &str,
) -> Result<(String, i64)> {
    let (life, _, _) = clients::token_lifetimes(&client.settings);
    let now_s = now_ms() / 1000;
    let claims = MachineClaims {
        sub: client.id.clone(),
        token_use: "access",
        scope: scope.to_string(),
        auth_time: now_s,
        iss: state.issuer(&pool.id),
        exp: now_s + life,
        iat: now_s,
        version: 2,
        jti: ids::uuid(),
        client_id: client.id.clone(),
    };
    let claims = customize(state, (pool, client), claims).await?;
    let pool_keys = keys::for_pool(state, &pool.id).await?;
    let token = blocking(move || pool_keys.access.sign(&claims))
        .await?
        .map_err(Error::Internal)?;
    Ok((token, life))
}

/// The claims as the pool's PreTokenGeneration (event version 3) changes them.
async fn customize(
    state: &State,
    (pool, client): (&PoolRecord, &ClientRecord),
    claims: MachineClaims,
) -> Result<Map<String, Value>> {
    let Value::Object(mut map) =
        serde_json::to_value(&claims).map_err(|e| Error::Internal(e.into()))?
    else {
        return Err(Error::Internal(anyhow::anyhow!("claims are an object")));
    };
    if !triggers::configured(pool, triggers::Trigger::PreTokenGeneration) {
        return Ok(map);
    }
    let ctx = Context {
        pool,
        client_id: Some(&client.id),
        user_name: &client.id,
        client_metadata: no_metadata(),
    };
    let scopes: Vec<String> = claims.scope.split_whitespace().map(String::from).collect();
    let Some(change) = trigger::pre_token_generation_machine(state, &ctx, &scopes).await? else {
        return Ok(map);
    };
    trigger::apply(&change, &mut map);
    let scopes = trigger::scopes(&change, scopes);
    map.insert("scope".into(), scopes.join(" ").into());
    Ok(map)
}

//! REFRESH_TOKEN_AUTH: new ID and access tokens for the session a refresh token belongs to.

use std::collections::HashMap;

use super::params::required_param;
use super::step::Step;
use crate::service::directory::clients;
use crate::service::tokens::refresh as refresh_tokens;
use crate::service::{invalid_parameter, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;

pub async fn refresh(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &HashMap<String, String>,
    meta: &HashMap<String, String>,
) -> Result<Step> {
    let token = required_param(params, "REFRESH_TOKEN")?;
    if refresh_tokens::rotation(client).is_some() {
        return invalid_parameter(
            "Refresh token rotation is enabled for this client: refresh with GetTokensFromRefreshToken.",
        );
    }
    let (row, user) = refresh_tokens::find_refresh_token(state, client, token).await?;
    // The hash may be over the username or, for apps that only kept the token, the sub.
    let username = params
        .get("USERNAME")
        .map(String::as_str)
        .unwrap_or(&user.username);
    clients::check_secret_hash(
        client,
        params.get("SECRET_HASH").map(String::as_str),
        &[username, &user.username, &user.sub],
    )?;
    let issued = refresh_tokens::refresh_with(state, pool, client, row, &user, meta).await?;
    Ok(Step::Tokens(issued))
}

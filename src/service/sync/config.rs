//! GetIdentityPoolConfiguration and SetIdentityPoolConfiguration: the pool's PushSync (the
//! SNS platform applications pushes go through) and CognitoStreams (the stream every change
//! is published to), kept as AWS shapes them.

use super::Admin;
use crate::service::identity::load_pool;
use crate::service::{fail, now_ms, Error, Exception, Result, State};
use crate::store::sync_config::{self as store, PoolConfigRecord};
use crate::types::sync::{
    CognitoStreams, IdentityPoolConfiguration, PoolPath, PushSync,
    SetIdentityPoolConfigurationRequest,
};

/// The pool's configuration row (a default one when never set); the pool must exist.
pub async fn load_config(state: &State, pool_id: &str) -> Result<PoolConfigRecord> {
    load_pool(state, pool_id).await?;
    Ok(store::find_config(&state.db, pool_id)
        .await?
        .unwrap_or_else(|| PoolConfigRecord {
            identity_pool_id: pool_id.to_string(),
            ..Default::default()
        }))
}

fn document<T: serde::de::DeserializeOwned>(text: &Option<String>) -> Result<Option<T>> {
    text.as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| Error::Internal(e.into()))
}

fn text<T: serde::Serialize>(doc: &T) -> Result<String> {
    serde_json::to_string(doc).map_err(|e| Error::Internal(e.into()))
}

/// The pool's CognitoStreams, if any.
pub fn streams_of(config: &PoolConfigRecord) -> Result<Option<CognitoStreams>> {
    document(&config.cognito_streams)
}

/// The pool's PushSync, if any (push delivery reads it).
pub fn push_sync_of(config: &PoolConfigRecord) -> Result<Option<PushSync>> {
    document(&config.push_sync)
}

fn reply(config: &PoolConfigRecord) -> Result<IdentityPoolConfiguration> {
    Ok(IdentityPoolConfiguration {
        identity_pool_id: config.identity_pool_id.clone(),
        push_sync: push_sync_of(config)?,
        cognito_streams: streams_of(config)?,
    })
}

pub async fn get_identity_pool_configuration(
    state: &State,
    _: Admin,
    req: PoolPath,
) -> Result<IdentityPoolConfiguration> {
    reply(&load_config(state, &req.identity_pool_id).await?)
}

pub async fn set_identity_pool_configuration(
    state: &State,
    _: Admin,
    req: SetIdentityPoolConfigurationRequest,
) -> Result<IdentityPoolConfiguration> {
    let mut config = load_config(state, &req.identity_pool_id).await?;
    if let Some(push) = &req.push_sync {
        config.push_sync = Some(text(push)?);
    }
    if let Some(streams) = req.cognito_streams {
        config.cognito_streams = Some(text(&checked_streams(state, streams)?)?);
    }
    config.updated_at = now_ms();
    store::save_config(&state.db, &config).await?;
    reply(&config)
}

/// A stream must name a configured sink; naming one enables it unless told otherwise.
fn checked_streams(state: &State, mut streams: CognitoStreams) -> Result<CognitoStreams> {
    if let Some(name) = &streams.stream_name {
        if !state.sync_streams.knows(name) {
            return fail(
                Exception::InvalidParameter,
                format!(
                    "The stream {name:?} does not exist: map it to a webhook URL with \
                     COGNATE_SYNC_STREAM_URLS."
                ),
            );
        }
        if streams.streaming_status.is_none() {
            streams.streaming_status = Some("ENABLED".into());
        }
    }
    Ok(streams)
}

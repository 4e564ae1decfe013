//! Cognito Events: GetCognitoEvents, SetCognitoEvents, and the SyncTrigger they configure:
//! the function sees each UpdateRecords of an identity before it is stored (old and new
//! values) and answers with the records to store instead, as Cognito documents.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::config::load_config;
use super::update::Change;
use super::Admin;
use crate::service::outbound::lambda::InvokeError;
use crate::service::{fail, invalid_parameter, now_ms, Error, Exception, Result, State};
use crate::store::sync::SyncRecord;
use crate::store::sync_config as store;
use crate::types::sync::{GetCognitoEventsResponse, PoolPath, SetCognitoEventsRequest};

pub const SYNC_TRIGGER: &str = "SyncTrigger";
const MAX_KEY: usize = 1024;
const MAX_VALUE: usize = 1_048_575;

pub async fn get_cognito_events(
    state: &State,
    _: Admin,
    req: PoolPath,
) -> Result<GetCognitoEventsResponse> {
    let config = load_config(state, &req.identity_pool_id).await?;
    Ok(GetCognitoEventsResponse {
        events: events_of(&config.events)?,
    })
}

pub async fn set_cognito_events(
    state: &State,
    _: Admin,
    req: SetCognitoEventsRequest,
) -> Result<crate::types::Empty> {
    for (event, arn) in &req.events {
        if event != SYNC_TRIGGER {
            return invalid_parameter(format!(
                "Unknown Cognito event {event:?}; the only event is {SYNC_TRIGGER}."
            ));
        }
        if !arn.is_empty() && !arn.starts_with("arn:aws:lambda:") {
            return invalid_parameter(format!("{arn:?} is not a Lambda function ARN."));
        }
    }
    let mut config = load_config(state, &req.identity_pool_id).await?;
    let events: BTreeMap<_, _> = req
        .events
        .into_iter()
        .filter(|(_, a)| !a.is_empty())
        .collect();
    config.events = if events.is_empty() {
        None
    } else {
        Some(serde_json::to_string(&events).map_err(|e| Error::Internal(e.into()))?)
    };
    config.updated_at = now_ms();
    store::save_config(&state.db, &config).await?;
    Ok(crate::types::Empty {})
}

fn events_of(text: &Option<String>) -> Result<BTreeMap<String, String>> {
    match text {
        Some(t) => serde_json::from_str(t).map_err(|e| Error::Internal(e.into())),
        None => Ok(BTreeMap::new()),
    }
}

/// The pool's SyncTrigger function, if one is set.
pub async fn sync_trigger_of(state: &State, pool_id: &str) -> Result<Option<String>> {
    let config = store::find_config(&state.db, pool_id).await?;
    let events = events_of(&config.and_then(|c| c.events))?;
    Ok(events.get(SYNC_TRIGGER).cloned())
}

/// What the dataset is about to be told: where a write is going.
pub struct Pending<'a> {
    pub pool_id: &'a str,
    pub identity_id: &'a str,
    pub dataset_name: &'a str,
    pub current: &'a BTreeMap<String, Option<SyncRecord>>,
}

/// Invokes the SyncTrigger with the write and returns the changes its answer asks for.
pub async fn run_sync_trigger(
    state: &State,
    arn: &str,
    pending: &Pending<'_>,
    changes: &[Change],
) -> Result<Vec<Change>> {
    let mut records = Map::new();
    for c in changes {
        let old = pending
            .current
            .get(&c.key)
            .and_then(|r| r.as_ref())
            .and_then(|r| r.value.clone());
        let op = if c.value.is_some() {
            "replace"
        } else {
            "remove"
        };
        records.insert(
            c.key.clone(),
            json!({"oldValue": old, "newValue": c.value, "op": op}),
        );
    }
    let event = json!({
        "version": 2,
        "eventType": SYNC_TRIGGER,
        "region": state.region,
        "identityPoolId": pending.pool_id,
        "identityId": pending.identity_id,
        "datasetName": pending.dataset_name,
        "datasetRecords": records,
    });
    let answer = state
        .triggers
        .invoke(arn, &event)
        .await
        .map_err(|e| match e {
            InvokeError::Function(message) => Error::Cognito {
                kind: Exception::InvalidLambdaFunctionOutput,
                message,
            },
            InvokeError::Invalid => invalid_output("The SyncTrigger answered with no event."),
            InvokeError::Unreachable(cause) => Error::Cognito {
                kind: Exception::LambdaThrottled,
                message: cause,
            },
        })?;
    returned_changes(&answer, changes)
}

fn invalid_output(message: &str) -> Error {
    Error::Cognito {
        kind: Exception::InvalidLambdaFunctionOutput,
        message: message.to_string(),
    }
}

/// The records of the function's answer as changes; device dates carry over by key.
fn returned_changes(answer: &Value, sent: &[Change]) -> Result<Vec<Change>> {
    let Some(records) = answer.get("datasetRecords").and_then(Value::as_object) else {
        return Err(invalid_output(
            "The SyncTrigger's answer has no datasetRecords.",
        ));
    };
    let mut out = Vec::with_capacity(records.len());
    for (key, record) in records {
        let op = record
            .get("op")
            .and_then(Value::as_str)
            .unwrap_or("replace");
        let value = match op {
            "remove" => None,
            "replace" => match record.get("newValue") {
                Some(Value::String(v)) => Some(v.clone()),
                _ => return Err(invalid_output("A replaced record needs a string newValue.")),
            },
            _ => return Err(invalid_output("A record's op is replace or remove.")),
        };
        if key.is_empty()
            || key.len() > MAX_KEY
            || value.as_ref().is_some_and(|v| v.len() > MAX_VALUE)
        {
            return fail(
                Exception::InvalidLambdaFunctionOutput,
                format!("The SyncTrigger's record {key:?} is outside Cognito's limits."),
            );
        }
        let device_at = sent
            .iter()
            .find(|c| &c.key == key)
            .and_then(|c| c.device_at);
        out.push(Change {
            key: key.clone(),
            value,
            device_at,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_decides_what_is_stored() {
        let sent = vec![Change {
            key: "a".into(),
            value: Some("1".into()),
            device_at: Some(5),
        }];
        let answer = json!({"datasetRecords": {
            "a": {"newValue": "2", "op": "replace"},
            "b": {"newValue": "added", "op": "replace"},
            "c": {"op": "remove"}}});
        let changes = returned_changes(&answer, &sent).unwrap();
        assert_eq!(changes.len(), 3);
        assert_eq!(changes[0].value.as_deref(), Some("2"));
        assert_eq!(changes[0].device_at, Some(5));
        assert_eq!(changes[1].value.as_deref(), Some("added"));
        assert_eq!(changes[2].value, None);
        assert!(returned_changes(&json!({}), &sent).is_err());
        let bad = json!({"datasetRecords": {"a": {"op": "replace", "newValue": 3}}});
        assert!(returned_changes(&bad, &sent).is_err());
    }
}

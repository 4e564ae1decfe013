//! Every operation of every model broken one constraint at a time, by the integration test's
//! own case generator (which reads the model JSON, not this validator), answered as it
//! expects. cognito-sync's cases go through `route` first, as its HTTP requests will.

use serde_json::{Map, Value};

use super::{model, Service};

#[path = "../../../../tests/api/model_validation/cases.rs"]
#[allow(dead_code)]
mod cases;

fn model_json(service: Service) -> Value {
    let text = match service {
        Service::Idp => include_str!("cognito-idp.json"),
        Service::Identity => include_str!("cognito-identity.json"),
        Service::Sync => include_str!("cognito-sync.json"),
    };
    serde_json::from_str(text).unwrap()
}

fn verdict(case: &cases::Case, got: Result<(), super::Rejection>) -> Option<String> {
    let err = match got {
        Ok(()) => return Some(format!("{} {}: accepted", case.op, case.what)),
        Err(e) => e,
    };
    let noun = if case.count == 1 { "error" } else { "errors" };
    let count_ok = case.code != "InvalidParameterException"
        || err
            .message
            .starts_with(&format!("{} validation {noun} detected: ", case.count));
    let missing: Vec<&String> = case
        .clauses
        .iter()
        .filter(|c| !err.message.contains(c.as_str()))
        .collect();
    if err.code == case.code && count_ok && missing.is_empty() {
        return None;
    }
    Some(format!(
        "{} {}: got {} {:?}, missing {missing:?}",
        case.op, case.what, err.code, err.message
    ))
}

#[test]
fn every_json_operation_rejects_each_broken_constraint_as_expected() {
    for service in [Service::Idp, Service::Identity] {
        let doc = model_json(service);
        let all = cases::cases(&doc);
        let failures: Vec<String> = all
            .iter()
            .filter_map(|c| verdict(c, model(service).check(&c.op, &c.input)))
            .collect();
        assert!(
            failures.is_empty(),
            "{service:?}: {} of {} cases wrong:\n{}",
            failures.len(),
            all.len(),
            failures[..failures.len().min(25)].join("\n")
        );
        let covered: std::collections::BTreeSet<&str> = all.iter().map(|c| c.op.as_str()).collect();
        let bare: Vec<&str> = model(service)
            .operations()
            .filter(|op| !covered.contains(op))
            .collect();
        assert!(bare.is_empty(), "{service:?}: no case for {bare:?}");
        assert!(
            all.len() > 500 || service == Service::Identity,
            "{service:?}: {} cases",
            all.len()
        );
    }
}

/// The HTTP request a sync case stands for, or None when HTTP cannot carry it (a label of
/// the wrong type or left out, a query parameter's JSON type).
fn request(doc: &Value, case: &cases::Case) -> Option<(String, String, String, Vec<u8>)> {
    let op = &doc["operations"][&case.op];
    let input_shape = &doc["shapes"][op["input"].as_str()?];
    let mut path = op["http"]["requestUri"].as_str()?.to_string();
    let mut query = Vec::new();
    let mut body: Map<String, Value> = case.input.as_object()?.clone();
    for member in input_shape["members"].as_array()? {
        let name = member["name"].as_str()?;
        let wire = member["locationName"].as_str().unwrap_or(name);
        let located = member.get("location").and_then(Value::as_str);
        if located.is_some() && case.keys[0] == name && case.code == "SerializationException" {
            return None;
        }
        let value = body.remove(name);
        match (located, value) {
            (Some("uri"), Some(Value::String(v))) if !v.is_empty() => {
                path = path.replace(
                    &format!("{{{wire}}}"),
                    &v.replace(':', "%3A").replace(' ', "%20"),
                );
            }
            (Some("uri"), _) => return None,
            (Some("querystring"), Some(v)) => query.push(format!("{wire}={}", cases_text(&v)?)),
            (Some(_), _) => {}
            (None, Some(v)) => drop(body.insert(name.to_string(), v)),
            (None, None) => {}
        }
    }
    let method = op["http"]["method"].as_str()?.to_string();
    Some((
        method,
        path,
        query.join("&"),
        serde_json::to_vec(&body).ok()?,
    ))
}

fn cases_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if s.chars().all(|c| c.is_ascii_alphanumeric()) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[test]
fn every_sync_operation_rejects_each_broken_constraint_through_its_route() {
    let doc = model_json(Service::Sync);
    let sync = model(Service::Sync);
    let mut tried = 0;
    let mut failures = Vec::new();
    for case in cases::cases(&doc) {
        let Some((method, path, query, body)) = request(&doc, &case) else {
            continue;
        };
        tried += 1;
        let routed = sync.route(&method, &path, &query, &body);
        let got = match routed {
            None => Err(super::Rejection {
                code: "NoRoute",
                message: format!("{method} {path}"),
            }),
            Some(Err(e)) => Err(e),
            Some(Ok((op, input))) if op == case.op => sync.check(&op, &input),
            Some(Ok((op, _))) => Err(super::Rejection {
                code: "WrongRoute",
                message: op,
            }),
        };
        failures.extend(verdict(&case, got));
    }
    assert!(
        failures.is_empty(),
        "{} of {tried} wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(tried > 40, "{tried} sync cases");
}

//! REST-JSON routing (cognito-sync): an HTTP method and path matched against the model's
//! `requestUri` templates, and the operation input assembled from labels, query and body.

use serde_json::{Map, Value};

use super::schema::{Kind, Member, Schema, Structure};
use super::types::serialization;
use super::Rejection;

type Labels = Vec<(String, String)>;

enum Segment<'a> {
    Literal(&'a str),
    Label(&'a str),
    /// `{Name+}`: the rest of the path.
    Greedy(&'a str),
}

fn template(uri: &str) -> (Vec<Segment<'_>>, Vec<&str>) {
    let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
    let segments = path
        .trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(label) => match label.strip_suffix('+') {
                    Some(greedy) => Segment::Greedy(greedy),
                    None => Segment::Label(label),
                },
                None => Segment::Literal(s),
            },
        )
        .collect();
    let required = query.split('&').filter(|q| !q.is_empty()).collect();
    (segments, required)
}

/// The labels a path binds to a template, or None when it does not fit.
fn bind(segments: &[Segment<'_>], path: &str) -> Option<Vec<(String, String)>> {
    let parts: Vec<&str> = path
        .trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let mut labels = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        match segment {
            Segment::Literal(lit) => (parts.get(i)? == lit).then_some(())?,
            Segment::Label(name) => labels.push((name.to_string(), decode(parts.get(i)?, false))),
            Segment::Greedy(name) => {
                let rest = parts.get(i..).filter(|r| !r.is_empty())?;
                labels.push((name.to_string(), decode(&rest.join("/"), false)));
                return Some(labels);
            }
        }
    }
    (parts.len() == segments.len()).then_some(labels)
}

pub(crate) fn route(
    schema: &Schema,
    method: &str,
    path: &str,
    query: &str,
    body: &[u8],
) -> Option<Result<(String, Value), Rejection>> {
    let params = parse_query(query);
    // (literal segments, operation, labels): the most specific template wins.
    let mut best: Option<(usize, &str, Labels)> = None;
    for (name, op) in &schema.operations {
        if !op.method.eq_ignore_ascii_case(method) {
            continue;
        }
        let (segments, required) = template(&op.request_uri);
        if !required.iter().all(|q| {
            params
                .iter()
                .any(|(k, _)| k == q.split('=').next().unwrap_or(q))
        }) {
            continue;
        }
        let Some(labels) = bind(&segments, path) else {
            continue;
        };
        let literals = segments
            .iter()
            .filter(|s| matches!(s, Segment::Literal(_)))
            .count();
        if best.as_ref().is_none_or(|(n, _, _)| literals > *n) {
            best = Some((literals, name.as_str(), labels));
        }
    }
    let (_, name, labels) = best?;
    Some(assemble(schema, name, labels, &params, body).map(|input| (name.to_string(), input)))
}

fn assemble(
    schema: &Schema,
    op: &str,
    labels: Vec<(String, String)>,
    params: &[(String, String)],
    body: &[u8],
) -> Result<Value, Rejection> {
    let Some(st) = input_structure(schema, op) else {
        return Ok(Value::Object(Map::new()));
    };
    let mut input = match super::parse_body(body)? {
        Value::Object(map) => map,
        Value::Array(_) => return Err(serialization("Start of list found where not expected", "")),
        _ => return Err(serialization("The request body must be a JSON object", "")),
    };
    // Members bound elsewhere in the request are not read from the body.
    input.retain(|k, _| {
        st.members
            .iter()
            .all(|m| &m.name != k || m.location.is_none())
    });
    for member in &st.members {
        let wire = member.location_name.as_deref().unwrap_or(&member.name);
        match member.location.as_deref() {
            Some("uri") => {
                if let Some((_, v)) = labels.iter().find(|(k, _)| k == wire) {
                    input.insert(member.name.clone(), Value::String(v.clone()));
                }
            }
            Some("querystring") => {
                if let Some(v) = query_value(schema, member, params)? {
                    input.insert(member.name.clone(), v);
                }
            }
            _ => {}
        }
    }
    Ok(Value::Object(input))
}

fn input_structure<'a>(schema: &'a Schema, op: &str) -> Option<&'a Structure> {
    let id = schema.operations.get(op)?.input?;
    match &schema.shapes[id].kind {
        Kind::Structure(st) => Some(st),
        _ => None,
    }
}

/// A query parameter converted to the member's JSON type.
fn query_value(
    schema: &Schema,
    member: &Member,
    params: &[(String, String)],
) -> Result<Option<Value>, Rejection> {
    let wire = member.location_name.as_deref().unwrap_or(&member.name);
    let values: Vec<&str> = params
        .iter()
        .filter(|(k, _)| k == wire)
        .map(|(_, v)| v.as_str())
        .collect();
    let shape = &schema.shapes[member.shape];
    if let Kind::List(item) = shape.kind {
        if values.is_empty() {
            return Ok(None);
        }
        let items: Result<Vec<Value>, Rejection> = values
            .iter()
            .map(|v| scalar(&schema.shapes[item].kind, v, &member.path_name))
            .collect();
        return items.map(|items| Some(Value::Array(items)));
    }
    values
        .first()
        .map(|v| scalar(&shape.kind, v, &member.path_name))
        .transpose()
}

fn scalar(kind: &Kind, text: &str, path: &str) -> Result<Value, Rejection> {
    let fail = |target: &str| {
        serialization(
            &format!("STRING_VALUE can not be converted to {target}"),
            path,
        )
    };
    match kind {
        Kind::Integer => text
            .parse::<i32>()
            .map(Value::from)
            .map_err(|_| fail("an Integer")),
        Kind::Long => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| fail("a Long")),
        Kind::Float(name) => text.parse::<f64>().map(Value::from).map_err(|_| fail(name)),
        Kind::Boolean => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(fail("a Boolean")),
        },
        Kind::Timestamp => text
            .parse::<f64>()
            .map(Value::from)
            .map_err(|_| fail("milliseconds since epoch")),
        _ => Ok(Value::String(text.to_string())),
    }
}

pub(crate) fn header_members<'a>(schema: &'a Schema, op: &str) -> Vec<(&'a str, &'a str)> {
    let Some(st) = input_structure(schema, op) else {
        return Vec::new();
    };
    st.members
        .iter()
        .filter(|m| m.location.as_deref() == Some("header"))
        .map(|m| {
            (
                m.name.as_str(),
                m.location_name.as_deref().unwrap_or(&m.name),
            )
        })
        .collect()
}

fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k, true), decode(v, true))
        })
        .collect()
}

/// Percent-decoding (and `+` as a space in query strings); invalid escapes stay as they are.
fn decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
                continue;
            }
            (b'+', _) if plus_is_space => out.push(b' '),
            (b, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

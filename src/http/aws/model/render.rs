//! How AWS's (Java) validator prints values and constraints in its messages.

use serde_json::Value;

use super::schema::{java_hash_order, Kind, Schema, Shape, ShapeId};

const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// The value part of `Value '…' at 'path'`: shown, `null`, or left out for sensitive data.
pub(crate) enum Shown {
    Text(String),
    Null,
    Hidden,
}

pub(crate) fn violation(shown: &Shown, path: &str, constraint: &str) -> String {
    match shown {
        Shown::Text(text) => {
            format!("Value '{text}' at '{path}' failed to satisfy constraint: {constraint}")
        }
        Shown::Null => format!("Value null at '{path}' failed to satisfy constraint: {constraint}"),
        Shown::Hidden => format!("Value at '{path}' failed to satisfy constraint: {constraint}"),
    }
}

impl Schema {
    /// A shape's value is left out of messages when it, or what it holds, is sensitive.
    pub(crate) fn hides(&self, id: ShapeId) -> bool {
        let shape = &self.shapes[id];
        shape.sensitive
            || match shape.kind {
                Kind::List(member) => self.shapes[member].sensitive,
                Kind::Map(key, value) => self.shapes[key].sensitive || self.shapes[value].sensitive,
                _ => false,
            }
    }

    pub(crate) fn shown(&self, id: ShapeId, value: &Value) -> Shown {
        if self.hides(id) {
            Shown::Hidden
        } else {
            Shown::Text(self.java_string(id, value))
        }
    }

    /// Java's `toString()` of the deserialised value: lists `[a, b]`, maps `{k=v}` in
    /// `HashMap` order, structures `Name(member=value, …)`, blobs as a `ByteBuffer`.
    pub(crate) fn java_string(&self, id: ShapeId, value: &Value) -> String {
        let shape = &self.shapes[id];
        match (&shape.kind, value) {
            (_, Value::Null) => "null".to_string(),
            (Kind::Blob, Value::String(s)) => {
                let n = super::validate::base64_len(s).unwrap_or(0);
                format!("java.nio.HeapByteBuffer[pos=0 lim={n} cap={n}]")
            }
            (Kind::List(member), Value::Array(items)) => {
                let parts: Vec<String> =
                    items.iter().map(|v| self.java_string(*member, v)).collect();
                format!("[{}]", parts.join(", "))
            }
            (Kind::Map(_, val), Value::Object(map)) => {
                let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                let parts: Vec<String> = java_hash_order(&keys)
                    .into_iter()
                    .map(|i| format!("{}={}", keys[i], self.java_string(*val, &map[keys[i]])))
                    .collect();
                format!("{{{}}}", parts.join(", "))
            }
            (Kind::Structure(st), Value::Object(map)) => {
                let parts: Vec<String> = st
                    .members
                    .iter()
                    .map(|m| {
                        let v = map.get(&m.name).unwrap_or(&Value::Null);
                        let text = if self.shapes[m.shape].sensitive && !v.is_null() {
                            REDACTED.to_string()
                        } else {
                            self.java_string(m.shape, v)
                        };
                        format!("{}={text}", m.path_name)
                    })
                    .collect();
                format!("{}({})", shape.name, parts.join(", "))
            }
            (_, Value::String(s)) => s.clone(),
            (_, other) => other.to_string(),
        }
    }
}

/// Every constraint of a shape, as listed inside `Member must satisfy constraint: [...]`.
pub(crate) fn all_constraints(shape: &Shape) -> Vec<String> {
    let mut out = Vec::new();
    let numeric = matches!(shape.kind, Kind::Integer | Kind::Long | Kind::Float(_));
    let what = if numeric { "value" } else { "length" };
    if let Some(max) = shape.max {
        out.push(format!(
            "Member must have {what} less than or equal to {max}"
        ));
    }
    if let Some(min) = shape.min {
        out.push(format!(
            "Member must have {what} greater than or equal to {min}"
        ));
    }
    if let Some(p) = &shape.pattern {
        out.push(pattern_phrase(&p.source));
    }
    if !shape.enum_values.is_empty() {
        out.push(enum_phrase(&shape.enum_values));
    }
    out
}

pub(crate) fn pattern_phrase(source: &str) -> String {
    format!("Member must satisfy regular expression pattern: {source}")
}

pub(crate) fn enum_phrase(values: &[String]) -> String {
    format!(
        "Member must satisfy enum value set: [{}]",
        values.join(", ")
    )
}

pub(crate) fn bracket(prefix: &str, phrases: &[String]) -> String {
    format!("{prefix} must satisfy constraint: [{}]", phrases.join(", "))
}

//! The second pass, AWS's constraint validator: `N validation error(s) detected: …`.

use serde_json::{Map, Value};

use super::render::{all_constraints, bracket, enum_phrase, pattern_phrase, violation, Shown};
use super::schema::{java_hash_order, Kind, Schema, Shape, ShapeId, Structure};
use super::Rejection;

/// AWS stops collecting after ten violations and reports ten.
const MAX_ERRORS: usize = 10;

pub(crate) struct Violations(Vec<String>);

impl Violations {
    pub(crate) fn new() -> Violations {
        Violations(Vec::new())
    }

    fn full(&self) -> bool {
        self.0.len() >= MAX_ERRORS
    }

    fn push(&mut self, message: String) {
        if !self.full() {
            self.0.push(message);
        }
    }

    pub(crate) fn into_result(self) -> Result<(), Rejection> {
        let n = self.0.len();
        if n == 0 {
            return Ok(());
        }
        let noun = if n == 1 { "error" } else { "errors" };
        Err(Rejection {
            code: "InvalidParameterException",
            message: format!("{n} validation {noun} detected: {}", self.0.join("; ")),
        })
    }
}

pub(crate) fn item_path(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}.{name}")
    }
}

/// The decoded length of standard Base64 text, or None when it is not valid Base64.
pub(crate) fn base64_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let pad = bytes.iter().rev().take_while(|&&b| b == b'=').count();
    let body = &bytes[..bytes.len() - pad];
    let valid = |b: &u8| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/';
    if pad > 2 || !body.iter().all(valid) {
        return None;
    }
    Some(bytes.len() / 4 * 3 - pad)
}

/// A scalar's length as the model's min/max count it: Unicode code points for strings (the
/// Smithy rule), decoded bytes for blobs, elements for lists and entries for maps.
fn length(shape: &Shape, value: &Value) -> Option<i64> {
    let n = match (&shape.kind, value) {
        (Kind::Blob, Value::String(s)) => base64_len(s)?,
        (_, Value::String(s)) => s.chars().count(),
        (_, Value::Array(items)) => items.len(),
        (_, Value::Object(map)) => map.len(),
        _ => return None,
    };
    i64::try_from(n).ok()
}

/// The constraints one value breaks, in the order AWS lists them: pattern, then length or
/// range, then enum.
pub(crate) fn failures(shape: &Shape, value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some(p), Value::String(s)) = (&shape.pattern, value) {
        if !p.matches(s) {
            out.push(pattern_phrase(&p.source));
        }
    }
    if let Value::Number(n) = value {
        range_failures(shape, n, &mut out);
    } else if let Some(len) = length(shape, value) {
        if let Some(max) = shape.max.filter(|&max| len > max) {
            out.push(format!(
                "Member must have length less than or equal to {max}"
            ));
        }
        if let Some(min) = shape.min.filter(|&min| len < min) {
            out.push(format!(
                "Member must have length greater than or equal to {min}"
            ));
        }
    }
    if let (false, Value::String(s)) = (shape.enum_values.is_empty(), value) {
        if !shape.enum_values.contains(s) {
            out.push(enum_phrase(&shape.enum_values));
        }
    }
    out
}

fn range_failures(shape: &Shape, n: &serde_json::Number, out: &mut Vec<String>) {
    let v = n.as_f64().unwrap_or(0.0);
    let whole = n
        .as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from));
    let above = |max: i64| whole.map_or(v > max as f64, |w| w > i128::from(max));
    let below = |min: i64| whole.map_or(v < min as f64, |w| w < i128::from(min));
    if let Some(max) = shape.max.filter(|&m| above(m)) {
        out.push(format!(
            "Member must have value less than or equal to {max}"
        ));
    }
    if let Some(min) = shape.min.filter(|&m| below(m)) {
        out.push(format!(
            "Member must have value greater than or equal to {min}"
        ));
    }
}

fn is_composite(shape: &Shape) -> bool {
    matches!(
        shape.kind,
        Kind::Structure(_) | Kind::List(_) | Kind::Map(..)
    )
}

impl Schema {
    pub(crate) fn check_structure(
        &self,
        st: &Structure,
        map: &Map<String, Value>,
        path: &str,
        errs: &mut Violations,
    ) {
        for &i in &st.check_order {
            if errs.full() {
                return;
            }
            let member = &st.members[i];
            let here = item_path(path, &member.path_name);
            match map.get(&member.name).filter(|v| !v.is_null()) {
                Some(value) => self.check_value(member.shape, value, &here, errs),
                None if member.required => {
                    let shown = if self.hides(member.shape) {
                        Shown::Hidden
                    } else {
                        Shown::Null
                    };
                    errs.push(violation(&shown, &here, "Member must not be null"));
                }
                None => {}
            }
        }
    }

    fn check_value(&self, id: ShapeId, value: &Value, path: &str, errs: &mut Violations) {
        let shape = &self.shapes[id];
        for phrase in failures(shape, value) {
            errs.push(violation(&self.shown(id, value), path, &phrase));
        }
        match (&shape.kind, value) {
            (Kind::Structure(st), Value::Object(map)) => self.check_structure(st, map, path, errs),
            (Kind::List(member), Value::Array(items)) => {
                self.check_items(id, *member, items, path, errs)
            }
            (Kind::Map(key, val), Value::Object(map)) => {
                self.check_entries(id, (*key, *val), map, path, errs)
            }
            _ => {}
        }
    }

    /// Scalar elements: one violation for the whole list, listing every constraint of the
    /// element shape. Composite elements: each checked at `path.N.member`.
    fn check_items(
        &self,
        id: ShapeId,
        member: ShapeId,
        items: &[Value],
        path: &str,
        errs: &mut Violations,
    ) {
        let element = &self.shapes[member];
        if !is_composite(element) {
            let bad = |v: &Value| v.is_null() || !failures(element, v).is_empty();
            if items.iter().any(bad) {
                let what = bracket("Member", &all_constraints(element));
                errs.push(violation(
                    &self.shown(id, &Value::Array(items.to_vec())),
                    path,
                    &what,
                ));
            }
            return;
        }
        for (i, item) in items.iter().enumerate() {
            let here = format!("{path}.{}.member", i + 1);
            if item.is_null() {
                errs.push(violation(&Shown::Null, &here, "Member must not be null"));
            } else {
                self.check_value(member, item, &here, errs);
            }
        }
    }

    /// Keys, then values: one `Map keys …` and one `Map value …` violation however many
    /// entries break them; composite values are checked at `path.KEY.member`.
    fn check_entries(
        &self,
        id: ShapeId,
        (key, val): (ShapeId, ShapeId),
        map: &Map<String, Value>,
        path: &str,
        errs: &mut Violations,
    ) {
        let whole = || self.shown(id, &Value::Object(map.clone()));
        let key_shape = &self.shapes[key];
        if map
            .keys()
            .any(|k| !failures(key_shape, &Value::String(k.clone())).is_empty())
        {
            let what = bracket("Map keys", &all_constraints(key_shape));
            errs.push(violation(&whole(), path, &what));
        }
        let val_shape = &self.shapes[val];
        if !is_composite(val_shape) {
            if map
                .values()
                .any(|v| v.is_null() || !failures(val_shape, v).is_empty())
            {
                let what = bracket("Map value", &all_constraints(val_shape));
                errs.push(violation(&whole(), path, &what));
            }
            return;
        }
        let keys: Vec<&str> = map.keys().map(String::as_str).collect();
        for i in java_hash_order(&keys) {
            let here = format!("{path}.{}.member", keys[i]);
            match &map[keys[i]] {
                Value::Null => errs.push(violation(&Shown::Null, &here, "Member must not be null")),
                v => self.check_value(val, v, &here, errs),
            }
        }
    }
}

//! The first pass over a request, as AWS's deserialiser makes it: a JSON value of the wrong
//! type for its member is a SerializationException, reported on the first one met. Unknown
//! members and nulls are skipped (AWS treats a null member as absent).

use serde_json::{Map, Value};

use super::schema::{Kind, Schema, ShapeId};
use super::validate::{base64_len, item_path};
use super::Rejection;

const NOT_EXPECTED_OBJECT: &str = "Start of structure or map found where not expected.";
const NOT_EXPECTED_LIST: &str = "Start of list found where not expected";

pub(crate) fn serialization(words: &str, path: &str) -> Rejection {
    let message = if path.is_empty() {
        words.to_string()
    } else {
        format!("{words} (at '{path}')")
    };
    Rejection {
        code: "SerializationException",
        message,
    }
}

/// How AWS names the JSON token it could not convert.
fn token(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "STRING_VALUE",
        Value::Number(_) => "NUMBER_VALUE",
        Value::Bool(true) => "TRUE_VALUE",
        Value::Bool(false) => "FALSE_VALUE",
        Value::Null => "NULL_VALUE",
        Value::Array(_) => "START_ARRAY",
        Value::Object(_) => "START_OBJECT",
    }
}

fn convert_error(value: &Value, target: &str, path: &str) -> Rejection {
    match value {
        Value::Object(_) => serialization(NOT_EXPECTED_OBJECT, path),
        Value::Array(_) => serialization(NOT_EXPECTED_LIST, path),
        _ => serialization(
            &format!("{} can not be converted to {target}", token(value)),
            path,
        ),
    }
}

impl Schema {
    pub(crate) fn check_types(
        &self,
        id: ShapeId,
        value: &Value,
        path: &str,
    ) -> Result<(), Rejection> {
        let shape = &self.shapes[id];
        match (&shape.kind, value) {
            (_, Value::Null) | (Kind::Document, _) => Ok(()),
            (Kind::String, Value::String(_)) => Ok(()),
            (Kind::String, v) => Err(convert_error(v, "a String", path)),
            (Kind::Boolean, Value::Bool(_)) => Ok(()),
            (Kind::Boolean, v) => Err(convert_error(v, "a Boolean", path)),
            (Kind::Integer, v) => self.check_integer(
                id,
                v,
                i64::from(i32::MIN),
                i64::from(i32::MAX),
                "an Integer",
                path,
            ),
            (Kind::Long, v) => self.check_integer(id, v, i64::MIN, i64::MAX, "a Long", path),
            (Kind::Float(_), Value::Number(_)) => Ok(()),
            (Kind::Float(name), v) => Err(convert_error(v, name, path)),
            (Kind::Timestamp, Value::Number(_)) => Ok(()),
            (Kind::Timestamp, v) => Err(convert_error(v, "milliseconds since epoch", path)),
            (Kind::Blob, Value::String(s)) if base64_len(s).is_some() => Ok(()),
            (Kind::Blob, Value::String(_)) => Err(serialization(
                "STRING_VALUE can not be converted to a Blob: invalid Base64",
                path,
            )),
            (Kind::Blob, v) => Err(convert_error(v, "a Blob", path)),
            (Kind::List(member), Value::Array(items)) => {
                self.check_list_types(*member, items, path)
            }
            (Kind::List(_), Value::Object(_)) => Err(serialization(NOT_EXPECTED_OBJECT, path)),
            (Kind::List(_), _) => Err(serialization("Expected list or null", path)),
            (Kind::Map(key, val), Value::Object(map)) => {
                self.check_map_types(*key, *val, map, path)
            }
            (Kind::Map(..), Value::Array(_)) => Err(serialization(NOT_EXPECTED_LIST, path)),
            (Kind::Map(..), _) => Err(serialization("Expected map or null", path)),
            (Kind::Structure(_), Value::Object(map)) => self.check_structure_types(id, map, path),
            (Kind::Structure(_), Value::Array(_)) => Err(serialization(NOT_EXPECTED_LIST, path)),
            (Kind::Structure(_), _) => Err(serialization("Expected null", path)),
        }
    }

    pub(crate) fn check_structure_types(
        &self,
        id: ShapeId,
        map: &Map<String, Value>,
        path: &str,
    ) -> Result<(), Rejection> {
        let Kind::Structure(st) = &self.shapes[id].kind else {
            return Ok(());
        };
        for (key, value) in map {
            if let Some(member) = st.members.iter().find(|m| &m.name == key) {
                self.check_types(member.shape, value, &item_path(path, &member.path_name))?;
            }
        }
        Ok(())
    }

    fn check_list_types(
        &self,
        member: ShapeId,
        items: &[Value],
        path: &str,
    ) -> Result<(), Rejection> {
        for (i, item) in items.iter().enumerate() {
            self.check_types(member, item, &format!("{path}.{}.member", i + 1))?;
        }
        Ok(())
    }

    fn check_map_types(
        &self,
        key: ShapeId,
        val: ShapeId,
        map: &Map<String, Value>,
        path: &str,
    ) -> Result<(), Rejection> {
        for (k, v) in map {
            let entry = format!("{path}.{k}.member");
            // JSON keys are strings already; only a non-string key shape could object.
            self.check_types(key, &Value::String(k.clone()), &entry)?;
            self.check_types(val, v, &entry)?;
        }
        Ok(())
    }

    /// Integers must be whole numbers. One beyond the Java type's range is let through only
    /// when a range constraint of the shape will reject it (AWS reports those as constraint
    /// violations without echoing the value).
    fn check_integer(
        &self,
        id: ShapeId,
        value: &Value,
        lo: i64,
        hi: i64,
        target: &str,
        path: &str,
    ) -> Result<(), Rejection> {
        let Value::Number(n) = value else {
            return Err(convert_error(value, target, path));
        };
        let whole = n
            .as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from));
        let Some(whole) = whole else {
            return Err(convert_error(value, target, path));
        };
        let shape = &self.shapes[id];
        let in_range = (i128::from(lo)..=i128::from(hi)).contains(&whole);
        let caught = shape.max.is_some_and(|m| whole > i128::from(m))
            || shape.min.is_some_and(|m| whole < i128::from(m));
        if in_range || caught {
            Ok(())
        } else {
            Err(convert_error(value, target, path))
        }
    }
}

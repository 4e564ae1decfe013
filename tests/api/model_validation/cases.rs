//! Requests that each break one constraint of an operation's input, and the answer AWS gives
//! them, computed from the generated model file alone (never from the validator under test).
//!
//! A base input fills every required member with a valid value; each case then changes one
//! member (top level, or one level into a structure member). Values are ASCII, so the model's
//! Java patterns mean the same to a plain anchored fancy-regex here.

use std::cell::RefCell;
use std::collections::HashMap;

use fancy_regex::Regex;
use serde_json::{json, Map, Value};

pub struct Case {
    pub op: String,
    /// What the case breaks, for failure messages.
    pub what: String,
    pub input: Value,
    pub code: &'static str,
    /// Substrings the message must contain.
    pub clauses: Vec<String>,
    /// `N validation error(s) detected` for InvalidParameterException.
    pub count: usize,
    /// The member path the case changes, top-level member first (the REST-JSON unit sweep
    /// uses it to tell label and query members apart).
    #[allow(dead_code)]
    pub keys: Vec<String>,
}

/// Strings tried, in order, as valid values of patterned string shapes.
const SAMPLES: &[&str] = &[
    "abc",
    "us-east-1_AbCdEf123",
    "us-east-1_0f0e0d0c-0b0a-4909-8807-060504030201",
    "us-east-1:0f0e0d0c-0b0a-4909-8807-060504030201",
    "arn:aws:iam::123456789012:role/Example",
    "arn:aws:lambda:us-east-1:123456789012:function:fn",
    "arn:aws:secretsmanager:us-east-1:123456789012:secret/app-Ab1",
    "arn:aws:sns:us-east-1:123456789012:app/GCM/my-app",
    "https://example.com/callback",
    "user@example.com",
    "Your code is {####}",
    "Click {##here##} {####}",
    "Level1",
    "import-abc123",
    "tkn0123456789abcdefghijklmno",
    "0f0e0d0c-0b0a-4909-8807-060504030201",
    "0123456789abcdef",
    "terms-of-use",
    "cognito:english",
    "123456",
    "authenticated",
    "a1",
];
/// Strings tried as pattern violations (ASCII, so the Java and Rust dialects agree).
const BAD: &[&str] = &["!!", " ", "a b", "-", "%", "~~", "\t"];

pub struct Walker<'m> {
    shapes: &'m Map<String, Value>,
    regexes: RefCell<HashMap<String, Option<Regex>>>,
}

pub fn cases(model: &Value) -> Vec<Case> {
    let walker = Walker {
        shapes: model["shapes"].as_object().expect("shapes"),
        regexes: RefCell::new(HashMap::new()),
    };
    let mut out = Vec::new();
    for (op, operation) in model["operations"].as_object().expect("operations") {
        if let Some(input) = operation["input"].as_str() {
            walker.operation_cases(op, input, &mut out);
        }
    }
    out
}

fn lower_first(name: &str) -> String {
    let mut c = name.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

fn set(base: &Value, keys: &[String], value: Option<Value>) -> Value {
    let mut out = base.clone();
    let mut here = &mut out;
    for key in &keys[..keys.len() - 1] {
        here = here
            .as_object_mut()
            .unwrap()
            .entry(key.clone())
            .or_insert_with(|| json!({}));
    }
    let map = here.as_object_mut().unwrap();
    match value {
        Some(v) => map.insert(keys[keys.len() - 1].clone(), v),
        None => map.remove(&keys[keys.len() - 1]),
    };
    out
}

/// `Value 'x' at 'p' failed to satisfy constraint: …`, `Value null at`, or `Value at` when
/// the value is sensitive.
pub fn clause(shown: Option<&str>, path: &str, phrase: &str) -> String {
    match shown {
        Some(v) => format!("Value {v} at '{path}' failed to satisfy constraint: {phrase}"),
        None => format!("Value at '{path}' failed to satisfy constraint: {phrase}"),
    }
}

impl<'m> Walker<'m> {
    fn shape(&self, name: &str) -> &'m Map<String, Value> {
        self.shapes[name].as_object().expect("shape")
    }

    fn matches(&self, pattern: &str, text: &str) -> bool {
        let mut cache = self.regexes.borrow_mut();
        let re = cache
            .entry(pattern.to_string())
            .or_insert_with(|| Regex::new(&format!("^(?:{pattern})$")).ok());
        re.as_ref()
            .is_some_and(|r| r.is_match(text).unwrap_or(false))
    }

    fn int(shape: &Map<String, Value>, key: &str) -> Option<i64> {
        shape.get(key).and_then(Value::as_i64)
    }

    /// Sensitive shapes (and lists or maps of sensitive shapes) are not echoed.
    fn hidden(&self, name: &str) -> bool {
        let s = self.shape(name);
        let flag = |n: &str| {
            self.shape(n)
                .get("sensitive")
                .and_then(Value::as_bool)
                .unwrap_or(false)
        };
        flag(name)
            || ["member", "key", "value"]
                .iter()
                .any(|k| s.get(*k).and_then(Value::as_str).is_some_and(flag))
    }

    fn string_ok(&self, shape: &Map<String, Value>, s: &str) -> bool {
        let len = s.chars().count() as i64;
        Self::int(shape, "min").is_none_or(|m| len >= m)
            && Self::int(shape, "max").is_none_or(|m| len <= m)
            && shape
                .get("pattern")
                .and_then(Value::as_str)
                .is_none_or(|p| self.matches(p, s))
    }

    /// A valid string: the first enum value, or a sample (padded to the minimum length).
    pub fn valid_string(&self, shape: &Map<String, Value>) -> Option<String> {
        if let Some(first) = shape.get("enum").and_then(|e| e[0].as_str()) {
            return Some(first.to_string());
        }
        let min = Self::int(shape, "min").unwrap_or(1).max(1) as usize;
        for sample in SAMPLES {
            for pad in ['a', '0'] {
                let mut s = sample.to_string();
                while s.chars().count() < min {
                    s.push(pad);
                }
                if self.string_ok(shape, &s) {
                    return Some(s);
                }
            }
        }
        None
    }

    /// A valid value of a shape, or None when no generated value satisfies it.
    pub fn valid(&self, name: &str, depth: usize) -> Option<Value> {
        let s = self.shape(name);
        let clamp = |v: i64| {
            v.max(Self::int(s, "min").unwrap_or(v))
                .min(Self::int(s, "max").unwrap_or(v))
        };
        let count = Self::int(s, "min").unwrap_or(1).max(1);
        Some(match s["type"].as_str()? {
            "string" => Value::String(self.valid_string(s)?),
            "integer" | "long" => json!(clamp(1)),
            "boolean" => json!(true),
            "timestamp" => json!(1_700_000_000),
            "blob" => json!("AAAA"),
            "structure" if s.contains_key("document") => json!({}),
            "structure" => self.valid_structure(s, depth)?,
            "list" if depth < 4 => {
                let item = self.valid(s["member"].as_str()?, depth + 1)?;
                Value::Array(vec![item; count as usize])
            }
            "map" if depth < 4 && count == 1 => {
                let key = self.valid_string(self.shape(s["key"].as_str()?))?;
                json!({ key: self.valid(s["value"].as_str()?, depth + 1)? })
            }
            _ => return None,
        })
    }

    fn valid_structure(&self, s: &Map<String, Value>, depth: usize) -> Option<Value> {
        let mut out = Map::new();
        if depth < 4 {
            for name in s
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let name = name.as_str()?;
                let member = s["members"]
                    .as_array()?
                    .iter()
                    .find(|m| m["name"] == name)?;
                out.insert(
                    name.to_string(),
                    self.valid(member["shape"].as_str()?, depth + 1)?,
                );
            }
        }
        Some(Value::Object(out))
    }
}

#[path = "member_cases.rs"]
mod member_cases;

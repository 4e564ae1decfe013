//! The cases themselves: per member, each kind of constraint its shape declares.

use serde_json::{json, Map, Value};

use super::{clause, lower_first, set, Case, Walker, BAD};

const INVALID: &str = "InvalidParameterException";
const SERIALIZATION: &str = "SerializationException";
const NOT_IN_ENUM: &str = "NOT_A_MEMBER_OF_THE_SET";

/// Everything one case needs to know about the member it changes.
struct Spot<'a> {
    op: &'a str,
    base: &'a Value,
    keys: Vec<String>,
    path: String,
    shape: &'a str,
}

impl Spot<'_> {
    fn case(&self, what: &str, value: Option<Value>, clauses: Vec<String>, count: usize) -> Case {
        Case {
            op: self.op.to_string(),
            what: format!("{}: {what}", self.path),
            input: set(self.base, &self.keys, value),
            code: INVALID,
            clauses,
            count,
            keys: self.keys.clone(),
        }
    }

    /// A case whose message holds one violation of `phrase` by `value`.
    fn one(&self, what: &str, value: Value, shown: Option<String>, phrase: &str) -> Case {
        let clauses = vec![clause(shown.as_deref(), &self.path, phrase)];
        self.case(what, Some(value), clauses, 1)
    }
}

fn quoted(v: &str) -> String {
    format!("'{v}'")
}

fn enum_phrase(values: &[Value]) -> String {
    let names: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
    format!("Member must satisfy enum value set: [{}]", names.join(", "))
}

fn pattern_phrase(pattern: &str) -> String {
    format!("Member must satisfy regular expression pattern: {pattern}")
}

/// Every constraint of a shape, in the order AWS lists them inside `[...]`.
fn phrases(shape: &Map<String, Value>) -> Vec<String> {
    let numeric = matches!(shape["type"].as_str(), Some("integer" | "long"));
    let what = if numeric { "value" } else { "length" };
    let mut out = Vec::new();
    if let Some(max) = Walker::int(shape, "max") {
        out.push(format!(
            "Member must have {what} less than or equal to {max}"
        ));
    }
    if let Some(min) = Walker::int(shape, "min") {
        out.push(format!(
            "Member must have {what} greater than or equal to {min}"
        ));
    }
    if let Some(p) = shape.get("pattern").and_then(Value::as_str) {
        out.push(pattern_phrase(p));
    }
    if let Some(values) = shape.get("enum").and_then(Value::as_array) {
        out.push(enum_phrase(values));
    }
    out
}

fn required(shape: &Map<String, Value>) -> Vec<&str> {
    let list = shape.get("required").and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

impl Walker<'_> {
    pub(super) fn operation_cases(&self, op: &str, input: &str, out: &mut Vec<Case>) {
        if let Some(base) = self.valid(input, 0) {
            self.structure_cases(op, &base, input, &[], out);
        }
    }

    /// Cases for each member of a structure at `at` (empty for the input itself), and one
    /// level into structure members.
    fn structure_cases(
        &self,
        op: &str,
        base: &Value,
        name: &str,
        at: &[String],
        out: &mut Vec<Case>,
    ) {
        let s = self.shape(name);
        let required = required(s);
        for member in s["members"].as_array().into_iter().flatten() {
            let (Some(m), Some(shape)) = (member["name"].as_str(), member["shape"].as_str()) else {
                continue;
            };
            if member.get("location").is_some_and(|l| l == "header") {
                continue;
            }
            let keys: Vec<String> = at.iter().cloned().chain([m.to_string()]).collect();
            let path: Vec<String> = keys.iter().map(|k| lower_first(k)).collect();
            let path = path.join(".");
            let spot = Spot {
                op,
                base,
                keys,
                path,
                shape,
            };
            if required.contains(&m) {
                let shown = (!self.hidden(shape)).then(|| "null".to_string());
                out.push(spot.case(
                    "missing",
                    None,
                    vec![clause(
                        shown.as_deref(),
                        &spot.path,
                        "Member must not be null",
                    )],
                    1,
                ));
            }
            self.type_case(&spot, out);
            self.value_cases(&spot, out);
            let nested = self.is_structure(shape) && at.is_empty();
            if let Some(filled) = nested.then(|| self.valid(shape, 1)).flatten() {
                let base = set(base, &spot.keys, Some(filled));
                self.structure_cases(op, &base, shape, &spot.keys, out);
            }
        }
    }

    fn is_structure(&self, name: &str) -> bool {
        let s = self.shape(name);
        s["type"] == "structure" && !s.contains_key("document")
    }

    /// A JSON value of the wrong type: the deserialiser's SerializationException.
    fn type_case(&self, spot: &Spot<'_>, out: &mut Vec<Case>) {
        let (value, words) = match self.shape(spot.shape)["type"].as_str() {
            Some("string") => (json!(5), "NUMBER_VALUE can not be converted to a String"),
            Some("integer") => (
                json!("5"),
                "STRING_VALUE can not be converted to an Integer",
            ),
            Some("long") => (json!("5"), "STRING_VALUE can not be converted to a Long"),
            Some("boolean") => (
                json!("true"),
                "STRING_VALUE can not be converted to a Boolean",
            ),
            Some("list") => (json!("x"), "Expected list or null"),
            Some("map") => (json!("x"), "Expected map or null"),
            Some("structure") if self.is_structure(spot.shape) => (json!("x"), "Expected null"),
            _ => return,
        };
        let clauses = vec![words.to_string(), format!("'{}'", spot.path)];
        let mut case = spot.case("wrong JSON type", Some(value), clauses, 0);
        case.code = SERIALIZATION;
        out.push(case);
    }

    fn value_cases(&self, spot: &Spot<'_>, out: &mut Vec<Case>) {
        let s = self.shape(spot.shape);
        match s["type"].as_str() {
            Some("string") => self.string_cases(spot, s, out),
            Some("integer" | "long") => number_cases(spot, s, out),
            Some("list") => self.list_cases(spot, s, out),
            Some("map") => self.map_cases(spot, s, out),
            _ => {}
        }
    }

    fn string_cases(&self, spot: &Spot<'_>, s: &Map<String, Value>, out: &mut Vec<Case>) {
        let shown = |v: &str| (!self.hidden(spot.shape)).then(|| quoted(v));
        if let Some(values) = s.get("enum").and_then(Value::as_array) {
            out.push(spot.one(
                "enum",
                json!(NOT_IN_ENUM),
                shown(NOT_IN_ENUM),
                &enum_phrase(values),
            ));
            return;
        }
        let Some(valid) = self.valid_string(s) else {
            return;
        };
        if let Some(long) = self.too_long(s, &valid) {
            let phrase = format!(
                "Member must have length less than or equal to {}",
                long.chars().count() - 1
            );
            out.push(spot.one("too long", json!(long), shown(&long), &phrase));
        }
        if let Some(min) = Walker::int(s, "min").filter(|&m| m > 0) {
            let short: String = valid.chars().take(min as usize - 1).collect();
            let mut clauses = Vec::new();
            if let Some(p) = s
                .get("pattern")
                .and_then(Value::as_str)
                .filter(|p| !self.matches(p, &short))
            {
                clauses.push(clause(
                    shown(&short).as_deref(),
                    &spot.path,
                    &pattern_phrase(p),
                ));
            }
            let phrase = format!("Member must have length greater than or equal to {min}");
            clauses.push(clause(shown(&short).as_deref(), &spot.path, &phrase));
            let n = clauses.len();
            out.push(spot.case("too short", Some(json!(short)), clauses, n));
        }
        if let Some((bad, p)) = self.off_pattern(s) {
            out.push(spot.one("pattern", json!(bad), shown(&bad), &pattern_phrase(p)));
        }
    }

    /// A valid string lengthened by one past the maximum, still matching the pattern.
    fn too_long(&self, s: &Map<String, Value>, valid: &str) -> Option<String> {
        let max = Walker::int(s, "max").filter(|&m| m < 300_000)? as usize;
        let pattern = s.get("pattern").and_then(Value::as_str);
        ['a', '0', 'A', '_'].iter().find_map(|c| {
            let long = format!(
                "{valid}{}",
                c.to_string().repeat(max + 1 - valid.chars().count())
            );
            pattern
                .is_none_or(|p| self.matches(p, &long))
                .then_some(long)
        })
    }

    /// A string of allowed length that the pattern refuses.
    fn off_pattern<'s>(&self, s: &'s Map<String, Value>) -> Option<(String, &'s str)> {
        let pattern = s.get("pattern").and_then(Value::as_str)?;
        let min = Walker::int(s, "min").unwrap_or(0) as usize;
        let max = Walker::int(s, "max").unwrap_or(i64::MAX);
        BAD.iter()
            .map(|b| format!("{b}{}", "!".repeat(min.saturating_sub(b.len()))))
            .find(|b| !self.matches(pattern, b) && b.len() as i64 <= max)
            .map(|b| (b, pattern))
    }
}

fn number_cases(spot: &Spot<'_>, s: &Map<String, Value>, out: &mut Vec<Case>) {
    if let Some(max) = Walker::int(s, "max").filter(|&m| m < i64::from(i32::MAX)) {
        let phrase = format!("Member must have value less than or equal to {max}");
        out.push(spot.one(
            "above max",
            json!(max + 1),
            Some(quoted(&(max + 1).to_string())),
            &phrase,
        ));
    }
    if let Some(min) = Walker::int(s, "min").filter(|&m| m > i64::from(i32::MIN)) {
        let phrase = format!("Member must have value greater than or equal to {min}");
        out.push(spot.one(
            "below min",
            json!(min - 1),
            Some(quoted(&(min - 1).to_string())),
            &phrase,
        ));
    }
}

#[path = "collection_cases.rs"]
mod collection_cases;

//! List and map cases: their length, their elements, their keys and values.

use serde_json::{json, Map, Value};

use super::super::{clause, lower_first, Case, Walker, BAD};
use super::{phrases, quoted, Spot, NOT_IN_ENUM};

/// `… at 'path' failed to satisfy constraint: phrase`, for values too involved to print.
fn tail(path: &str, phrase: &str) -> String {
    format!(" at '{path}' failed to satisfy constraint: {phrase}")
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Java's `toString()` of a list of scalars.
fn list_text(items: &[Value]) -> String {
    let parts: Vec<String> = items.iter().map(text).collect();
    format!("[{}]", parts.join(", "))
}

fn is_scalar(shape: &Map<String, Value>) -> bool {
    !matches!(shape["type"].as_str(), Some("structure" | "list" | "map"))
}

fn bracket(prefix: &str, shape: &Map<String, Value>) -> String {
    format!(
        "{prefix} must satisfy constraint: [{}]",
        phrases(shape).join(", ")
    )
}

impl Walker<'_> {
    /// A value of a scalar shape that breaks at least one of its constraints.
    fn invalid_scalar(&self, s: &Map<String, Value>) -> Option<Value> {
        match s["type"].as_str()? {
            "string" if s.contains_key("enum") => Some(json!(NOT_IN_ENUM)),
            "string" => {
                if let Some(max) = Walker::int(s, "max").filter(|&m| m < 300_000) {
                    return Some(json!("a".repeat(max as usize + 1)));
                }
                if s.contains_key("pattern") {
                    return BAD.iter().find(|b| !self.string_ok(s, b)).map(|b| json!(b));
                }
                Walker::int(s, "min").filter(|&m| m > 0).map(|_| json!(""))
            }
            "integer" | "long" => Walker::int(s, "max")
                .map(|m| json!(m + 1))
                .or_else(|| Walker::int(s, "min").map(|m| json!(m - 1))),
            _ => None,
        }
    }

    /// `Value '<text>'`, or nothing when the collection is sensitive.
    fn shown(&self, spot: &Spot<'_>, text: String) -> Option<String> {
        (!self.hidden(spot.shape)).then(|| quoted(&text))
    }

    pub(super) fn list_cases(&self, spot: &Spot<'_>, s: &Map<String, Value>, out: &mut Vec<Case>) {
        let Some(item_name) = s["member"].as_str() else {
            return;
        };
        let Some(item) = self.valid(item_name, 1) else {
            return;
        };
        let scalar = is_scalar(self.shape(item_name));
        let mut length_case = |what: &str, n: usize, phrase: String| {
            let items = vec![item.clone(); n];
            let c = match scalar {
                true => clause(
                    self.shown(spot, list_text(&items)).as_deref(),
                    &spot.path,
                    &phrase,
                ),
                false => tail(&spot.path, &phrase),
            };
            out.push(spot.case(what, Some(Value::Array(items)), vec![c], 1));
        };
        if let Some(max) = Walker::int(s, "max").filter(|&m| m < 1000) {
            let phrase = format!("Member must have length less than or equal to {max}");
            length_case("too many", max as usize + 1, phrase);
        }
        if let Some(min) = Walker::int(s, "min").filter(|&m| m > 0) {
            let phrase = format!("Member must have length greater than or equal to {min}");
            length_case("too few", min as usize - 1, phrase);
        }
        if Walker::int(s, "min").unwrap_or(0) <= 1 {
            self.element_case(spot, item_name, &item, out);
        }
    }

    /// One bad element: scalar lists answer for the whole list, others at `path.1.member`.
    fn element_case(&self, spot: &Spot<'_>, item_name: &str, item: &Value, out: &mut Vec<Case>) {
        let item_shape = self.shape(item_name);
        if is_scalar(item_shape) {
            if let Some(bad) = self.invalid_scalar(item_shape) {
                let shown = self.shown(spot, list_text(std::slice::from_ref(&bad)));
                let phrase = bracket("Member", item_shape);
                out.push(spot.one("list element", json!([bad]), shown, &phrase));
            }
        } else if let Some((element, child, shown)) = self.without_required(item_name, item) {
            let path = format!("{}.1.member.{child}", spot.path);
            let c = clause(shown.as_deref(), &path, "Member must not be null");
            out.push(spot.case("list element member", Some(json!([element])), vec![c], 1));
        }
    }

    pub(super) fn map_cases(&self, spot: &Spot<'_>, s: &Map<String, Value>, out: &mut Vec<Case>) {
        let (Some(key_name), Some(value_name)) = (s["key"].as_str(), s["value"].as_str()) else {
            return;
        };
        let key_shape = self.shape(key_name);
        let (Some(key), Some(value)) = (self.valid_string(key_shape), self.valid(value_name, 1))
        else {
            return;
        };
        if Walker::int(s, "min").unwrap_or(0) > 1 {
            return;
        }
        self.too_many_entries(spot, s, &key, &value, out);
        let scalar = is_scalar(self.shape(value_name));
        if let Some(Value::String(bad)) = self.invalid_scalar(key_shape) {
            let phrase = bracket("Map keys", key_shape);
            let c = match scalar {
                true => clause(
                    self.shown(spot, format!("{{{bad}={}}}", text(&value)))
                        .as_deref(),
                    &spot.path,
                    &phrase,
                ),
                false => tail(&spot.path, &phrase),
            };
            out.push(spot.case("map key", Some(json!({ bad: value.clone() })), vec![c], 1));
        }
        self.map_value_case(spot, value_name, &key, &value, out);
    }

    fn map_value_case(
        &self,
        spot: &Spot<'_>,
        value_name: &str,
        key: &str,
        value: &Value,
        out: &mut Vec<Case>,
    ) {
        let value_shape = self.shape(value_name);
        if is_scalar(value_shape) {
            if let Some(bad) = self.invalid_scalar(value_shape) {
                let shown = self.shown(spot, format!("{{{key}={}}}", text(&bad)));
                let phrase = bracket("Map value", value_shape);
                out.push(spot.one("map value", json!({ key: bad }), shown, &phrase));
            }
        } else if let Some((entry, child, shown)) = self.without_required(value_name, value) {
            let path = format!("{}.{key}.member.{child}", spot.path);
            let c = clause(shown.as_deref(), &path, "Member must not be null");
            out.push(spot.case("map value member", Some(json!({ key: entry })), vec![c], 1));
        }
    }

    fn too_many_entries(
        &self,
        spot: &Spot<'_>,
        s: &Map<String, Value>,
        key: &str,
        value: &Value,
        out: &mut Vec<Case>,
    ) {
        let Some(max) = Walker::int(s, "max").filter(|&m| m < 100) else {
            return;
        };
        let key_shape = self.shape(s["key"].as_str().unwrap_or_default());
        let keys: Vec<String> = (0..=max)
            .map(|i| format!("{key}{i}"))
            .filter(|k| self.string_ok(key_shape, k))
            .collect();
        if keys.len() as i64 == max + 1 {
            let map: Map<String, Value> = keys.into_iter().map(|k| (k, value.clone())).collect();
            let phrase = format!("Member must have length less than or equal to {max}");
            let c = tail(&spot.path, &phrase);
            out.push(spot.case("too many entries", Some(Value::Object(map)), vec![c], 1));
        }
    }

    /// A valid structure with its first required member taken out, that member's path
    /// name, and how a null of it is shown (`null`, or nothing when sensitive).
    fn without_required(
        &self,
        name: &str,
        valid: &Value,
    ) -> Option<(Value, String, Option<String>)> {
        let s = self.shape(name);
        let first = s.get("required")?.as_array()?.first()?.as_str()?;
        let members = s["members"].as_array()?;
        let shape = members.iter().find(|m| m["name"] == first)?["shape"].as_str()?;
        let mut element = valid.clone();
        element.as_object_mut()?.remove(first);
        let shown = (!self.hidden(shape)).then(|| "null".to_string());
        Some((element, lower_first(first), shown))
    }
}

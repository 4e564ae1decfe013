//! CloudFormation's template language as far as pools need it: YAML's short forms (`!Ref`,
//! `!GetAtt`, `!Sub`, `!Join`, ...) turned into their long forms, and `Ref`, `Fn::GetAtt`,
//! `Fn::Sub`, `Fn::Join` and `Fn::Select` resolved against parameters, pseudo parameters and
//! the resources made so far.

use std::collections::BTreeMap;

use serde_json::{json, Value};

/// What names resolve to while a template is applied.
#[derive(Default)]
pub struct Scope {
    /// Parameters (their defaults or given values) and pseudo parameters.
    pub params: BTreeMap<String, Value>,
    /// Each resource's physical id (what `Ref` gives) and attributes.
    pub resources: BTreeMap<String, (String, BTreeMap<String, String>)>,
}

/// A YAML document as JSON, short-form tags in their long form.
pub fn from_yaml(v: serde_norway::Value) -> Result<Value, String> {
    use serde_norway::Value as Y;
    Ok(match v {
        Y::Null => Value::Null,
        Y::Bool(b) => json!(b),
        Y::Number(n) => serde_json::to_value(&n).map_err(|e| e.to_string())?,
        Y::String(s) => json!(s),
        Y::Sequence(items) => {
            Value::Array(items.into_iter().map(from_yaml).collect::<Result<_, _>>()?)
        }
        Y::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    other => serde_norway::to_string(&other)
                        .map_err(|e| e.to_string())?
                        .trim()
                        .to_string(),
                };
                out.insert(key, from_yaml(v)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => {
            let name = tagged.tag.to_string();
            let name = name.trim_start_matches('!');
            let value = from_yaml(tagged.value)?;
            let (key, value) = match name {
                "Ref" => ("Ref".to_string(), value),
                // `!GetAtt Pool.Arn` is `Fn::GetAtt: [Pool, Arn]`.
                "GetAtt" => match value {
                    Value::String(s) => {
                        let (res, attr) = s
                            .split_once('.')
                            .ok_or_else(|| format!("!GetAtt {s}: expected Resource.Attribute"))?;
                        ("Fn::GetAtt".to_string(), json!([res, attr]))
                    }
                    other => ("Fn::GetAtt".to_string(), other),
                },
                other => (format!("Fn::{other}"), value),
            };
            json!({ key: value })
        }
    })
}

/// The logical ids `v` refers to (by `Ref`, `Fn::GetAtt` or `${...}` in `Fn::Sub`).
pub fn references(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) if map.len() == 1 => {
            let Some((k, inner)) = map.iter().next() else {
                return;
            };
            match (k.as_str(), inner) {
                ("Ref", Value::String(name)) => out.push(name.clone()),
                ("Fn::GetAtt", Value::Array(parts)) => {
                    if let Some(Value::String(name)) = parts.first() {
                        out.push(name.clone());
                    }
                }
                ("Fn::Sub", s) => {
                    let text = s
                        .as_str()
                        .or_else(|| s.get(0).and_then(Value::as_str))
                        .unwrap_or_default();
                    for var in sub_vars(text) {
                        out.push(var.split('.').next().unwrap_or_default().to_string());
                    }
                    if let Some(vars) = s.get(1) {
                        references(vars, out);
                    }
                }
                _ => references(inner, out),
            }
        }
        Value::Object(map) => map.values().for_each(|v| references(v, out)),
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

/// The `${...}` names of a `Fn::Sub` string (`${!Literal}` is not one).
fn sub_vars(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.starts_with('!') {
            out.push(name);
        }
        rest = &after[end + 1..];
    }
    out
}

impl Scope {
    fn name(&self, name: &str) -> Result<Value, String> {
        if let Some(v) = self.params.get(name) {
            return Ok(v.clone());
        }
        match self.resources.get(name) {
            Some((physical, _)) => Ok(json!(physical)),
            None => Err(format!(
                "Ref to {name:?}, which is no parameter or resource"
            )),
        }
    }

    fn attribute(&self, resource: &str, attr: &str) -> Result<Value, String> {
        let (_, attrs) = self
            .resources
            .get(resource)
            .ok_or_else(|| format!("Fn::GetAtt of {resource:?}, which is no resource"))?;
        attrs
            .get(attr)
            .map(|v| json!(v))
            .ok_or_else(|| format!("{resource} has no attribute {attr:?}"))
    }

    fn sub(&self, text: &str, vars: &serde_json::Map<String, Value>) -> Result<Value, String> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after
                .find('}')
                .ok_or_else(|| format!("Fn::Sub {text:?}: unclosed ${{"))?;
            let name = &after[..end];
            let value = if let Some(literal) = name.strip_prefix('!') {
                json!(format!("${{{literal}}}"))
            } else if let Some(v) = vars.get(name) {
                self.resolve(v)?
            } else if let Some((res, attr)) = name.split_once('.') {
                self.attribute(res, attr)?
            } else {
                self.name(name)?
            };
            out.push_str(&scalar(&value)?);
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(json!(out))
    }

    /// `v` with every intrinsic function replaced by its value.
    pub fn resolve(&self, v: &Value) -> Result<Value, String> {
        match v {
            Value::Object(map) if map.len() == 1 && is_intrinsic(map) => {
                let (k, arg) = map.iter().next().ok_or("empty intrinsic")?;
                self.intrinsic(k, arg)
            }
            Value::Object(map) => {
                let mut out = serde_json::Map::new();
                for (k, v) in map {
                    out.insert(k.clone(), self.resolve(v)?);
                }
                Ok(Value::Object(out))
            }
            Value::Array(items) => items.iter().map(|v| self.resolve(v)).collect(),
            other => Ok(other.clone()),
        }
    }

    fn intrinsic(&self, k: &str, arg: &Value) -> Result<Value, String> {
        match (k, arg) {
            ("Ref", Value::String(name)) => self.name(name),
            ("Fn::GetAtt", Value::Array(parts)) if parts.len() == 2 => {
                let part = |i: usize| parts[i].as_str().ok_or("Fn::GetAtt takes two names");
                self.attribute(part(0)?, part(1)?)
            }
            ("Fn::Sub", Value::String(text)) => self.sub(text, &serde_json::Map::new()),
            ("Fn::Sub", Value::Array(parts)) if parts.len() == 2 => {
                let text = parts[0]
                    .as_str()
                    .ok_or("Fn::Sub's first item is a string")?;
                let vars = parts[1]
                    .as_object()
                    .ok_or("Fn::Sub's second item is a map")?;
                self.sub(text, vars)
            }
            ("Fn::Join", Value::Array(parts)) if parts.len() == 2 => {
                let sep = parts[0]
                    .as_str()
                    .ok_or("Fn::Join's separator is a string")?;
                let items = self.resolve(&parts[1])?;
                let items = items.as_array().ok_or("Fn::Join's second item is a list")?;
                let texts: Vec<String> = items.iter().map(scalar).collect::<Result<_, _>>()?;
                Ok(json!(texts.join(sep)))
            }
            ("Fn::Select", Value::Array(parts)) if parts.len() == 2 => {
                let index = scalar(&self.resolve(&parts[0])?)?
                    .parse::<usize>()
                    .map_err(|_| "Fn::Select's index is a number")?;
                let items = self.resolve(&parts[1])?;
                items
                    .get(index)
                    .cloned()
                    .ok_or_else(|| format!("Fn::Select index {index} is out of range"))
            }
            (k, _) => Err(format!(
                "{k} is not supported here, or its arguments are wrong"
            )),
        }
    }
}

fn is_intrinsic(map: &serde_json::Map<String, Value>) -> bool {
    map.keys().all(|k| k == "Ref" || k.starts_with("Fn::"))
}

fn scalar(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(format!("expected a string, got {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_resolve() {
        let yaml = "a: !Ref Name\nb: !GetAtt Pool.Arn\nc: !Sub '${Name}-${Pool.Arn}-${!x}'\n\
                    d: !Join [':', [x, !Ref Name]]\ne: !Select [1, [p, q]]\n";
        let doc = from_yaml(serde_norway::from_str(yaml).unwrap()).unwrap();
        let mut scope = Scope::default();
        scope.params.insert("Name".into(), json!("n"));
        let attrs = BTreeMap::from([("Arn".to_string(), "arn:p".to_string())]);
        scope.resources.insert("Pool".into(), ("p1".into(), attrs));
        let out = scope.resolve(&doc).unwrap();
        assert_eq!(
            out,
            json!({"a": "n", "b": "arn:p", "c": "n-arn:p-${x}", "d": "x:n", "e": "q"})
        );
        let mut refs = Vec::new();
        references(&doc, &mut refs);
        assert!(refs.contains(&"Pool".to_string()) && refs.contains(&"Name".to_string()));
        assert!(scope.resolve(&json!({"Ref": "Nope"})).is_err());
        assert!(scope.resolve(&json!({"Fn::If": []})).is_err());
    }
}

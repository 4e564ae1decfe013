//! Pools as code: a SAM or CloudFormation template (YAML or JSON) whose Cognito resources are
//! created, or updated, by logical id. A template is checked whole before anything is made:
//! an invalid one changes nothing. A resource whose properties are as last imported is left
//! alone, so a second import of the same template changes nothing.

pub mod identity;
pub mod intrinsics;
pub mod resources;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;
use serde_json::{json, Value};

use intrinsics::Scope;
use resources::{Kind, Made};

use crate::service::admin::templates::{self, TemplateResource};
use crate::service::admin::Actor;
use crate::service::kernel::crypto;
use crate::service::State;

/// What an import did.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// Physical id per logical id.
    pub resources: BTreeMap<String, String>,
    /// The template's Outputs, resolved.
    pub outputs: BTreeMap<String, Value>,
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
    /// Resources of types Cognate does not make: `LogicalId (Type)`.
    pub skipped: Vec<String>,
}

struct Resource {
    logical_id: String,
    resource_type: String,
    kind: Kind,
    properties: Value,
}

/// Reads a template file (YAML, which JSON also is).
pub fn load(path: &Path) -> anyhow::Result<Value> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    parse(&text)
}

pub fn parse(text: &str) -> anyhow::Result<Value> {
    let yaml: serde_norway::Value = serde_norway::from_str(text)
        .map_err(|e| anyhow::anyhow!("not a YAML or JSON template: {e}"))?;
    intrinsics::from_yaml(yaml).map_err(|e| anyhow::anyhow!(e))
}

/// Creates or updates the template's resources as `stack`.
pub async fn import(state: &State, stack: &str, template: &Value) -> anyhow::Result<Report> {
    let mut report = Report::default();
    let (ordered, skipped) = plan(template)?;
    report.skipped = skipped;
    let known: BTreeMap<String, TemplateResource> = templates::resources(state, stack)
        .await?
        .into_iter()
        .map(|r| (r.logical_id.clone(), r))
        .collect();
    let base = scope(state, stack, template)?;
    check(&base, &ordered, &known, template)?;

    let actor = Actor {
        kind: "template",
        name: stack.to_string(),
        source: "import".into(),
    };
    let mut scope = base;
    for r in &ordered {
        let props = scope
            .resolve(&r.properties)
            .map_err(|e| anyhow::anyhow!("{}: {e}", r.logical_id))?;
        let digest = crypto::sha256_hex(&r.resource_type, &props.to_string());
        let before = known
            .get(&r.logical_id)
            .filter(|k| k.resource_type == r.resource_type);
        let made_before: Option<Made> = before.map(|k| {
            let attrs = serde_json::from_str(&k.attributes).unwrap_or_default();
            (k.physical_id.clone(), attrs)
        });
        let made = match (before, &made_before) {
            (Some(k), Some(made)) if k.digest == digest => {
                report.unchanged.push(r.logical_id.clone());
                made.clone()
            }
            _ => {
                let existing = made_before.as_ref().map(|(id, _)| id.as_str());
                let (op, input) = resources::request(r.kind, &props, existing);
                let made = resources::apply(state, &actor, r.kind, op, input, made_before.as_ref())
                    .await
                    .map_err(|p| anyhow::anyhow!("{}: {}: {}", r.logical_id, p.code, p.detail))?;
                let list = if before.is_some() {
                    &mut report.updated
                } else {
                    &mut report.created
                };
                list.push(r.logical_id.clone());
                let record = TemplateResource {
                    logical_id: r.logical_id.clone(),
                    resource_type: r.resource_type.clone(),
                    physical_id: made.0.clone(),
                    attributes: serde_json::to_string(&made.1)?,
                    digest,
                };
                templates::remember(state, stack, &record).await?;
                made
            }
        };
        report
            .resources
            .insert(r.logical_id.clone(), made.0.clone());
        scope.resources.insert(r.logical_id.clone(), made);
    }
    report.outputs = outputs(&scope, template)?;
    Ok(report)
}

/// Every problem of the template, before anything is made: each request is resolved (with
/// stand-in ids for what does not exist yet) and checked against the service model.
fn check(
    base: &Scope,
    ordered: &[Resource],
    known: &BTreeMap<String, TemplateResource>,
    template: &Value,
) -> anyhow::Result<()> {
    let mut scope = Scope {
        params: base.params.clone(),
        resources: BTreeMap::new(),
    };
    let mut problems = Vec::new();
    for r in ordered {
        let existing = known
            .get(&r.logical_id)
            .filter(|k| k.resource_type == r.resource_type);
        let props = match scope.resolve(&r.properties) {
            Ok(p) => p,
            Err(e) => {
                problems.push(format!("{}: {e}", r.logical_id));
                Value::Null
            }
        };
        let (op, input) =
            resources::request(r.kind, &props, existing.map(|k| k.physical_id.as_str()));
        if !props.is_null() {
            if let Err(e) = resources::check(r.kind, op, &input) {
                problems.push(format!("{} ({op}): {e}", r.logical_id));
            } else if existing.is_some() {
                // What only the create request takes (a user's MessageAction) is checked
                // too: the template must be one that could be deployed afresh.
                let (create, input) = resources::request(r.kind, &props, None);
                if let Err(e) = resources::check(r.kind, create, &input) {
                    problems.push(format!("{} ({create}): {e}", r.logical_id));
                }
            }
        }
        let made = match existing {
            Some(k) => (
                k.physical_id.clone(),
                serde_json::from_str(&k.attributes).unwrap_or_default(),
            ),
            None => resources::placeholder(r.kind, &r.logical_id, &props),
        };
        if let Err(e) = resources::check_fixed(r.kind, &props, existing.map(|_| &made)) {
            problems.push(format!("{}: {e}", r.logical_id));
        }
        scope.resources.insert(r.logical_id.clone(), made);
    }
    if let Err(e) = outputs(&scope, template) {
        problems.push(e.to_string());
    }
    if problems.is_empty() {
        return Ok(());
    }
    anyhow::bail!(
        "the template is invalid; nothing was changed:\n  {}",
        problems.join("\n  ")
    )
}

/// The Cognito resources in an order where each comes after those it refers to, and the
/// others, skipped.
fn plan(template: &Value) -> anyhow::Result<(Vec<Resource>, Vec<String>)> {
    let Some(all) = template.get("Resources").and_then(Value::as_object) else {
        anyhow::bail!("the template has no Resources");
    };
    let mut pending = Vec::new();
    let mut skipped = Vec::new();
    for (logical_id, r) in all {
        let resource_type = r.get("Type").and_then(Value::as_str).unwrap_or_default();
        match Kind::of(resource_type) {
            Some(kind) => {
                let mut properties = r.get("Properties").cloned().unwrap_or(json!({}));
                // CloudFormation names what the template leaves unnamed; by logical id here,
                // so that a second import finds the same name.
                if let (Some(name), Some(props)) =
                    (kind.generated_name(), properties.as_object_mut())
                {
                    props.entry(name).or_insert_with(|| json!(logical_id));
                }
                pending.push(Resource {
                    logical_id: logical_id.clone(),
                    resource_type: resource_type.to_string(),
                    kind,
                    properties,
                })
            }
            None => skipped.push(format!("{logical_id} ({resource_type})")),
        }
    }
    let ours: BTreeSet<String> = pending.iter().map(|r| r.logical_id.clone()).collect();
    let mut done = BTreeSet::new();
    let mut ordered = Vec::new();
    while !pending.is_empty() {
        let before = pending.len();
        let mut rest = Vec::new();
        for r in pending {
            let mut refs = Vec::new();
            intrinsics::references(&r.properties, &mut refs);
            if refs.iter().all(|d| !ours.contains(d) || done.contains(d)) {
                done.insert(r.logical_id.clone());
                ordered.push(r);
            } else {
                rest.push(r);
            }
        }
        pending = rest;
        if pending.len() == before {
            let names: Vec<_> = pending.iter().map(|r| r.logical_id.as_str()).collect();
            anyhow::bail!("the template's resources refer to each other in a circle: {names:?}");
        }
    }
    Ok((ordered, skipped))
}

/// Parameters (defaults) and pseudo parameters.
fn scope(state: &State, stack: &str, template: &Value) -> anyhow::Result<Scope> {
    let mut scope = Scope::default();
    let pseudo = [
        ("AWS::Region", state.region.clone()),
        ("AWS::AccountId", state.account_id.clone()),
        ("AWS::StackName", stack.to_string()),
        ("AWS::Partition", "aws".into()),
        ("AWS::URLSuffix", "amazonaws.com".into()),
        ("AWS::NoValue", String::new()),
    ];
    for (k, v) in pseudo {
        scope.params.insert(k.into(), json!(v));
    }
    if let Some(params) = template.get("Parameters").and_then(Value::as_object) {
        for (name, p) in params {
            let Some(default) = p.get("Default") else {
                anyhow::bail!("parameter {name} has no Default (Cognate takes defaults only)");
            };
            scope.params.insert(name.clone(), default.clone());
        }
    }
    Ok(scope)
}

fn outputs(scope: &Scope, template: &Value) -> anyhow::Result<BTreeMap<String, Value>> {
    let mut out = BTreeMap::new();
    if let Some(outputs) = template.get("Outputs").and_then(Value::as_object) {
        for (name, o) in outputs {
            let value = o.get("Value").cloned().unwrap_or(Value::Null);
            let value = scope
                .resolve(&value)
                .map_err(|e| anyhow::anyhow!("output {name}: {e}"))?;
            out.insert(name.clone(), value);
        }
    }
    Ok(out)
}

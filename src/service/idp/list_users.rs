//! ListUsers: Cognito's filter language over the attribute index, with keyset pagination.

use super::groups::page_args;
use super::users::user_type;
use super::Admin;
use crate::service::directory::{pools, users};
use crate::service::kernel::paging;
use crate::service::{invalid_parameter, Result, State};
use crate::store::pools::PoolRecord;
use crate::store::user_search::{self, Search};
use crate::types::users::*;

/// The attributes a filter may name, as Cognito documents them.
const FILTERABLE: &[&str] = &[
    "username",
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "cognito:user_status",
    "status",
    "sub",
];

/// A parsed filter: `name = "value"` (exact) or `name ^= "value"` (prefix).
#[derive(Debug, PartialEq, Eq)]
pub struct Filter {
    pub name: String,
    pub value: String,
    pub prefix: bool,
}

fn bad_filter<T>() -> Result<T> {
    invalid_parameter("Error while parsing filter.")
}

/// Parses Cognito's filter grammar; `\"` and `\\` escape inside the quoted value.
pub fn parse_filter(filter: &str) -> Result<Filter> {
    let filter = filter.trim();
    let Some(op_at) = filter.find(['=', '^']) else {
        return bad_filter();
    };
    let name = filter[..op_at].trim();
    let rest = &filter[op_at..];
    let (prefix, rest) = if let Some(r) = rest.strip_prefix("^=") {
        (true, r)
    } else if let Some(r) = rest.strip_prefix('=') {
        (false, r)
    } else {
        return bad_filter();
    };
    let quoted = rest.trim();
    let Some(inner) = quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .filter(|_| quoted.len() >= 2)
    else {
        return bad_filter();
    };
    let mut value = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('"' | '\\')) => value.push(e),
                _ => return bad_filter(),
            },
            '"' => return bad_filter(),
            c => value.push(c),
        }
    }
    if !FILTERABLE.contains(&name) {
        return invalid_parameter(format!("Invalid search attribute: {name}"));
    }
    Ok(Filter {
        name: name.to_string(),
        value,
        prefix,
    })
}

fn encode_token(value: &str, sub: &str) -> String {
    paging::encode(&serde_json::json!([value, sub]).to_string())
}

fn decode_token(token: &str) -> Result<(String, String)> {
    let (_, raw) = page_args(None, Some(token))?;
    raw.and_then(|r| serde_json::from_str::<(String, String)>(&r).ok())
        .map_or_else(|| invalid_parameter("Invalid pagination token."), Ok)
}

/// Checks AttributesToGet against the pool's schema.
fn check_attributes_to_get(pool: &PoolRecord, names: &[String]) -> Result<()> {
    let schema = pool
        .settings
        .schema_attributes
        .as_deref()
        .unwrap_or_default();
    for name in names {
        if !schema.iter().any(|s| s.name.as_deref() == Some(name)) {
            return invalid_parameter(format!(
                "One or more requested attributes do not exist: {name}"
            ));
        }
    }
    Ok(())
}

/// The filter's value as the attribute index holds it.
fn indexed_value(pool: &PoolRecord, filter: &Filter) -> String {
    match filter.name.as_str() {
        // Usernames are indexed as looked up: lower-cased in case-insensitive pools.
        "username" => users::username_key(pool, &filter.value),
        // `status` is the one case-insensitive attribute; it is indexed as Enabled/Disabled.
        "status" => {
            let lower = filter.value.to_lowercase();
            let mut chars = lower.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
        _ => filter.value.clone(),
    }
}

pub async fn list_users(
    state: &State,
    _: Admin,
    req: ListUsersRequest,
) -> Result<ListUsersResponse> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let (limit, _) = page_args(req.limit, None)?;
    let filter = match req.filter.as_deref().map(str::trim) {
        None | Some("") => Filter {
            name: "username".into(),
            value: String::new(),
            prefix: true,
        },
        Some(f) => parse_filter(f)?,
    };
    let value = indexed_value(&pool, &filter);
    if let Some(names) = &req.attributes_to_get {
        check_attributes_to_get(&pool, names)?;
    }
    let after = req
        .pagination_token
        .as_deref()
        .map(decode_token)
        .transpose()?;
    let mut rows = user_search::search(
        &state.db,
        &Search {
            pool_id: &pool.id,
            name: &filter.name,
            value: &value,
            prefix: filter.prefix,
            after,
            limit: limit + 1,
        },
    )
    .await?;
    let pagination_token = paging::next_token(&mut rows, limit, |(v, u)| encode_token(v, &u.sub));
    let users = rows
        .iter()
        .map(|(_, u)| {
            let mut t = user_type(u, None);
            if let Some(names) = &req.attributes_to_get {
                t.attributes.retain(|a| names.contains(&a.name));
            }
            t
        })
        .collect();
    Ok(ListUsersResponse {
        users,
        pagination_token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_as_cognito_writes_them() {
        let f = parse_filter(r#"email ^= "jo""#).unwrap();
        assert_eq!(
            f,
            Filter {
                name: "email".into(),
                value: "jo".into(),
                prefix: true
            }
        );
        let f = parse_filter(r#"  cognito:user_status="CONFIRMED" "#).unwrap();
        assert!(!f.prefix);
        assert_eq!(f.name, "cognito:user_status");
        assert_eq!(
            parse_filter(r#"name = "a \"b\" \\""#).unwrap().value,
            r#"a "b" \"#
        );
        assert_eq!(parse_filter(r#"name = """#).unwrap().value, "");
        for bad in [
            "email",
            r#"email = jo"#,
            r#"email == "jo""#,
            r#"email ~ "jo""#,
            r#"email = "jo"#,
            r#"email = "j"o""#,
            r#"shoe_size = "44""#,
            r#"= "x""#,
        ] {
            assert!(parse_filter(bad).is_err(), "{bad}");
        }
    }
}

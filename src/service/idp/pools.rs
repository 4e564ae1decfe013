//! User pools: CreateUserPool, DescribeUserPool, UpdateUserPool, DeleteUserPool, ListUserPools.

use serde_json::{json, Map, Value};

use super::Admin;
use crate::service::directory::mfa::POOL_MFA_MEMBERS;
use crate::service::directory::pools::load;
use crate::service::directory::{keys, schema};
use crate::service::kernel::{ids, paging};
use crate::service::{invalid_parameter, now_ms, Result, State};
use crate::store::pools::{self as pool_store, PoolRecord};
use crate::types::pools::*;
use crate::types::{epoch_seconds, Empty};

pub async fn create_user_pool(
    state: &State,
    _: Admin,
    req: CreateUserPoolRequest,
) -> Result<UserPoolReply> {
    let mut settings = req.settings;
    settings.schema_attributes = Some(build_schema(req.schema.unwrap_or_default())?);
    if settings.alias_attributes.is_some() && settings.username_attributes.is_some() {
        return invalid_parameter(
            "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.",
        );
    }
    complete_settings(&mut settings)?;

    let now = now_ms();
    let pool = PoolRecord {
        id: ids::user_pool_id(&state.region),
        name: req.pool_name,
        settings,
        created_at: now,
        updated_at: now,
    };
    let (id_key, access_key) = tokio::try_join!(
        keys::generate(&pool.id, keys::ID_TOKEN, now),
        keys::generate(&pool.id, keys::ACCESS_TOKEN, now)
    )?;
    pool_store::insert_with_keys(&state.db, &pool, &[id_key, access_key]).await?;
    tracing::info!(pool_id = %pool.id, "user pool created");
    Ok(UserPoolReply {
        user_pool: describe(state, pool, 0),
    })
}

pub async fn describe_user_pool(
    state: &State,
    _: Admin,
    req: UserPoolIdRequest,
) -> Result<UserPoolReply> {
    let pool = load(state, &req.user_pool_id).await?;
    let users = pool_store::count_users(&state.db, &pool.id).await?;
    Ok(UserPoolReply {
        user_pool: describe(state, pool, users),
    })
}

/// UpdateUserPool: as in Cognito, any updatable setting left out returns to its default.
pub async fn update_user_pool(
    state: &State,
    _: Admin,
    req: UpdateUserPoolRequest,
) -> Result<Empty> {
    let mut pool = load(state, &req.user_pool_id).await?;
    if let Some(name) = req.pool_name {
        pool.name = name;
    }
    let old = pool.settings;
    let mut settings = req.settings;
    // Set at creation, never changed by UpdateUserPool.
    settings.schema_attributes = old.schema_attributes;
    settings.alias_attributes = old.alias_attributes;
    settings.username_attributes = old.username_attributes;
    settings.username_configuration = old.username_configuration;
    complete_settings(&mut settings)?;
    for key in POOL_MFA_MEMBERS {
        if let Some(v) = old.other.get(*key) {
            settings.other.insert(key.to_string(), v.clone());
        }
    }
    pool.settings = settings;
    pool.updated_at = now_ms();
    pool_store::update(&state.db, &pool).await?;
    Ok(Empty {})
}

pub async fn delete_user_pool(state: &State, _: Admin, req: UserPoolIdRequest) -> Result<Empty> {
    let pool = load(state, &req.user_pool_id).await?;
    if pool.settings.deletion_protection_active() {
        return invalid_parameter(format!(
            "The user pool {} has deletion protection enabled.",
            pool.id
        ));
    }
    pool_store::delete(&state.db, &pool.id).await?;
    keys::evict(state, &pool.id);
    tracing::info!(pool_id = %pool.id, "user pool deleted");
    Ok(Empty {})
}

pub async fn list_user_pools(
    state: &State,
    _: Admin,
    req: ListUserPoolsRequest,
) -> Result<ListUserPoolsResponse> {
    let after = req
        .next_token
        .as_deref()
        .map(paging::decode_created)
        .transpose()?;
    let mut page = pool_store::list_page(&state.db, after, req.max_results + 1).await?;
    let next_token = paging::next_token(&mut page, req.max_results, |p| {
        paging::encode_created(p.created_at, &p.id)
    });
    Ok(ListUserPoolsResponse {
        user_pools: page
            .into_iter()
            .map(|p| UserPoolDescriptionType {
                lambda_config: p
                    .settings
                    .lambda_config()
                    .cloned()
                    .unwrap_or_else(|| json!({})),
                id: p.id,
                name: p.name,
                status: "Enabled",
                creation_date: epoch_seconds(p.created_at),
                last_modified_date: epoch_seconds(p.updated_at),
            })
            .collect(),
        next_token,
    })
}

fn describe(state: &State, mut pool: PoolRecord, users: i64) -> UserPoolType {
    // GetUserPoolMfaConfig shows these; DescribeUserPool has no members for them.
    for key in POOL_MFA_MEMBERS {
        pool.settings.other.remove(*key);
    }
    UserPoolType {
        arn: format!(
            "arn:aws:cognito-idp:{}:{}:userpool/{}",
            state.region, state.account_id, pool.id
        ),
        id: pool.id,
        name: pool.name,
        status: "Enabled",
        creation_date: epoch_seconds(pool.created_at),
        last_modified_date: epoch_seconds(pool.updated_at),
        estimated_number_of_users: users,
        settings: pool.settings,
    }
}

/// Validates the settings and fills in Cognito's defaults where a setting was left out.
fn complete_settings(s: &mut UserPoolSettings) -> Result<()> {
    s.other
        .retain(|k, _| VERBATIM_POOL_MEMBERS.contains(&k.as_str()));
    s.mfa_configuration.get_or_insert_with(|| "OFF".into());
    let policies = s.policies.get_or_insert_with(Policies::default);
    let password = policies
        .password_policy
        .get_or_insert_with(PasswordPolicy::default);
    password.minimum_length.get_or_insert(8);
    let days = *password.temporary_password_validity_days.get_or_insert(7);
    let sign_in = policies
        .sign_in_policy
        .get_or_insert_with(|| json!({"AllowedFirstAuthFactors": ["PASSWORD"]}));
    check_first_factors(sign_in)?;
    let defaults: [(&str, Value); 6] = [
        ("DeletionProtection", json!("INACTIVE")),
        ("LambdaConfig", json!({})),
        (
            "VerificationMessageTemplate",
            verification_template(&s.other),
        ),
        (
            "EmailConfiguration",
            json!({"EmailSendingAccount": "COGNITO_DEFAULT"}),
        ),
        (
            "AdminCreateUserConfig",
            json!({"AllowAdminCreateUserOnly": false, "UnusedAccountValidityDays": days}),
        ),
        ("UserPoolTier", json!("ESSENTIALS")),
    ];
    for (key, value) in defaults {
        s.other.entry(key).or_insert(value);
    }
    Ok(())
}

/// SignInPolicy.AllowedFirstAuthFactors: known factors, PASSWORD always among them.
fn check_first_factors(policy: &Value) -> Result<()> {
    let factors = policy
        .get("AllowedFirstAuthFactors")
        .and_then(Value::as_array);
    let Some(factors) = factors else {
        return invalid_parameter("SignInPolicy needs AllowedFirstAuthFactors.");
    };
    let known = ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"];
    if factors
        .iter()
        .any(|f| !f.as_str().is_some_and(|f| known.contains(&f)))
    {
        return invalid_parameter(format!(
            "AllowedFirstAuthFactors must be among [{}].",
            known.join(", ")
        ));
    }
    if !factors.iter().any(|f| f == "PASSWORD") {
        return invalid_parameter("AllowedFirstAuthFactors must include PASSWORD.");
    }
    Ok(())
}

/// The verification template Cognito derives from the legacy message members.
fn verification_template(other: &Map<String, Value>) -> Value {
    let mut t = Map::new();
    for (legacy, current) in [
        ("SmsVerificationMessage", "SmsMessage"),
        ("EmailVerificationMessage", "EmailMessage"),
        ("EmailVerificationSubject", "EmailSubject"),
    ] {
        if let Some(v) = other.get(legacy) {
            t.insert(current.into(), v.clone());
        }
    }
    t.insert("DefaultEmailOption".into(), json!("CONFIRM_WITH_CODE"));
    Value::Object(t)
}

/// Cognito's standard attributes: name, type, mutable, string length bounds.
const STANDARD_ATTRIBUTES: &[(&str, &str)] = &[
    ("sub", "String"),
    ("name", "String"),
    ("given_name", "String"),
    ("family_name", "String"),
    ("middle_name", "String"),
    ("nickname", "String"),
    ("preferred_username", "String"),
    ("profile", "String"),
    ("picture", "String"),
    ("website", "String"),
    ("email", "String"),
    ("email_verified", "Boolean"),
    ("gender", "String"),
    ("birthdate", "String"),
    ("zoneinfo", "String"),
    ("locale", "String"),
    ("phone_number", "String"),
    ("phone_number_verified", "Boolean"),
    ("address", "String"),
    ("updated_at", "Number"),
];

/// The pool's SchemaAttributes: the standard schema, changed and extended by `requested`.
fn build_schema(requested: Vec<SchemaAttribute>) -> Result<Vec<SchemaAttribute>> {
    let mut schema: Vec<SchemaAttribute> = STANDARD_ATTRIBUTES
        .iter()
        .map(|(name, kind)| SchemaAttribute {
            name: Some(name.to_string()),
            attribute_data_type: Some(kind.to_string()),
            developer_only_attribute: Some(false),
            mutable: Some(*name != "sub"),
            required: Some(*name == "sub"),
            number_attribute_constraints: (*kind == "Number").then(|| json!({"MinValue": "0"})),
            string_attribute_constraints: (*kind == "String").then(|| match *name {
                "sub" => json!({"MinLength": "1", "MaxLength": "2048"}),
                "birthdate" => json!({"MinLength": "10", "MaxLength": "10"}),
                _ => json!({"MinLength": "0", "MaxLength": "2048"}),
            }),
        })
        .collect();
    for attr in requested {
        let (name, kind) = schema::name_and_kind(&attr)?;
        if let Some(existing) = schema.iter_mut().find(|a| a.name.as_deref() == Some(&name)) {
            if name == "sub" {
                return invalid_parameter("The sub attribute cannot be changed.");
            }
            existing.required = attr.required.or(existing.required);
            existing.mutable = attr.mutable.or(existing.mutable);
            if attr.string_attribute_constraints.is_some() {
                existing.string_attribute_constraints = attr.string_attribute_constraints;
            }
            continue;
        }
        let entry = schema::custom_attribute(&name, kind, attr)?;
        if schema.iter().any(|a| a.name == entry.name) {
            return invalid_parameter(format!("Duplicate attribute name {name}."));
        }
        schema.push(entry);
    }
    Ok(schema)
}

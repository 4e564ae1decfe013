//! User pool shapes: CreateUserPool, DescribeUserPool, UpdateUserPool, ListUserPools.

use serde::{Deserialize, Serialize};

use super::ids::UserPoolId;
use serde_json::{Map, Value};

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct PasswordPolicy {
    #[serde(default)]
    pub minimum_length: Option<i64>,
    #[serde(default)]
    pub require_uppercase: bool,
    #[serde(default)]
    pub require_lowercase: bool,
    #[serde(default)]
    pub require_numbers: bool,
    #[serde(default)]
    pub require_symbols: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_history_size: Option<i64>,
    #[serde(default)]
    pub temporary_password_validity_days: Option<i64>,
}

impl Default for PasswordPolicy {
    /// Cognito's default policy.
    fn default() -> Self {
        PasswordPolicy {
            minimum_length: Some(8),
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
            password_history_size: None,
            temporary_password_validity_days: Some(7),
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Policies {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_policy: Option<PasswordPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in_policy: Option<Value>,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct SchemaAttribute {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_data_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub developer_only_attribute: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mutable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_attribute_constraints: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub string_attribute_constraints: Option<Value>,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct UsernameConfiguration {
    pub case_sensitive: bool,
}

/// Every stored setting of a user pool, as DescribeUserPool shows it (less the computed
/// members). Settings Cognate acts on are typed; the rest are kept as given.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<Policies>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_verified_attributes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias_attributes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username_attributes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username_configuration: Option<UsernameConfiguration>,
    #[serde(
        default,
        rename = "SchemaAttributes",
        skip_serializing_if = "Option::is_none"
    )]
    pub schema_attributes: Option<Vec<SchemaAttribute>>,
    /// Everything else AWS accepts (LambdaConfig, EmailConfiguration, ...), stored verbatim.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// Members of CreateUserPool / UpdateUserPool stored verbatim in `UserPoolSettings::other`.
pub const VERBATIM_POOL_MEMBERS: &[&str] = &[
    "DeletionProtection",
    "LambdaConfig",
    "SmsVerificationMessage",
    "EmailVerificationMessage",
    "EmailVerificationSubject",
    "VerificationMessageTemplate",
    "SmsAuthenticationMessage",
    "UserAttributeUpdateSettings",
    "DeviceConfiguration",
    "EmailConfiguration",
    "SmsConfiguration",
    "UserPoolTags",
    "AdminCreateUserConfig",
    "UserPoolAddOns",
    "AccountRecoverySetting",
    "UserPoolTier",
];

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolRequest {
    pub pool_name: String,
    #[serde(default)]
    pub schema: Option<Vec<SchemaAttribute>>,
    #[serde(flatten)]
    pub settings: UserPoolSettings,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserPoolRequest {
    pub user_pool_id: UserPoolId,
    #[serde(default)]
    pub pool_name: Option<String>,
    #[serde(flatten)]
    pub settings: UserPoolSettings,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AddCustomAttributesRequest {
    pub user_pool_id: UserPoolId,
    pub custom_attributes: Vec<SchemaAttribute>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolIdRequest {
    pub user_pool_id: UserPoolId,
}

/// UserPoolType: the stored settings plus the members Cognito computes.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolType {
    pub id: String,
    pub name: String,
    pub arn: String,
    pub status: &'static str,
    pub creation_date: f64,
    pub last_modified_date: f64,
    pub estimated_number_of_users: i64,
    #[serde(flatten)]
    pub settings: UserPoolSettings,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolReply {
    pub user_pool: UserPoolType,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolsRequest {
    pub max_results: i64,
    #[serde(default)]
    pub next_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolDescriptionType {
    pub id: String,
    pub name: String,
    pub lambda_config: Value,
    pub status: &'static str,
    pub creation_date: f64,
    pub last_modified_date: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolsResponse {
    pub user_pools: Vec<UserPoolDescriptionType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// Typed reads of the settings Cognate acts on, whether they have a field of their own or
/// are kept verbatim in `other`. Code outside this impl never reads `other` by key.
impl UserPoolSettings {
    /// Whether usernames (and alias values) are told apart by letter case: Cognito's
    /// default without a UsernameConfiguration.
    pub fn case_sensitive(&self) -> bool {
        self.username_configuration
            .as_ref()
            .is_none_or(|c| c.case_sensitive)
    }

    fn member(&self, name: &str) -> Option<&Value> {
        self.other.get(name).filter(|v| !v.is_null())
    }

    fn member_str<'a>(&'a self, path: &[&str]) -> Option<&'a str> {
        let (first, rest) = path.split_first()?;
        rest.iter()
            .try_fold(self.member(first)?, |v, k| v.get(*k))?
            .as_str()
    }

    fn strings(value: Option<&Value>) -> Vec<String> {
        value
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The password policy, Cognito's default when none is set.
    pub fn password_policy(&self) -> PasswordPolicy {
        self.policies
            .as_ref()
            .and_then(|p| p.password_policy.clone())
            .unwrap_or_default()
    }

    /// SignInPolicy.AllowedFirstAuthFactors; PASSWORD alone when unset.
    pub fn allowed_first_auth_factors(&self) -> Vec<String> {
        let listed = self
            .policies
            .as_ref()
            .and_then(|p| p.sign_in_policy.as_ref())
            .and_then(|s| s.get("AllowedFirstAuthFactors"));
        match listed {
            Some(v) => Self::strings(Some(v)),
            None => vec!["PASSWORD".into()],
        }
    }

    /// SoftwareTokenMfaConfiguration.Enabled.
    pub fn software_token_mfa_enabled(&self) -> bool {
        self.member("SoftwareTokenMfaConfiguration")
            .and_then(|c| c.get("Enabled"))
            .and_then(Value::as_bool)
            == Some(true)
    }

    /// Whether SMS MFA can be offered: an SMS MFA or SMS configuration exists.
    pub fn sms_mfa_configured(&self) -> bool {
        self.member("SmsMfaConfiguration").is_some() || self.member("SmsConfiguration").is_some()
    }

    /// Whether email MFA can be offered: EmailMfaConfiguration exists.
    pub fn email_mfa_configured(&self) -> bool {
        self.member("EmailMfaConfiguration").is_some()
    }

    /// Whether the pool tracks devices (a DeviceConfiguration is set).
    pub fn tracks_devices(&self) -> bool {
        self.member("DeviceConfiguration")
            .is_some_and(Value::is_object)
    }

    /// DeviceConfiguration.DeviceOnlyRememberedOnUserPrompt.
    pub fn device_only_remembered_on_user_prompt(&self) -> bool {
        self.member("DeviceConfiguration")
            .and_then(|c| c.get("DeviceOnlyRememberedOnUserPrompt"))
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// EmailConfiguration.From.
    pub fn email_from(&self) -> Option<&str> {
        self.member_str(&["EmailConfiguration", "From"])
    }

    /// EmailConfiguration.ReplyToEmailAddress.
    pub fn email_reply_to(&self) -> Option<&str> {
        self.member_str(&["EmailConfiguration", "ReplyToEmailAddress"])
    }

    /// A member of VerificationMessageTemplate (EmailMessage, EmailSubject, SmsMessage, ...).
    pub fn verification_template(&self, field: &str) -> Option<&str> {
        self.member_str(&["VerificationMessageTemplate", field])
    }

    /// A member of AdminCreateUserConfig.InviteMessageTemplate.
    pub fn invite_template(&self, field: &str) -> Option<&str> {
        self.member_str(&["AdminCreateUserConfig", "InviteMessageTemplate", field])
    }

    /// DeletionProtection is ACTIVE.
    pub fn deletion_protection_active(&self) -> bool {
        self.member_str(&["DeletionProtection"]) == Some("ACTIVE")
    }

    /// LambdaConfig as stored, if any.
    pub fn lambda_config(&self) -> Option<&Value> {
        self.member("LambdaConfig")
    }

    /// UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate.
    pub fn attributes_require_verification_before_update(&self) -> Vec<String> {
        Self::strings(
            self.member("UserAttributeUpdateSettings")
                .and_then(|s| s.get("AttributesRequireVerificationBeforeUpdate")),
        )
    }

    /// AccountRecoverySetting.RecoveryMechanisms as (priority, name), if the pool sets them.
    pub fn recovery_mechanisms(&self) -> Option<Vec<(i64, String)>> {
        let mechanisms = self
            .member("AccountRecoverySetting")?
            .get("RecoveryMechanisms")?
            .as_array()?;
        Some(
            mechanisms
                .iter()
                .filter_map(|m| {
                    let priority = m.get("Priority").and_then(Value::as_i64);
                    let name = m.get("Name")?.as_str()?;
                    Some((priority.unwrap_or(i64::MAX), name.to_string()))
                })
                .collect(),
        )
    }

    /// UserPoolTags.
    pub fn tags(&self) -> std::collections::BTreeMap<String, String> {
        self.member("UserPoolTags")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn set_tags(&mut self, tags: &std::collections::BTreeMap<String, String>) {
        let value = tags
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        self.other
            .insert("UserPoolTags".into(), Value::Object(value));
    }
}

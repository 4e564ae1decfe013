//! The events Cognito sends its triggers and the responses it reads back, as Cognito's
//! documentation shapes them (camelCase, every request and response member present).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Deserializer, Serialize};

/// A boolean a function may leave null (or absent): false, as Cognito reads it.
pub fn null_false<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(d)?.unwrap_or(false))
}

/// The common envelope of every trigger event.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Event<'a, Req, Resp> {
    pub version: &'a str,
    pub trigger_source: &'a str,
    pub region: &'a str,
    pub user_pool_id: &'a str,
    pub user_name: &'a str,
    pub caller_context: CallerContext<'a>,
    pub request: Req,
    pub response: Resp,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallerContext<'a> {
    pub aws_sdk_version: &'a str,
    pub client_id: &'a str,
}

pub type Attributes = BTreeMap<String, String>;
pub type Metadata = HashMap<String, String>;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreSignUpRequest<'a> {
    pub user_attributes: &'a Attributes,
    pub validation_data: &'a Metadata,
    pub client_metadata: &'a Metadata,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct PreSignUpResponse {
    #[serde(default, deserialize_with = "null_false")]
    pub auto_confirm_user: bool,
    #[serde(default, deserialize_with = "null_false")]
    pub auto_verify_email: bool,
    #[serde(default, deserialize_with = "null_false")]
    pub auto_verify_phone: bool,
}

/// PostConfirmation's request (and PostAuthentication's, with `newDeviceUsed`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserRequest<'a> {
    pub user_attributes: &'a Attributes,
    pub client_metadata: &'a Metadata,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreAuthenticationRequest<'a> {
    pub user_attributes: &'a Attributes,
    pub user_not_found: bool,
    pub validation_data: &'a Metadata,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostAuthenticationRequest<'a> {
    pub user_attributes: &'a Attributes,
    pub new_device_used: bool,
    pub client_metadata: &'a Metadata,
}

/// A response Cognito reads nothing from: `{}`, and whatever the function puts there.
#[derive(Serialize, Deserialize, Default)]
pub struct NoResponse {}

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct GroupConfiguration {
    #[serde(default)]
    pub groups_to_override: Option<Vec<String>>,
    #[serde(default)]
    pub iam_roles_to_override: Option<Vec<String>>,
    #[serde(default)]
    pub preferred_role: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreTokenGenerationRequest<'a> {
    pub user_attributes: &'a Attributes,
    pub group_configuration: &'a GroupConfiguration,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<&'a [String]>,
    pub client_metadata: &'a Metadata,
}

/// Claims to add or override and to suppress in one token.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ClaimsChange {
    #[serde(default)]
    pub claims_to_add_or_override: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    pub claims_to_suppress: Option<Vec<String>>,
    #[serde(default)]
    pub scopes_to_add: Option<Vec<String>>,
    #[serde(default)]
    pub scopes_to_suppress: Option<Vec<String>>,
}

/// Version 1: `claimsOverrideDetails` (ID token claims and groups).
#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase")]
pub struct PreTokenGenerationV1Response {
    #[serde(default)]
    pub claims_override_details: Option<ClaimsOverrideDetails>,
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ClaimsOverrideDetails {
    #[serde(default)]
    pub claims_to_add_or_override: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    pub claims_to_suppress: Option<Vec<String>>,
    #[serde(default)]
    pub group_override_details: Option<GroupConfiguration>,
}

/// Versions 2 and 3: `claimsAndScopeOverrideDetails` (both tokens, scopes, groups).
#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase")]
pub struct PreTokenGenerationV2Response {
    #[serde(default)]
    pub claims_and_scope_override_details: Option<ClaimsAndScopeOverrideDetails>,
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ClaimsAndScopeOverrideDetails {
    #[serde(default)]
    pub id_token_generation: Option<ClaimsChange>,
    #[serde(default)]
    pub access_token_generation: Option<ClaimsChange>,
    #[serde(default)]
    pub group_override_details: Option<GroupConfiguration>,
}

/// DefineAuthChallenge's response as Cognito sends it: every member null.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DefineAuthChallengeBlank {
    pub challenge_name: Option<String>,
    pub issue_tokens: Option<bool>,
    pub fail_authentication: Option<bool>,
}

/// CreateAuthChallenge's response as Cognito sends it: every member null.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateAuthChallengeBlank {
    pub public_challenge_parameters: Option<HashMap<String, String>>,
    pub private_challenge_parameters: Option<HashMap<String, String>>,
    pub challenge_metadata: Option<String>,
}

/// VerifyAuthChallengeResponse's response as Cognito sends it: `answerCorrect` null.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyAuthChallengeBlank {
    pub answer_correct: Option<bool>,
}

/// One entry of a custom sign-in's session history.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeResult {
    pub challenge_name: String,
    pub challenge_result: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge_metadata: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DefineAuthChallengeRequest<'a> {
    pub user_attributes: &'a Attributes,
    pub session: &'a [ChallengeResult],
    pub client_metadata: &'a Metadata,
    pub user_not_found: bool,
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase")]
pub struct DefineAuthChallengeResponse {
    #[serde(default)]
    pub challenge_name: Option<String>,
    #[serde(default, deserialize_with = "null_false")]
    pub issue_tokens: bool,
    #[serde(default, deserialize_with = "null_false")]
    pub fail_authentication: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateAuthChallengeRequest<'a> {
    pub user_attributes: &'a Attributes,
    pub challenge_name: &'a str,
    pub session: &'a [ChallengeResult],
    pub client_metadata: &'a Metadata,
    pub user_not_found: bool,
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase")]
pub struct CreateAuthChallengeResponse {
    #[serde(default)]
    pub public_challenge_parameters: Option<HashMap<String, String>>,
    #[serde(default)]
    pub private_challenge_parameters: Option<HashMap<String, String>>,
    #[serde(default)]
    pub challenge_metadata: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyAuthChallengeRequest<'a> {
    pub user_attributes: &'a Attributes,
    pub private_challenge_parameters: &'a HashMap<String, String>,
    pub challenge_answer: &'a str,
    pub client_metadata: &'a Metadata,
    pub user_not_found: bool,
}

#[derive(Serialize, Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase")]
pub struct VerifyAuthChallengeResponse {
    #[serde(default, deserialize_with = "null_false")]
    pub answer_correct: bool,
}

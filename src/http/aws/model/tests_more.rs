//! Lists, maps, limits, valid requests, and the REST-JSON routing of cognito-sync.

use serde_json::{json, Value};

use super::tests::{invalid, rejected};
use super::{model, Service};

const POOL: &str = "us-east-1_AbCdEf123";
const IDENTITY_POOL: &str = "us-east-1:0f0e0d0c-0b0a-4909-8807-060504030201";
const IDENTITY: &str = "us-east-1:11111111-2222-4333-8444-555555555555";

#[test]
fn scalar_list_elements_are_one_error_for_the_whole_list() {
    let message = invalid(
        "UpdateUserPoolClient",
        json!({"UserPoolId": POOL, "ClientId": "abc", "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "NOPE", "ALSO"]}),
    );
    assert_eq!(
        message,
        "1 validation error detected: Value '[ALLOW_USER_SRP_AUTH, NOPE, ALSO]' at \
         'explicitAuthFlows' failed to satisfy constraint: Member must satisfy constraint: \
         [Member must satisfy enum value set: [ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, \
         USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_CUSTOM_AUTH, \
         ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, \
         ALLOW_USER_AUTH, ALLOW_TOKEN_EXCHANGE_DELEGATION, ALLOW_TOKEN_EXCHANGE_IMPERSONATION]]"
    );
    // As AWS answers an empty callback URL: every constraint of the element shape is listed.
    let message = invalid(
        "UpdateUserPoolClient",
        json!({"UserPoolId": POOL, "ClientId": "abc", "CallbackURLs": [""]}),
    );
    assert!(
        message.ends_with(
            "Value '[]' at 'callbackURLs' failed to satisfy constraint: Member must satisfy \
         constraint: [Member must have length less than or equal to 1024, Member must have \
         length greater than or equal to 1, Member must satisfy regular expression pattern: \
         [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+]"
        ),
        "{message}"
    );
}

#[test]
fn structure_elements_are_checked_at_their_index() {
    assert_eq!(
        invalid(
            "AdminUpdateUserAttributes",
            json!({"UserPoolId": POOL, "Username": "bob", "UserAttributes": [{"Name": "email", "Value": "a@b.c"}, {"Value": "x"}]}),
        ),
        "1 validation error detected: Value null at 'userAttributes.2.member.name' failed to \
         satisfy constraint: Member must not be null"
    );
    let long = "n".repeat(33);
    assert_eq!(
        invalid(
            "AdminUpdateUserAttributes",
            json!({"UserPoolId": POOL, "Username": "bob", "UserAttributes": [{"Name": long}]}),
        ),
        format!(
            "1 validation error detected: Value '{long}' at 'userAttributes.1.member.name' \
             failed to satisfy constraint: Member must have length less than or equal to 32"
        )
    );
}

#[test]
fn list_length_is_its_element_count() {
    let schema: Vec<Value> = (0..51).map(|i| json!({"Name": format!("a{i}")})).collect();
    let message = invalid("CreateUserPool", json!({"PoolName": "p", "Schema": schema}));
    assert!(
        message.starts_with("1 validation error detected: Value '[SchemaAttributeType(name=a0, "),
        "{message}"
    );
    assert!(message.ends_with("at 'schema' failed to satisfy constraint: Member must have length less than or equal to 50"), "{message}");
    let message = invalid("CreateUserPool", json!({"PoolName": "p", "Schema": []}));
    assert!(message.ends_with("Value '[]' at 'schema' failed to satisfy constraint: Member must have length greater than or equal to 1"), "{message}");
}

#[test]
fn map_values_and_keys_are_one_error_each() {
    let big = "v".repeat(131_073);
    let message = invalid(
        "InitiateAuth",
        json!({"AuthFlow": "USER_AUTH", "ClientId": "abc", "ClientMetadata": {"k": big}}),
    );
    assert_eq!(
        message,
        format!(
            "1 validation error detected: Value '{{k={big}}}' at 'clientMetadata' failed to \
             satisfy constraint: Map value must satisfy constraint: [Member must have length \
             less than or equal to 131072, Member must have length greater than or equal to 0]"
        )
    );
    let message = invalid(
        "CreateUserPool",
        json!({"PoolName": "p", "UserPoolTags": {"": "v", "ok": "w"}}),
    );
    assert!(
        message.contains(
            "at 'userPoolTags' failed to satisfy constraint: Map keys must satisfy constraint: \
         [Member must have length less than or equal to 128, Member must have length greater \
         than or equal to 1]"
        ),
        "{message}"
    );
    // A sensitive map is never echoed.
    let message = invalid(
        "InitiateAuth",
        json!({"AuthFlow": "USER_AUTH", "ClientId": "abc", "AuthParameters": {"USERNAME": big}}),
    );
    assert!(
        message.starts_with("1 validation error detected: Value at 'authParameters' "),
        "{message}"
    );
}

#[test]
fn structure_map_values_are_checked_under_their_key() {
    let r = rejected(
        Service::Identity,
        "SetIdentityPoolRoles",
        json!({"IdentityPoolId": IDENTITY_POOL, "Roles": {}, "RoleMappings": {"graph.facebook.com": {"Type": "Bogus"}}}),
    );
    assert_eq!(
        r.message,
        "1 validation error detected: Value 'Bogus' at 'roleMappings.graph.facebook.com.member.type' \
         failed to satisfy constraint: Member must satisfy enum value set: [Token, Rules]"
    );
}

#[test]
fn at_most_ten_violations_are_reported() {
    let attributes: Vec<Value> = (0..12).map(|_| json!({"Value": "x"})).collect();
    let message = invalid(
        "AdminUpdateUserAttributes",
        json!({"UserPoolId": POOL, "Username": "bob", "UserAttributes": attributes}),
    );
    assert!(
        message.starts_with("10 validation errors detected: "),
        "{message}"
    );
    assert_eq!(message.matches("failed to satisfy constraint").count(), 10);
}

#[test]
fn string_length_counts_code_points() {
    // 128 emoji: 256 UTF-16 units, 512 bytes, 128 characters; PoolName allows 128.
    let name = "\u{1F600}".repeat(128);
    let message = invalid("CreateUserPool", json!({"PoolName": name}));
    assert!(!message.contains("length"), "{message}");
    assert!(message.contains("regular expression pattern"), "{message}");
}

#[test]
fn unknown_members_are_ignored() {
    let input = json!({"UserPoolId": POOL, "Username": "bob", "Whatever": {"deep": [1, 2]}});
    model(Service::Idp).check("AdminGetUser", &input).unwrap();
}

fn route(method: &str, path: &str, query: &str, body: &str) -> (String, Value) {
    let sync = model(Service::Sync);
    let (op, input) = sync
        .route(method, path, query, body.as_bytes())
        .expect("a route")
        .expect("a well-formed request");
    (op, input)
}

#[test]
fn rest_json_routes_by_method_and_template() {
    assert_eq!(
        route("GET", "/identitypools", "", "").0,
        "ListIdentityPoolUsage"
    );
    let pool = format!("/identitypools/{IDENTITY_POOL}");
    assert_eq!(
        route("GET", &pool, "", ""),
        (
            "DescribeIdentityPoolUsage".into(),
            json!({"IdentityPoolId": IDENTITY_POOL})
        )
    );
    assert_eq!(
        route("GET", &format!("{pool}/events"), "", "").0,
        "GetCognitoEvents"
    );
    assert_eq!(
        route("POST", &format!("{pool}/events"), "", "{\"Events\":{}}").0,
        "SetCognitoEvents"
    );
    let dataset = format!(
        "{pool}/identities/{}/datasets/my%3Ads",
        IDENTITY.replace(':', "%3A")
    );
    let (op, input) = route(
        "GET",
        &format!("{dataset}/records"),
        "maxResults=5&lastSyncCount=3&nextToken=a+b&x=y",
        "",
    );
    assert_eq!(op, "ListRecords");
    assert_eq!(
        input,
        json!({"IdentityPoolId": IDENTITY_POOL, "IdentityId": IDENTITY, "DatasetName": "my:ds", "MaxResults": 5, "LastSyncCount": 3, "NextToken": "a b"})
    );
    assert_eq!(route("DELETE", &dataset, "", "").0, "DeleteDataset");
    let (op, input) = route(
        "POST",
        &dataset,
        "",
        r#"{"SyncSessionToken":"t","IdentityPoolId":"ignored","RecordPatches":[]}"#,
    );
    assert_eq!(op, "UpdateRecords");
    assert_eq!(input["IdentityPoolId"], IDENTITY_POOL);
    model(Service::Sync).check(&op, &input).unwrap();
    assert_eq!(
        model(Service::Sync).header_members("UpdateRecords"),
        [("ClientContext", "x-amz-Client-Context")]
    );
    let sync = model(Service::Sync);
    assert!(sync.route("GET", "/nothing/here", "", b"").is_none());
    assert!(sync.route("PUT", &pool, "", b"").is_none());
    assert!(sync
        .route("GET", &format!("{pool}/events/extra"), "", b"")
        .is_none());
}

#[test]
fn rest_json_inputs_are_checked_like_json_ones() {
    let sync = model(Service::Sync);
    let bad = sync
        .route(
            "GET",
            "/identitypools/nope/identities/x/datasets",
            "maxResults=abc",
            b"",
        )
        .unwrap();
    assert_eq!(
        bad.unwrap_err().message,
        "STRING_VALUE can not be converted to an Integer (at 'maxResults')"
    );
    let (op, input) = sync
        .route("GET", "/identitypools/nope", "", b"")
        .unwrap()
        .unwrap();
    assert_eq!(
        sync.check(&op, &input).unwrap_err().message,
        "1 validation error detected: Value 'nope' at 'identityPoolId' failed to satisfy \
         constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+"
    );
    let register = format!("/identitypools/{IDENTITY_POOL}/identity/{IDENTITY}/device");
    let (op, input) = sync
        .route("POST", &register, "", br#"{"Platform":"WINDOWS"}"#)
        .unwrap()
        .unwrap();
    let message = sync.check(&op, &input).unwrap_err().message;
    assert!(
        message.starts_with("2 validation errors detected: "),
        "{message}"
    );
    assert!(message.contains("Value 'WINDOWS' at 'platform' failed to satisfy constraint: Member must satisfy enum value set: [APNS, APNS_SANDBOX, GCM, ADM]"), "{message}");
    assert!(
        message.contains(
            "Value null at 'token' failed to satisfy constraint: Member must not be null"
        ),
        "{message}"
    );
    let broken = sync.route("POST", &register, "", b"{oops").unwrap();
    assert_eq!(broken.unwrap_err().code, "SerializationException");
}

//! The models themselves, and each validation rule on a real operation.

use serde_json::{json, Value};

use super::{model, Rejection, Service};

pub(super) fn rejected(service: Service, op: &str, input: Value) -> Rejection {
    model(service)
        .check(op, &input)
        .expect_err("the request is rejected")
}

pub(super) fn invalid(op: &str, input: Value) -> String {
    let r = rejected(Service::Idp, op, input);
    assert_eq!(r.code, "InvalidParameterException", "{}", r.message);
    r.message
}

fn serialization(op: &str, input: Value) -> String {
    let r = rejected(Service::Idp, op, input);
    assert_eq!(r.code, "SerializationException", "{}", r.message);
    r.message
}

const POOL: &str = "us-east-1_AbCdEf123";

#[test]
fn the_models_list_exactly_the_published_operations() {
    let lists = [
        (
            Service::Idp,
            include_str!("../operations/cognito-idp.txt"),
            153,
        ),
        (
            Service::Identity,
            include_str!("../operations/cognito-identity.txt"),
            23,
        ),
        (
            Service::Sync,
            include_str!("../operations/cognito-sync.txt"),
            17,
        ),
    ];
    for (service, list, count) in lists {
        let mut want: Vec<&str> = list
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        want.sort();
        let have: Vec<&str> = model(service).operations().collect();
        assert_eq!(have, want, "{service:?}");
        assert_eq!(have.len(), count, "{service:?}");
        assert!(have.iter().all(|op| model(service).has(op)));
    }
    assert!(!model(Service::Idp).has("NoSuchOperation"));
    // Every operation of the three models declares the code validation failures use.
    for service in [Service::Idp, Service::Identity, Service::Sync] {
        let m = model(service);
        assert!(m.operations().all(|op| m
            .errors(op)
            .iter()
            .any(|e| e == "InvalidParameterException")));
    }
}

#[test]
fn the_three_models_come_from_one_botocore_release() {
    let version = model(Service::Idp).botocore_version();
    assert!(version.starts_with("1."), "{version}");
    assert_eq!(model(Service::Identity).botocore_version(), version);
    assert_eq!(model(Service::Sync).botocore_version(), version);
    assert_eq!(model(Service::Idp).protocol(), "json");
    assert_eq!(model(Service::Sync).protocol(), "rest-json");
    assert_eq!(
        model(Service::Idp).target_prefix(),
        Some("AWSCognitoIdentityProviderService")
    );
    assert_eq!(
        model(Service::Identity).target_prefix(),
        Some("AWSCognitoIdentityService")
    );
}

#[test]
fn every_pattern_of_every_model_compiles() {
    let mut total = 0;
    for service in [Service::Idp, Service::Identity, Service::Sync] {
        total += model(service).compile_patterns().unwrap();
    }
    // 81 shapes carry a pattern in botocore 1.44.8.
    assert!(total >= 80, "{total} patterns");
}

#[test]
fn unsigned_operations_follow_authtype_and_no_auth() {
    let idp = model(Service::Idp);
    for op in [
        "SignUp",
        "InitiateAuth",
        "RespondToAuthChallenge",
        "ListUserSessions",
    ] {
        assert!(idp.is_unsigned(op), "{op}");
    }
    for op in [
        "AdminCreateUser",
        "CreateUserPool",
        "AdminInitiateAuth",
        "Nope",
    ] {
        assert!(!idp.is_unsigned(op), "{op}");
    }
    assert_eq!(
        idp.operations().filter(|op| idp.is_unsigned(op)).count(),
        34
    );
    let identity = model(Service::Identity);
    let unsigned: Vec<&str> = identity
        .operations()
        .filter(|op| identity.is_unsigned(op))
        .collect();
    assert_eq!(
        unsigned,
        [
            "GetCredentialsForIdentity",
            "GetId",
            "GetOpenIdToken",
            "UnlinkIdentity"
        ]
    );
}

#[test]
fn a_number_for_a_string_is_a_serialization_exception() {
    let message = serialization(
        "CreateUserPool",
        json!({"PoolName": "p", "EmailVerificationSubject": 5}),
    );
    assert_eq!(
        message,
        "NUMBER_VALUE can not be converted to a String (at 'emailVerificationSubject')"
    );
}

fn wrong_type(op: &str, input: Value, want: &str) {
    assert_eq!(serialization(op, input.clone()), want, "{op} {input}");
}

#[test]
fn wrong_scalar_types_are_worded_as_aws_words_them() {
    let limit = |v: Value| json!({"UserPoolId": POOL, "Limit": v});
    let integer = "can not be converted to an Integer (at 'limit')";
    wrong_type(
        "ListUsers",
        limit(json!("5")),
        &format!("STRING_VALUE {integer}"),
    );
    wrong_type(
        "ListUsers",
        limit(json!(true)),
        &format!("TRUE_VALUE {integer}"),
    );
    wrong_type(
        "ListUsers",
        limit(json!(2.5)),
        &format!("NUMBER_VALUE {integer}"),
    );
    let pool = |v: Value| json!({"PoolName": "p", "DeletionProtection": v});
    wrong_type(
        "CreateUserPool",
        pool(json!(false)),
        "FALSE_VALUE can not be converted to a String (at 'deletionProtection')",
    );
    let user = json!({"UserPoolId": POOL, "Username": "u", "ForceAliasCreation": "yes"});
    wrong_type(
        "AdminCreateUser",
        user,
        "STRING_VALUE can not be converted to a Boolean (at 'forceAliasCreation')",
    );
    let attrs = json!({"UserPoolId": POOL, "Username": "u", "UserAttributes": [{"Name": "email", "Value": true}]});
    wrong_type(
        "AdminCreateUser",
        attrs,
        "TRUE_VALUE can not be converted to a String (at 'userAttributes.1.member.value')",
    );
    let metadata = json!({"AuthFlow": "USER_AUTH", "ClientId": "c", "ClientMetadata": {"k": 1}});
    wrong_type(
        "InitiateAuth",
        metadata,
        "NUMBER_VALUE can not be converted to a String (at 'clientMetadata.k.member')",
    );
}

#[test]
fn wrong_container_types_are_worded_as_aws_words_them() {
    let users = |k: &str, v: Value| {
        let mut input = json!({"UserPoolId": POOL});
        input[k] = v;
        input
    };
    let list = "Start of list found where not expected";
    let object = "Start of structure or map found where not expected.";
    wrong_type(
        "ListUsers",
        users("UserPoolId", json!([POOL])),
        &format!("{list} (at 'userPoolId')"),
    );
    wrong_type(
        "ListUsers",
        users("UserPoolId", json!({"a": 1})),
        &format!("{object} (at 'userPoolId')"),
    );
    let expected_list = "Expected list or null (at 'attributesToGet')";
    wrong_type(
        "ListUsers",
        users("AttributesToGet", json!("email")),
        expected_list,
    );
    let pool = |k: &str, v: Value| {
        let mut input = json!({"PoolName": "p"});
        input[k] = v;
        input
    };
    let lambda = pool("LambdaConfig", json!("arn"));
    wrong_type(
        "CreateUserPool",
        lambda,
        "Expected null (at 'lambdaConfig')",
    );
    let tags = pool("UserPoolTags", json!(["a"]));
    wrong_type(
        "CreateUserPool",
        tags,
        &format!("{list} (at 'userPoolTags')"),
    );
    let tags = pool("UserPoolTags", json!("a"));
    wrong_type(
        "CreateUserPool",
        tags,
        "Expected map or null (at 'userPoolTags')",
    );
    let nested = pool("LambdaConfig", json!({"PreSignUp": 1}));
    let want = "NUMBER_VALUE can not be converted to a String (at 'lambdaConfig.preSignUp')";
    wrong_type("CreateUserPool", nested, want);
}

#[test]
fn type_errors_come_before_constraints_and_the_top_level_is_an_object() {
    // A missing PoolName would be a validation error; the type error wins.
    let m = serialization("CreateUserPool", json!({"MfaConfiguration": 1}));
    assert!(m.starts_with("NUMBER_VALUE"), "{m}");
    assert_eq!(
        serialization("ListUsers", json!([1])),
        "Start of list found where not expected"
    );
    assert_eq!(
        rejected(Service::Idp, "ListUsers", json!("x")).code,
        "SerializationException"
    );
    assert_eq!(
        rejected(Service::Idp, "ListUsers", Value::Null).code,
        "SerializationException"
    );
    assert_eq!(
        rejected(Service::Idp, "Nope", json!({})).code,
        "UnknownOperationException"
    );
}

#[test]
fn blank_bodies_are_empty_objects_and_broken_json_is_a_serialization_exception() {
    assert_eq!(super::parse_body(b"").unwrap(), json!({}));
    assert_eq!(super::parse_body(b" \n\t").unwrap(), json!({}));
    assert_eq!(super::parse_body(b"{\"a\":1}").unwrap(), json!({"a": 1}));
    assert_eq!(
        super::parse_body(b"{nope").unwrap_err().code,
        "SerializationException"
    );
}

#[test]
fn a_too_long_nested_arn_names_its_path() {
    let prefix = "arn:aws:lambda:us-east-1:123456789012:function:";
    let arn = format!("{prefix}{}", "a".repeat(2049 - prefix.len()));
    let message = invalid(
        "CreateUserPool",
        json!({"PoolName": "pool", "LambdaConfig": {"PreSignUp": arn}}),
    );
    assert_eq!(
        message,
        format!(
            "1 validation error detected: Value '{arn}' at 'lambdaConfig.preSignUp' failed to \
             satisfy constraint: Member must have length less than or equal to 2048"
        )
    );
}

#[test]
fn a_missing_required_member_is_null() {
    assert_eq!(
        invalid("AdminGetUser", json!({"Username": "bob"})),
        "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: \
         Member must not be null"
    );
    // An explicit null is the same as leaving the member out.
    assert_eq!(
        invalid(
            "AdminGetUser",
            json!({"Username": "bob", "UserPoolId": null})
        ),
        invalid("AdminGetUser", json!({"Username": "bob"}))
    );
}

#[test]
fn sensitive_values_are_left_out_even_when_null() {
    // As AWS answers AdminAddUserToGroup without its names (Username is sensitive).
    assert_eq!(
        invalid("AdminAddUserToGroup", json!({"UserPoolId": POOL})),
        "2 validation errors detected: Value null at 'groupName' failed to satisfy constraint: \
         Member must not be null; Value at 'username' failed to satisfy constraint: Member must \
         not be null"
    );
    assert_eq!(
        invalid(
            "SignUp",
            json!({"ClientId": "abc", "Username": "bob", "Password": "a b"})
        ),
        "1 validation error detected: Value at 'password' failed to satisfy constraint: Member \
         must satisfy regular expression pattern: [\\S]+"
    );
}

#[test]
fn errors_are_joined_pattern_before_length_in_aws_member_order() {
    let message = invalid(
        "SignUp",
        json!({"ClientId": "abc", "Username": "", "Password": ""}),
    );
    assert_eq!(
        message,
        "3 validation errors detected: \
         Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+; \
         Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+; \
         Value at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1"
    );
}

#[test]
fn an_enum_lists_the_model_order() {
    assert_eq!(
        invalid("InitiateAuth", json!({"AuthFlow": "PASSWORD", "ClientId": "abc"})),
        "1 validation error detected: Value 'PASSWORD' at 'authFlow' failed to satisfy constraint: \
         Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, \
         CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]"
    );
}

#[test]
fn a_number_out_of_range() {
    assert_eq!(
        invalid("ListUsers", json!({"UserPoolId": POOL, "Limit": 61})),
        "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member \
         must have value less than or equal to 60"
    );
    let r = rejected(
        Service::Identity,
        "ListIdentityPools",
        json!({"MaxResults": 0}),
    );
    assert_eq!(
        (r.code, r.message.as_str()),
        (
            "InvalidParameterException",
            "1 validation error detected: Value '0' at 'maxResults' failed to satisfy \
             constraint: Member must have value greater than or equal to 1"
        )
    );
}

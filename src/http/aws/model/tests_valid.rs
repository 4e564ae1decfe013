//! Realistic, valid requests pass untouched: the patterns mean what AWS means by them.

use serde_json::{json, Value};

use super::{model, Service};

const POOL: &str = "us-east-1_AbCdEf123";
const IDENTITY_POOL: &str = "us-east-1:0f0e0d0c-0b0a-4909-8807-060504030201";
const IDENTITY: &str = "us-east-1:11111111-2222-4333-8444-555555555555";

fn assert_valid(service: Service, op: &str, input: Value) {
    if let Err(e) = model(service).check(op, &input) {
        panic!("{op} {input}: {e}");
    }
}

#[test]
fn pool_and_client_set_up_requests_pass() {
    assert_valid(
        Service::Idp,
        "CreateUserPool",
        json!({"PoolName": "My App users", "Policies": {"PasswordPolicy": {"MinimumLength": 8, "RequireSymbols": true}}, "AutoVerifiedAttributes": ["email"], "UsernameAttributes": ["email"], "EmailVerificationMessage": "Your code is {####}.", "EmailVerificationSubject": "Your code", "SmsVerificationMessage": "Code: {####}", "MfaConfiguration": "OPTIONAL", "LambdaConfig": {"PreSignUp": "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up"}, "Schema": [{"Name": "tenant", "AttributeDataType": "String", "Mutable": true, "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "64"}}], "UserPoolTags": {"team": "identity"}, "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": false, "UnusedAccountValidityDays": 7}, "AccountRecoverySetting": {"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]}}),
    );
    assert_valid(
        Service::Idp,
        "CreateUserPoolClient",
        json!({"UserPoolId": POOL, "ClientName": "web", "GenerateSecret": false, "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], "CallbackURLs": ["https://app.example.com/callback"], "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid", "email"], "SupportedIdentityProviders": ["COGNITO"], "TokenValidityUnits": {"AccessToken": "minutes"}, "AccessTokenValidity": 60}),
    );
    assert_valid(
        Service::Idp,
        "CreateUserPoolDomain",
        json!({"UserPoolId": POOL, "Domain": "my-app-auth"}),
    );
    assert_valid(
        Service::Idp,
        "TagResource",
        json!({"ResourceArn": "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123", "Tags": {"env": "dev"}}),
    );
}

#[test]
fn sign_up_and_sign_in_requests_pass() {
    assert_valid(
        Service::Idp,
        "SignUp",
        json!({"ClientId": "4rkvd6c1rfk0ruc6lp3anph1hl", "Username": "zoë@example.com", "Password": "Corr3ct-horse!", "UserAttributes": [{"Name": "email", "Value": "zoë@example.com"}, {"Name": "custom:tenant", "Value": "acme"}], "ClientMetadata": {"source": "web"}}),
    );
    assert_valid(
        Service::Idp,
        "ConfirmSignUp",
        json!({"ClientId": "4rkvd6c1rfk0ruc6lp3anph1hl", "Username": "zoe", "ConfirmationCode": "123456"}),
    );
    assert_valid(
        Service::Idp,
        "InitiateAuth",
        json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": "4rkvd6c1rfk0ruc6lp3anph1hl", "AuthParameters": {"USERNAME": "zoe", "SRP_A": "abc123"}}),
    );
    assert_valid(
        Service::Idp,
        "RespondToAuthChallenge",
        json!({"ClientId": "4rkvd6c1rfk0ruc6lp3anph1hl", "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": {"USERNAME": "zoe"}, "Session": "s".repeat(40)}),
    );
    assert_valid(
        Service::Idp,
        "ForgotPassword",
        json!({"ClientId": "4rkvd6c1rfk0ruc6lp3anph1hl", "Username": "zoe"}),
    );
    assert_valid(
        Service::Idp,
        "UpdateUserAttributes",
        json!({"AccessToken": "eyJraWQiOiJhIn0.eyJzdWIiOiJ4In0.c2ln", "UserAttributes": [{"Name": "name", "Value": "Zoë"}]}),
    );
}

#[test]
fn admin_requests_pass() {
    assert_valid(
        Service::Idp,
        "AdminCreateUser",
        json!({"UserPoolId": POOL, "Username": "zoe", "TemporaryPassword": "Temp-Pass1", "UserAttributes": [{"Name": "email", "Value": "z@example.com"}, {"Name": "email_verified", "Value": "true"}], "DesiredDeliveryMediums": ["EMAIL"], "MessageAction": "SUPPRESS"}),
    );
    assert_valid(
        Service::Idp,
        "AdminGetUser",
        json!({"UserPoolId": POOL, "Username": "zoe"}),
    );
    assert_valid(
        Service::Idp,
        "ListUsers",
        json!({"UserPoolId": POOL, "Limit": 60, "Filter": "email ^= \"z\"", "AttributesToGet": ["email"]}),
    );
    assert_valid(
        Service::Idp,
        "CreateGroup",
        json!({"UserPoolId": POOL, "GroupName": "admins", "Description": "Admins", "Precedence": 0}),
    );
    assert_valid(
        Service::Idp,
        "AdminAddUserToGroup",
        json!({"UserPoolId": POOL, "Username": "zoe", "GroupName": "admins"}),
    );
}

#[test]
fn identity_pool_requests_pass() {
    assert_valid(
        Service::Identity,
        "CreateIdentityPool",
        json!({"IdentityPoolName": "my_app", "AllowUnauthenticatedIdentities": false, "CognitoIdentityProviders": [{"ProviderName": "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123", "ClientId": "4rkvd6c1rfk0ruc6lp3anph1hl"}], "SupportedLoginProviders": {"accounts.google.com": "123-abc.apps.googleusercontent.com"}}),
    );
    assert_valid(
        Service::Identity,
        "GetId",
        json!({"IdentityPoolId": IDENTITY_POOL, "Logins": {"cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123": "eyJ.token.sig"}}),
    );
    assert_valid(
        Service::Identity,
        "GetCredentialsForIdentity",
        json!({"IdentityId": IDENTITY}),
    );
    assert_valid(
        Service::Identity,
        "SetIdentityPoolRoles",
        json!({"IdentityPoolId": IDENTITY_POOL, "Roles": {"authenticated": "arn:aws:iam::123456789012:role/Auth"}, "RoleMappings": {"graph.facebook.com": {"Type": "Rules", "AmbiguousRoleResolution": "Deny", "RulesConfiguration": {"Rules": [{"Claim": "isAdmin", "MatchType": "Equals", "Value": "yes", "RoleARN": "arn:aws:iam::123456789012:role/Admin"}]}}}}),
    );
}

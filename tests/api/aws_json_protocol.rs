//! The AWS JSON 1.1 protocol itself, driven with raw HTTP.

use serde_json::Value;

use crate::common::*;

const IDP: &str = "AWSCognitoIdentityProviderService";

async fn error_of(reply: reqwest::Response) -> (u16, String, String, Value) {
    let status = reply.status().as_u16();
    let header = reply
        .headers()
        .get("x-amzn-errortype")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let request_id = reply
        .headers()
        .get("x-amzn-requestid")
        .map(|v| v.to_str().unwrap().to_string());
    assert!(
        request_id.is_some_and(|id| !id.is_empty()),
        "every reply carries x-amzn-RequestId"
    );
    let body: Value = reply.json().await.unwrap();
    (
        status,
        header,
        body["__type"].as_str().unwrap_or_default().to_string(),
        body,
    )
}

#[tokio::test]
async fn malformed_and_incomplete_requests() {
    let app = spawn().await;
    let (status, header, kind, _) = error_of(
        app.raw(&format!("{IDP}.CreateUserPool"), "{not json", true)
            .await,
    )
    .await;
    assert_eq!(
        (status, header.as_str(), kind.as_str()),
        (400, "SerializationException", "SerializationException")
    );

    let (status, _, kind, body) =
        error_of(app.raw(&format!("{IDP}.CreateUserPool"), "{}", true).await).await;
    assert_eq!((status, kind.as_str()), (400, "InvalidParameterException"));
    assert!(body["message"].as_str().unwrap().contains("'poolName'"));

    let (_, _, kind, _) = error_of(
        app.raw(&format!("{IDP}.CreateUserPool"), r#"{"PoolName": 7}"#, true)
            .await,
    )
    .await;
    assert_eq!(kind, "SerializationException");

    let (_, _, kind, _) = error_of(
        app.raw(&format!("{IDP}.SignUp"), r#"{"ClientId": "x"}"#, false)
            .await,
    )
    .await;
    assert_eq!(kind, "InvalidParameterException");
}

#[tokio::test]
async fn unknown_and_unimplemented_operations() {
    let app = spawn().await;
    let (status, _, kind, _) =
        error_of(app.raw(&format!("{IDP}.MakeCoffee"), "{}", true).await).await;
    assert_eq!((status, kind.as_str()), (400, "UnknownOperationException"));
    let (_, _, kind, _) = error_of(app.raw("NoSuchService.Op", "{}", true).await).await;
    assert_eq!(kind, "UnknownOperationException");
    // A well-formed request, so that the model's checks (which come first) pass.
    let risk = r#"{"UserPoolId": "us-east-1_abc"}"#;
    let (_, _, kind, body) = error_of(
        app.raw(&format!("{IDP}.DescribeRiskConfiguration"), risk, true)
            .await,
    )
    .await;
    assert_eq!(kind, "UnsupportedOperationException");
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("DescribeRiskConfiguration"));
}

#[tokio::test]
async fn admin_operations_need_a_signature_even_locally() {
    let app = spawn().await;
    let (status, _, kind, _) = error_of(
        app.raw(
            &format!("{IDP}.ListUserPools"),
            r#"{"MaxResults": 1}"#,
            false,
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, kind.as_str()),
        (403, "MissingAuthenticationTokenException")
    );
    let reply = app
        .raw(
            &format!("{IDP}.ListUserPools"),
            r#"{"MaxResults": 1}"#,
            true,
        )
        .await;
    assert_eq!(reply.status(), 200);
    assert!(reply.headers().contains_key("x-amzn-requestid"));
    let garbled = app
        .http
        .post(&app.base)
        .header("x-amz-target", format!("{IDP}.ListUserPools"))
        .header("authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l")
        .body(r#"{"MaxResults": 1}"#)
        .send()
        .await
        .unwrap();
    let (_, _, kind, _) = error_of(garbled).await;
    assert_eq!(kind, "IncompleteSignatureException");
}

/// Every implemented operation answers malformed, empty or nonsensical input with a Cognito
/// error (or, where the input happens to be valid, success), never a 500.
#[tokio::test]
async fn no_operation_fails_on_bad_input() {
    let app = spawn().await;
    let bodies = [
        "{}",
        r#"{"UserPoolId": 5, "ClientId": [], "Username": {}, "AccessToken": 1}"#,
        r#"{"UserPoolId": "us-east-1_nothere1", "ClientId": "x", "Username": "u", "AccessToken": "a.b.c", "Session": "s", "DeviceKey": "k", "GroupName": "g", "ResourceArn": "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_nothere1", "RefreshToken": "r", "Token": "t", "ChallengeName": "SMS_MFA", "AuthFlow": "USER_SRP_AUTH", "ConfirmationCode": "1", "Password": "p", "MaxResults": 1, "UserCode": "1", "Code": "1", "AttributeName": "email", "PreviousPassword": "p", "ProposedPassword": "p", "TagKeys": [], "Tags": {}, "CustomAttributes": [], "UserAttributes": [], "UserAttributeNames": [], "MFAOptions": [], "PoolName": "p", "ClientName": "c", "Precedence": -1}"#,
    ];
    for op in OPERATIONS {
        for body in bodies {
            let reply = app.raw(&format!("{IDP}.{}", op.name), body, true).await;
            let status = reply.status().as_u16();
            let text = reply.text().await.unwrap();
            let plausible = body == bodies[2];
            assert!(
                (400..500).contains(&status) || (plausible && status == 200),
                "{} with {body} answered {status}: {text}",
                op.name
            );
            if status == 200 {
                continue;
            }
            let parsed: Value = serde_json::from_str(&text).unwrap();
            assert!(
                parsed["__type"]
                    .as_str()
                    .is_some_and(|t| t.ends_with("Exception")),
                "{}: {text}",
                op.name
            );
        }
    }
}

//! CUSTOM_AUTH: DefineAuthChallenge, CreateAuthChallenge and VerifyAuthChallengeResponse as
//! Cognito runs them, with a three-question flow, and SRP followed by a custom challenge.

use std::sync::Arc;

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, LambdaConfigType,
};
use serde_json::{json, Value};

use crate::common::*;
use crate::triggers_lambda::*;

/// Three questions in a row; any wrong answer fails the sign-in. With SRP first, the password
/// is checked before the questions.
fn define() -> Function {
    Arc::new(|mut event: Value| {
        let session = event["request"]["session"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let questions = session
            .iter()
            .filter(|s| s["challengeName"] == "CUSTOM_CHALLENGE")
            .count();
        let response = match session.last() {
            Some(last) if last["challengeResult"] == false => {
                json!({"issueTokens": false, "failAuthentication": true})
            }
            Some(last) if last["challengeName"] == "SRP_A" => {
                json!({"challengeName": "PASSWORD_VERIFIER", "issueTokens": false, "failAuthentication": false})
            }
            _ if questions == 3 => json!({"issueTokens": true, "failAuthentication": false}),
            _ => {
                json!({"challengeName": "CUSTOM_CHALLENGE", "issueTokens": false, "failAuthentication": false})
            }
        };
        event["response"] = response;
        Reply::Event(event)
    })
}

fn create() -> Function {
    Arc::new(|mut event: Value| {
        let session = event["request"]["session"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let n = session
            .iter()
            .filter(|s| s["challengeName"] == "CUSTOM_CHALLENGE")
            .count()
            + 1;
        event["response"] = json!({
            "publicChallengeParameters": {"question": format!("What is {n} + {n}?")},
            "privateChallengeParameters": {"answer": (2 * n).to_string()},
            "challengeMetadata": format!("QUESTION-{n}"),
        });
        Reply::Event(event)
    })
}

fn verify() -> Function {
    Arc::new(|mut event: Value| {
        let expected = event["request"]["privateChallengeParameters"]["answer"].clone();
        let correct = event["request"]["challengeAnswer"] == expected;
        event["response"] = json!({"answerCorrect": correct});
        Reply::Event(event)
    })
}

async fn custom_pool() -> (Lambda, TestApp, Pool) {
    let lambda = serve(vec![
        ("Define", define()),
        ("Create", create()),
        ("Verify", verify()),
    ])
    .await;
    let app = spawn_for(&lambda).await;
    let config = LambdaConfigType::builder()
        .define_auth_challenge(arn("Define"))
        .create_auth_challenge(arn("Create"))
        .verify_auth_challenge_response(arn("Verify"))
        .build();
    let spec = PoolSpec::standard()
        .pool(move |p| p.lambda_config(config))
        .flows(&[
            ExplicitAuthFlowsType::AllowCustomAuth,
            ExplicitAuthFlowsType::AllowRefreshTokenAuth,
        ]);
    let pool = app.pool_with(spec).await;
    app.confirmed_user(&pool, "quinn").await;
    (lambda, app, pool)
}

async fn answer(app: &TestApp, pool: &Pool, session: &str, given: &str) -> ChallengeResult {
    app.idp
        .respond_to_auth_challenge()
        .client_id(&pool.client_id)
        .challenge_name(ChallengeNameType::CustomChallenge)
        .session(session)
        .challenge_responses("USERNAME", "quinn")
        .challenge_responses("ANSWER", given)
        .client_metadata("round", "answer")
        .send()
        .await
}

#[tokio::test]
async fn three_questions_answered_right_give_tokens() {
    let (lambda, app, pool) = custom_pool().await;
    let out = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::CustomAuth)
        .auth_parameters("USERNAME", "quinn")
        .client_metadata("round", "start")
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.challenge_name(),
        Some(&ChallengeNameType::CustomChallenge)
    );
    let mut params = out.challenge_parameters.clone().unwrap();
    let mut session = out.session.clone().unwrap();
    let mut result = None;
    for n in 1..=3 {
        assert_eq!(params["question"], format!("What is {n} + {n}?"));
        assert_eq!(params["USERNAME"], "quinn");
        assert!(
            !params.contains_key("answer"),
            "private parameters stay private"
        );
        let reply = answer(&app, &pool, &session, &(2 * n).to_string())
            .await
            .unwrap();
        if n < 3 {
            assert_eq!(
                reply.challenge_name(),
                Some(&ChallengeNameType::CustomChallenge)
            );
            params = reply.challenge_parameters.clone().unwrap();
            session = reply.session.clone().unwrap();
        } else {
            result = reply.authentication_result;
        }
    }
    let tokens = result.expect("tokens after the third answer");
    assert_eq!(claims(tokens.access_token().unwrap())["username"], "quinn");

    let defines = lambda.events("Define");
    assert_eq!(defines.len(), 4);
    let first = &defines[0];
    assert_envelope(
        first,
        "DefineAuthChallenge_Authentication",
        &pool,
        "quinn",
        Some(&pool.client_id),
    );
    assert_eq!(first["request"]["session"], json!([]));
    assert_eq!(first["request"]["userNotFound"], false);
    assert_eq!(
        first["request"]["clientMetadata"],
        json!({"round": "start"})
    );
    assert_eq!(
        first["request"]["userAttributes"]["email"],
        "quinn@example.com"
    );
    assert_eq!(
        defines[3]["request"]["session"],
        json!([
            {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": true, "challengeMetadata": "QUESTION-1"},
            {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": true, "challengeMetadata": "QUESTION-2"},
            {"challengeName": "CUSTOM_CHALLENGE", "challengeResult": true, "challengeMetadata": "QUESTION-3"},
        ])
    );
    assert_eq!(
        defines[3]["request"]["clientMetadata"],
        json!({"round": "answer"})
    );

    let creates = lambda.events("Create");
    assert_eq!(creates.len(), 3);
    assert_envelope(
        &creates[1],
        "CreateAuthChallenge_Authentication",
        &pool,
        "quinn",
        Some(&pool.client_id),
    );
    assert_eq!(creates[1]["request"]["challengeName"], "CUSTOM_CHALLENGE");
    assert_eq!(
        creates[1]["request"]["session"].as_array().unwrap().len(),
        1
    );

    let verifies = lambda.events("Verify");
    assert_eq!(verifies.len(), 3);
    let v = &verifies[0];
    assert_envelope(
        v,
        "VerifyAuthChallengeResponse_Authentication",
        &pool,
        "quinn",
        Some(&pool.client_id),
    );
    assert_eq!(
        v["request"]["privateChallengeParameters"],
        json!({"answer": "2"})
    );
    assert_eq!(v["request"]["challengeAnswer"], "2");
}

#[tokio::test]
async fn a_wrong_answer_fails_the_sign_in_and_the_session_is_spent() {
    let (_lambda, app, pool) = custom_pool().await;
    let out = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::CustomAuth)
        .auth_parameters("USERNAME", "quinn")
        .send()
        .await
        .unwrap();
    let session = out.session.unwrap();
    let err = answer(&app, &pool, &session, "5").await.unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
    assert_eq!(message(&err), "Incorrect username or password.");
    let err = answer(&app, &pool, &session, "2").await.unwrap_err();
    assert_eq!(
        code(&err),
        "NotAuthorizedException",
        "a session answers once"
    );
}

#[tokio::test]
async fn srp_then_custom_challenges() {
    let (lambda, app, pool) = custom_pool().await;
    let (a, big_a) = srp::client::ephemeral();
    let out = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::CustomAuth)
        .auth_parameters("USERNAME", "quinn")
        .auth_parameters("CHALLENGE_NAME", "SRP_A")
        .auth_parameters("SRP_A", &big_a)
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.challenge_name(),
        Some(&ChallengeNameType::PasswordVerifier)
    );
    let params = out.challenge_parameters.unwrap();
    let ts = srp_timestamp();
    let user_id = &params["USER_ID_FOR_SRP"];
    let signature = srp::client::claim(
        srp::pool_name(&pool.pool_id),
        user_id,
        PASSWORD,
        (&a, &big_a),
        &params,
        &ts,
    );
    let reply = app
        .respond(
            &pool,
            ChallengeNameType::PasswordVerifier,
            None,
            &[
                ("USERNAME", user_id),
                ("PASSWORD_CLAIM_SECRET_BLOCK", &params["SECRET_BLOCK"]),
                ("PASSWORD_CLAIM_SIGNATURE", &signature),
                ("TIMESTAMP", &ts),
            ],
        )
        .await
        .unwrap();
    assert_eq!(
        reply.challenge_name(),
        Some(&ChallengeNameType::CustomChallenge)
    );
    let history = &lambda.events("Define")[1]["request"]["session"];
    assert_eq!(
        history,
        &json!([
            {"challengeName": "SRP_A", "challengeResult": true},
            {"challengeName": "PASSWORD_VERIFIER", "challengeResult": true},
        ])
    );
    let mut session = reply.session.unwrap();
    for n in 1..=3 {
        let reply = answer(&app, &pool, &session, &(2 * n).to_string())
            .await
            .unwrap();
        match reply.session {
            Some(next) => session = next,
            None => assert!(reply.authentication_result.is_some()),
        }
    }
}

#[tokio::test]
async fn custom_auth_needs_a_define_function() {
    let app = spawn().await;
    let pool = app
        .pool_with(PoolSpec::standard().flows(&[ExplicitAuthFlowsType::AllowCustomAuth]))
        .await;
    app.confirmed_user(&pool, "quinn").await;
    let err = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::CustomAuth)
        .auth_parameters("USERNAME", "quinn")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
}

#[tokio::test]
async fn null_members_read_as_false_and_the_events_carry_nulls() {
    let define: Function = Arc::new(|mut event: Value| {
        let session = event["request"]["session"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        event["response"] = match session.last() {
            None => {
                json!({"challengeName": "CUSTOM_CHALLENGE", "issueTokens": null, "failAuthentication": null})
            }
            Some(last) if last["challengeResult"] == true => json!({"issueTokens": true}),
            Some(_) => {
                json!({"challengeName": null, "issueTokens": null, "failAuthentication": true})
            }
        };
        Reply::Event(event)
    });
    let create = respond_with(
        json!({"publicChallengeParameters": {"q": "?"}, "privateChallengeParameters": null, "challengeMetadata": null}),
    );
    let verify = respond_with(json!({"answerCorrect": null}));
    let lambda = serve(vec![
        ("Define", define),
        ("Create", create),
        ("Verify", verify),
    ])
    .await;
    let app = spawn_for(&lambda).await;
    let config = LambdaConfigType::builder()
        .define_auth_challenge(arn("Define"))
        .create_auth_challenge(arn("Create"))
        .verify_auth_challenge_response(arn("Verify"))
        .build();
    let spec = PoolSpec::standard()
        .pool(move |p| p.lambda_config(config))
        .flows(&[ExplicitAuthFlowsType::AllowCustomAuth]);
    let pool = app.pool_with(spec).await;
    app.confirmed_user(&pool, "quinn").await;
    let out = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::CustomAuth)
        .auth_parameters("USERNAME", "quinn")
        .send()
        .await
        .unwrap();
    let err = answer(&app, &pool, out.session().unwrap(), "anything")
        .await
        .unwrap_err();
    assert_eq!(
        code(&err),
        "NotAuthorizedException",
        "a null answerCorrect is wrong"
    );

    let defines = lambda.events("Define");
    assert_eq!(
        defines[0]["response"],
        json!({"challengeName": null, "issueTokens": null, "failAuthentication": null})
    );
    assert_eq!(
        defines[1]["request"]["session"],
        json!([{"challengeName": "CUSTOM_CHALLENGE", "challengeResult": false}])
    );
    assert_eq!(
        lambda.events("Create")[0]["response"],
        json!({"publicChallengeParameters": null, "privateChallengeParameters": null, "challengeMetadata": null})
    );
    assert_eq!(
        lambda.events("Verify")[0]["response"],
        json!({"answerCorrect": null})
    );
}

//! Timing: with PreventUserExistenceErrors ENABLED, every operation Cognito's "Managing user
//! existence error responses" page lists answers a username that names nobody as it answers
//! a real user, in the same words and in the same time. A test binary of its own, so that no
//! other test's load runs beside the measurement; its tests take turns.
//!
//! The server runs as in production (admin credentials and a master key, no dev outbox): in
//! local mode every message is also written to the dev outbox, a write only real users cost,
//! which is a convenience for developers on loopback and not what an attacker meets.

use std::future::Future;
use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider as idp;
use idp::types::{
    AccountRecoverySettingType, AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType,
    MessageActionType, PreventUserExistenceErrorTypes, RecoveryOptionNameType, RecoveryOptionType,
};

#[allow(dead_code, unused_imports)]
#[path = "../api/common/mod.rs"]
mod common;

use common::*;

/// One measurement at a time: the tests of this binary would otherwise run side by side.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const KNOWN: &str = "kate";
const UNCONFIRMED: &str = "uma";
const UNKNOWN: &str = "nobody";
const WRONG_PASSWORD: &str = "Wr0ng-password!";
const WRONG_CODE: &str = "000000";

/// Every counter a guess or a code request moves, reset before each timed call so that no
/// limit is reached and each call takes the path a first attempt takes.
const RESET: &[&str] = &[
    "DELETE FROM sign_in_failures",
    "DELETE FROM unknown_sign_in_failures",
    "UPDATE codes SET attempts = 0, issued = 0",
    "UPDATE unknown_codes SET attempts = 0, issued = 0",
];

struct Setup {
    app: TestApp,
    pool: Pool,
}

/// A production-mode server (Cognito's argon2 cost, so that the hash and not the noise is
/// timed) with a pool whose client hides user existence, a confirmed user with a verified
/// email and an unconfirmed one.
async fn setup() -> Setup {
    const KEY: &str = "AKIACOGNATEADMIN";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCOGNATEKEY";
    let mut app = spawn_with(|c| Config {
        admin_access_key_id: Some(KEY.into()),
        admin_secret_access_key: Some(Secret::new(SECRET)),
        master_key: Some(Secret::new(Sealer::generate_key())),
        argon2: Argon2Params {
            memory_kib: 19 * 1024,
            iterations: 2,
        },
        // Cognito's request-rate quotas would refuse the measurement's bursts.
        quotas: Quotas {
            enabled: Some(false),
            ..Quotas::default()
        },
        ..c
    })
    .await;
    app.idp = sdk_client(&app.base, KEY, SECRET);
    let email_first = AccountRecoverySettingType::builder()
        .recovery_mechanisms(
            RecoveryOptionType::builder()
                .name(RecoveryOptionNameType::VerifiedEmail)
                .priority(1)
                .build()
                .unwrap(),
        )
        .build();
    let spec = PoolSpec::standard()
        .pool(move |p| p.account_recovery_setting(email_first))
        .client(|c| c.prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled))
        .flows(&[
            ExplicitAuthFlowsType::AllowUserPasswordAuth,
            ExplicitAuthFlowsType::AllowUserSrpAuth,
            ExplicitAuthFlowsType::AllowUserAuth,
        ]);
    let pool = app.pool_with(spec).await;
    app.idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username(KNOWN)
        .user_attributes(attr("email", "kate@example.com"))
        .user_attributes(attr("email_verified", "true"))
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    app.idp
        .admin_set_user_password()
        .user_pool_id(&pool.pool_id)
        .username(KNOWN)
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
    app.sign_up(&pool, UNCONFIRMED, "uma@example.com").await;
    Setup { app, pool }
}

/// Times `call` for a real user and for nobody, interleaved, and asserts the same answer
/// and medians within 10%. `call` returns the time of the request under test (any set-up
/// it needs is not timed) and the answer, as code and message or as the reply's shape.
async fn assert_same_timing<F, Fut>(what: &str, s: &Setup, known: &'static str, call: F)
where
    F: Fn(&'static str) -> Fut,
    Fut: Future<Output = (Duration, String)>,
{
    // Up to three measurements: noise from the machine can push one past the bound, while a
    // real difference (a skipped hash or write) fails every one.
    let mut seen = Vec::new();
    for _ in 0..3 {
        let mut times = [Vec::new(), Vec::new()];
        for round in 0..31 {
            let mut answers = Vec::new();
            for (i, name) in [known, UNKNOWN].into_iter().enumerate() {
                for statement in RESET {
                    s.app.sql(statement).await;
                }
                let (took, answer) = call(name).await;
                answers.push(answer);
                if round > 0 {
                    times[i].push(took.as_secs_f64());
                }
            }
            assert_eq!(
                answers[0], answers[1],
                "{what}: {known} and {UNKNOWN} are told apart"
            );
        }
        let [known_times, unknown_times] = times.map(median);
        let ratio = unknown_times / known_times;
        if (0.9..=1.1).contains(&ratio) {
            return;
        }
        seen.push(format!(
            "{unknown_times:.5}s unknown against {known_times:.5}s known"
        ));
    }
    panic!("{what}: median times differ by more than 10%: {seen:?}");
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// Runs `request` and times it.
async fn timed<T>(request: impl Future<Output = T>) -> (Duration, T) {
    let started = Instant::now();
    let out = request.await;
    (started.elapsed(), out)
}

fn answer<E, R>(result: Result<impl std::fmt::Debug, idp::error::SdkError<E, R>>) -> String
where
    E: idp::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match result {
        Ok(_) => "ok".into(),
        Err(e) => format!("{}: {}", code(&e), message(&e)),
    }
}

/// A wrong code's answer, which must be CodeMismatchException for anyone.
fn wrong_code<E, R>(result: Result<impl std::fmt::Debug, idp::error::SdkError<E, R>>) -> String
where
    E: idp::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let answer = answer(result);
    assert!(answer.starts_with("CodeMismatchException"), "{answer}");
    answer
}

/// Where a code was said to go, without the masked destination (made from the name).
fn delivery(details: idp::types::CodeDeliveryDetailsType) -> String {
    format!("{:?} {:?}", details.delivery_medium, details.attribute_name)
}

#[tokio::test]
async fn wrong_passwords() {
    let _turn = TURN.lock().await;
    let s = &setup().await;
    assert_same_timing("wrong password", s, KNOWN, |name| async {
        let (took, result) = timed(s.app.password_sign_in(&s.pool, name, WRONG_PASSWORD)).await;
        let answer = answer(result);
        assert_eq!(
            answer,
            "NotAuthorizedException: Incorrect username or password."
        );
        (took, answer)
    })
    .await;
}

#[tokio::test]
async fn srp_sign_in_and_its_wrong_proof() {
    let _turn = TURN.lock().await;
    let s = &setup().await;
    let initiate = |name: &'static str| {
        let (_, big_a) = srp::client::ephemeral();
        s.app
            .idp
            .initiate_auth()
            .client_id(&s.pool.client_id)
            .auth_flow(AuthFlowType::UserSrpAuth)
            .auth_parameters("USERNAME", name)
            .auth_parameters("SRP_A", big_a)
            .send()
    };
    // The challenge: the same names of parameters, after the same SRP arithmetic.
    assert_same_timing("SRP challenge", s, KNOWN, |name| async move {
        let (took, reply) = timed(initiate(name)).await;
        let reply = reply.unwrap();
        let mut names: Vec<_> = reply.challenge_parameters().unwrap().keys().collect();
        names.sort();
        (took, format!("{:?} {names:?}", reply.challenge_name()))
    })
    .await;
    // A wrong proof: the same refusal, after the same password check.
    assert_same_timing("SRP wrong proof", s, KNOWN, |name| async move {
        let challenge = initiate(name).await.unwrap();
        let p = challenge.challenge_parameters().unwrap();
        let request = s.app.respond(
            &s.pool,
            ChallengeNameType::PasswordVerifier,
            None,
            &[
                ("USERNAME", p["USER_ID_FOR_SRP"].as_str()),
                ("PASSWORD_CLAIM_SECRET_BLOCK", p["SECRET_BLOCK"].as_str()),
                (
                    "PASSWORD_CLAIM_SIGNATURE",
                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                ),
                ("TIMESTAMP", &srp_timestamp()),
            ],
        );
        let (took, result) = timed(request).await;
        (took, answer(result))
    })
    .await;
}

#[tokio::test]
async fn forgot_password_and_a_wrong_reset_code() {
    let _turn = TURN.lock().await;
    let s = &setup().await;
    let forgot = |name: &'static str| {
        s.app
            .idp
            .forgot_password()
            .client_id(&s.pool.client_id)
            .username(name)
            .send()
    };
    assert_same_timing("ForgotPassword", s, KNOWN, |name| async move {
        let (took, reply) = timed(forgot(name)).await;
        (
            took,
            delivery(reply.unwrap().code_delivery_details.unwrap()),
        )
    })
    .await;
    assert_same_timing("ConfirmForgotPassword", s, KNOWN, |name| async move {
        let request = s
            .app
            .idp
            .confirm_forgot_password()
            .client_id(&s.pool.client_id)
            .username(name)
            .confirmation_code(WRONG_CODE)
            .password("An0ther-passw0rd!")
            .send();
        let (took, result) = timed(request).await;
        (took, wrong_code(result))
    })
    .await;
}

#[tokio::test]
async fn resent_confirmation_codes_and_a_wrong_confirmation_code() {
    let _turn = TURN.lock().await;
    let s = &setup().await;
    assert_same_timing(
        "ResendConfirmationCode",
        s,
        UNCONFIRMED,
        |name| async move {
            let request = s
                .app
                .idp
                .resend_confirmation_code()
                .client_id(&s.pool.client_id)
                .username(name)
                .send();
            let (took, reply) = timed(request).await;
            (
                took,
                delivery(reply.unwrap().code_delivery_details.unwrap()),
            )
        },
    )
    .await;
    assert_same_timing("ConfirmSignUp", s, UNCONFIRMED, |name| async move {
        let (took, result) = timed(s.app.confirm_sign_up(&s.pool, name, WRONG_CODE)).await;
        (took, wrong_code(result))
    })
    .await;
}

#[tokio::test]
async fn choice_based_sign_in_with_a_wrong_password() {
    let _turn = TURN.lock().await;
    let s = &setup().await;
    // USER_AUTH with the password as first factor: the same refusal after the same hash.
    assert_same_timing("USER_AUTH password", s, KNOWN, |name| async move {
        let request = s
            .app
            .idp
            .initiate_auth()
            .client_id(&s.pool.client_id)
            .auth_flow(AuthFlowType::UserAuth)
            .auth_parameters("USERNAME", name)
            .auth_parameters("PREFERRED_CHALLENGE", "PASSWORD")
            .auth_parameters("PASSWORD", WRONG_PASSWORD)
            .send();
        let (took, result) = timed(request).await;
        let answer = answer(result);
        assert_eq!(
            answer,
            "NotAuthorizedException: Incorrect username or password."
        );
        (took, answer)
    })
    .await;
}

//! Timing: with PreventUserExistenceErrors ENABLED, a wrong password takes as long for a
//! username that names nobody as for a real user. A test binary of its own, so that no other
//! test's load runs beside the measurement.

use std::time::Instant;

use aws_sdk_cognitoidentityprovider as idp;
use idp::types::{ExplicitAuthFlowsType, PreventUserExistenceErrorTypes};

#[allow(dead_code, unused_imports)]
#[path = "../api/common/mod.rs"]
mod common;

use common::*;

#[tokio::test]
async fn wrong_passwords_take_as_long_for_unknown_users_as_for_known_ones() {
    // Cognito's own argon2 cost, so that the hash, not the noise, is what is timed.
    let app = spawn_with(|c| Config {
        argon2: Argon2Params {
            memory_kib: 19 * 1024,
            iterations: 2,
        },
        ..c
    })
    .await;
    let spec = PoolSpec::standard()
        .client(|c| c.prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled))
        .flows(&[ExplicitAuthFlowsType::AllowUserPasswordAuth]);
    let pool = app.pool_with(spec).await;
    app.confirmed_user(&pool, "kate").await;
    // Up to three measurements: noise from the machine can push one past the bound, while a
    // real difference (a skipped hash is ten times faster) fails every one.
    let mut seen = Vec::new();
    for _ in 0..3 {
        let (known, unknown) = medians(&app, &pool).await;
        let ratio = unknown / known;
        if (0.9..=1.1).contains(&ratio) {
            return;
        }
        seen.push(format!("{unknown:.4}s unknown against {known:.4}s known"));
    }
    panic!("median sign-in times differ by more than 10%: {seen:?}");
}

/// The median times of 30 wrong-password sign-ins each, known and unknown, interleaved.
async fn medians(app: &TestApp, pool: &Pool) -> (f64, f64) {
    let mut times = [Vec::new(), Vec::new()];
    for round in 0..31 {
        for (i, name) in ["kate", "nobody"].into_iter().enumerate() {
            app.sql("DELETE FROM sign_in_failures").await;
            app.sql("DELETE FROM unknown_sign_in_failures").await;
            let started = Instant::now();
            let err = app
                .password_sign_in(pool, name, "Wr0ng-password!")
                .await
                .unwrap_err();
            let took = started.elapsed().as_secs_f64();
            assert_eq!(message(&err), "Incorrect username or password.", "{name}");
            if round > 0 {
                times[i].push(took);
            }
        }
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v[v.len() / 2]
    };
    let [known, unknown] = times;
    (median(known), median(unknown))
}

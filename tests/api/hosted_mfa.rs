//! The hosted pages' later sign-in steps over plain HTTP: an authenticator app set up from the
//! QR page (a wrong code keeps the page, a right one signs in), and choice-based sign-in with
//! an email code as the first factor.

use aws_sdk_cognitoidentityprovider::types::{
    AuthFactorType, EmailMfaConfigType, EmailMfaSettingsType, SignInPolicyType, SmsMfaConfigType,
    SmsMfaSettingsType, SoftwareTokenMfaConfigType, UserPoolMfaType, UserPoolPolicyType,
};

use crate::common::*;
use crate::hosted_pages::hosted_pool;
use crate::oauth2_support::*;

fn challenge_form<'a>(page: &str, challenge: &'a str, answer: &'a str) -> Vec<(&'a str, String)> {
    vec![
        ("_csrf", field(page, "_csrf")),
        ("challenge", challenge.to_string()),
        ("session", field(page, "session")),
        ("username", field(page, "username")),
        ("answer", answer.to_string()),
    ]
}

async fn post(browser: &mut Browser, path: &str, form: &[(&str, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser.post(path, &pairs).await
}

#[tokio::test]
async fn a_required_authenticator_is_set_up_from_the_qr_page() {
    let app = spawn().await;
    let pool = hosted_pool(&app, PoolSpec::standard()).await;
    app.idp
        .set_user_pool_mfa_config()
        .user_pool_id(&pool.pool_id)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(true).build(),
        )
        .mfa_configuration(UserPoolMfaType::On)
        .send()
        .await
        .unwrap();
    app.confirmed_user(&pool, "kai").await;
    let mut browser = Browser::new(&app);
    let q = authorize_query(&pool, &[("scope", "openid"), ("state", "qr")]);
    let (login, page) = open_login(&mut browser, &q).await;
    assert!(
        page.contains("id=\"mfa-note\""),
        "the required MFA is announced"
    );
    let reply = submit_password(&mut browser, &login, &page, "kai", PASSWORD).await;
    assert_eq!(reply.status(), 200);
    let setup = reply.text().await.unwrap();
    assert!(setup.contains("<svg"), "a QR code");
    let secret = field(&setup, "secret");
    assert!(setup.contains(&format!("<code id=\"secret\">{secret}</code>")));

    let action = login.replacen("/login?", "/login/challenge?", 1);
    let mut wrong = challenge_form(&setup, "MFA_SETUP", "");
    wrong.push(("secret", secret.clone()));
    wrong[4].1 = wrong_totp(&secret);
    let reply = post(&mut browser, &action, &wrong).await;
    assert_eq!(reply.status(), 200);
    let again = reply.text().await.unwrap();
    assert!(again.contains("role=\"alert\""), "{again}");
    assert_eq!(
        field(&again, "secret"),
        secret,
        "the same secret, to try again"
    );

    let code = totp::code_at(&secret, now_secs()).unwrap();
    let mut right = challenge_form(&again, "MFA_SETUP", &code);
    right.push(("secret", secret.clone()));
    let reply = post(&mut browser, &action, &right).await;
    let to = location(&reply);
    assert!(to.starts_with(CALLBACK), "{to}");
    assert_eq!(param(&to, "state").as_deref(), Some("qr"));
    assert!(browser.cookie("cognate_session").is_some());
}

#[tokio::test]
async fn an_email_code_is_chosen_as_the_first_factor() {
    let app = spawn().await;
    let spec = PoolSpec::standard().pool(|p| {
        p.policies(
            UserPoolPolicyType::builder()
                .sign_in_policy(
                    SignInPolicyType::builder()
                        .allowed_first_auth_factors(AuthFactorType::Password)
                        .allowed_first_auth_factors(AuthFactorType::EmailOtp)
                        .build(),
                )
                .build(),
        )
    });
    let pool = hosted_pool(&app, spec).await;
    app.confirmed_user(&pool, "ola").await;
    let mut browser = Browser::new(&app);
    let q = authorize_query(&pool, &[("scope", "openid")]);
    let (login, page) = open_login(&mut browser, &q).await;
    assert!(
        page.contains("id=\"sign-in-code\""),
        "the pool allows codes first"
    );
    let csrf = field(&page, "_csrf");
    let form = [
        ("_csrf", csrf.as_str()),
        ("username", "ola"),
        ("factor", "otp"),
    ];
    let reply = browser.post(&login, &form).await;
    assert_eq!(reply.status(), 200);
    let choose = reply.text().await.unwrap();
    assert!(choose.contains("id=\"choose-EMAIL_OTP\""), "{choose}");

    let action = login.replacen("/login?", "/login/challenge?", 1);
    let form = challenge_form(&choose, "SELECT_CHALLENGE", "EMAIL_OTP");
    let reply = post(&mut browser, &action, &form).await;
    let code_page = reply.text().await.unwrap();
    assert_eq!(field(&code_page, "challenge"), "EMAIL_OTP", "{code_page}");
    let code = app.latest_code(&pool.pool_id, "ola").await;
    let form = challenge_form(&code_page, "EMAIL_OTP", &code);
    let reply = post(&mut browser, &action, &form).await;
    assert!(location(&reply).starts_with(CALLBACK));
}

#[tokio::test]
async fn a_user_with_two_factors_picks_one_on_the_page() {
    let app = spawn().await;
    let pool = hosted_pool(&app, PoolSpec::standard()).await;
    app.idp
        .set_user_pool_mfa_config()
        .user_pool_id(&pool.pool_id)
        .sms_mfa_configuration(
            SmsMfaConfigType::builder()
                .sms_authentication_message("Code {####}")
                .build(),
        )
        .email_mfa_configuration(EmailMfaConfigType::builder().subject("Your code").build())
        .mfa_configuration(UserPoolMfaType::Optional)
        .send()
        .await
        .unwrap();
    app.sign_up_with(
        &pool,
        "vic",
        &[
            ("email", "vic@example.com"),
            ("phone_number", "+15555550123"),
        ],
    )
    .await;
    app.admin_confirm_sign_up(&pool, "vic").await.unwrap();
    app.idp
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool.pool_id)
        .username("vic")
        .email_mfa_settings(EmailMfaSettingsType::builder().enabled(true).build())
        .sms_mfa_settings(SmsMfaSettingsType::builder().enabled(true).build())
        .send()
        .await
        .unwrap();
    let mut browser = Browser::new(&app);
    let (login, page) = open_login(
        &mut browser,
        &authorize_query(&pool, &[("scope", "openid")]),
    )
    .await;
    assert!(
        page.contains("id=\"mfa-note\""),
        "optional MFA is announced"
    );
    let reply = submit_password(&mut browser, &login, &page, "vic", PASSWORD).await;
    let choose = reply.text().await.unwrap();
    assert!(choose.contains("id=\"choose-SMS_MFA\""), "{choose}");
    assert!(choose.contains("id=\"choose-EMAIL_OTP\""), "{choose}");

    let action = login.replacen("/login?", "/login/challenge?", 1);
    let reply = post(
        &mut browser,
        &action,
        &challenge_form(&choose, "SELECT_MFA_TYPE", "SMS_MFA"),
    )
    .await;
    let code_page = reply.text().await.unwrap();
    assert_eq!(field(&code_page, "challenge"), "SMS_MFA", "{code_page}");
    assert!(
        code_page.contains("+*******0123"),
        "the page says where the code went"
    );
    let message = &app.outbox(&pool.pool_id, "vic").await[0];
    assert_eq!(message["medium"], "SMS");
    let code = message["code"].as_str().unwrap();
    let reply = post(
        &mut browser,
        &action,
        &challenge_form(&code_page, "SMS_MFA", code),
    )
    .await;
    assert!(location(&reply).starts_with(CALLBACK));
}

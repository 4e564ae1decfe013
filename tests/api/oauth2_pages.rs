//! The hosted pages' sign-in steps over plain HTTP: a TOTP code and a new password asked
//! for by the same sign-in pipeline as the API, answered through the pages' forms.

use aws_sdk_cognitoidentityprovider::types::{
    DeliveryMediumType, ExplicitAuthFlowsType, SoftwareTokenMfaConfigType, UserPoolMfaType,
};

use crate::common::*;
use crate::oauth2_support::*;

#[tokio::test]
async fn a_totp_user_answers_the_code_page() {
    let app = spawn().await;
    let pool = oauth_pool(&app).await;
    app.idp
        .set_user_pool_mfa_config()
        .user_pool_id(&pool.pool_id)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(true).build(),
        )
        .mfa_configuration(UserPoolMfaType::Optional)
        .send()
        .await
        .unwrap();
    // The OAuth client has no API sign-in flows; a second client of the pool sets up TOTP.
    let api_client = app
        .client_for(&pool.pool_id, |c| {
            c.explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        })
        .await;
    let api = Pool {
        pool_id: pool.pool_id.clone(),
        client_id: api_client.client_id.unwrap(),
    };
    let tokens = app.signed_in_user(&api, "gus").await;
    let access = tokens.access_token().unwrap();
    let secret = app.associate_totp(access).await;
    app.idp
        .verify_software_token()
        .access_token(access)
        .user_code(totp::code_at(&secret, now_secs()).unwrap())
        .send()
        .await
        .unwrap();

    let mut browser = Browser::new(&app);
    let query = authorize_query(&pool, &[("scope", "openid"), ("state", "m")]);
    let (login, page) = open_login(&mut browser, &query).await;
    let reply = submit_password(&mut browser, &login, &page, "gus", PASSWORD).await;
    assert_eq!(reply.status(), 200);
    let page = reply.text().await.unwrap();
    assert_eq!(field(&page, "challenge"), "SOFTWARE_TOKEN_MFA");
    assert!(page.contains("autocomplete=\"one-time-code\""));
    assert!(browser.cookie("cognate_session").is_none());

    // A wrong code sends the user back to the start, with the reason shown.
    let form = |page: &str, answer: String| {
        vec![
            ("_csrf", field(page, "_csrf")),
            ("challenge", field(page, "challenge")),
            ("session", field(page, "session")),
            ("username", field(page, "username")),
            ("answer", answer),
        ]
    };
    let action = login.replacen("/login?", "/login/challenge?", 1);
    let wrong = form(&page, wrong_totp(&secret));
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = browser.post(&action, &wrong).await;
    assert_eq!(reply.status(), 200);
    let again = reply.text().await.unwrap();
    assert!(again.contains("role=\"alert\""));

    let reply = submit_password(&mut browser, &login, &again, "gus", PASSWORD).await;
    let page = reply.text().await.unwrap();
    // The set-up spent the current step's code; the server also accepts the next step's.
    let right = form(&page, totp::code_at(&secret, now_secs() + 30).unwrap());
    let right: Vec<(&str, &str)> = right.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = browser.post(&action, &right).await;
    if reply.status() != 302 {
        panic!("{}", reply.text().await.unwrap());
    }
    let to = location(&reply);
    assert!(to.starts_with(CALLBACK), "{to}");
    assert_eq!(param(&to, "state").as_deref(), Some("m"));
    assert!(param(&to, "code").is_some());
    assert!(browser.cookie("cognate_session").is_some());
}

#[tokio::test]
async fn an_invited_user_chooses_a_password_on_the_page() {
    let app = spawn().await;
    let pool = oauth_pool(&app).await;
    app.idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("hal")
        .user_attributes(attr("email", "hal@example.com"))
        .desired_delivery_mediums(DeliveryMediumType::Email)
        .send()
        .await
        .unwrap();
    let temporary = app.latest_code(&pool.pool_id, "hal").await;
    let mut browser = Browser::new(&app);
    let query = authorize_query(&pool, &[("scope", "openid email")]);
    let (login, page) = open_login(&mut browser, &query).await;
    let reply = submit_password(&mut browser, &login, &page, "hal", &temporary).await;
    let page = reply.text().await.unwrap();
    assert_eq!(field(&page, "challenge"), "NEW_PASSWORD_REQUIRED");
    assert!(page.contains("At least 8 characters"), "{page}");
    let action = login.replacen("/login?", "/login/challenge?", 1);
    let form = [
        ("_csrf", field(&page, "_csrf")),
        ("challenge", field(&page, "challenge")),
        ("session", field(&page, "session")),
        ("username", field(&page, "username")),
        ("answer", "N3w-passw0rd!".to_string()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = browser.post(&action, &form).await;
    let to = location(&reply);
    let code = param(&to, "code").expect("a code");
    let tokens: serde_json::Value = app
        .http
        .post(format!("{}/oauth2/token", app.base))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", pool.client_id.as_str()),
            ("code", code.as_str()),
            ("redirect_uri", CALLBACK),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        claims(tokens["id_token"].as_str().unwrap())["email"],
        "hal@example.com"
    );
    assert_eq!(app.user_status(&pool, "hal").await.as_str(), "CONFIRMED");
}

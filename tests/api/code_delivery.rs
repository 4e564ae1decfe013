//! Delivery of codes: a real SMTP listener and a real webhook receiver on loopback.

use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpResponse, HttpServer};
use aws_sdk_cognitoidentityprovider::types::{
    EmailConfigurationType, VerificationMessageTemplateType, VerifiedAttributeType,
};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use crate::common::*;

/// A minimal SMTP server: accepts every message and hands its DATA to the channel.
async fn smtp_server() -> (u16, mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write
                    .write_all(b"220 localhost ESMTP test\r\n")
                    .await
                    .unwrap();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-localhost\r\n250 8BITMIME\r\n",
                        "DATA" => {
                            write.write_all(b"354 go ahead\r\n").await.unwrap();
                            let mut data = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                data.push_str(&l);
                                data.push('\n');
                            }
                            tx.send(data).unwrap();
                            b"250 queued\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.unwrap();
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, rx)
}

/// Decodes quoted-printable soft breaks and `=XX` escapes well enough to read a message.
fn unfold(data: &str) -> String {
    data.replace("=\n", "").replace("=3D", "=")
}

fn six_digits(text: &str) -> String {
    let bytes: Vec<char> = text.chars().collect();
    bytes
        .windows(6)
        .find(|w| w.iter().all(|c| c.is_ascii_digit()))
        .map(|w| w.iter().collect())
        .expect("a six-digit code in the message")
}

#[tokio::test]
async fn email_codes_arrive_over_smtp_with_the_pools_template() {
    let (port, mut inbox) = smtp_server().await;
    let app = spawn_with_smtp(port).await;
    let spec = PoolSpec::bare().pool(|p| {
        p.auto_verified_attributes(VerifiedAttributeType::Email)
            .email_configuration(
                EmailConfigurationType::builder()
                    .from("Example Team <team@example.com>")
                    .reply_to_email_address("help@example.com")
                    .build(),
            )
            .verification_message_template(
                VerificationMessageTemplateType::builder()
                    .email_subject("Welcome aboard")
                    .email_message("<p>Hello {username}, your code is <b>{####}</b>.</p>")
                    .build(),
            )
    });
    let pool = app.pool_with(spec).await;
    app.idp
        .sign_up()
        .client_id(&pool.client_id)
        .username("quinn")
        .password(PASSWORD)
        .user_attributes(attr("email", "quinn@example.com"))
        .send()
        .await
        .unwrap();
    let message = unfold(&inbox.recv().await.unwrap());
    assert!(
        message.contains("From: \"Example Team\" <team@example.com>"),
        "{message}"
    );
    assert!(message.contains("To: quinn@example.com"), "{message}");
    assert!(message.contains("Reply-To: help@example.com"), "{message}");
    assert!(message.contains("Subject: Welcome aboard"), "{message}");
    assert!(message.contains("Content-Type: text/plain"), "{message}");
    assert!(message.contains("Content-Type: text/html"), "{message}");
    assert!(message.contains("Hello quinn, your code is"), "{message}");
    let code = six_digits(message.split("Hello quinn").nth(1).unwrap());
    app.confirm_sign_up(&pool, "quinn", code).await.unwrap();
    let user = app.admin_get_user(&pool, "quinn").await.unwrap();
    assert_eq!(user.user_status().unwrap().as_str(), "CONFIRMED");
}

#[tokio::test]
async fn user_text_is_escaped_in_the_html_part_and_the_template_is_not() {
    let (port, mut inbox) = smtp_server().await;
    let app = spawn_with_smtp(port).await;
    let spec = PoolSpec::bare().pool(|p| {
        p.auto_verified_attributes(VerifiedAttributeType::Email)
            .verification_message_template(
                VerificationMessageTemplateType::builder()
                    .email_message("<p>Hello {username}, your code is <b>{####}</b>.</p>")
                    .build(),
            )
    });
    let pool = app.pool_with(spec).await;
    let username = "<script>alert(1)</script>";
    app.sign_up(&pool, username, "mallory@example.com").await;
    let message = unfold(&inbox.recv().await.unwrap());
    let html = message
        .split("Content-Type: text/html")
        .nth(1)
        .expect("an HTML part");
    assert!(
        html.contains("Hello &lt;script&gt;alert(1)&lt;/script&gt;, your code is <b>"),
        "{message}"
    );
    assert!(!html.contains("<script>"), "{message}");
    let text = message
        .split("Content-Type: text/plain")
        .nth(1)
        .unwrap()
        .split("Content-Type: text/html")
        .next()
        .unwrap();
    assert!(
        text.contains("Hello <script>alert(1)</script>, your code is"),
        "{message}"
    );
}

#[tokio::test]
async fn sms_codes_are_posted_to_the_webhook() {
    let received: Arc<Mutex<Vec<Value>>> = Arc::default();
    let sink = received.clone();
    let server = HttpServer::new(move || {
        let sink = sink.clone();
        App::new().route(
            "/sms",
            web::post().to(move |body: web::Json<Value>| {
                let sink = sink.clone();
                async move {
                    sink.lock().unwrap().push(body.into_inner());
                    HttpResponse::Ok().finish()
                }
            }),
        )
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());

    let app = spawn_with(|c| Config {
        sms_webhook_url: Some(format!("http://127.0.0.1:{port}/sms")),
        ..c
    })
    .await;
    let spec = PoolSpec::bare().pool(|p| {
        p.auto_verified_attributes(VerifiedAttributeType::PhoneNumber)
            .sms_verification_message("Your code: {####}")
    });
    let pool = app.pool_with(spec).await;
    let out = app
        .idp
        .sign_up()
        .client_id(&pool.client_id)
        .username("rosa")
        .password(PASSWORD)
        .user_attributes(attr("phone_number", "+15555550142"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.code_delivery_details()
            .unwrap()
            .delivery_medium()
            .unwrap()
            .as_str(),
        "SMS"
    );
    let posted = received.lock().unwrap().clone();
    assert_eq!(posted.len(), 1);
    assert_eq!(posted[0]["phone_number"], "+15555550142");
    assert_eq!(posted[0]["purpose"], "SIGN_UP");
    assert_eq!(posted[0]["pool_id"], pool.pool_id.as_str());
    let text = posted[0]["message"].as_str().unwrap();
    assert!(text.starts_with("Your code: "), "{text}");
    app.confirm_sign_up(&pool, "rosa", six_digits(text))
        .await
        .unwrap();
}

#[tokio::test]
async fn an_undeliverable_sign_up_code_creates_no_user() {
    let app = spawn_with_smtp(unused_port()).await;
    let pool = app.pool().await;
    let err = app
        .idp
        .sign_up()
        .client_id(&pool.client_id)
        .username("vera")
        .password(PASSWORD)
        .user_attributes(attr("email", "vera@example.com"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "CodeDeliveryFailureException");
    let missing = app.admin_get_user(&pool, "vera").await.unwrap_err();
    assert_eq!(code(&missing), "UserNotFoundException");
    assert!(
        app.outbox(&pool.pool_id, "vera").await.is_empty(),
        "nothing kept either"
    );
}

/// Where the client hides whether users exist, a real user's delivery must not show against
/// a decoy's: with a mail server that refuses every connection, ForgotPassword still answers
/// a real user as it answers a name that names nobody.
#[tokio::test]
async fn a_failed_delivery_is_not_told_where_the_client_hides_user_existence() {
    let app = spawn_with_smtp(unused_port()).await;
    let spec = PoolSpec::standard().client(|c| {
        c.prevent_user_existence_errors(
            aws_sdk_cognitoidentityprovider::types::PreventUserExistenceErrorTypes::Enabled,
        )
    });
    let hiding = app.pool_with(spec).await;
    let legacy = app.pool().await;
    for pool in [&hiding, &legacy] {
        app.idp
            .admin_create_user()
            .user_pool_id(&pool.pool_id)
            .username("wren")
            .user_attributes(attr("email", "wren@example.com"))
            .user_attributes(attr("email_verified", "true"))
            .message_action(aws_sdk_cognitoidentityprovider::types::MessageActionType::Suppress)
            .send()
            .await
            .unwrap();
        app.idp
            .admin_set_user_password()
            .user_pool_id(&pool.pool_id)
            .username("wren")
            .password(PASSWORD)
            .permanent(true)
            .send()
            .await
            .unwrap();
    }
    let forgot = |pool: &Pool, name: &str| {
        app.idp
            .forgot_password()
            .client_id(&pool.client_id)
            .username(name)
            .send()
    };
    let real = forgot(&hiding, "wren").await.unwrap();
    let nobody = forgot(&hiding, "nobody@example.com").await.unwrap();
    let medium =
        |o: &aws_sdk_cognitoidentityprovider::operation::forgot_password::ForgotPasswordOutput| {
            o.code_delivery_details()
                .unwrap()
                .delivery_medium()
                .cloned()
        };
    assert_eq!(medium(&real), medium(&nobody));
    // The code was stored all the same: the user can ask again once mail works.
    assert_eq!(
        app.sql_i64("SELECT COUNT(*) FROM codes WHERE purpose = 'FORGOT_PASSWORD'")
            .await,
        1
    );
    // Where the client does not hide users, the failure is the caller's to know.
    let err = forgot(&legacy, "wren").await.unwrap_err();
    assert_eq!(code(&err), "CodeDeliveryFailureException");
}

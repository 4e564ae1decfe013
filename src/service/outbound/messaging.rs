//! Delivery of codes and invitations: email over SMTP (lettre), SMS through a webhook, or, when
//! neither is configured, the log. In local mode every message is also kept in the dev outbox
//! so that developers and tests can read their codes.

use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde::Serialize;
use serde_json::Value;

use crate::config::Config;
use crate::service::{fail, now_ms, Exception, Result, State};
use crate::store::outbox;
pub use crate::store::outbox::OutboxRow;
use crate::store::pools as pool_store;
use crate::store::Db;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Medium {
    Email,
    Sms,
}

impl Medium {
    pub fn name(self) -> &'static str {
        match self {
            Medium::Email => "EMAIL",
            Medium::Sms => "SMS",
        }
    }
    pub fn attribute(self) -> &'static str {
        match self {
            Medium::Email => "email",
            Medium::Sms => "phone_number",
        }
    }
}

/// How a message leaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dispatch {
    /// While the caller waits: a failure is its CodeDeliveryFailureException.
    Awaited,
    /// After the caller has its answer, where the client hides whether users exist: a real
    /// user's delivery must not show against a decoy's, neither in its time nor in its
    /// failure, which is logged instead.
    Detached,
}

impl Dispatch {
    /// Detached where the client hides whether users exist, awaited elsewhere.
    pub fn hiding_users(hides: bool) -> Dispatch {
        match hides {
            true => Dispatch::Detached,
            false => Dispatch::Awaited,
        }
    }
}

pub struct Message<'a> {
    pub pool_id: &'a str,
    pub username: &'a str,
    pub medium: Medium,
    pub destination: &'a str,
    pub purpose: &'static str,
    pub code: Option<&'a str>,
    pub subject: Option<String>,
    /// The message with its `{username}` and `{####}` (the code) placeholders: filled in
    /// here, so that the HTML part escapes what users typed and the template does not.
    pub template: String,
}

/// The configured senders (cheap to clone: the transports share their connections).
#[derive(Clone)]
pub struct Delivery {
    smtp: Option<AsyncSmtpTransport<Tokio1Executor>>,
    email_from: String,
    sms_webhook: Option<(String, reqwest::Client)>,
}

impl Delivery {
    pub fn from_config(config: &Config) -> anyhow::Result<Delivery> {
        let smtp = match &config.smtp_url {
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .map_err(|e| anyhow::anyhow!("COGNATE_SMTP_URL is not a usable SMTP URL: {e}"))?
                    .timeout(Some(Duration::from_secs(10)))
                    .build(),
            ),
            None => None,
        };
        let sms_webhook = match &config.sms_webhook_url {
            Some(url) => {
                reqwest::Url::parse(url)
                    .map_err(|e| anyhow::anyhow!("COGNATE_SMS_WEBHOOK_URL: {e}"))?;
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(10))
                    .build()?;
                Some((url.clone(), client))
            }
            None => None,
        };
        Ok(Delivery {
            smtp,
            email_from: config.email_from.clone(),
            sms_webhook,
        })
    }
}

/// The JSON an SMS webhook receives.
#[derive(Serialize)]
struct SmsWebhookBody<'a> {
    pool_id: &'a str,
    username: &'a str,
    phone_number: &'a str,
    purpose: &'a str,
    message: &'a str,
}

/// Where a message went, as Cognito reports it: the medium and the masked destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    pub medium: Medium,
    pub destination: String,
}

/// Sends a message; returns where it went. A message that cannot be delivered is
/// CodeDeliveryFailureException, and nothing is kept; a fault of our own (the database)
/// stays a fault.
pub async fn send(state: &State, m: Message<'_>) -> Result<Delivered> {
    send_as(state, m, Dispatch::Awaited).await
}

/// [`send`], awaited or detached.
pub async fn send_as(state: &State, m: Message<'_>, dispatch: Dispatch) -> Result<Delivered> {
    if dispatch == Dispatch::Detached {
        return send_detached(state, m).await;
    }
    let delivered = match m.medium {
        Medium::Email => {
            // Read only when there is a server to send to: a message that goes nowhere costs
            // no more than a decoy delivery to an unknown user does.
            let config = match &state.delivery.smtp {
                Some(_) => email_configuration(&state.db, m.pool_id).await?,
                None => Value::Null,
            };
            send_email(&state.delivery, state.local_mode, &m, &config).await
        }
        Medium::Sms => send_sms(&state.delivery, state.local_mode, &m).await,
    };
    if let Err(cause) = delivered {
        tracing::warn!(pool_id = m.pool_id, medium = m.medium.name(), purpose = m.purpose, error = %cause, "message delivery failed");
        return fail(
            Exception::CodeDeliveryFailure,
            "Unable to deliver the message to the user.",
        );
    }
    state.metrics.code_sent(m.medium.name(), m.purpose);
    keep(state, &m).await?;
    Ok(Delivered {
        medium: m.medium,
        destination: mask(m.medium, m.destination),
    })
}

/// Local mode: the message as the dev outbox keeps it, written before the answer so that
/// a developer (or a test) can read the code at once.
async fn keep(state: &State, m: &Message<'_>) -> Result<()> {
    if state.local_mode {
        tracing::info!(
            pool_id = m.pool_id,
            username = m.username,
            medium = m.medium.name(),
            destination = m.destination,
            purpose = m.purpose,
            code = m.code,
            "dev outbox: message kept"
        );
        outbox::insert(
            &state.db,
            &OutboxRow {
                pool_id: m.pool_id.into(),
                username: m.username.into(),
                medium: m.medium.name().into(),
                destination: m.destination.into(),
                purpose: m.purpose.into(),
                code: m.code.map(Into::into),
                body: fill(&m.template, m, str::to_string),
                subject: m.subject.clone(),
                sent_at: now_ms(),
            },
        )
        .await?;
    }
    Ok(())
}

/// A message owned, for delivery after the answer.
struct Owned {
    pool_id: String,
    username: String,
    medium: Medium,
    destination: String,
    purpose: &'static str,
    code: Option<String>,
    subject: Option<String>,
    template: String,
}

impl Owned {
    fn of(m: &Message<'_>) -> Owned {
        Owned {
            pool_id: m.pool_id.into(),
            username: m.username.into(),
            medium: m.medium,
            destination: m.destination.into(),
            purpose: m.purpose,
            code: m.code.map(Into::into),
            subject: m.subject.clone(),
            template: m.template.clone(),
        }
    }

    fn message(&self) -> Message<'_> {
        Message {
            pool_id: &self.pool_id,
            username: &self.username,
            medium: self.medium,
            destination: &self.destination,
            purpose: self.purpose,
            code: self.code.as_deref(),
            subject: self.subject.clone(),
            template: self.template.clone(),
        }
    }
}

/// Keeps the message (local mode) and answers; the transport runs on a task of its own.
async fn send_detached(state: &State, m: Message<'_>) -> Result<Delivered> {
    keep(state, &m).await?;
    let owned = Owned::of(&m);
    let (delivery, db, local_mode) = (state.delivery.clone(), state.db.clone(), state.local_mode);
    let metrics = state.metrics.clone();
    tokio::spawn(async move {
        let m = owned.message();
        let sent = match m.medium {
            Medium::Email => match &delivery.smtp {
                Some(_) => match email_configuration(&db, m.pool_id).await {
                    Ok(config) => send_email(&delivery, local_mode, &m, &config).await,
                    Err(e) => Err(e.into()),
                },
                None => send_email(&delivery, local_mode, &m, &Value::Null).await,
            },
            Medium::Sms => send_sms(&delivery, local_mode, &m).await,
        };
        match sent {
            Ok(()) => metrics.code_sent(m.medium.name(), m.purpose),
            Err(cause) => {
                tracing::warn!(pool_id = m.pool_id, medium = m.medium.name(), purpose = m.purpose, error = %cause, "detached message delivery failed")
            }
        }
    });
    Ok(Delivered {
        medium: m.medium,
        destination: mask(m.medium, m.destination),
    })
}

/// The pool's EmailConfiguration (From, ReplyToEmailAddress), or null.
async fn email_configuration(db: &Db, pool_id: &str) -> Result<Value> {
    Ok(pool_store::find_by_id(db, pool_id)
        .await?
        .and_then(|p| p.settings.other.get("EmailConfiguration").cloned())
        .unwrap_or(Value::Null))
}

/// The dev outbox of local mode: messages newest first, optionally for one pool and user.
pub async fn outbox(
    state: &State,
    pool_id: Option<&str>,
    username: Option<&str>,
) -> Result<Vec<OutboxRow>> {
    Ok(outbox::list(&state.db, pool_id, username, 500).await?)
}

async fn send_email(
    delivery: &Delivery,
    local_mode: bool,
    m: &Message<'_>,
    config: &Value,
) -> anyhow::Result<()> {
    let Some(smtp) = &delivery.smtp else {
        // Never log the message itself outside local mode: it carries the code.
        if !local_mode {
            tracing::info!(
                pool_id = m.pool_id,
                purpose = m.purpose,
                "no SMTP server configured; email not sent"
            );
        }
        return Ok(());
    };
    let from = config
        .get("From")
        .and_then(Value::as_str)
        .unwrap_or(&delivery.email_from);
    let mut builder = lettre::Message::builder()
        .from(from.parse::<Mailbox>()?)
        .to(m.destination.parse::<Mailbox>()?)
        .subject(
            m.subject
                .clone()
                .unwrap_or_else(|| "Your verification code".into()),
        );
    if let Some(reply_to) = config.get("ReplyToEmailAddress").and_then(Value::as_str) {
        builder = builder.reply_to(reply_to.parse::<Mailbox>()?);
    }
    let (text, html) = text_and_html(m);
    let email = builder.multipart(
        MultiPart::alternative()
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(text),
            )
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(html),
            ),
    )?;
    smtp.send(email).await?;
    Ok(())
}

async fn send_sms(delivery: &Delivery, local_mode: bool, m: &Message<'_>) -> anyhow::Result<()> {
    let Some((url, client)) = &delivery.sms_webhook else {
        if !local_mode {
            tracing::info!(
                pool_id = m.pool_id,
                purpose = m.purpose,
                "no SMS webhook configured; SMS not sent"
            );
        }
        return Ok(());
    };
    let body = SmsWebhookBody {
        pool_id: m.pool_id,
        username: m.username,
        phone_number: m.destination,
        purpose: m.purpose,
        message: &fill(&m.template, m, str::to_string),
    };
    client
        .post(url)
        .json(&body)
        .send()
        .await?
        .error_for_status()?;
    Ok(())
}

/// `template` with its placeholders replaced, in one pass (a value that looks like a
/// placeholder stays as it is), each value passed through `escape`.
fn fill(template: &str, m: &Message<'_>, escape: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("{username}") {
            out.push_str(&escape(m.username));
            rest = after;
        } else if let (Some(after), Some(code)) = (tail.strip_prefix("{####}"), m.code) {
            out.push_str(&escape(code));
            rest = after;
        } else {
            out.push('{');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Text made safe to place in HTML.
fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A message as plain text and as HTML: templates may be either. The template's own markup
/// is kept; the values filled into the HTML part are escaped.
fn text_and_html(m: &Message<'_>) -> (String, String) {
    let template = &m.template;
    let looks_html = template.contains("</") || template.contains("<br");
    if looks_html {
        (
            fill(&strip_tags(template), m, str::to_string),
            fill(template, m, escape_html),
        )
    } else {
        let text = fill(template, m, str::to_string);
        let html = format!(
            "<html><body><p>{}</p></body></html>",
            escape_html(&text).replace('\n', "<br>")
        );
        (text, html)
    }
}

fn strip_tags(html: &str) -> String {
    let with_breaks = html
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n");
    let mut out = String::with_capacity(with_breaks.len());
    let mut in_tag = false;
    for c in with_breaks.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Masks a destination as Cognito does: `j***@e***` for email, `+*******1234` for phones.
pub fn mask(medium: Medium, destination: &str) -> String {
    match medium {
        Medium::Email => {
            let (local, domain) = destination.split_once('@').unwrap_or((destination, ""));
            let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
            format!("{}***@{}***", first(local), first(domain))
        }
        Medium::Sms => {
            let n = destination.chars().count();
            let tail: String = destination.chars().skip(n.saturating_sub(4)).collect();
            format!("+{}{tail}", "*".repeat(n.saturating_sub(5)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_are_masked() {
        assert_eq!(mask(Medium::Email, "jane@example.com"), "j***@e***");
        assert_eq!(mask(Medium::Sms, "+15555550123"), "+*******0123");
    }

    fn message<'a>(username: &'a str, code: Option<&'a str>, template: &str) -> Message<'a> {
        Message {
            pool_id: "pool",
            username,
            medium: Medium::Email,
            destination: "a@example.com",
            purpose: "TEST",
            code,
            subject: None,
            template: template.into(),
        }
    }

    #[test]
    fn bodies_become_text_and_html() {
        let (text, html) = text_and_html(&message("u", Some("123456"), "Code <b>{####}</b></p>"));
        assert_eq!(text, "Code 123456");
        assert!(html.contains("<b>123456</b>"));
        let (text, html) = text_and_html(&message("u", None, "Code 1 < 2\nbye"));
        assert_eq!(text, "Code 1 < 2\nbye");
        assert!(html.contains("1 &lt; 2<br>bye"));
    }

    #[test]
    fn values_are_escaped_in_html_and_filled_once() {
        let m = message(
            "<script>x</script>",
            Some("{username}"),
            "<p>Hi {username}, {####}</p>",
        );
        let (text, html) = text_and_html(&m);
        assert_eq!(text, "Hi <script>x</script>, {username}");
        assert_eq!(html, "<p>Hi &lt;script&gt;x&lt;/script&gt;, {username}</p>");
    }
}

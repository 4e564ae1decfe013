//! Tokens, secrets and clocks: what the tests read from a JWT, the SECRET_HASH they send and the
//! times they sign with.

use std::future::Future;

use aws_sdk_cognitoidentityprovider as idp;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use idp::error::SdkError;
use idp::operation::initiate_auth::{InitiateAuthError, InitiateAuthOutput};
use idp::operation::respond_to_auth_challenge::{
    RespondToAuthChallengeError, RespondToAuthChallengeOutput,
};
use idp::types::{AuthenticationResultType, ChallengeNameType};
use serde_json::Value;

use super::{srp, totp, Pool, TestApp, PASSWORD};

pub type AuthResult = Result<InitiateAuthOutput, SdkError<InitiateAuthError, HttpResponse>>;

pub type ChallengeResult =
    Result<RespondToAuthChallengeOutput, SdkError<RespondToAuthChallengeError, HttpResponse>>;

impl TestApp {
    /// USER_PASSWORD_AUTH with the pool's client.
    pub async fn password_sign_in(
        &self,
        pool: &Pool,
        username: &str,
        password: &str,
    ) -> AuthResult {
        self.idp
            .initiate_auth()
            .client_id(&pool.client_id)
            .auth_flow(idp::types::AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("PASSWORD", password)
            .send()
            .await
    }

    /// Signs in with PASSWORD and returns the tokens: an error or a challenge fails the test.
    pub async fn tokens(&self, pool: &Pool, username: &str) -> AuthenticationResultType {
        self.password_sign_in(pool, username, PASSWORD)
            .await
            .unwrap()
            .authentication_result
            .unwrap()
    }

    /// Signs in with PASSWORD and returns the access token.
    pub async fn access_token(&self, pool: &Pool, username: &str) -> String {
        self.tokens(pool, username).await.access_token.unwrap()
    }

    /// Signs up, confirms and signs in a user: their tokens.
    pub async fn signed_in_user(&self, pool: &Pool, username: &str) -> AuthenticationResultType {
        self.confirmed_user(pool, username).await;
        self.tokens(pool, username).await
    }

    /// AssociateSoftwareToken with an access token: the new secret.
    pub async fn associate_totp(&self, access_token: &str) -> String {
        self.idp
            .associate_software_token()
            .access_token(access_token)
            .send()
            .await
            .unwrap()
            .secret_code
            .unwrap()
    }

    /// RespondToAuthChallenge with the pool's client: `challenge` answered with `responses` in
    /// `session` (None for the SRP password verifier, which carries none). The future owns its
    /// request, so closures may return it.
    pub fn respond(
        &self,
        pool: &Pool,
        challenge: ChallengeNameType,
        session: Option<&str>,
        responses: &[(&str, &str)],
    ) -> impl Future<Output = ChallengeResult> {
        let mut request = self
            .idp
            .respond_to_auth_challenge()
            .client_id(&pool.client_id)
            .challenge_name(challenge)
            .set_session(session.map(String::from));
        for (name, value) in responses {
            request = request.challenge_responses(*name, *value);
        }
        request.send()
    }
}

/// The claims of a JWT, unverified (tokens_and_discovery.rs checks signatures against the JWKS).
pub fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// Seconds since the Unix epoch, as TOTP counts them.
/// A six-digit code that is none of the codes the server accepts for `secret` now (the
/// current time step and its neighbours).
pub fn wrong_totp(secret: &str) -> String {
    let now = now_secs();
    let valid: Vec<String> = [now - 30, now, now + 30]
        .iter()
        .map(|t| totp::code_at(secret, *t).unwrap())
        .collect();
    (0..10)
        .map(|d| format!("{d}{d}{d}{d}{d}{d}"))
        .find(|c| !valid.contains(c))
        .unwrap()
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Milliseconds since the Unix epoch, as the database stores deadlines.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The current time as an SRP answer's TIMESTAMP.
pub fn srp_timestamp() -> String {
    srp::format_timestamp(chrono::Utc::now())
}

/// The SECRET_HASH a client with a secret sends along with `username`.
pub fn secret_hash(secret: &str, username: &str, client_id: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{username}{client_id}").as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

//! Admin authentication by AWS Signature Version 4.
//!
//! With admin credentials configured every signature is checked exactly (scratchstack runs
//! AWS's own SigV4 test suite). Without them (local mode, loopback only) any well-formed
//! signature is accepted, as Cognito emulators do.

use actix_web::HttpRequest;
use bytes::Bytes;
use scratchstack_aws_principal::User;
use scratchstack_aws_signature::{
    sigv4_validate_request, GetSigningKeyRequest, GetSigningKeyResponse, KSecretKey,
    SignatureError, SignatureOptions, NO_ADDITIONAL_SIGNED_HEADERS,
};
use std::str::FromStr;
use tower::BoxError;

use super::error::AwsError;
use crate::config::Secret;
use crate::http::guard::LocalHosts;

pub struct AdminAuth {
    /// `None` in local mode.
    pub credentials: Option<(String, Secret)>,
    pub region: String,
    pub account_id: String,
    /// In local mode, the `Host`s admin calls are served for (the DNS-rebinding guard).
    pub hosts: LocalHosts,
}

const MISSING: &str = "MissingAuthenticationTokenException";
const INCOMPLETE: &str = "IncompleteSignatureException";

impl AdminAuth {
    /// Checks the request's SigV4 signature for `service` (e.g. `cognito-idp`).
    pub async fn authenticate(
        &self,
        req: &HttpRequest,
        body: &Bytes,
        service: &str,
    ) -> Result<(), AwsError> {
        if self.credentials.is_none() && !self.hosts.allows(req) {
            return Err(AwsError::new(
                "AccessDeniedException",
                "Local mode serves admin calls only to a loopback Host (localhost, 127.0.0.1, \
                 [::1]) or the public URL's host.",
            ));
        }
        let Some(authorization) = req.headers().get("authorization") else {
            return Err(AwsError::new(MISSING, "Missing Authentication Token"));
        };
        let authorization = authorization.to_str().unwrap_or_default();
        let Some((access_key, secret)) = &self.credentials else {
            return check_well_formed(authorization);
        };
        let request = to_http1(req, body)?;
        let (access_key, secret, account) =
            (access_key.clone(), secret.clone(), self.account_id.clone());
        let mut key_service = tower::service_fn(move |r: GetSigningKeyRequest| {
            std::future::ready(signing_key(r, &access_key, &secret, &account))
        });
        sigv4_validate_request(
            request,
            &self.region,
            service,
            &mut key_service,
            chrono::Utc::now(),
            &NO_ADDITIONAL_SIGNED_HEADERS,
            SignatureOptions::default(),
        )
        .await
        .map(|_| ())
        .map_err(map_error)
    }
}

fn signing_key(
    r: GetSigningKeyRequest,
    access_key: &str,
    secret: &Secret,
    account: &str,
) -> Result<GetSigningKeyResponse, BoxError> {
    let known = subtle::ConstantTimeEq::ct_eq(r.access_key().as_bytes(), access_key.as_bytes());
    if !bool::from(known) {
        return Err(SignatureError::InvalidClientTokenId(
            "The security token included in the request is invalid.".into(),
        )
        .into());
    }
    let user = User::new("aws", account, "/", "cognate-admin")?;
    let key = KSecretKey::from_str(secret.expose())?;
    Ok(GetSigningKeyResponse::builder()
        .principal(user)
        .signing_key(key.to_ksigning(r.request_date(), r.region(), r.service()))
        .build()?)
}

/// Local mode: the header must still look like a SigV4 signature.
fn check_well_formed(authorization: &str) -> Result<(), AwsError> {
    let Some(rest) = authorization.strip_prefix("AWS4-HMAC-SHA256 ") else {
        return Err(AwsError::new(
            INCOMPLETE,
            "Authorization header requires the AWS4-HMAC-SHA256 algorithm.",
        ));
    };
    for part in ["Credential=", "SignedHeaders=", "Signature="] {
        if !rest.contains(part) {
            return Err(AwsError::new(
                INCOMPLETE,
                format!(
                    "Authorization header requires '{}' parameter.",
                    part.trim_end_matches('=')
                ),
            ));
        }
    }
    Ok(())
}

/// actix-web speaks `http` 0.2; the verifier speaks `http` 1.
fn to_http1(req: &HttpRequest, body: &Bytes) -> Result<http::Request<Bytes>, AwsError> {
    let mut builder = http::Request::builder()
        .method(req.method().as_str())
        .uri(req.uri().to_string());
    for (name, value) in req.headers() {
        builder = builder.header(name.as_str(), value.as_bytes());
    }
    builder
        .body(body.clone())
        .map_err(|e| AwsError::new(INCOMPLETE, format!("Malformed request: {e}")))
}

/// AWS JSON services name signature failures differently from the query protocol.
fn map_error(e: BoxError) -> AwsError {
    match e.downcast::<SignatureError>() {
        Ok(e) => {
            let message = e.to_string();
            let code = match *e {
                SignatureError::MissingAuthenticationToken(_) => MISSING,
                SignatureError::InvalidClientTokenId(_) => "UnrecognizedClientException",
                SignatureError::IncompleteSignature(_) => INCOMPLETE,
                SignatureError::ExpiredToken(_) => "ExpiredTokenException",
                _ => "InvalidSignatureException",
            };
            AwsError::new(code, message)
        }
        Err(other) => AwsError::new("InvalidSignatureException", other.to_string()),
    }
}

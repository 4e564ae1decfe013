//! Admin authentication by AWS Signature Version 4.
//!
//! With admin credentials configured every signature is checked exactly (scratchstack runs
//! AWS's own SigV4 test suite). Without them (local mode, loopback only) any well-formed
//! signature is accepted, as Cognito emulators do.

use actix_web::HttpRequest;
use bytes::Bytes;
use scratchstack_aws_principal::{AssumedRole, User};
use scratchstack_aws_signature::{
    sigv4_validate_request, GetSigningKeyRequest, GetSigningKeyResponse, KSecretKey,
    SignatureError, SignatureOptions, NO_ADDITIONAL_SIGNED_HEADERS,
};
use std::str::FromStr;
use tower::BoxError;

use super::error::AwsError;
use crate::config::Secret;
use crate::http::guard::LocalHosts;
use crate::service::iam::authorize::{self, Caller, Verdict};
use crate::service::iam::credentials;
use crate::service::State;
use crate::store::iam::TempCredentialRecord;

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
        self.authenticate_as(req, to_http1(req, body)?, service)
            .await
    }

    /// Checks the signature of `request`, the form of `req` that its client signed (Cognito
    /// Sync's paths are canonicalized as signed, encoded twice).
    pub async fn authenticate_as(
        &self,
        req: &HttpRequest,
        request: http::Request<Bytes>,
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

/// Who signed a request: the administrator, or a holder of temporary credentials.
pub enum Signer {
    Admin,
    Temporary(Caller),
}

/// The access key id and credential scope (`date/region/service/aws4_request`) a request
/// was signed with, from its Authorization header or presigned query.
pub fn credential_of(headers: &http::HeaderMap, query: &str) -> Option<(String, Vec<String>)> {
    let from_header = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|a| a.split("Credential=").nth(1))
        .map(|c| c.split([',', ' ']).next().unwrap_or_default().to_string());
    let from_query = || {
        query
            .split('&')
            .find_map(|p| p.strip_prefix("X-Amz-Credential="))
            .map(|c| c.replace("%2F", "/").replace("%2f", "/"))
    };
    let credential = from_header.or_else(from_query)?;
    let mut parts = credential.split('/').map(String::from);
    let key = parts.next()?;
    Some((key, parts.collect()))
}

/// The service a request's credential scope names (`sts`, `iam`, ...).
pub fn scope_service(req: &HttpRequest) -> Option<String> {
    let request = to_http1(req, &Bytes::new()).ok()?;
    let (_, scope) = credential_of(request.headers(), req.query_string())?;
    scope.get(2).cloned()
}

/// Checks a request signed with temporary credentials: the key id must be one this server
/// issued, the session token the one issued with it, the credentials unexpired and the
/// signature exact. `region` and `service` are what the signature's scope must name.
pub async fn verify_temporary(
    state: &State,
    request: http::Request<Bytes>,
    region: &str,
    service: &str,
) -> Result<Caller, AwsError> {
    let query = request.uri().query().unwrap_or_default().to_string();
    let Some((key, _)) = credential_of(request.headers(), &query) else {
        return Err(AwsError::new(MISSING, "Missing Authentication Token"));
    };
    let invalid = || {
        AwsError::new(
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        )
    };
    let Some(record) = credentials::for_signing(state, &key).await? else {
        return Err(invalid());
    };
    let caller = Caller::from_record(&record)?;
    let (account, role, session) = (
        state.account_id.clone(),
        caller.role_name().to_string(),
        caller.session_name.clone(),
    );
    let mut key_service = tower::service_fn(move |r: GetSigningKeyRequest| {
        std::future::ready(temporary_signing_key(r, &record, &account, &role, &session))
    });
    sigv4_validate_request(
        request,
        region,
        service,
        &mut key_service,
        chrono::Utc::now(),
        &NO_ADDITIONAL_SIGNED_HEADERS,
        SignatureOptions::default(),
    )
    .await
    .map_err(map_query_error)?;
    Ok(caller)
}

fn temporary_signing_key(
    r: GetSigningKeyRequest,
    record: &TempCredentialRecord,
    account: &str,
    role: &str,
    session: &str,
) -> Result<GetSigningKeyResponse, BoxError> {
    let token = r.session_token().unwrap_or_default();
    let expected = credentials::token_hash(token);
    let matches = subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), record.token_hash.as_bytes());
    if !bool::from(matches) {
        return Err(SignatureError::InvalidClientTokenId(
            "The security token included in the request is invalid.".into(),
        )
        .into());
    }
    if record.expires_at <= crate::service::now_ms() {
        return Err(SignatureError::ExpiredToken(
            "The security token included in the request is expired".into(),
        )
        .into());
    }
    let principal = AssumedRole::new("aws", account, role, session)?;
    let key = KSecretKey::from_str(&record.secret_key)?;
    Ok(GetSigningKeyResponse::builder()
        .principal(principal)
        .signing_key(key.to_ksigning(r.request_date(), r.region(), r.service()))
        .build()?)
}

impl AdminAuth {
    /// Checks the signature of a request that the admin or temporary credentials may sign
    /// (STS, the authorizer), with the Query protocol's error codes.
    pub async fn authenticate_signer(
        &self,
        state: &State,
        req: &HttpRequest,
        body: &Bytes,
        service: &str,
    ) -> Result<Signer, AwsError> {
        let request = to_http1(req, body)?;
        let temporary = credential_of(request.headers(), req.query_string())
            .is_some_and(|(key, _)| key.starts_with("ASIA"));
        if temporary {
            return verify_temporary(state, request, &self.region, service)
                .await
                .map(Signer::Temporary);
        }
        self.authenticate(req, body, service)
            .await
            .map_err(to_query_codes)?;
        Ok(Signer::Admin)
    }
}

/// Authorizes a request signed with temporary credentials for `action` on `resource`: the
/// signature is verified (for the service and region of its scope), then the role's
/// policies decide. Cognito Sync calls this with `cognito-sync:<Action>` and a dataset ARN.
pub async fn authorize_temporary_credentials(
    state: &State,
    request: http::Request<Bytes>,
    action: &str,
    resource: &str,
) -> Result<(Caller, Verdict), AwsError> {
    let query = request.uri().query().unwrap_or_default().to_string();
    let scope = credential_of(request.headers(), &query)
        .map(|(_, s)| s)
        .unwrap_or_default();
    let (Some(region), Some(service)) = (scope.get(1).cloned(), scope.get(2).cloned()) else {
        return Err(AwsError::new(
            INCOMPLETE,
            "The request is not signed with AWS Signature Version 4.",
        ));
    };
    let caller = verify_temporary(state, request, &region, &service).await?;
    let verdict = authorize::decide(state, &caller, action, resource).await?;
    Ok((caller, verdict))
}

/// The request as the verifier takes it (for callers outside this module).
pub fn to_verifiable(req: &HttpRequest, body: &Bytes) -> Result<http::Request<Bytes>, AwsError> {
    to_http1(req, body)
}

/// The JSON services' names for signature failures, as the Query protocol names them.
fn to_query_codes(e: AwsError) -> AwsError {
    let code = match e.code {
        "UnrecognizedClientException" => "InvalidClientTokenId",
        "InvalidSignatureException" => "SignatureDoesNotMatch",
        "MissingAuthenticationTokenException" => "MissingAuthenticationToken",
        "IncompleteSignatureException" => "IncompleteSignature",
        "ExpiredTokenException" => "ExpiredToken",
        other => other,
    };
    AwsError::new(code, e.message)
}

/// Signature failures as STS and the Query services name them.
fn map_query_error(e: BoxError) -> AwsError {
    to_query_codes(map_error(e))
}

//! URLs presigned (SigV4 in the query string) with an identity pool's temporary credentials,
//! as a browser opens a WebSocket with. scratchstack reads `X-Amz-Credential` still
//! percent-encoded, so a presigned URL never verifies there; here the request is signed
//! again with aws-sigv4 (the signer the SDKs use) and the signatures are compared.

use std::time::{Duration, SystemTime};

use actix_web::HttpRequest;
use aws_sigv4::http_request::{
    sign, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
};
use aws_sigv4::sign::v4;
use subtle::ConstantTimeEq;

use super::AwsError;
use crate::service::iam::authorize::Caller;
use crate::service::iam::credentials;
use crate::service::{now_ms, State};

/// How far a signing time may lie ahead of this server's clock, as AWS allows.
const CLOCK_SKEW_MS: i64 = 15 * 60 * 1000;
/// The longest validity a presigned URL may claim (AWS: seven days).
const MAX_EXPIRES_SECS: u64 = 7 * 24 * 3600;

fn incomplete(message: &str) -> AwsError {
    AwsError::new("IncompleteSignature", message)
}

fn invalid_token() -> AwsError {
    AwsError::new(
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
    )
}

/// The parameters of a presigned request.
struct Presigned {
    key: String,
    region: String,
    service: String,
    signed_at: SystemTime,
    signed_at_ms: i64,
    expires: u64,
    headers: Vec<String>,
    token: String,
    signature: String,
}

fn parse(query: &[(String, String)]) -> Result<Presigned, AwsError> {
    let get = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| {
                incomplete(&format!(
                    "AWS query-string parameters must include '{name}'."
                ))
            })
    };
    if get("X-Amz-Algorithm")? != "AWS4-HMAC-SHA256" {
        return Err(incomplete("Unsupported AWS 'algorithm'."));
    }
    let credential = get("X-Amz-Credential")?;
    let scope: Vec<&str> = credential.split('/').collect();
    let [key, _day, region, service, "aws4_request"] = scope[..] else {
        return Err(incomplete(
            "Credential must have exactly 5 slash-delimited elements.",
        ));
    };
    let date = get("X-Amz-Date")?;
    let signed = chrono::NaiveDateTime::parse_from_str(&date, "%Y%m%dT%H%M%SZ")
        .map_err(|_| incomplete("X-Amz-Date must be in the ISO 8601 basic format."))?
        .and_utc();
    let expires: u64 = get("X-Amz-Expires")?
        .parse()
        .ok()
        .filter(|e| (1..=MAX_EXPIRES_SECS).contains(e))
        .ok_or_else(|| incomplete("X-Amz-Expires must be between 1 and 604800 seconds."))?;
    Ok(Presigned {
        key: key.to_string(),
        region: region.to_string(),
        service: service.to_string(),
        signed_at: SystemTime::from(signed),
        signed_at_ms: signed.timestamp_millis(),
        expires,
        headers: get("X-Amz-SignedHeaders")?
            .split(';')
            .map(String::from)
            .collect(),
        token: get("X-Amz-Security-Token")?,
        signature: get("X-Amz-Signature")?,
    })
}

/// The signature aws-sigv4 computes for `req` with `p` and `secret`.
fn expected_signature(req: &HttpRequest, p: &Presigned, secret: &str) -> Result<String, AwsError> {
    let failed = |e: String| AwsError::new("SignatureDoesNotMatch", e);
    let unsigned: Vec<&str> = req
        .query_string()
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("X-Amz-"))
        .collect();
    let host = req
        .headers()
        .get("host")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let mut url = format!("http://{host}{}", req.path());
    if !unsigned.is_empty() {
        url = format!("{url}?{}", unsigned.join("&"));
    }
    let mut headers = Vec::new();
    for name in &p.headers {
        let value = req
            .headers()
            .get(name.as_str())
            .and_then(|v| v.to_str().ok());
        headers.push((name.as_str(), value.unwrap_or_default()));
    }
    let identity = aws_credential_types::Credentials::new(
        &p.key,
        secret,
        Some(p.token.clone()),
        None,
        "presigned",
    )
    .into();
    let mut settings = SigningSettings::default();
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(Duration::from_secs(p.expires));
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(&p.region)
        .name(&p.service)
        .time(p.signed_at)
        .settings(settings)
        .build()
        .map_err(|e| failed(e.to_string()))?
        .into();
    let signable = SignableRequest::new(
        req.method().as_str(),
        &url,
        headers.into_iter(),
        SignableBody::Bytes(&[]),
    )
    .map_err(|e| failed(e.to_string()))?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| failed(e.to_string()))?
        .into_parts();
    let signature = instructions
        .params()
        .iter()
        .find(|(k, _)| *k == "X-Amz-Signature")
        .map(|(_, v)| v.to_string());
    signature.ok_or_else(|| failed("no signature".into()))
}

/// The caller a presigned request speaks for: the key must be one this server issued, the
/// session token the one issued with it, the URL unexpired and its signature exact.
pub async fn verify_presigned(state: &State, req: &HttpRequest) -> Result<Caller, AwsError> {
    let query: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|_| incomplete("Malformed query string."))?;
    let p = parse(&query)?;
    let now = now_ms();
    if p.signed_at_ms > now + CLOCK_SKEW_MS || p.signed_at_ms + (p.expires as i64) * 1000 < now {
        return Err(AwsError::new(
            "AccessDeniedException",
            "Request has expired",
        ));
    }
    let record = credentials::for_signing(state, &p.key)
        .await?
        .ok_or_else(invalid_token)?;
    let token_hash = credentials::token_hash(&p.token);
    if !bool::from(token_hash.as_bytes().ct_eq(record.token_hash.as_bytes())) {
        return Err(invalid_token());
    }
    if record.expires_at <= now {
        return Err(AwsError::new(
            "ExpiredToken",
            "The security token included in the request is expired",
        ));
    }
    let expected = expected_signature(req, &p, &record.secret_key)?;
    if !bool::from(expected.as_bytes().ct_eq(p.signature.as_bytes())) {
        return Err(AwsError::new(
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        ));
    }
    Ok(Caller::from_record(&record)?)
}

//! CORS for `POST /`, as Cognito's endpoint answers browser apps (Amplify and
//! amazon-cognito-identity-js call InitiateAuth, SignUp, ... straight from the page): preflights
//! are answered, and the replies of unsigned operations carry the allowing headers. Signed
//! (admin) operations never do, and the preflight never allows the `Authorization` header, so
//! a page cannot make a browser send a signed call at all.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};

/// The request headers browser SDKs send with an unsigned call.
const ALLOW_HEADERS: &str =
    "content-type, x-amz-target, x-amz-user-agent, amz-sdk-invocation-id, amz-sdk-request, \
     cache-control";
/// The reply headers a page may read.
const EXPOSE_HEADERS: &str = "x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date";

/// The origins browsers may call the unsigned operations from.
pub struct Cors {
    any: bool,
    origins: Vec<String>,
}

impl Cors {
    /// `*` allows any origin; an empty list, none.
    pub fn new(origins: &[String]) -> Self {
        Cors {
            any: origins.iter().any(|o| o == "*"),
            origins: origins
                .iter()
                .map(|o| o.trim_end_matches('/').to_ascii_lowercase())
                .collect(),
        }
    }

    /// The `Access-Control-Allow-Origin` value for the request's origin, if it is allowed.
    fn allowed(&self, req: &HttpRequest) -> Option<HeaderValue> {
        let origin = req.headers().get(header::ORIGIN)?;
        if self.any {
            return Some(HeaderValue::from_static("*"));
        }
        let text = origin.to_str().ok()?.to_ascii_lowercase();
        self.origins.contains(&text).then(|| origin.clone())
    }

    /// Adds the CORS headers to the reply of an unsigned operation.
    pub fn allow(&self, req: &HttpRequest, res: &mut HttpResponse) {
        let Some(origin) = self.allowed(req) else {
            return;
        };
        let headers = res.headers_mut();
        if origin != "*" {
            headers.append(header::VARY, HeaderValue::from_static("Origin"));
        }
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(EXPOSE_HEADERS),
        );
    }
}

/// `OPTIONS /`: the preflight of a browser's call. Only `POST` with the unsigned operations'
/// headers is allowed; without an allowed origin the reply carries no CORS headers, and the
/// browser refuses the call.
pub async fn preflight(req: HttpRequest, cors: web::Data<Cors>) -> HttpResponse {
    let mut res = HttpResponse::Ok().finish();
    let Some(origin) = cors.allowed(&req) else {
        return res;
    };
    let headers = res.headers_mut();
    if origin != "*" {
        headers.append(header::VARY, HeaderValue::from_static("Origin"));
    }
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("POST"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static(ALLOW_HEADERS),
    );
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("86400"),
    );
    res
}

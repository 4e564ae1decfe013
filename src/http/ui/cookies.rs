//! The hosted UI's cookies: the browser session and the CSRF token, read from the Cookie
//! header and written HttpOnly, SameSite=Lax, and Secure when the public URL is HTTPS.

use actix_web::http::header;
use actix_web::HttpRequest;

pub const SESSION: &str = "cognate_session";
pub const CSRF: &str = "cognate_csrf";

/// The value of cookie `name`, if the browser sent it.
pub fn get(req: &HttpRequest, name: &str) -> Option<String> {
    req.headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// A Set-Cookie value; `max_age` 0 removes the cookie.
pub fn set(public_url: &str, name: &str, value: &str, max_age: i64) -> String {
    let secure = if public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}")
}

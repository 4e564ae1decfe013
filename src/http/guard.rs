//! The guard of local mode against DNS rebinding: a page on `evil.example`, whose name is made
//! to resolve to 127.0.0.1, reaches the server with `Host: evil.example`. Admin calls (which
//! local mode accepts with any signature) and the dev outbox (which holds codes) are served
//! only when the `Host` is a loopback name or the public URL's host.

use std::net::IpAddr;

use actix_web::http::header;
use actix_web::HttpRequest;

#[derive(Clone, Debug)]
pub struct LocalHosts {
    /// The public URL's host, lower-cased, without its port.
    public_host: Option<String>,
}

impl LocalHosts {
    pub fn new(public_url: &str) -> Self {
        let host = public_url
            .split_once("://")
            .map_or(public_url, |(_, rest)| rest)
            .split(['/', '?', '#'])
            .next()
            .map(strip_port);
        LocalHosts {
            public_host: host.filter(|h| !h.is_empty()),
        }
    }

    /// Whether the request names this server by a loopback name or its public host.
    pub fn allows(&self, req: &HttpRequest) -> bool {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| req.uri().authority().map(|a| a.as_str()));
        let Some(host) = host.map(strip_port) else {
            return false;
        };
        is_loopback_name(&host) || self.public_host.as_deref() == Some(host.as_str())
    }
}

/// `Host` without its port, lower-cased; `[::1]:9229` gives `[::1]`.
fn strip_port(host: &str) -> String {
    let host = host.trim().to_ascii_lowercase();
    if host.starts_with('[') {
        return host.split_inclusive(']').next().unwrap_or_default().into();
    }
    host.rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host.clone(), |(name, _)| name.to_string())
}

fn is_loopback_name(host: &str) -> bool {
    if host == "localhost" {
        return true;
    }
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn allows(hosts: &LocalHosts, host: &str) -> bool {
        hosts.allows(
            &TestRequest::default()
                .insert_header(("host", host))
                .to_http_request(),
        )
    }

    #[test]
    fn loopback_names_and_the_public_host_are_local() {
        let hosts = LocalHosts::new("https://Auth.Example.com:8443/base");
        for host in [
            "localhost",
            "localhost:9229",
            "127.0.0.1:80",
            "[::1]:9229",
            "[::1]",
        ] {
            assert!(allows(&hosts, host), "{host}");
        }
        assert!(allows(&hosts, "auth.example.com"));
        assert!(allows(&hosts, "auth.example.com:8443"));
        for host in [
            "evil.example",
            "evil.example:9229",
            "localhost.evil.example",
            "10.0.0.1",
        ] {
            assert!(!allows(&hosts, host), "{host}");
        }
        assert!(!hosts.allows(&TestRequest::default().to_http_request()));
    }
}

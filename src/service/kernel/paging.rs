//! Pagination tokens: opaque to clients, they carry the sort key of the last row returned, so
//! every page is an index seek however deep it is.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::service::{invalid_parameter, Result};

pub fn encode(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(key)
}

pub fn decode(token: &str) -> Result<String> {
    URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .map_or_else(|| invalid_parameter("Invalid pagination token."), Ok)
}

/// The token after a row sorted by (creation time, id).
pub fn encode_created(created_at: i64, id: &str) -> String {
    encode(&format!("{created_at}:{id}"))
}

pub fn decode_created(token: &str) -> Result<(i64, String)> {
    decode(token)?
        .split_once(':')
        .and_then(|(t, id)| Some((t.parse().ok()?, id.to_string())))
        .map_or_else(|| invalid_parameter("Invalid pagination token."), Ok)
}

/// Cuts a page fetched with one row too many down to `limit`, and returns the token that
/// continues after it (`None` on the last page); `token` makes one from a row.
pub fn next_token<T>(
    rows: &mut Vec<T>,
    limit: i64,
    token: impl Fn(&T) -> String,
) -> Option<String> {
    if rows.len() as i64 <= limit {
        return None;
    }
    rows.truncate(limit as usize);
    rows.last().map(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_pages_are_cut() {
        assert_eq!(
            decode_created(&encode_created(42, "a:b")).unwrap(),
            (42, "a:b".to_string())
        );
        assert!(decode_created("!!").is_err());
        assert!(decode_created(&encode("no-colon")).is_err());
        let mut rows = vec![1, 2, 3];
        assert_eq!(
            next_token(&mut rows, 2, |r| r.to_string()),
            Some("2".to_string())
        );
        assert_eq!(rows, [1, 2]);
        assert_eq!(next_token(&mut rows, 2, |r| r.to_string()), None);
    }
}

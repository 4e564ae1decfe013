//! Identifiers in Cognito's formats, and one-time codes.

use rand::distributions::{Alphanumeric, Distribution, Uniform};
use rand::Rng;

const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

fn random_from(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::thread_rng();
    let pick = Uniform::from(0..alphabet.len());
    (0..len)
        .map(|_| alphabet[pick.sample(&mut rng)] as char)
        .collect()
}

/// `us-east-1_AbCdEfGhI`: the region, an underscore and nine letters or digits.
pub fn user_pool_id(region: &str) -> String {
    let suffix: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(9)
        .map(char::from)
        .collect();
    format!("{region}_{suffix}")
}

/// 26 lower-case letters and digits.
pub fn client_id() -> String {
    random_from(LOWER_ALNUM, 26)
}

/// 51 lower-case letters and digits.
pub fn client_secret() -> String {
    random_from(LOWER_ALNUM, 51)
}

/// A six-digit code.
pub fn code() -> String {
    random_from(b"0123456789", 6)
}

pub fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Checks the shape of a pool id (`region_suffix`) before it reaches the database.
pub fn is_user_pool_id(id: &str) -> bool {
    matches!(id.split_once('_'), Some((region, suffix))
        if !region.is_empty() && region.len() <= 50 && !suffix.is_empty() && suffix.len() <= 50
        && region.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && suffix.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_cognito_shapes() {
        let pool = user_pool_id("eu-west-2");
        assert!(pool.starts_with("eu-west-2_") && pool.len() == "eu-west-2_".len() + 9);
        assert!(is_user_pool_id(&pool));
        assert!(!is_user_pool_id("nounderscore"));
        assert!(!is_user_pool_id("us-east-1_bad'quote"));
        let c = client_id();
        assert_eq!(c.len(), 26);
        assert!(c.bytes().all(|b| LOWER_ALNUM.contains(&b)));
        assert_eq!(client_secret().len(), 51);
        let code = code();
        assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()));
    }
}

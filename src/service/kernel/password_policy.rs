//! The pool's password policy: which passwords it accepts, with Cognito's messages.

use crate::service::{fail, Exception, Result};
use crate::types::pools::PasswordPolicy;

const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

/// Checks `password` against `policy`, with Cognito's messages.
pub fn check(policy: &PasswordPolicy, password: &str) -> Result<()> {
    let complaint = if password.chars().count() < policy.minimum_length.unwrap_or(8) as usize {
        Some("Password not long enough")
    } else if password.len() > 256 {
        Some("Password is too long")
    } else if password.starts_with(' ') || password.ends_with(' ') {
        Some("Password must not begin or end with a space")
    } else if policy.require_uppercase && !password.chars().any(|c| c.is_uppercase()) {
        Some("Password must have uppercase characters")
    } else if policy.require_lowercase && !password.chars().any(|c| c.is_lowercase()) {
        Some("Password must have lowercase characters")
    } else if policy.require_numbers && !password.chars().any(|c| c.is_ascii_digit()) {
        Some("Password must have numeric characters")
    } else if policy.require_symbols && !password.chars().any(|c| SYMBOLS.contains(c)) {
        Some("Password must have symbol characters")
    } else {
        None
    };
    match complaint {
        Some(why) => fail(
            Exception::InvalidPassword,
            format!("Password did not conform with policy: {why}"),
        ),
        None => Ok(()),
    }
}

/// A random password that satisfies `policy`: every character class, at least 12 long.
pub fn generate(policy: &PasswordPolicy) -> String {
    use rand::seq::SliceRandom;
    use rand::Rng;
    let classes: [&[u8]; 4] = [
        b"ABCDEFGHJKLMNPQRSTUVWXYZ",
        b"abcdefghijkmnopqrstuvwxyz",
        b"23456789",
        b"^$*.[]{}()?!@#%&",
    ];
    let length = policy.minimum_length.unwrap_or(8).max(12) as usize;
    let mut rng = rand::thread_rng();
    let mut chars: Vec<u8> = classes
        .iter()
        .map(|c| c[rng.gen_range(0..c.len())])
        .collect();
    while chars.len() < length {
        let class = classes[rng.gen_range(0..classes.len())];
        chars.push(class[rng.gen_range(0..class.len())]);
    }
    chars.shuffle(&mut rng);
    String::from_utf8(chars).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_needs_every_class() {
        let p = PasswordPolicy::default();
        assert!(check(&p, "Passw0rd!").is_ok());
        for (bad, why) in [
            ("Pa0!", "long enough"),
            ("password0!", "uppercase"),
            ("PASSWORD0!", "lowercase"),
            ("Password!!", "numeric"),
            ("Password00", "symbol"),
        ] {
            let err = check(&p, bad).unwrap_err().to_string();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }
}

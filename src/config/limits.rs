//! The settings that bound load: Cognito's request-rate quota categories, with their default
//! rates, and which of them are in force.

use std::collections::BTreeMap;

use serde::Deserialize;

/// A category of user-pool operations sharing one request-rate quota, as in AWS's "Quotas in
/// Amazon Cognito" (the operations of each are listed in `http::aws::quotas`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub enum QuotaCategory {
    UserAuthentication,
    UserCreation,
    UserFederation,
    UserAccountRecovery,
    UserRead,
    UserUpdate,
    UserToken,
    UserResourceRead,
    UserResourceUpdate,
    UserList,
    UserPoolRead,
    UserPoolUpdate,
    UserPoolResourceRead,
    UserPoolResourceUpdate,
    UserPoolClientRead,
    UserPoolClientUpdate,
    ClientAuthentication,
}

impl QuotaCategory {
    pub const ALL: [QuotaCategory; 17] = [
        QuotaCategory::UserAuthentication,
        QuotaCategory::UserCreation,
        QuotaCategory::UserFederation,
        QuotaCategory::UserAccountRecovery,
        QuotaCategory::UserRead,
        QuotaCategory::UserUpdate,
        QuotaCategory::UserToken,
        QuotaCategory::UserResourceRead,
        QuotaCategory::UserResourceUpdate,
        QuotaCategory::UserList,
        QuotaCategory::UserPoolRead,
        QuotaCategory::UserPoolUpdate,
        QuotaCategory::UserPoolResourceRead,
        QuotaCategory::UserPoolResourceUpdate,
        QuotaCategory::UserPoolClientRead,
        QuotaCategory::UserPoolClientUpdate,
        QuotaCategory::ClientAuthentication,
    ];

    /// Cognito's default quota for the category, in requests per second.
    pub fn default_rate(self) -> u32 {
        use QuotaCategory::*;
        match self {
            UserAuthentication | UserRead | UserToken => 120,
            UserCreation | UserResourceRead => 50,
            UserFederation | UserUpdate | UserResourceUpdate => 25,
            UserAccountRecovery | UserList => 30,
            UserPoolResourceRead => 20,
            UserPoolRead | UserPoolUpdate | UserPoolResourceUpdate => 15,
            UserPoolClientRead | UserPoolClientUpdate => 15,
            ClientAuthentication => 150,
        }
    }
}

impl std::str::FromStr for QuotaCategory {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        QuotaCategory::ALL
            .into_iter()
            .find(|c| format!("{c:?}") == s)
            .ok_or_else(|| format!("{s:?} is not a quota category (e.g. UserAuthentication)"))
    }
}

/// Which request-rate quotas are in force.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Quotas {
    /// `None`: on, except in local mode.
    pub enabled: Option<bool>,
    /// Rates (requests per second) that replace Cognito's defaults; 0 means unlimited.
    pub rates: BTreeMap<QuotaCategory, u32>,
}

impl Quotas {
    /// `UserAuthentication=120,UserRead=200` as rates per category.
    pub fn parse_rates(text: &str) -> Result<BTreeMap<QuotaCategory, u32>, String> {
        let mut rates = BTreeMap::new();
        for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (name, rate) = item
                .split_once('=')
                .ok_or_else(|| format!("{item:?} is not Category=rate"))?;
            let rate = rate
                .trim()
                .parse()
                .map_err(|e| format!("{item:?}: the rate is not a whole number: {e}"))?;
            rates.insert(name.trim().parse()?, rate);
        }
        Ok(rates)
    }

    /// The rate of every limited category, or `None` when quotas are off.
    pub fn in_force(&self, local_mode: bool) -> Option<BTreeMap<QuotaCategory, u32>> {
        if !self.enabled.unwrap_or(!local_mode) {
            return None;
        }
        let rates = QuotaCategory::ALL
            .into_iter()
            .map(|c| (c, self.rates.get(&c).copied().unwrap_or(c.default_rate())))
            .filter(|(_, rate)| *rate > 0)
            .collect();
        Some(rates)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, ConfigLayer};

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn load_and_browser_settings_are_read() {
        let (env_layer, unknown) = ConfigLayer::from_env(env(&[
            ("COGNATE_HASH_WORKERS", "3"),
            ("COGNATE_HASH_QUEUE", "9"),
            ("COGNATE_QUOTAS_ENABLED", "true"),
            ("COGNATE_QUOTAS", "UserAuthentication=7"),
            (
                "COGNATE_CORS_ORIGINS",
                "https://a.example, https://b.example",
            ),
        ]))
        .unwrap();
        assert!(unknown.is_empty());
        let toml_layer: ConfigLayer = toml::from_str("[quotas]\nUserList = 4").unwrap();
        let config = Config::default().apply(toml_layer).apply(env_layer);
        assert_eq!((config.hash_workers, config.hash_queue), (3, 9));
        assert_eq!(config.quotas.enabled, Some(true));
        let rates = config.quotas.in_force(true).unwrap();
        assert_eq!(rates[&QuotaCategory::UserAuthentication], 7);
        assert_eq!(rates[&QuotaCategory::UserList], 4);
        assert_eq!(
            config.cors_origins,
            ["https://a.example", "https://b.example"]
        );
        assert!(ConfigLayer::from_env(env(&[("COGNATE_QUOTAS", "Nope=1")])).is_err());
    }

    #[test]
    fn quotas_are_off_in_local_mode_unless_turned_on() {
        let quotas = Quotas::default();
        assert_eq!(quotas.in_force(true), None);
        let strict = quotas.in_force(false).unwrap();
        assert_eq!(strict[&QuotaCategory::UserAuthentication], 120);
        assert_eq!(strict.len(), QuotaCategory::ALL.len());
        let quotas = Quotas {
            enabled: Some(true),
            rates: Quotas::parse_rates("UserAuthentication=2, UserRead=0").unwrap(),
        };
        let local = quotas.in_force(true).unwrap();
        assert_eq!(local[&QuotaCategory::UserAuthentication], 2);
        assert!(!local.contains_key(&QuotaCategory::UserRead));
        assert!(Quotas::parse_rates("UserAuth=1").is_err());
        assert!(Quotas::parse_rates("UserRead").is_err());
    }
}

//! The layers of settings, and the checks that refuse a server that would start unsafely.
use super::*;

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn later_layers_win_and_unknown_variables_are_reported() {
    let toml_layer: ConfigLayer =
        toml::from_str("listen = \"127.0.0.1:1000\"\nregion = \"eu-west-1\"").unwrap();
    let (env_layer, unknown) = ConfigLayer::from_env(env(&[
        ("COGNATE_REGION", "ap-south-1"),
        ("COGNATE_LOG_FORMAT", "json"),
        ("COGNATE_TYPO", "x"),
        ("PATH", "/bin"),
    ]))
    .unwrap();
    let config = Config::default().apply(toml_layer).apply(env_layer);
    assert_eq!(config.listen, "127.0.0.1:1000");
    assert_eq!(config.region, "ap-south-1");
    assert_eq!(config.log_format, LogFormat::Json);
    assert_eq!(unknown, vec!["COGNATE_TYPO".to_string()]);
}

#[test]
fn non_loopback_without_credentials_is_refused() {
    let config = Config {
        listen: "0.0.0.0:9229".into(),
        ..Config::default()
    };
    let err = config.validate().unwrap_err().to_string();
    assert!(err.contains("requires admin credentials"), "{err}");
    let config = Config {
        admin_access_key_id: Some("AKID".into()),
        admin_secret_access_key: Some(Secret::new("short")),
        ..config
    };
    assert!(config.validate().unwrap_err().to_string().contains("40"));
    let config = Config {
        admin_secret_access_key: Some(Secret::new("x".repeat(40))),
        ..config
    };
    let err = config.validate().unwrap_err().to_string();
    assert!(err.contains("COGNATE_MASTER_KEY"), "{err}");
    let config = Config {
        master_key: Some(Secret::new(crate::sealing::Sealer::generate_key())),
        ..config
    };
    config.validate().unwrap();
    assert!(!config.local_mode());
}

#[test]
fn secrets_are_not_printed() {
    let config = Config {
        admin_secret_access_key: Some(Secret::new("hunter2")),
        ..Config::default()
    };
    assert!(!format!("{config:?}").contains("hunter2"));
}

#[test]
fn the_key_file_sits_beside_the_sqlite_file() {
    let at = |url: &str| {
        Config {
            database_url: url.into(),
            ..Config::default()
        }
        .master_key_file()
    };
    assert_eq!(
        at("sqlite://cognate-data/cognate.db"),
        Path::new("cognate-data/master.key")
    );
    assert_eq!(
        at("sqlite:///var/lib/c/x.db?mode=rwc"),
        Path::new("/var/lib/c/master.key")
    );
    assert_eq!(at("postgres://h/db"), Path::new("cognate-data/master.key"));
    let bad = Config {
        master_key: Some(Secret::new("c2hvcnQ=")),
        ..Config::default()
    };
    assert!(bad.validate().is_err());
}

#[test]
fn bad_values_are_rejected() {
    assert!(ConfigLayer::from_env(env(&[("COGNATE_LOG_FORMAT", "xml")])).is_err());
    assert!(toml::from_str::<ConfigLayer>("nonsense = 1").is_err());
}

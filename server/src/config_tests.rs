//! Unit tests of `config.rs` (kept apart so the settings stay in one short file).
use super::*;

#[test]
fn defaults_are_documented_values() {
    let c = Config::load(None, &[("X", "y")]).unwrap();
    assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
    assert_eq!(c.database_url, "sqlite://data/dihya.db?mode=rwc");
    assert_eq!(c.log_format, LogFormat::Text);
    assert!(!c.is_https());
}

#[test]
fn env_overrides_file() {
    let dir = std::env::temp_dir().join(format!("dihya-cfg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("dihya.toml");
    std::fs::write(&file, "addr = \"127.0.0.1:4000\"\nlog_format = \"json\"\ncors_origins = [\"https://a.example\"]\n").unwrap();
    let c = Config::load(Some(&file), &[("DIHYA_ADDR", "127.0.0.1:5000")]).unwrap();
    assert_eq!(c.addr.port(), 5000, "env wins over the file");
    assert_eq!(c.log_format, LogFormat::Json, "file wins over defaults");
    assert_eq!(c.cors_origins, vec!["https://a.example".to_string()]);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn bad_values_name_the_variable() {
    let cases: [(&str, &str); 9] = [
        ("DIHYA_SOURCE_URL", "git@host:repo"),
        ("DIHYA_ADDR", "not-an-address"),
        ("DIHYA_LOG_FORMAT", "xml"),
        ("DIHYA_DATABASE_URL", "mysql://x"),
        ("DIHYA_PUBLIC_URL", "ftp://x"),
        ("DIHYA_BODY_LIMIT_BYTES", "-3"),
        ("DIHYA_RATE_LIMIT_PER_IP", "0"),
        ("DIHYA_REQUEST_TIMEOUT_SECS", "soon"),
        ("DIHYA_CORS_ORIGINS", "not an origin"),
    ];
    for (name, value) in cases {
        let e = Config::load(None, &[(name, value)]).unwrap_err();
        assert_eq!(e.setting, name, "{value}");
        assert!(e.to_string().contains(name));
    }
}

#[test]
fn unknown_file_keys_are_rejected() {
    let dir = std::env::temp_dir().join(format!("dihya-cfg2-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("dihya.toml");
    std::fs::write(&file, "adrr = \"127.0.0.1:4000\"\n").unwrap();
    let e = Config::load(Some(&file), &[("X", "y")]).unwrap_err();
    assert!(e.message.contains("adrr"), "{e}");
    std::fs::remove_dir_all(dir).ok();
}

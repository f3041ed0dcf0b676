//! Configuration: built-in defaults < `dihya.toml` < `DIHYA_*` environment
//! variables. Every value is checked here, so a bad one stops start-up with a
//! message naming the variable instead of failing on the first request.
use serde::Deserialize;
use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    str::FromStr,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl FromStr for LogFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            other => Err(format!("expected \"text\" or \"json\", got {other:?}")),
        }
    }
}

/// A setting that must never be printed (`Debug` shows `***`).
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct SecretString(String);

impl SecretString {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl FromStr for SecretString {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(SecretString(s.to_string()))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub addr: SocketAddr,
    pub database_url: String,
    pub data_dir: PathBuf,
    pub log_format: LogFormat,
    pub log_level: String,
    pub public_url: String,
    /// Where this instance's source code is offered (AGPL-3.0 section 13).
    pub source_url: Option<String>,
    pub site_root: PathBuf,
    pub cors_origins: Vec<String>,
    pub body_limit_bytes: usize,
    pub request_timeout_secs: u64,
    /// Requests per minute per client IP.
    pub rate_limit_per_ip: u32,
    /// Requests per second for the whole instance.
    pub rate_limit_global: u32,
    /// 32 bytes, base64: the key sealing secrets at rest. Without it a key
    /// file is created in `data_dir`.
    pub secret_key: Option<SecretString>,
    /// `Secure` session cookie named `__Host-dihya_session`; defaults to
    /// whether `public_url` is https.
    pub cookie_secure: Option<bool>,
    pub session_idle_minutes: u64,
    pub session_absolute_hours: u64,
    /// Sign-in attempts per minute per client IP.
    pub login_attempts_per_ip: u32,
    pub audit_retention_days: u32,
    /// Raw check results are kept this long (rollups longer).
    pub raw_retention_days: u32,
    /// Reverse proxies (CIDRs or addresses) whose `Forwarded` and
    /// `X-Forwarded-For` headers name the client; empty: headers ignored.
    pub trusted_proxies: Vec<String>,
    /// Networks that may read `/metrics` without a token (a Prometheus on
    /// the same host or network); empty: a `monitoring:read` token only.
    pub metrics_allow: Vec<String>,
    /// Scripts may run on this instance itself, as its service user, in a
    /// scratch directory (automation's `local` target). Off by default.
    pub local_executor: bool,
    /// Script runs (one per host) this instance runs at once.
    pub run_concurrency: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
            database_url: "sqlite://data/dihya.db?mode=rwc".into(),
            data_dir: PathBuf::from("data"),
            log_format: LogFormat::Text,
            log_level: "info".into(),
            public_url: "http://127.0.0.1:3000".into(),
            source_url: None,
            site_root: PathBuf::from("target/site"),
            cors_origins: Vec::new(),
            body_limit_bytes: 1024 * 1024,
            request_timeout_secs: 30,
            rate_limit_per_ip: 600,
            rate_limit_global: 200,
            secret_key: None,
            cookie_secure: None,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            login_attempts_per_ip: 30,
            audit_retention_days: 365,
            raw_retention_days: 7,
            trusted_proxies: Vec::new(),
            metrics_allow: Vec::new(),
            local_executor: false,
            run_concurrency: 8,
        }
    }
}

/// A configuration problem, naming the setting at fault.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {setting}: {message}")]
pub struct ConfigError {
    pub setting: String,
    pub message: String,
}

fn err(setting: &str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        setting: setting.into(),
        message: message.into(),
    }
}

/// Source of environment variables (the process environment, or a map in tests).
pub trait Env {
    fn get(&self, name: &str) -> Option<String>;
}

pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn get(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

impl<const N: usize> Env for [(&str, &str); N] {
    fn get(&self, name: &str) -> Option<String> {
        self.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_string())
    }
}

impl Config {
    /// Loads the layered configuration. `file` is `--config`/`DIHYA_CONFIG`;
    /// without it `./dihya.toml` is read when present.
    pub fn load(file: Option<&Path>, env: &impl Env) -> Result<Self, ConfigError> {
        let mut cfg = match file {
            Some(path) => Self::from_file(path)?,
            None if Path::new("dihya.toml").exists() => Self::from_file(Path::new("dihya.toml"))?,
            None => Config::default(),
        };
        cfg.apply_env(env)?;
        cfg.validate()?;
        Ok(cfg)
    }

    fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| err(&path.display().to_string(), e.to_string()))?;
        toml::from_str(&text).map_err(|e| err(&path.display().to_string(), e.to_string()))
    }

    fn apply_env(&mut self, env: &impl Env) -> Result<(), ConfigError> {
        fn parse<T: FromStr>(env: &impl Env, name: &str, slot: &mut T) -> Result<(), ConfigError>
        where
            T::Err: std::fmt::Display,
        {
            if let Some(raw) = env.get(name) {
                *slot = raw
                    .trim()
                    .parse()
                    .map_err(|e: T::Err| err(name, format!("{raw:?}: {e}")))?;
            }
            Ok(())
        }
        parse(env, "DIHYA_ADDR", &mut self.addr)?;
        parse(env, "DIHYA_DATABASE_URL", &mut self.database_url)?;
        parse(env, "DIHYA_DATA_DIR", &mut self.data_dir)?;
        parse(env, "DIHYA_LOG_FORMAT", &mut self.log_format)?;
        parse(env, "DIHYA_LOG", &mut self.log_level)?;
        parse(env, "DIHYA_PUBLIC_URL", &mut self.public_url)?;
        parse(env, "DIHYA_SITE_ROOT", &mut self.site_root)?;
        if let Some(url) = env.get("DIHYA_SOURCE_URL") {
            self.source_url = Some(url.trim().to_string()).filter(|u| !u.is_empty());
        }
        parse(env, "DIHYA_BODY_LIMIT_BYTES", &mut self.body_limit_bytes)?;
        parse(
            env,
            "DIHYA_REQUEST_TIMEOUT_SECS",
            &mut self.request_timeout_secs,
        )?;
        parse(env, "DIHYA_RATE_LIMIT_PER_IP", &mut self.rate_limit_per_ip)?;
        parse(env, "DIHYA_RATE_LIMIT_GLOBAL", &mut self.rate_limit_global)?;
        if let Some(key) = env.get("DIHYA_SECRET_KEY").filter(|k| !k.trim().is_empty()) {
            self.secret_key = Some(SecretString(key.trim().to_string()));
        }
        if env.get("DIHYA_COOKIE_SECURE").is_some() {
            let mut secure = false;
            parse(env, "DIHYA_COOKIE_SECURE", &mut secure)?;
            self.cookie_secure = Some(secure);
        }
        parse(
            env,
            "DIHYA_SESSION_IDLE_MINUTES",
            &mut self.session_idle_minutes,
        )?;
        parse(
            env,
            "DIHYA_SESSION_ABSOLUTE_HOURS",
            &mut self.session_absolute_hours,
        )?;
        parse(
            env,
            "DIHYA_LOGIN_ATTEMPTS_PER_IP",
            &mut self.login_attempts_per_ip,
        )?;
        parse(
            env,
            "DIHYA_AUDIT_RETENTION_DAYS",
            &mut self.audit_retention_days,
        )?;
        parse(
            env,
            "DIHYA_RAW_RETENTION_DAYS",
            &mut self.raw_retention_days,
        )?;
        if let Some(list) = env.get("DIHYA_TRUSTED_PROXIES") {
            self.trusted_proxies = split_list(&list);
        }
        if let Some(list) = env.get("DIHYA_METRICS_ALLOW") {
            self.metrics_allow = split_list(&list);
        }
        parse(env, "DIHYA_LOCAL_EXECUTOR", &mut self.local_executor)?;
        parse(env, "DIHYA_RUN_CONCURRENCY", &mut self.run_concurrency)?;
        if let Some(list) = env.get("DIHYA_CORS_ORIGINS") {
            self.cors_origins = split_list(&list);
        }
        Ok(())
    }

    fn validate(&mut self) -> Result<(), ConfigError> {
        if app::platform::db::Backend::from_url(&self.database_url).is_none() {
            return Err(err(
                "DIHYA_DATABASE_URL",
                "must start with sqlite: or postgres:// (postgresql://)",
            ));
        }
        self.public_url = self.public_url.trim_end_matches('/').to_string();
        if !is_http_origin(&self.public_url) {
            return Err(err(
                "DIHYA_PUBLIC_URL",
                "must be an http:// or https:// URL",
            ));
        }
        if let Some(url) = &self.source_url
            && !is_http_origin(url)
        {
            return Err(err(
                "DIHYA_SOURCE_URL",
                "must be an http:// or https:// URL",
            ));
        }
        for origin in &self.cors_origins {
            if !is_http_origin(origin) {
                return Err(err(
                    "DIHYA_CORS_ORIGINS",
                    format!("{origin:?} is not an http(s) origin"),
                ));
            }
        }
        crate::client_ip::Networks::parse(&self.trusted_proxies)
            .map_err(|m| err("DIHYA_TRUSTED_PROXIES", m))?;
        crate::client_ip::Networks::parse(&self.metrics_allow)
            .map_err(|m| err("DIHYA_METRICS_ALLOW", m))?;
        if self.body_limit_bytes < 1024 {
            return Err(err("DIHYA_BODY_LIMIT_BYTES", "must be at least 1024"));
        }
        if self.request_timeout_secs == 0 {
            return Err(err("DIHYA_REQUEST_TIMEOUT_SECS", "must be at least 1"));
        }
        if self.rate_limit_per_ip == 0 {
            return Err(err("DIHYA_RATE_LIMIT_PER_IP", "must be at least 1"));
        }
        if self.rate_limit_global == 0 {
            return Err(err("DIHYA_RATE_LIMIT_GLOBAL", "must be at least 1"));
        }
        if let Some(key) = &self.secret_key
            && app::platform::secrets::SecretBox::from_base64(key.expose()).is_err()
        {
            return Err(err(
                "DIHYA_SECRET_KEY",
                "must be 32 bytes encoded in base64 (openssl rand -base64 32)",
            ));
        }
        if !(1..=24 * 60).contains(&self.session_idle_minutes) {
            return Err(err(
                "DIHYA_SESSION_IDLE_MINUTES",
                "must be between 1 and 1440",
            ));
        }
        if !(1..=24 * 30).contains(&self.session_absolute_hours) {
            return Err(err(
                "DIHYA_SESSION_ABSOLUTE_HOURS",
                "must be between 1 and 720",
            ));
        }
        if self.login_attempts_per_ip == 0 {
            return Err(err("DIHYA_LOGIN_ATTEMPTS_PER_IP", "must be at least 1"));
        }
        if self.audit_retention_days == 0 {
            return Err(err("DIHYA_AUDIT_RETENTION_DAYS", "must be at least 1"));
        }
        // Series of the last two days are answered from raw results.
        if !(1..=256).contains(&self.run_concurrency) {
            return Err(err("DIHYA_RUN_CONCURRENCY", "must be 1 to 256"));
        }
        if !(2..=90).contains(&self.raw_retention_days) {
            return Err(err("DIHYA_RAW_RETENTION_DAYS", "must be between 2 and 90"));
        }
        if tracing_subscriber::EnvFilter::try_new(&self.log_level).is_err() {
            return Err(err(
                "DIHYA_LOG",
                "not a valid log filter (e.g. info, dihya=debug)",
            ));
        }
        Ok(())
    }

    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn cookie_is_secure(&self) -> bool {
        self.cookie_secure.unwrap_or_else(|| self.is_https())
    }
}

/// A comma-separated setting as its items.
fn split_list(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn is_http_origin(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.contains(char::is_whitespace))
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;

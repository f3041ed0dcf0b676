//! Command line: `dihya [serve]`, `dihya migrate`, `--version`, `--help`.
use clap::{Parser, Subcommand};
use std::path::PathBuf;

const ENV_HELP: &str = "\
Configuration (built-in defaults < dihya.toml < environment):
  DIHYA_ADDR                  listen address            [127.0.0.1:3000]
  DIHYA_DATABASE_URL          sqlite:… or postgres://…  [sqlite://data/dihya.db?mode=rwc]
  DIHYA_DATA_DIR              data directory            [./data]
  DIHYA_PUBLIC_URL            public base URL           [http://127.0.0.1:3000]
  DIHYA_LOG_FORMAT            text | json               [text]
  DIHYA_LOG                   log filter                [info]
  DIHYA_SITE_ROOT             compiled assets           [target/site]
  DIHYA_SOURCE_URL            source code link (AGPL)   [none]
  DIHYA_CORS_ORIGINS          comma-separated origins   [same-origin only]
  DIHYA_BODY_LIMIT_BYTES      max request body          [1048576]
  DIHYA_REQUEST_TIMEOUT_SECS  request timeout           [30]
  DIHYA_RATE_LIMIT_PER_IP     requests/minute per IP    [600]
  DIHYA_RATE_LIMIT_GLOBAL     requests/second in total  [200]
  DIHYA_SECRET_KEY            32 bytes base64, seals secrets at rest [key file in data dir]
  DIHYA_COOKIE_SECURE         Secure __Host- session cookie [true when public URL is https]
  DIHYA_SESSION_IDLE_MINUTES  idle session timeout      [30]
  DIHYA_SESSION_ABSOLUTE_HOURS  absolute session timeout [12]
  DIHYA_LOGIN_ATTEMPTS_PER_IP sign-in attempts/minute per IP [30]
  DIHYA_AUDIT_RETENTION_DAYS  audit log retention       [365]
  DIHYA_RAW_RETENTION_DAYS    raw check results kept, 2–90 days [7]
  DIHYA_TRUSTED_PROXIES       proxies whose forwarded headers count [none]
  DIHYA_METRICS_ALLOW         networks reading /metrics without a token [none]
  DIHYA_PLUGIN_DIR            monitoring-plugins directory [/usr/lib/nagios/plugins]
  DIHYA_LOCAL_EXECUTOR        scripts may run on this host, as this user [false]
  DIHYA_RUN_CONCURRENCY       script runs (one per host) at once [8]";

#[derive(Debug, Parser)]
#[command(
    name = "dihya",
    version,
    about = "Dihya Ops — the self-hosted IT/DevOps control room",
    after_help = ENV_HELP
)]
pub struct Cli {
    /// Configuration file (default: ./dihya.toml when present).
    #[arg(long, short = 'c', env = "DIHYA_CONFIG", global = true)]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand, PartialEq, Eq)]
pub enum Command {
    /// Run the web server (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
}

#[derive(Debug, Subcommand, PartialEq, Eq)]
pub enum UserCommand {
    /// Create an account; the password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "user")]
        role: String,
        #[arg(long, default_value = "")]
        name: String,
        /// Read the password from standard input (the only way: never argv).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Set a new random password (printed once), end the account's sessions
    /// and clear its sign-in lockout.
    ResetPassword {
        #[arg(long)]
        email: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn serve_is_the_default_and_migrate_parses() {
        assert_eq!(Cli::parse_from(["dihya"]).command, None);
        assert_eq!(
            Cli::parse_from(["dihya", "migrate"]).command,
            Some(Command::Migrate)
        );
        assert!(Cli::try_parse_from(["dihya", "explode"]).is_err());
        assert!(matches!(
            Cli::parse_from([
                "dihya",
                "user",
                "create",
                "--email",
                "a@b.c",
                "--role",
                "admin",
                "--password-stdin"
            ])
            .command,
            Some(Command::User(UserCommand::Create { .. }))
        ));
        assert!(
            Cli::try_parse_from(["dihya", "user", "create", "--email", "a@b.c"]).is_err(),
            "a password never comes from argv"
        );
    }
}

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
  DIHYA_RATE_LIMIT_GLOBAL     requests/second in total  [200]";

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
    }
}

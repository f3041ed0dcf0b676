use clap::Parser;
use dihya::{
    Application, Config,
    cli::{Cli, Command},
    config::ProcessEnv,
    startup, telemetry,
};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref(), &ProcessEnv) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("dihya: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&config);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => migrate(&config).await,
        Command::Serve => serve(config).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("dihya: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn migrate(config: &Config) -> Result<(), Box<dyn std::error::Error>> {
    startup::open_database(&config.database_url).await?;
    println!("dihya: database is up to date");
    Ok(())
}

async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        format!(
            "cannot create DIHYA_DATA_DIR {}: {e}",
            config.data_dir.display()
        )
    })?;
    let addr = config.addr;
    let app = Application::build(config).await?;
    if let Some(link) = app.setup_link() {
        // Printed to the console only, never to the log stream.
        println!(
            "\n  First-run setup: open this one-time link to create the first administrator:\n  {link}\n"
        );
    }
    tracing::info!(%addr, port = app.port(), "dihya listening");
    app.run_until_stopped().await?;
    tracing::info!("dihya stopped");
    Ok(())
}

use clap::Parser;
use dihya::{
    Application, Config,
    cli::{Cli, Command, UserCommand},
    config::ProcessEnv,
    startup, telemetry,
};
use std::process::ExitCode;

/// Requests move between tokio worker threads, so memory is often freed by
/// another thread than the one that allocated it; glibc malloc takes an
/// arena lock for that (most of the futex calls under load), mimalloc does
/// not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What mimalloc does not serve — SQLite's C allocations, on sqlx's one
/// thread per connection — goes to glibc malloc, which gives each thread
/// its own arena (up to 8 per core) and keeps what they freed. Two arenas
/// are enough for those threads: at 10,000 monitors `make bench` measured
/// the peak RSS at 311 MB with glibc's default and 170 MB with two.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets a tunable; called before the database
    // threads start, so no allocation races with the change.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    limit_malloc_arenas();
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref(), &ProcessEnv) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("dihya: {e}");
            return ExitCode::from(2);
        }
    };
    let _log_writer = telemetry::init(&config);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => migrate(&config).await,
        Command::Serve => serve(config).await,
        Command::User(cmd) => user(&config, cmd).await,
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

/// `dihya user …`: account chores from the console, audited as `cli`.
async fn user(config: &Config, cmd: UserCommand) -> Result<(), Box<dyn std::error::Error>> {
    let ctx = app::platform::Ctx::new(startup::build_state(config).await?);
    let describe = |e: app::error::AppError| {
        let mut msg = e.error.message.clone();
        for (field, why) in &e.error.fields {
            msg.push_str(&format!("\n  {field}: {why}"));
        }
        msg
    };
    match cmd {
        UserCommand::Create {
            email, role, name, ..
        } => {
            let mut password = String::new();
            std::io::stdin().read_line(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']);
            let u = app::users::service::create_from_cli(&ctx, &email, &role, &name, password)
                .await
                .map_err(describe)?;
            println!("dihya: created {} ({}) with role {}", u.email, u.id, u.role);
        }
        UserCommand::ResetPassword { email } => {
            let password = app::admin::service::reset_password_from_cli(&ctx, &email)
                .await
                .map_err(describe)?;
            // The console is the only place this password ever appears.
            println!("dihya: new password for {email} (shown once): {password}");
            println!("dihya: every session of this account was ended");
        }
    }
    Ok(())
}

async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
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

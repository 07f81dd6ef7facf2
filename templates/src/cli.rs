// {{ header }} Do not edit: change src/main.rs to run your own commands.
use std::error::Error;
use std::process::ExitCode;

use sea_orm::DatabaseConnection;
use sea_orm_migration::MigratorTrait;
use tracing_subscriber::EnvFilter;

use crate::app::{self, AppState};
use crate::config::Config;
use crate::db;
use crate::migrations::Migrator;
use crate::shutdown;

const USAGE: &str = "\
{{ plan.crate_name }}: the {{ plan.crate_name }} API server

Usage: {{ plan.crate_name }} [COMMAND]

Commands:
  serve            apply pending migrations, then serve the API (the default)
  migrate up       apply pending migrations
  migrate down     roll back the last applied migration
  migrate status   list migrations and whether they are applied
  help             print this help

Environment (also read from .env):
  DATABASE_URL   default {{ plan.sqlite_url }}
  HOST           default 127.0.0.1
  PORT           default 3000
  RUST_LOG       log filter, default info

Exit codes: 0 success, 1 failure, 2 bad usage.
";

type BoxError = Box<dyn Error + Send + Sync>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Command {
    Help,
    Serve,
    MigrateUp,
    MigrateDown,
    MigrateStatus,
}

/// Runs the command named by the process arguments.
pub async fn run() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse(&args) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if command == Command::Help {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    init_tracing();
    match execute(command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: &[String]) -> Result<Command, String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] | ["serve"] => Ok(Command::Serve),
        ["-h" | "--help" | "help", ..] => Ok(Command::Help),
        ["migrate", "up"] => Ok(Command::MigrateUp),
        ["migrate", "down"] => Ok(Command::MigrateDown),
        ["migrate", "status"] => Ok(Command::MigrateStatus),
        ["migrate", ..] => Err("migrate needs one of: up, down, status".to_owned()),
        ["serve", extra, ..] => Err(format!("unexpected argument {extra:?}")),
        [other, ..] => Err(format!("unknown command {other:?}")),
    }
}

fn init_tracing() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).init();
}

async fn execute(command: Command) -> Result<(), BoxError> {
    let config = Config::from_env()?;
    let db = db::connect(&config).await?;
    match command {
        Command::Help => Ok(()),
        Command::Serve => serve(&config, db).await,
        Command::MigrateUp => Ok(Migrator::up(&db, None).await?),
        Command::MigrateDown => Ok(Migrator::down(&db, Some(1)).await?),
        Command::MigrateStatus => status(&db).await,
    }
}

async fn serve(config: &Config, db: DatabaseConnection) -> Result<(), BoxError> {
    Migrator::up(&db, None).await?;
    let app = app::router(AppState { db });
    let address = config.address();
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|err| format!("cannot listen on {address}: {err}"))?;
    tracing::info!("listening on http://{address}");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown::signal())
        .await?;
    Ok(())
}

async fn status(db: &DatabaseConnection) -> Result<(), BoxError> {
    for migration in Migrator::get_migration_with_status(db).await? {
        println!("{}  {}", migration.status(), migration.name());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_args(args: &[&str]) -> Result<Command, String> {
        let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
        parse(&args)
    }

    #[test]
    fn parses_commands() {
        assert_eq!(parse_args(&[]), Ok(Command::Serve));
        assert_eq!(parse_args(&["serve"]), Ok(Command::Serve));
        assert_eq!(parse_args(&["--help"]), Ok(Command::Help));
        assert_eq!(parse_args(&["migrate", "up"]), Ok(Command::MigrateUp));
        assert_eq!(parse_args(&["migrate", "down"]), Ok(Command::MigrateDown));
        assert_eq!(
            parse_args(&["migrate", "status"]),
            Ok(Command::MigrateStatus)
        );
    }

    #[test]
    fn refuses_unknown_arguments() {
        assert!(parse_args(&["migrate"]).is_err());
        assert!(parse_args(&["migrate", "sideways"]).is_err());
        assert!(parse_args(&["serve", "now"]).is_err());
        assert!(parse_args(&["--port"]).is_err());
    }
}

// {{ header }} Do not edit: change src/main.rs to run your own commands.
use std::error::Error;
{% if plan.auth.is_some() %}¶
use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelBehavior, ActiveModelTrait, DatabaseConnection, DbErr, SqlErr};
{% else %}¶
use std::process::ExitCode;

use sea_orm::DatabaseConnection;
{% endif %}¶
use sea_orm_migration::MigratorTrait;
use tracing_subscriber::EnvFilter;

use crate::app::{self, AppState};
{% if plan.auth.is_some() %}¶
use crate::auth::{self, Auth, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, Password};
{% endif %}¶
use crate::config::Config;
use crate::db;
{% if plan.auth.is_some() %}¶
use crate::entities::user::{self, UserRole};
{% endif %}¶
use crate::migrations::Migrator;
use crate::shutdown;
{% if plan.auth.is_some() %}¶
use crate::validation::is_email;
{% endif %}¶

const USAGE: &str = "\
{{ plan.crate_name }}: the {{ plan.crate_name }} API server

Usage: {{ plan.crate_name }} [COMMAND]

Commands:
  serve            apply pending migrations, then serve the API (the default)
  migrate up       apply pending migrations
  migrate down [N|all]
                   roll back the last applied migration (or N, or all)
  migrate status   list migrations and whether they are applied
{% if plan.auth.is_some() %}¶
  create-user --email E --role R [--password P]
                   apply pending migrations, then create a user with any role
                   (the first admin too) and print its id; without --password,
                   the password is read from standard input
{% endif %}¶
  help             print this help

Environment (also read from .env):
  DATABASE_URL   default {{ plan.sqlite_url }}
  HOST           default 127.0.0.1
  PORT           default 3000
{% if let Some(auth) = plan.auth %}¶
  JWT_SECRET     required to serve: at least 32 random bytes that sign tokens
  TOKEN_TTL_MINUTES  how long a token is valid, default {{ auth.token_ttl_minutes }}
  LOGIN_RATE_LIMIT   login attempts per minute and client address, default 10
{% endif %}¶
  RUST_LOG       log filter, default info

Exit codes: 0 success, 1 failure, 2 bad usage.
";

type BoxError = Box<dyn Error + Send + Sync>;

{% if plan.auth.is_some() %}¶
#[derive(Clone, Debug, PartialEq, Eq)]
{% else %}¶
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
{% endif %}¶
enum Command {
    Help,
    Serve,
    MigrateUp,
    /// How many to roll back; `None` for all.
    MigrateDown(Option<u32>),
    MigrateStatus,
{% if plan.auth.is_some() %}¶
    CreateUser(NewUser),
}

/// The arguments of `create-user`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct NewUser {
    email: String,
    role: UserRole,
    password: Option<String>,
{% endif %}¶
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
        ["migrate", "down"] => Ok(Command::MigrateDown(Some(1))),
        ["migrate", "down", "all"] => Ok(Command::MigrateDown(None)),
        ["migrate", "down", steps] => match steps.parse() {
            Ok(steps) if steps > 0 => Ok(Command::MigrateDown(Some(steps))),
            _ => Err(format!("migrate down takes a number or all, not {steps:?}")),
        },
        ["migrate", "status"] => Ok(Command::MigrateStatus),
        ["migrate", ..] => Err("migrate needs one of: up, down, status".to_owned()),
{% if plan.auth.is_some() %}¶
        ["create-user", options @ ..] => parse_new_user(options).map(Command::CreateUser),
{% endif %}¶
        ["serve", extra, ..] => Err(format!("unexpected argument {extra:?}")),
        [other, ..] => Err(format!("unknown command {other:?}")),
    }
}
{% if plan.auth.is_some() %}¶

/// `--email E --role R [--password P]`, in any order.
fn parse_new_user(options: &[&str]) -> Result<NewUser, String> {
    let (mut email, mut role, mut password) = (None, None, None);
    for pair in options.chunks(2) {
        match pair {
            ["--email", value] => email = Some(value.to_lowercase()),
            ["--role", value] => role = Some(parse_role(value)?),
            ["--password", value] => password = Some((*value).to_owned()),
            [flag, _] => return Err(format!("create-user: unknown option {flag:?}")),
            [flag] => return Err(format!("create-user: {flag} needs a value")),
            _ => {}
        }
    }
    let email = email.ok_or("create-user needs --email")?;
    if !is_email(&email) {
        return Err(format!("create-user: {email:?} is not an email address"));
    }
    if let Some(password) = &password {
        check_password(password)?;
    }
    let role = role.ok_or("create-user needs --role")?;
    Ok(NewUser {
        email,
        role,
        password,
    })
}

fn parse_role(name: &str) -> Result<UserRole, String> {
    UserRole::from_name(name).ok_or_else(|| {
        let roles = UserRole::names().join(", ");
        format!("create-user: unknown role {name:?}: expected one of {roles}")
    })
}

fn check_password(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if (MIN_PASSWORD_LENGTH..=MAX_PASSWORD_LENGTH).contains(&length) {
        Ok(())
    } else {
        Err(format!(
            "create-user: the password must be {MIN_PASSWORD_LENGTH} to \
             {MAX_PASSWORD_LENGTH} characters long"
        ))
    }
}
{% endif %}¶

fn init_tracing() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Logs go to stderr: stdout is for what a command prints (the id of `create-user`).
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

{% if plan.auth.is_some() %}¶
async fn execute(command: Command) -> Result<(), BoxError> {
    let config = Config::from_env()?;
    if command == Command::Serve {
        return serve(&config).await;
    }
    let db = db::migrator(&config).await?;
    match command {
        Command::Help | Command::Serve => Ok(()),
        Command::MigrateUp => Ok(Migrator::up(&db, None).await?),
        Command::MigrateDown(steps) => Ok(Migrator::down(&db, steps).await?),
        Command::MigrateStatus => status(&db).await,
        Command::CreateUser(new_user) => create_user(&db, new_user).await,
    }
}

async fn serve(config: &Config) -> Result<(), BoxError> {
    // Without JWT_SECRET there is no serving: refuse before touching the database.
    let auth = Arc::new(Auth::from_config(config)?);
    db::migrate(config).await?;
    let db = db::connect(config).await?;
    let app = app::router(AppState { db, auth });
    let address = config.address();
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|err| format!("cannot listen on {address}: {err}"))?;
    tracing::info!("listening on http://{address}");
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
{% else %}¶
async fn execute(command: Command) -> Result<(), BoxError> {
    let config = Config::from_env()?;
    if command == Command::Serve {
        return serve(&config).await;
    }
    let db = db::migrator(&config).await?;
    match command {
        Command::Help | Command::Serve => Ok(()),
        Command::MigrateUp => Ok(Migrator::up(&db, None).await?),
        Command::MigrateDown(steps) => Ok(Migrator::down(&db, steps).await?),
        Command::MigrateStatus => status(&db).await,
    }
}

async fn serve(config: &Config) -> Result<(), BoxError> {
    db::migrate(config).await?;
    let db = db::connect(config).await?;
    let app = app::router(AppState { db });
    let address = config.address();
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|err| format!("cannot listen on {address}: {err}"))?;
    tracing::info!("listening on http://{address}");
{% endif %}¶
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
{% if plan.auth.is_some() %}¶

/// Creates the user and prints its id.
async fn create_user(db: &DatabaseConnection, new_user: NewUser) -> Result<(), BoxError> {
    Migrator::up(db, None).await?;
    let password = match new_user.password {
        Some(password) => password,
        None => read_password()?,
    };
    check_password(&password)?;
    let password_hash = auth::hash_password(Password::new(password))
        .await
        .map_err(|_| "cannot hash the password")?;
    let mut row = user::ActiveModel::new();
    row.email = Set(new_user.email.clone());
    row.password_hash = Set(password_hash);
    row.role = Set(new_user.role);
    let model = row
        .insert(db)
        .await
        .map_err(|err| taken(err, &new_user.email))?;
    println!("{}", model.id);
    Ok(())
}

fn taken(err: DbErr, email: &str) -> BoxError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            format!("a user with the email {email} already exists").into()
        }
        _ => err.into(),
    }
}

/// The first line of standard input. On a terminal it prompts, and the password is
/// not echoed (`stty -echo`, where there is one).
fn read_password() -> Result<String, BoxError> {
    let stdin = std::io::stdin();
    let terminal = stdin.is_terminal();
    if terminal {
        eprint!("password: ");
        stty("-echo");
    }
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    if terminal {
        stty("echo");
        eprintln!();
    }
    read?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// Sets a mode of the terminal on standard input; without `stty`, nothing changes.
fn stty(mode: &str) {
    let status = std::process::Command::new("stty")
        .arg(mode)
        .stdin(std::process::Stdio::inherit())
        .status();
    if let Err(err) = status {
        tracing::debug!(error = %err, "stty {mode} failed");
    }
}
{% endif %}¶

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
        assert_eq!(
            parse_args(&["migrate", "down"]),
            Ok(Command::MigrateDown(Some(1)))
        );
        assert_eq!(
            parse_args(&["migrate", "down", "3"]),
            Ok(Command::MigrateDown(Some(3)))
        );
        assert_eq!(
            parse_args(&["migrate", "down", "all"]),
            Ok(Command::MigrateDown(None))
        );
        assert!(parse_args(&["migrate", "down", "0"]).is_err());
        assert!(parse_args(&["migrate", "down", "some"]).is_err());
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
{% if let Some(auth) = plan.auth %}¶

    #[test]
    fn parses_create_user() {
        let args = ["create-user", "--email", "A@Example.com", "--role"];
        let parsed = parse_args(&[&args[..], &["{{ auth.last_role() }}"]].concat());
        let expected = NewUser {
            email: "a@example.com".to_owned(),
            role: UserRole::LAST,
            password: None,
        };
        assert_eq!(parsed, Ok(Command::CreateUser(expected)));
        let with_password = ["create-user", "--email", "s@example.com", "--role"];
        let with_password = [&with_password[..], &["{{ auth.first_role() }}"]].concat();
        let with_password = [&with_password[..], &["--password", "long enough"]].concat();
        assert!(parse_args(&with_password).is_ok());
    }

    #[test]
    fn create_user_refuses_bad_values() {
        let base = ["create-user", "--email", "a@example.com", "--role"];
        assert!(parse_args(&[&base[..], &["no such role"]].concat()).is_err());
        let bad_email = ["create-user", "--email", "nope", "--role", "{{ auth.last_role() }}"];
        assert!(parse_args(&bad_email).is_err());
        let short = [&base[..], &["{{ auth.last_role() }}", "--password", "short"]].concat();
        assert!(parse_args(&short).is_err());
        assert!(parse_args(&["create-user", "--role", "{{ auth.last_role() }}"]).is_err());
        assert!(parse_args(&["create-user", "--email"]).is_err());
    }
{% endif %}¶
}

// {{ header }}
// Do not edit: change src/main.rs to run your own commands.
use std::error::Error;
use std::fmt::Debug;
{% if plan.auth.is_some() %}¶
use std::io::{BufRead, IsTerminal, Read, Write};
{% else %}¶
use std::io::{IsTerminal, Read, Write};
{% endif %}¶
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
{% if plan.auth.is_some() %}¶
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelBehavior, ActiveModelTrait, DatabaseConnection, DbErr, SqlErr};
{% else %}¶
use sea_orm::DatabaseConnection;
{% endif %}¶
use sea_orm_migration::MigratorTrait;
use tower_service::Service;
use sea_orm::sea_query::value::prelude::chrono::{Datelike, Timelike, Utc};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_log::NormalizeEvent;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields};
use tracing_subscriber::registry::LookupSpan;

use crate::app::{self, AppState};
{% if plan.auth.is_some() %}¶
use crate::auth::{self, Auth, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, Password};
{% endif %}¶
use crate::config::{Config, HttpConfig, LogFormat};
use crate::db;
{% if plan.auth.is_some() %}¶
use crate::entities::user::{self, UserRole};
{% endif %}¶
use crate::migrations::{self, Migrator};
{% if plan.auth.is_some() %}¶
use crate::validation::is_email;
{% endif %}¶
use crate::{openapi, shutdown};

const USAGE: &str = "\
The {{ plan.crate_name }} API server.

Usage: {{ plan.crate_name }} [COMMAND]

Commands:
  serve            apply pending migrations (unless MIGRATE_ON_START=false), then
                   serve the API (the default); SIGTERM or Ctrl-C stops it gracefully
  migrate up       apply pending migrations
  migrate down [N|all]
                   roll back the last applied migration (or N, or all)
  migrate status   list migrations and whether they are applied
  health           exit 0 if the server running here answers GET /health with 200
                   (for container health checks)
  openapi          print the OpenAPI document
{% if plan.auth.is_some() %}¶
  create-user --email E --role R [--password P]
                   apply pending migrations, then create a user with any role
                   (the first admin too) and print its id; without --password,
                   the password is read from standard input
{% endif %}¶
  help             print this help

Environment (also read from .env):
  DATABASE_URL   postgres://, mysql:// or sqlite://; by default
    {{ plan.sqlite_url }}
  HOST           default 127.0.0.1
  PORT           default 3000
{% if let Some(auth) = plan.auth %}¶
  JWT_SECRET     required to serve: at least 32 random bytes that sign tokens
  TOKEN_TTL_MINUTES  how long an access token is valid, default {{ auth.token_ttl_minutes }}
  REFRESH_TTL_DAYS   how long a login lasts without a refresh, default {{ auth.refresh_ttl_days }}
  LOGIN_RATE_LIMIT   login attempts per minute, per client address and per account
                     (and registrations per client address), default 10
  PASSWORD_HASHES_AT_ONCE  password hashes computed at once (19 MiB each), default 4; 503 past it
{% endif %}¶
  RUST_LOG       log filter, default info
  LOG_FORMAT     text (default) or json: one JSON object per line
  BODY_LIMIT_BYTES      largest request body, default 1048576 (1 MiB); 413 past it
  REQUEST_TIMEOUT_SECS  longest a request may take, default 30; 503 past it
  RATE_LIMIT            requests per minute and client address, default 1200, or off
  TRUSTED_PROXIES       proxies (addresses, CIDR ranges) whose X-Forwarded-For or
                        Forwarded names the client address, default none
  CORS_ORIGINS          comma-separated origins browsers may call from, default none
  HSTS_MAX_AGE_SECS     send Strict-Transport-Security with this max-age, default off
                        (set it behind HTTPS)
  HEADER_TIMEOUT_SECS   time to send a request head, or to start the next one, default 10
  MAX_CONNECTIONS       connections open at once, default 1024; 503 past it
  SHUTDOWN_TIMEOUT_SECS how long a shutdown waits for requests in flight, default 20
  MIGRATE_ON_START      true (default) or false, when a separate job migrates
  DB_MAX_CONNECTIONS    connection pool size, default 10
  DB_MIN_CONNECTIONS    connections kept open, default 1
  DB_CONNECT_TIMEOUT_SECS    default 5
  DB_ACQUIRE_TIMEOUT_SECS    wait for a free connection, default 3; 503 past it
  DB_STATEMENT_TIMEOUT_SECS  longest statement (PostgreSQL, MySQL), default 15, 0 for none

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
    Health,
    Openapi,
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
{% if plan.auth.is_some() %}¶
    large_blocks_go_back_to_the_system();
{% endif %}¶
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
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    };
    init_tracing(config.log_format);
    match execute(command, &config).await {
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
        ["health"] => Ok(Command::Health),
        ["openapi"] => Ok(Command::Openapi),
        ["migrate", ..] => Err("migrate needs one of: up, down, status".to_owned()),
{% if plan.auth.is_some() %}¶
        ["create-user", options @ ..] => parse_new_user(options).map(Command::CreateUser),
{% endif %}¶
        ["serve" | "health" | "openapi", extra, ..] => {
            Err(format!("unexpected argument {extra:?}"))
        }
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
        eprintln!(
            "warning: a password given with --password stays in your shell's history and \
             is visible to other users in the process list; leave it out to type it instead"
        );
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

fn init_tracing(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Logs go to stderr: stdout is for what a command prints (the id of `create-user`).
    // Colours only on a terminal: a file or a log collector gets plain text.
    let terminal = std::io::stderr().is_terminal();
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(terminal);
    match format {
        // The request's span (its id, method and path) is a field of every line.
        LogFormat::Json => logs
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
        LogFormat::Text if terminal => logs.init(),
        LogFormat::Text => logs
            .fmt_fields(PlainFields)
            .event_format(PlainLine)
            .init(),
    }
}

/// A text log line without colours, as tracing-subscriber's own formatter writes it
/// (`2026-01-02T03:04:05.678901Z  INFO request{request_id="0b6d.." method=GET path="/x"}:`
/// then the target, the message and the event's fields), at two thirds of its cost on
/// the line each request writes: that formatter runs its styling even without colours.
struct PlainLine;

/// The fields of a plain line, each after a space: `name=value`, its value in Debug form
/// (a string quoted, a `%` field as Display), the message bare; the `log.` fields of a
/// `log` record left out, as tracing-subscriber's own formatter does.
struct PlainFields;

impl<'writer> FormatFields<'writer> for PlainFields {
    fn format_fields<R: RecordFields>(
        &self,
        line: Writer<'writer>,
        fields: R,
    ) -> std::fmt::Result {
        let mut visitor = PlainVisitor {
            line,
            result: Ok(()),
        };
        fields.record(&mut visitor);
        visitor.result
    }
}

struct PlainVisitor<'writer> {
    line: Writer<'writer>,
    result: std::fmt::Result,
}

impl Visit for PlainVisitor<'_> {
    /// A string as Debug writes it, but without Debug's escaping of each character when
    /// none needs it (a path, a request id): the same text, written at once.
    fn record_str(&mut self, field: &Field, value: &str) {
        let name = field.name();
        let needs_no_escape = |byte: u8| {
            (byte.is_ascii_graphic() || byte == b' ') && byte != b'"' && byte != b'\\'
        };
        if name == "message" || name.starts_with("log.") || !value.bytes().all(needs_no_escape) {
            self.record_debug(field, &value);
        } else if self.result.is_ok() {
            self.result = write!(self.line, " {name}=\"{value}\"");
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        if self.result.is_err() {
            return;
        }
        self.result = match field.name() {
            "message" => write!(self.line, " {value:?}"),
            name if name.starts_with("log.") => Ok(()),
            name => write!(self.line, " {name}={value:?}"),
        };
    }
}

/// `value`'s last `slot.len()` decimal digits, zero-padded, into `slot`.
fn digits(slot: &mut [u8], mut value: u32) {
    for byte in slot.iter_mut().rev() {
        *byte = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

impl<S, N> FormatEvent<S, N> for PlainLine
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        context: &FmtContext<'_, S, N>,
        mut line: Writer<'_>,
        event: &Event<'_>,
    ) -> std::fmt::Result {
        // A record of the `log` crate, under its own target rather than `log`.
        let normalized = event.normalized_metadata();
        let meta = normalized.as_ref().unwrap_or_else(|| event.metadata());
        // `2026-01-02T03:04:05.678901Z  INFO `, its digits put in place.
        let now = Utc::now();
        let mut stamp = *b"0000-00-00T00:00:00.000000Z";
        let parts = [
            (0, 4, u32::try_from(now.year()).unwrap_or_default()),
            (5, 2, now.month()),
            (8, 2, now.day()),
            (11, 2, now.hour()),
            (14, 2, now.minute()),
            (17, 2, now.second()),
            // A leap second counts its microseconds past 999999.
            (20, 6, now.timestamp_subsec_micros().min(999_999)),
        ];
        for (at, width, value) in parts {
            digits(&mut stamp[at..at + width], value);
        }
        line.write_str(std::str::from_utf8(&stamp).unwrap_or_default())?;
        line.write_str(match *meta.level() {
            Level::ERROR => " ERROR ",
            Level::WARN => "  WARN ",
            Level::INFO => "  INFO ",
            Level::DEBUG => " DEBUG ",
            Level::TRACE => " TRACE ",
        })?;
        if let Some(scope) = context.event_scope() {
            for span in scope.from_root() {
                line.write_str(span.name())?;
                let extensions = span.extensions();
                let fields = extensions.get::<FormattedFields<N>>();
                if let Some(fields) = fields.filter(|fields| !fields.is_empty()) {
                    line.write_char('{')?;
                    line.write_str(fields.fields.trim_start())?;
                    line.write_char('}')?;
                }
                line.write_char(':')?;
            }
            line.write_char(' ')?;
        }
        line.write_str(meta.target())?;
        line.write_char(':')?;
        context.format_fields(line.by_ref(), event)?;
        writeln!(line)
    }
}

async fn execute(command: Command, config: &Config) -> Result<(), BoxError> {
    match command {
        Command::Serve => return serve(config).await,
        Command::Health => return health(config),
        Command::Openapi => {
            println!("{}", openapi::document().to_pretty_json()?);
            return Ok(());
        }
        _ => {}
    }
    let db = db::migrator(config).await?;
    match command {
        Command::Help | Command::Serve | Command::Health | Command::Openapi => Ok(()),
        Command::MigrateUp => Ok(migrations::up(&db, None).await?),
        Command::MigrateDown(steps) => Ok(migrations::down(&db, steps).await?),
        Command::MigrateStatus => status(&db).await,
{% if plan.auth.is_some() %}¶
        Command::CreateUser(new_user) => create_user(&db, new_user).await,
{% endif %}¶
    }
}

async fn serve(config: &Config) -> Result<(), BoxError> {
{% if plan.auth.is_some() %}¶
    // Without JWT_SECRET there is no serving: refuse before touching the database.
    let auth = Arc::new(Auth::from_config(config)?);
{% endif %}¶
    if config.migrate_on_start {
        db::migrate(config).await?;
    }
    let db = db::connect(config).await?;
{% if plan.auth.is_some() %}¶
    let state = AppState {
        db: db.clone(),
        auth,
    };
{% else %}¶
    let state = AppState { db: db.clone() };
{% endif %}¶
    let app = app::router(state, &config.http);
    let address = config.address();
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|err| format!("cannot listen on {address}: {err}"))?;
    tracing::info!("listening on http://{address}");
    // On SIGTERM: stop accepting, let requests in flight finish (at most
    // SHUTDOWN_TIMEOUT_SECS), then close the pool.
    let (stopping, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown::signal().await;
        stopping.send_replace(true);
    });
    let server = serve_connections(listener, app, &config.http, stopped.clone());
    tokio::select! {
        () = server => {}
        () = shutdown::deadline(stopped, config.shutdown_timeout) => {
            tracing::warn!("requests still in flight after the shutdown timeout were dropped");
        }
    }
    db.close().await?;
    tracing::info!("stopped");
    Ok(())
}

/// Accepts connections until `stopping` turns true, then waits for the ones open to
/// finish their requests. Each is served by hyper's HTTP/1 with the limits a slow or
/// greedy client meets, which `axum::serve` has not:
/// - a request's head must arrive within `HEADER_TIMEOUT_SECS`, and an idle keep-alive
///   connection must start its next request within it: then the connection is closed
///   (one byte a second holds nothing for long);
/// - past `MAX_CONNECTIONS` open connections, a new one gets a 503 problem and is closed.
async fn serve_connections(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    http: &HttpConfig,
    mut stopping: tokio::sync::watch::Receiver<bool>,
) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let open = Arc::new(tokio::sync::Semaphore::new(http.max_connections));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(http.header_timeout);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopping.wait_for(|stopping| *stopping) => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(err) => {
                // Out of file descriptors, mostly: wait a little rather than spin.
                tracing::warn!(error = %err, "cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&open).try_acquire_owned() else {
            tokio::spawn(turn_away(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let mut app = app.clone();
            async move { app.call(request.map(axum::body::Body::new)).await }
        });
        let io = hyper_util::rt::TokioIo::new(stream);
        let connection = graceful.watch(builder.serve_connection(io, service));
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, "connection closed");
            }
            drop(permit);
        });
    }
    graceful.shutdown().await;
}

/// Answers a connection past `MAX_CONNECTIONS` with a 503 problem, then closes it.
async fn turn_away(mut stream: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt;

    const BODY: &str = concat!(
        r#"{"type":"about:blank","title":"Service Unavailable","status":503,"#,
        r#""detail":"too many connections: try again shortly"}"#,
    );
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\n\
         content-length: {}\r\nretry-after: 1\r\nconnection: close\r\n\r\n{BODY}",
        BODY.len()
    );
    let _ = stream.write_all(answer.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// `health`: asks the server running on this machine for `/health`; exits 0 on a 200.
fn health(config: &Config) -> Result<(), BoxError> {
    let host = match config.host {
        host if host.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        host => host,
    };
    let address = SocketAddr::new(host, config.port);
    let timeout = Duration::from_secs(3);
    let mut stream = TcpStream::connect_timeout(&address, timeout)
        .map_err(|err| format!("cannot reach {address}: {err}"))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")?;
    let mut answer = Vec::new();
    stream.take(1024).read_to_end(&mut answer)?;
    let answer = String::from_utf8_lossy(&answer);
    let status = answer.lines().next().unwrap_or_default();
    if status.starts_with("HTTP/1.1 200") {
        println!("ok");
        Ok(())
    } else {
        Err(format!("{address}/health answered {status:?}").into())
    }
}

async fn status(db: &DatabaseConnection) -> Result<(), BoxError> {
    for migration in Migrator::get_migration_with_status(db).await? {
        println!("{}  {}", migration.status(), migration.name());
    }
    Ok(())
}
{% if plan.auth.is_some() %}¶

/// Each password hash allocates a 19 MiB block. glibc's allocator raises its threshold
/// for mapping such blocks to the size of the first one freed, after which they come
/// from the heap and fragment it: the memory grows by 19 MiB a login up to about 250 MiB
/// and stays there. A fixed threshold of 1 MiB maps them and gives each back when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn large_blocks_go_back_to_the_system() {
    // SAFETY: sets a tunable of the C allocator (no memory is touched); glibc serialises
    // mallopt with allocation itself.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// Other allocators map large blocks and give them back by themselves.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn large_blocks_go_back_to_the_system() {}

/// Creates the user and prints its id.
async fn create_user(db: &DatabaseConnection, new_user: NewUser) -> Result<(), BoxError> {
    migrations::up(db, None).await?;
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
        assert_eq!(parse_args(&["health"]), Ok(Command::Health));
        assert_eq!(parse_args(&["openapi"]), Ok(Command::Openapi));
    }

    #[test]
    fn refuses_unknown_arguments() {
        assert!(parse_args(&["migrate"]).is_err());
        assert!(parse_args(&["migrate", "sideways"]).is_err());
        assert!(parse_args(&["serve", "now"]).is_err());
        assert!(parse_args(&["health", "now"]).is_err());
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

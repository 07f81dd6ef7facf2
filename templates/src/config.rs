// {{ header }}
// Do not edit: set these values in the environment or in .env.
use std::env;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

use crate::middleware::IpRange;

const DEFAULT_DATABASE_URL: &str = "{{ plan.sqlite_url }}";
const DEFAULT_HOST: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);
const DEFAULT_PORT: u16 = 3000;
/// 1 MiB: larger bodies answer 413.
const DEFAULT_BODY_LIMIT_BYTES: usize = 1024 * 1024;
const DEFAULT_REQUEST_TIMEOUT_SECS: u64 = 30;
/// Requests per minute and client address; `RATE_LIMIT=off` lifts it.
const DEFAULT_RATE_LIMIT: u32 = 1200;
/// How long a SIGTERM waits for requests in flight; keep it below the grace period
/// of the platform (Kubernetes' `terminationGracePeriodSeconds`, 30 by default).
const DEFAULT_SHUTDOWN_TIMEOUT_SECS: u64 = 20;
const DEFAULT_DB_MAX_CONNECTIONS: u32 = 10;
/// A request's head must arrive within this many seconds (a slow client is dropped).
const DEFAULT_HEADER_TIMEOUT_SECS: u64 = 10;
/// Connections served at once: a file descriptor and some memory each.
const DEFAULT_MAX_CONNECTIONS: usize = 1024;
const DEFAULT_DB_MIN_CONNECTIONS: u32 = 1;
const DEFAULT_DB_CONNECT_TIMEOUT_SECS: u64 = 5;
/// How long a request waits for a free connection: with the database down, requests
/// answer 503 after this long.
const DEFAULT_DB_ACQUIRE_TIMEOUT_SECS: u64 = 3;
const DEFAULT_DB_STATEMENT_TIMEOUT_SECS: u64 = 15;
{% if let Some(auth) = plan.auth %}¶
/// `token_ttl_minutes` of `[auth]` in apigen.toml.
const DEFAULT_TOKEN_TTL_MINUTES: NonZeroU32 = NonZeroU32::new({{ auth.token_ttl_minutes }}).unwrap();
/// `refresh_ttl_days` of `[auth]` in apigen.toml.
pub const DEFAULT_REFRESH_TTL_DAYS: NonZeroU32 = NonZeroU32::new({{ auth.refresh_ttl_days }}).unwrap();
const DEFAULT_LOGIN_RATE_LIMIT: NonZeroU32 = NonZeroU32::new(10).unwrap();
/// The shortest `JWT_SECRET` accepted: 256 bits for HS256.
pub const MIN_SECRET_BYTES: usize = 32;
{% endif %}¶

/// Settings read from the environment (and from `.env`, when present).
#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub host: IpAddr,
    pub port: u16,
    pub http: HttpConfig,
    pub pool: PoolConfig,
    pub log_format: LogFormat,
    /// Whether `serve` applies pending migrations before it listens; `false` where a
    /// separate job runs `migrate up` (several replicas must not race to migrate).
    pub migrate_on_start: bool,
    /// How long a shutdown waits for requests in flight before it drops them.
    pub shutdown_timeout: Duration,
{% if plan.auth.is_some() %}¶
    /// Signs and checks tokens; `None` when unset: only `serve` needs it.
    pub jwt_secret: Option<Secret>,
    /// How long an access token is valid.
    pub token_ttl_minutes: NonZeroU32,
    /// How long a login session lasts without a refresh.
    pub refresh_ttl_days: NonZeroU32,
    /// Login attempts, and registrations, allowed per minute and client address.
    pub login_rate_limit: NonZeroU32,
    /// Password hashes computed at once (about 19 MiB each); more wait, then get 503.
    pub hashes_at_once: NonZeroU32,
}

/// A secret setting: its `Debug` never shows the value.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
{% endif %}¶
}

/// The limits of the HTTP layer (src/middleware.rs).
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// The largest request body accepted (413 past it).
    pub body_limit: usize,
    /// How long a request may take (503 past it).
    pub request_timeout: Duration,
    /// The origins browsers may call the API from; none by default.
    pub cors_origins: Vec<String>,
    /// Requests per minute and client address (429 past it); `None`: no limit.
    pub rate_limit: Option<NonZeroU32>,
    /// `Strict-Transport-Security: max-age=...` on every answer; `None` (the default):
    /// not sent, since only a server reached over HTTPS may say it.
    pub hsts_max_age: Option<u64>,
    /// How long a client has to send a request's head, and an idle keep-alive connection
    /// to start its next request: then the connection is closed.
    pub header_timeout: Duration,
    /// Connections open at once, at most: past it a new one gets 503 and is closed.
    pub max_connections: usize,
    /// The proxies whose `Forwarded` and `X-Forwarded-For` headers name the client;
    /// none by default, so that a client cannot choose the address it is counted under.
    pub trusted_proxies: Vec<IpRange>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            body_limit: DEFAULT_BODY_LIMIT_BYTES,
            request_timeout: Duration::from_secs(DEFAULT_REQUEST_TIMEOUT_SECS),
            cors_origins: Vec::new(),
            rate_limit: NonZeroU32::new(DEFAULT_RATE_LIMIT),
            hsts_max_age: None,
            header_timeout: Duration::from_secs(DEFAULT_HEADER_TIMEOUT_SECS),
            max_connections: DEFAULT_MAX_CONNECTIONS,
            trusted_proxies: Vec::new(),
        }
    }
}

/// The database connection pool (src/db.rs).
#[derive(Clone, Debug)]
pub struct PoolConfig {
    pub max_connections: u32,
    pub min_connections: u32,
    pub connect_timeout: Duration,
    pub acquire_timeout: Duration,
    /// The longest a statement may run (PostgreSQL, MySQL); `None`: no limit.
    pub statement_timeout: Option<Duration>,
}

impl Default for PoolConfig {
    fn default() -> Self {
        Self {
            max_connections: DEFAULT_DB_MAX_CONNECTIONS,
            min_connections: DEFAULT_DB_MIN_CONNECTIONS,
            connect_timeout: Duration::from_secs(DEFAULT_DB_CONNECT_TIMEOUT_SECS),
            acquire_timeout: Duration::from_secs(DEFAULT_DB_ACQUIRE_TIMEOUT_SECS),
            statement_timeout: Some(Duration::from_secs(DEFAULT_DB_STATEMENT_TIMEOUT_SECS)),
        }
    }
}

/// How log lines are written: `LOG_FORMAT=json` for log collectors, text otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// A setting that is missing, or present but cannot be used.
#[derive(Debug)]
pub struct ConfigError {
    name: &'static str,
    value: Found,
    expected: &'static str,
}

/// What was found in a setting that cannot be used.
#[derive(Debug)]
enum Found {
{% if plan.auth.is_some() %}¶
    Missing,
    /// A secret: only its length may be shown.
    Hidden(usize),
{% endif %}¶
    Value(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, expected) = (self.name, self.expected);
        match &self.value {
{% if plan.auth.is_some() %}¶
            Found::Missing => write!(f, "{name} is not set: expected {expected}"),
            Found::Hidden(len) => {
                write!(f, "{name} is not valid ({len} bytes): expected {expected}")
            }
{% endif %}¶
            Found::Value(value) => write!(f, "{name}={value:?} is not valid: expected {expected}"),
        }
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Reads `.env` (a missing file is fine), then the variables listed in the
    /// README (and by `{{ plan.crate_name }} help`); an unset or empty one takes its default.
    pub fn from_env() -> Result<Self, ConfigError> {
        if let Err(err) = dotenvy::dotenv()
            && !err.not_found()
        {
            return Err(ConfigError {
                name: ".env",
                value: Found::Value(err.to_string()),
                expected: "a readable file of KEY=value lines",
            });
        }
        Ok(Self {
            database_url: database_url()?,
            host: parse_var("HOST", DEFAULT_HOST, "an IP address such as 127.0.0.1")?,
            port: parse_var("PORT", DEFAULT_PORT, "a port number from 0 to 65535")?,
            http: HttpConfig {
                body_limit: parse_var(
                    "BODY_LIMIT_BYTES",
                    DEFAULT_BODY_LIMIT_BYTES,
                    "a number of bytes",
                )?,
                request_timeout: seconds("REQUEST_TIMEOUT_SECS", DEFAULT_REQUEST_TIMEOUT_SECS)?,
                cors_origins: cors_origins()?,
                rate_limit: rate_limit()?,
                hsts_max_age: match parse_var(
                    "HSTS_MAX_AGE_SECS",
                    0,
                    "a number of seconds, such as 31536000 (a year)",
                )? {
                    0 => None,
                    seconds => Some(seconds),
                },
                header_timeout: Duration::from_secs(u64::from(at_least_one(
                    "HEADER_TIMEOUT_SECS",
                    parse_var(
                        "HEADER_TIMEOUT_SECS",
                        DEFAULT_HEADER_TIMEOUT_SECS as u32,
                        "a number of seconds, 1 or more",
                    )?,
                )?)),
                max_connections: at_least_one(
                    "MAX_CONNECTIONS",
                    parse_var(
                        "MAX_CONNECTIONS",
                        DEFAULT_MAX_CONNECTIONS as u32,
                        "a number of connections, 1 or more",
                    )?,
                )? as usize,
                trusted_proxies: trusted_proxies()?,
            },
            pool: PoolConfig {
                max_connections: parse_var(
                    "DB_MAX_CONNECTIONS",
                    DEFAULT_DB_MAX_CONNECTIONS,
                    "a number of connections, 1 or more",
                )
                .and_then(|max| at_least_one("DB_MAX_CONNECTIONS", max))?,
                min_connections: parse_var(
                    "DB_MIN_CONNECTIONS",
                    DEFAULT_DB_MIN_CONNECTIONS,
                    "a number of connections",
                )?,
                connect_timeout: seconds(
                    "DB_CONNECT_TIMEOUT_SECS",
                    DEFAULT_DB_CONNECT_TIMEOUT_SECS,
                )?,
                acquire_timeout: seconds(
                    "DB_ACQUIRE_TIMEOUT_SECS",
                    DEFAULT_DB_ACQUIRE_TIMEOUT_SECS,
                )?,
                statement_timeout: Some(seconds(
                    "DB_STATEMENT_TIMEOUT_SECS",
                    DEFAULT_DB_STATEMENT_TIMEOUT_SECS,
                )?)
                .filter(|timeout| !timeout.is_zero()),
            },
            log_format: log_format()?,
            migrate_on_start: parse_var("MIGRATE_ON_START", true, "true or false")?,
            shutdown_timeout: seconds("SHUTDOWN_TIMEOUT_SECS", DEFAULT_SHUTDOWN_TIMEOUT_SECS)?,
{% if plan.auth.is_some() %}¶
            jwt_secret: jwt_secret()?,
            token_ttl_minutes: parse_var(
                "TOKEN_TTL_MINUTES",
                DEFAULT_TOKEN_TTL_MINUTES,
                "a number of minutes, 1 or more",
            )?,
            refresh_ttl_days: parse_var(
                "REFRESH_TTL_DAYS",
                DEFAULT_REFRESH_TTL_DAYS,
                "a number of days, 1 or more",
            )?,
            login_rate_limit: parse_var(
                "LOGIN_RATE_LIMIT",
                DEFAULT_LOGIN_RATE_LIMIT,
                "a number of login attempts per minute, 1 or more",
            )?,
            hashes_at_once: parse_var(
                "PASSWORD_HASHES_AT_ONCE",
                crate::auth::DEFAULT_HASHES_AT_ONCE,
                "a number of password hashes, 1 or more",
            )?,
{% endif %}¶
        })
    }
{% if plan.auth.is_some() %}¶

    /// `JWT_SECRET`, which serving the API requires.
    pub fn require_jwt_secret(&self) -> Result<&Secret, ConfigError> {
        self.jwt_secret.as_ref().ok_or(ConfigError {
            name: "JWT_SECRET",
            value: Found::Missing,
            expected: SECRET_EXPECTED,
        })
    }
{% endif %}¶

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        SocketAddr::new(self.host, self.port)
    }
}

{% if plan.auth.is_some() %}¶
const SECRET_EXPECTED: &str = "at least 32 random bytes to sign tokens with, \
    such as 64 hex characters from `openssl rand -hex 32` (apigen new writes one into .env)";

fn jwt_secret() -> Result<Option<Secret>, ConfigError> {
    let Some(secret) = read_var("JWT_SECRET")? else {
        return Ok(None);
    };
    if secret.len() < MIN_SECRET_BYTES {
        return Err(ConfigError {
            name: "JWT_SECRET",
            value: Found::Hidden(secret.len()),
            expected: SECRET_EXPECTED,
        });
    }
    Ok(Some(Secret(secret)))
}

{% endif %}¶
fn database_url() -> Result<String, ConfigError> {
    let Some(url) = read_var("DATABASE_URL")? else {
        return Ok(DEFAULT_DATABASE_URL.to_owned());
    };
    let postgres = url.starts_with("postgres://") || url.starts_with("postgresql://");
    let mysql = url.starts_with("mysql://");
    if url.starts_with("sqlite:")
        || postgres && cfg!(feature = "postgres")
        || mysql && cfg!(feature = "mysql")
    {
        return Ok(url);
    }
    let expected = if postgres {
        "a URL this binary can use: it was built without PostgreSQL \
         (build with --features postgres)"
    } else if mysql {
        "a URL this binary can use: it was built without MySQL (build with --features mysql)"
    } else {
        "a sqlite:, postgres:// or mysql:// URL"
    };
    Err(ConfigError {
        name: "DATABASE_URL",
        value: Found::Value(without_password(&url)),
        expected,
    })
}

/// `url` with its password, if it has one, shown as `***`: the message is printed and
/// may be logged.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
        None => url.to_owned(),
    }
}

/// A duration in whole seconds.
fn seconds(name: &'static str, default: u64) -> Result<Duration, ConfigError> {
    parse_var(name, default, "a number of seconds").map(Duration::from_secs)
}

fn at_least_one(name: &'static str, value: u32) -> Result<u32, ConfigError> {
    if value == 0 {
        return Err(ConfigError {
            name,
            value: Found::Value(value.to_string()),
            expected: "a number, 1 or more",
        });
    }
    Ok(value)
}

/// `CORS_ORIGINS`: comma-separated origins such as `https://app.example.com`.
fn cors_origins() -> Result<Vec<String>, ConfigError> {
    let Some(list) = read_var("CORS_ORIGINS")? else {
        return Ok(Vec::new());
    };
    let origins: Vec<String> = list
        .split(',')
        .map(|origin| origin.trim().trim_end_matches('/').to_owned())
        .filter(|origin| !origin.is_empty())
        .collect();
    let valid = |origin: &String| {
        let rest = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"));
        rest.is_some_and(|host| !host.is_empty() && !host.contains(['/', ' ']))
    };
    if origins.iter().all(valid) {
        return Ok(origins);
    }
    Err(ConfigError {
        name: "CORS_ORIGINS",
        value: Found::Value(list),
        expected: "comma-separated origins such as https://app.example.com,http://localhost:5173",
    })
}

/// `TRUSTED_PROXIES`: comma-separated addresses and CIDR ranges.
fn trusted_proxies() -> Result<Vec<IpRange>, ConfigError> {
    let Some(list) = read_var("TRUSTED_PROXIES")? else {
        return Ok(Vec::new());
    };
    let entries = list.split(',').map(str::trim).filter(|entry| !entry.is_empty());
    entries
        .map(str::parse::<IpRange>)
        .collect::<Result<_, _>>()
        .map_err(|_| ConfigError {
            name: "TRUSTED_PROXIES",
            value: Found::Value(list.clone()),
            expected: "comma-separated addresses and CIDR ranges such as 10.0.0.0/8,192.168.1.10",
        })
}

/// `RATE_LIMIT`: requests per minute and client address, or `off`.
fn rate_limit() -> Result<Option<NonZeroU32>, ConfigError> {
    match read_var("RATE_LIMIT")? {
        None => Ok(NonZeroU32::new(DEFAULT_RATE_LIMIT)),
        Some(value) if value.trim().eq_ignore_ascii_case("off") => Ok(None),
        Some(value) => value.trim().parse().map(Some).map_err(|_| ConfigError {
            name: "RATE_LIMIT",
            value: Found::Value(value),
            expected: "a number of requests per minute, 1 or more, or off",
        }),
    }
}

fn log_format() -> Result<LogFormat, ConfigError> {
    match read_var("LOG_FORMAT")?.as_deref().map(str::trim) {
        None | Some("text") => Ok(LogFormat::Text),
        Some("json") => Ok(LogFormat::Json),
        Some(other) => Err(ConfigError {
            name: "LOG_FORMAT",
            value: Found::Value(other.to_owned()),
            expected: "json or text",
        }),
    }
}

fn parse_var<T: std::str::FromStr>(
    name: &'static str,
    default: T,
    expected: &'static str,
) -> Result<T, ConfigError> {
    match read_var(name)? {
        None => Ok(default),
        Some(value) => value.trim().parse().map_err(|_| ConfigError {
            name,
            value: Found::Value(value),
            expected,
        }),
    }
}

/// An unset or empty variable counts as absent.
fn read_var(name: &'static str) -> Result<Option<String>, ConfigError> {
    match env::var(name) {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => Ok(Some(value)),
        Err(env::VarError::NotPresent) => Ok(None),
        Err(env::VarError::NotUnicode(value)) => Err(ConfigError {
            name,
            value: Found::Value(value.to_string_lossy().into_owned()),
            expected: "valid UTF-8",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::without_password;

    #[test]
    fn a_database_url_in_a_message_never_shows_its_password() {
        let cases = [
            (
                "postgres://app:s3cr%40t@db:5432/app?sslmode=require",
                "postgres://app:***@db:5432/app?sslmode=require",
            ),
            ("mysql://root:p@ss:w@rd@host/db", "mysql://root:***@host/db"),
            ("postgres://app@db/app", "postgres://app@db/app"),
            ("sqlite://app.db?mode=rwc", "sqlite://app.db?mode=rwc"),
            ("not a url", "not a url"),
        ];
        for (url, shown) in cases {
            assert_eq!(without_password(url), shown);
        }
    }
}

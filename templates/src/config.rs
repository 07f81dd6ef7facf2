// {{ header }} Do not edit: set these values in the environment or in .env.
use std::env;
use std::fmt;
use std::net::{IpAddr, SocketAddr};
{% if plan.auth.is_some() %}¶
use std::num::NonZeroU32;
{% endif %}¶

const DEFAULT_DATABASE_URL: &str = "{{ plan.sqlite_url }}";
const DEFAULT_HOST: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);
const DEFAULT_PORT: u16 = 3000;
{% if let Some(auth) = plan.auth %}¶
/// `token_ttl_minutes` of `[auth]` in apigen.toml.
const DEFAULT_TOKEN_TTL_MINUTES: NonZeroU32 = NonZeroU32::new({{ auth.token_ttl_minutes }}).unwrap();
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
{% if plan.auth.is_some() %}¶
    /// Signs and checks tokens; `None` when unset: only `serve` needs it.
    pub jwt_secret: Option<Secret>,
    pub token_ttl_minutes: NonZeroU32,
    /// Login attempts allowed per minute and client address.
    pub login_rate_limit: NonZeroU32,
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
{% if plan.auth.is_some() %}¶
    /// Reads `.env` (a missing file is fine), then `DATABASE_URL`, `HOST`, `PORT`,
    /// `JWT_SECRET`, `TOKEN_TTL_MINUTES` and `LOGIN_RATE_LIMIT`.
{% else %}¶
    /// Reads `.env` (a missing file is fine), then `DATABASE_URL`, `HOST` and `PORT`.
{% endif %}¶
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
{% if plan.auth.is_some() %}¶
            jwt_secret: jwt_secret()?,
            token_ttl_minutes: parse_var(
                "TOKEN_TTL_MINUTES",
                DEFAULT_TOKEN_TTL_MINUTES,
                "a number of minutes, 1 or more",
            )?,
            login_rate_limit: parse_var(
                "LOGIN_RATE_LIMIT",
                DEFAULT_LOGIN_RATE_LIMIT,
                "a number of login attempts per minute, 1 or more",
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
    if url.starts_with("sqlite:") || postgres && cfg!(feature = "postgres") {
        return Ok(url);
    }
    let expected = if postgres {
        "a sqlite: URL: this binary was built without PostgreSQL (build with --features postgres)"
    } else if url.starts_with("mysql://") {
        "a sqlite: or postgres:// URL: MySQL is not supported by this version of apigen yet"
    } else {
        "a sqlite: or postgres:// URL"
    };
    Err(ConfigError {
        name: "DATABASE_URL",
        value: Found::Value(url),
        expected,
    })
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

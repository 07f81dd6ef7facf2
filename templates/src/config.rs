// {{ header }} Do not edit: set these values in the environment or in .env.
use std::env;
use std::fmt;
use std::net::{IpAddr, SocketAddr};

const DEFAULT_DATABASE_URL: &str = "{{ plan.sqlite_url }}";
const DEFAULT_HOST: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);
const DEFAULT_PORT: u16 = 3000;

/// Settings read from the environment (and from `.env`, when present).
#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub host: IpAddr,
    pub port: u16,
}

/// A setting that is present but cannot be used.
#[derive(Debug)]
pub struct ConfigError {
    name: &'static str,
    value: String,
    expected: &'static str,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}={:?} is not valid: expected {}",
            self.name, self.value, self.expected
        )
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Reads `.env` (a missing file is fine), then `DATABASE_URL`, `HOST` and `PORT`.
    pub fn from_env() -> Result<Self, ConfigError> {
        if let Err(err) = dotenvy::dotenv()
            && !err.not_found()
        {
            return Err(ConfigError {
                name: ".env",
                value: err.to_string(),
                expected: "a readable file of KEY=value lines",
            });
        }
        Ok(Self {
            database_url: database_url()?,
            host: parse_var("HOST", DEFAULT_HOST, "an IP address such as 127.0.0.1")?,
            port: parse_var("PORT", DEFAULT_PORT, "a port number from 0 to 65535")?,
        })
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        SocketAddr::new(self.host, self.port)
    }
}

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
        value: url,
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
            value,
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
            value: value.to_string_lossy().into_owned(),
            expected: "valid UTF-8",
        }),
    }
}

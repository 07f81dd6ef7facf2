// {{ header }} Do not edit: set DATABASE_URL in the environment or in .env.
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::config::Config;

/// Opens the connection pool shared by every handler.
pub async fn connect(config: &Config) -> Result<DatabaseConnection, DbErr> {
    connect_with(options(&config.database_url)).await
}

/// Pool options for `url`; tests adjust them before connecting.
pub fn options(url: &str) -> ConnectOptions {
    let mut options = ConnectOptions::new(url);
    options.sqlx_logging(false);
    #[cfg(feature = "sqlite")]
    options.map_sqlx_sqlite_opts(|sqlite| sqlite.foreign_keys(true));
    options
}

/// Connects with `options`.
pub async fn connect_with(options: ConnectOptions) -> Result<DatabaseConnection, DbErr> {
    Database::connect(options).await
}

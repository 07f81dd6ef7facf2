// {{ header }} Do not edit: set DATABASE_URL in the environment or in .env.
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::config::Config;

/// Opens the connection pool shared by every handler.
pub async fn connect(config: &Config) -> Result<DatabaseConnection, DbErr> {
    Database::connect(options(&config.database_url)).await
}

/// Pool options for `url`; the tests adjust them before connecting.
///
/// sqlx turns SQLite's foreign keys on by default; this says so explicitly,
/// since `on_delete` rules depend on it.
pub fn options(url: &str) -> ConnectOptions {
    let mut options = ConnectOptions::new(url);
    // sqlx would log every statement at INFO.
    options.sqlx_logging(false);
    #[cfg(feature = "sqlite")]
    options.map_sqlx_sqlite_opts(|sqlite| sqlite.foreign_keys(true));
    options
}

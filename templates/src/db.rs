// {{ header }} Do not edit: set DATABASE_URL in the environment or in .env.
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use sea_orm_migration::MigratorTrait;

use crate::config::Config;
use crate::migrations::Migrator;

/// Opens the connection pool shared by every handler.
pub async fn connect(config: &Config) -> Result<DatabaseConnection, DbErr> {
    Database::connect(options(&config.database_url)).await
}

/// A pool of one connection, for migrations: a SQLite table rebuild turns foreign keys
/// off for the duration, and that setting belongs to one connection
/// (see `migrations::kit::rebuild`).
pub async fn migrator(config: &Config) -> Result<DatabaseConnection, DbErr> {
    let mut options = options(&config.database_url);
    options.max_connections(1).min_connections(1);
    Database::connect(options).await
}

/// Applies pending migrations, on a connection of their own.
pub async fn migrate(config: &Config) -> Result<(), DbErr> {
    let db = migrator(config).await?;
    Migrator::up(&db, None).await?;
    db.close().await
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

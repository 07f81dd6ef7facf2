// {{ header }}
// Do not edit: set DATABASE_URL and the DB_* settings in the environment or in .env.
use std::collections::HashSet;

use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr, EntityTrait};
use sea_orm_migration::{MigratorTrait, SchemaManager, seaql_migrations};

use crate::config::{Config, PoolConfig};
use crate::migrations::{self, Migrator};

/// Opens the connection pool shared by every handler, sized and timed by `DB_*`.
pub async fn connect(config: &Config) -> Result<DatabaseConnection, DbErr> {
    let mut options = options(&config.database_url);
    pool(&mut options, &config.pool);
    Database::connect(options).await
}

/// A pool of one connection, for migrations: a SQLite table rebuild turns foreign keys
/// off for the duration, and that setting belongs to one connection
/// (see `migrations::kit::rebuild`).
pub async fn migrator(config: &Config) -> Result<DatabaseConnection, DbErr> {
    let mut options = options(&config.database_url);
    options
        .max_connections(1)
        .min_connections(1)
        .connect_timeout(config.pool.connect_timeout);
    Database::connect(options).await
}

/// Applies pending migrations, on a connection of their own.
pub async fn migrate(config: &Config) -> Result<(), DbErr> {
    let db = migrator(config).await?;
    migrations::up(&db, None).await?;
    db.close().await
}

/// How many migrations of this binary are not applied yet (`/ready` waits for none).
/// Reads only: a database migrated further by a newer release counts as up to date.
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<usize, DbErr> {
    let applied: HashSet<String> = if SchemaManager::new(db).has_table("seaql_migrations").await? {
        let rows = seaql_migrations::Entity::find().all(db).await?;
        rows.into_iter().map(|row| row.version).collect()
    } else {
        HashSet::new()
    };
    let migrations = Migrator::migrations();
    let pending = migrations.iter().filter(|m| !applied.contains(m.name()));
    Ok(pending.count())
}

/// Pool options for `url`; the tests adjust them before connecting.
///
/// On SQLite:
/// - foreign keys on (sqlx's default, said explicitly: `on_delete` rules depend on it);
/// - write-ahead logging: reads go on while a write commits, and a write does not wait
///   for the reads. The file gets its `-wal` and `-shm` companions beside it; every
///   commit is still written to disk before it is answered (`synchronous` stays FULL);
/// - a wait of up to 5 seconds (sqlx's default) for another connection's write lock.
pub fn options(url: &str) -> ConnectOptions {
    let mut options = ConnectOptions::new(url);
    // sqlx would log every statement at INFO.
    options.sqlx_logging(false);
    #[cfg(feature = "sqlite")]
    options.map_sqlx_sqlite_opts(|sqlite| {
        use sea_orm::sqlx::sqlite::SqliteJournalMode;
        sqlite
            .foreign_keys(true)
            .journal_mode(SqliteJournalMode::Wal)
{% if plan.needs_decimal %}¶
            // SQLite keeps decimals as text: this collation orders them as numbers.
            .collation(crate::query::DECIMAL_COLLATION, crate::decimal::compare_text)
{% endif %}¶
    });
    options
}

/// Sizes and times the pool. A connection is checked before it is handed out, so
/// that after a database restart the pool replaces dead connections by itself.
pub fn pool(options: &mut ConnectOptions, pool: &PoolConfig) {
    options
        .max_connections(pool.max_connections)
        .min_connections(pool.min_connections.min(pool.max_connections))
        .connect_timeout(pool.connect_timeout)
        .acquire_timeout(pool.acquire_timeout)
        .test_before_acquire(true);
    #[cfg(feature = "postgres")]
    if let Some(timeout) = pool.statement_timeout {
        let millis = timeout.as_millis().to_string();
        options.map_sqlx_postgres_opts(move |postgres| {
            postgres.options([("statement_timeout", millis.as_str())])
        });
    }
    #[cfg(feature = "mysql")]
    if let Some(timeout) = pool.statement_timeout {
        options.map_sqlx_mysql_pool_opts(move |mysql| {
            mysql.after_connect(move |conn, _| Box::pin(mysql_statement_timeout(conn, timeout)))
        });
    }
}

/// Sets a new MySQL connection's statement timeout: `max_statement_time` (seconds) on
/// MariaDB, else MySQL 8's `max_execution_time` (milliseconds, for reads).
#[cfg(feature = "mysql")]
async fn mysql_statement_timeout(
    conn: &mut sea_orm::sqlx::MySqlConnection,
    timeout: std::time::Duration,
) -> Result<(), sea_orm::sqlx::Error> {
    use sea_orm::sqlx::{AssertSqlSafe, Executor};
    let mariadb = format!("SET SESSION max_statement_time = {}", timeout.as_secs_f64());
    if conn.execute(AssertSqlSafe(mariadb)).await.is_err() {
        let mysql = format!("SET SESSION max_execution_time = {}", timeout.as_millis());
        conn.execute(AssertSqlSafe(mysql)).await?;
    }
    Ok(())
}

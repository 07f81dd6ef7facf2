// Do not edit: apigen writes it.
//! The steps the migrations are made of. Each works on PostgreSQL, MySQL and SQLite alike, except
//! where SQLite cannot alter a table in place: there a migration rebuilds the table
//! ([`rebuild_table`]), copying every row. Every migration runs in a transaction of its own
//! ([`Atomic`]).

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use sea_orm_migration::prelude::*;

/// A migration run in one transaction, with its record in `seaql_migrations`, on every
/// database: a step that fails leaves nothing of the migration behind on PostgreSQL and
/// SQLite. On SQLite the foreign keys are off while migrations run (a table rebuild
/// needs them off, and only outside a transaction can they be turned off: see
/// [`foreign_keys`]), so every foreign key is checked before the transaction commits,
/// and a migration that would leave a row pointing nowhere fails, changing nothing.
/// MySQL commits each schema change by itself: there a migration checks first what a
/// unique index it makes would fail over ([`check_unique`]); a step that fails later
/// leaves the earlier ones applied, and each step skips itself when it finds itself done
/// (see `again`), so that the migration runs again once what failed is put right.
pub struct Atomic(Box<dyn MigrationTrait>);

impl Atomic {
    pub fn boxed(migration: Box<dyn MigrationTrait>) -> Box<dyn MigrationTrait> {
        Box::new(Atomic(migration))
    }
}

impl MigrationName for Atomic {
    fn name(&self) -> &str {
        self.0.name()
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Atomic {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        self.0.up(manager).await?;
        foreign_keys_hold(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        self.0.down(manager).await?;
        foreign_keys_hold(manager).await
    }
}

/// SQLite: every row's foreign keys point at a row, checked inside the migration's
/// transaction (the keys themselves are off while migrations run).
async fn foreign_keys_hold(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Sqlite {
        return Ok(());
    }
    let broken = pragma(manager.get_connection(), "PRAGMA foreign_key_check").await?;
    if broken.is_empty() {
        return Ok(());
    }
    Err(DbErr::Migration(format!(
        "the migration would leave rows of {} pointing at no row; nothing was changed",
        broken.join(", ")
    )))
}

/// SQLite: turns the foreign keys of the connection `db` on or off (a pool of one
/// connection: the setting is the connection's). Elsewhere, nothing.
pub async fn foreign_keys(db: &DatabaseConnection, on: bool) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Ok(());
    }
    let state = if on { "ON" } else { "OFF" };
    db.execute_unprepared(&format!("PRAGMA foreign_keys = {state}"))
        .await
        .map(drop)
}

/// A table as a migration creates it: its definition and its indexes.
pub struct TableDef {
    name: &'static str,
    table: TableCreateStatement,
    indexes: Vec<IndexCreateStatement>,
    index_names: Vec<&'static str>,
}

impl TableDef {
    /// The table `name` that `table` creates.
    pub fn new(name: &'static str, table: TableCreateStatement) -> TableDef {
        TableDef {
            name,
            table,
            indexes: Vec::new(),
            index_names: Vec::new(),
        }
    }

    /// Adds the index `name` on `column`.
    pub fn index(&mut self, name: &'static str, column: &'static str, unique: bool) {
        let index = index(self.name, name, column, unique);
        self.indexes.push(index);
        self.index_names.push(name);
    }
}

fn index(
    table: &str,
    name: &'static str,
    column: &'static str,
    unique: bool,
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table.to_owned()).col(column);
    if unique {
        index.unique();
    }
    index.to_owned()
}

/// An exact decimal column: `numeric` on PostgreSQL. SQLite would give a
/// `decimal` column numeric affinity and store floats, and MySQL's `decimal` keeps
/// a fixed scale; there the column holds the digits as sent, as text (text affinity
/// on SQLite, `varchar` on MySQL), and `crate::decimal` reads them back exactly.
pub fn exact_decimal(backend: DbBackend, name: &'static str) -> ColumnDef {
    let mut column = ColumnDef::new(name);
    match backend {
        DbBackend::Sqlite => column.custom("decimal_text"),
        DbBackend::MySql => column.string_len(DECIMAL_TEXT_LEN),
        _ => column.decimal(),
    };
    column
}

/// The longest decimal as text: 28 digits, a sign and a point, with room to spare.
const DECIMAL_TEXT_LEN: u32 = 40;

/// Text of any length: `text` on PostgreSQL and SQLite. MySQL's `text` ends at 64 KiB,
/// short of the request body limit: there it is `longtext`.
pub fn text(backend: DbBackend, name: &'static str) -> ColumnDef {
    let mut column = ColumnDef::new(name);
    match backend {
        DbBackend::MySql => column.custom("longtext"),
        _ => column.text(),
    };
    column
}

/// A point in time: `timestamp with time zone` on PostgreSQL (text on SQLite). MySQL's
/// `timestamp` ends in 2038 and drops the microseconds: there it is `datetime(6)`, in UTC.
pub fn timestamp(backend: DbBackend, name: &'static str) -> ColumnDef {
    let mut column = ColumnDef::new(name);
    match backend {
        DbBackend::MySql => column.custom("datetime(6)"),
        _ => column.timestamp_with_time_zone(),
    };
    column
}

/// Creates the table, then its indexes. On MySQL the table stores UTF-8 in full
/// (`utf8mb4`) under a binary collation without padding, so that text compares, sorts
/// and stays unique as on PostgreSQL and SQLite: by its exact characters.
pub async fn create_table(manager: &SchemaManager<'_>, def: TableDef) -> Result<(), DbErr> {
    let mut table = def.table;
    if !(again(manager) && manager.has_table(def.name).await?) {
        if manager.get_database_backend() == DbBackend::MySql {
            let collation = exact_collation(manager).await?;
            table.character_set("utf8mb4").collate(collation);
        }
        manager.create_table(table).await?;
    }
    for (index, name) in def.indexes.into_iter().zip(def.index_names) {
        if !(again(manager) && manager.has_index(def.name, name).await?) {
            manager.create_index(index).await?;
        }
    }
    Ok(())
}

/// Whether a step finds itself done already, and is skipped: on MySQL, which commits
/// each schema change by itself, a migration that failed halfway leaves its first steps
/// applied, and it must be able to run again once what failed is put right. Each step
/// that changes the schema checks first whether it has been done (a table, column,
/// index or foreign key already there, or already gone); the others run again as they
/// are (filling NULLs, altering a column). Elsewhere a failed migration left nothing
/// behind, and every step runs.
fn again(manager: &SchemaManager<'_>) -> bool {
    manager.get_database_backend() == DbBackend::MySql
}

/// MySQL: whether `table` has the foreign key `name`.
async fn has_foreign_key(
    manager: &SchemaManager<'_>,
    table: &str,
    name: &str,
) -> Result<bool, DbErr> {
    let sql = "SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS \
               WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ? \
               AND CONSTRAINT_NAME = ? AND CONSTRAINT_TYPE = 'FOREIGN KEY'";
    let statement =
        Statement::from_sql_and_values(DbBackend::MySql, sql, [table.into(), name.into()]);
    let count = manager
        .get_connection()
        .query_one_raw(statement)
        .await?
        .map(|row| row.try_get_by_index::<i64>(0))
        .transpose()?
        .unwrap_or(0);
    Ok(count > 0)
}

/// MariaDB's and MySQL 8's names for binary, no-pad `utf8mb4` collations.
async fn exact_collation(manager: &SchemaManager<'_>) -> Result<&'static str, DbErr> {
    let version = manager
        .get_connection()
        .query_one_raw(Statement::from_string(DbBackend::MySql, "SELECT VERSION()"))
        .await?
        .map(|row| row.try_get_by_index::<String>(0))
        .transpose()?
        .unwrap_or_default();
    Ok(if version.contains("MariaDB") {
        "utf8mb4_nopad_bin"
    } else {
        "utf8mb4_0900_bin"
    })
}

/// Drops `table`. SQLite would delete a table's rows one by one before it drops it, and a
/// row that another row of the same table refers to with `restrict` would stop the drop;
/// the foreign keys are off while migrations run (a `down` drops the tables that refer to
/// this one before it).
pub async fn drop_table(manager: &SchemaManager<'_>, table: &'static str) -> Result<(), DbErr> {
    if again(manager) && !manager.has_table(table).await? {
        return Ok(());
    }
    manager
        .drop_table(Table::drop().table(table).to_owned())
        .await
}

pub async fn rename_table(
    manager: &SchemaManager<'_>,
    from: &'static str,
    to: &'static str,
) -> Result<(), DbErr> {
    if again(manager) && !manager.has_table(from).await? && manager.has_table(to).await? {
        return Ok(());
    }
    manager
        .rename_table(Table::rename().table(from, to).to_owned())
        .await
}

pub async fn add_column(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: impl Into<ColumnDef>,
) -> Result<(), DbErr> {
    let column: ColumnDef = column.into();
    if again(manager) && manager.has_column(table, column.get_column_name()).await? {
        return Ok(());
    }
    let mut alter = Table::alter();
    alter.table(table).add_column(column);
    manager.alter_table(alter).await
}

pub async fn drop_column(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: &'static str,
) -> Result<(), DbErr> {
    if again(manager) && !manager.has_column(table, column).await? {
        return Ok(());
    }
    let mut alter = Table::alter();
    alter.table(table).drop_column(column);
    manager.alter_table(alter).await
}

pub async fn rename_column(
    manager: &SchemaManager<'_>,
    table: &'static str,
    from: &'static str,
    to: &'static str,
) -> Result<(), DbErr> {
    if again(manager)
        && !manager.has_column(table, from).await?
        && manager.has_column(table, to).await?
    {
        return Ok(());
    }
    let mut alter = Table::alter();
    alter.table(table).rename_column(from, to);
    manager.alter_table(alter).await
}

/// PostgreSQL and MySQL: the column takes `column`'s type, nullability and default (none
/// when `column` has none). SQLite cannot do this: its migrations rebuild the table.
pub async fn alter_column(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: impl Into<ColumnDef>,
) -> Result<(), DbErr> {
    let column: ColumnDef = column.into();
    let name = column.get_column_name();
    let has_default = column.get_column_spec().default.is_some();
    let mut alter = Table::alter();
    alter.table(table).modify_column(column);
    manager.alter_table(alter).await?;
    if !has_default && manager.get_database_backend() == DbBackend::Postgres {
        let sql = format!(
            "ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT",
            quote(DbBackend::Postgres, table),
            quote(DbBackend::Postgres, &name)
        );
        manager.get_connection().execute_unprepared(&sql).await?;
    }
    Ok(())
}

pub async fn add_foreign_key(
    manager: &SchemaManager<'_>,
    table: &'static str,
    name: &'static str,
    column: &'static str,
    target: &'static str,
    on_delete: ForeignKeyAction,
) -> Result<(), DbErr> {
    if again(manager) && has_foreign_key(manager, table, name).await? {
        return Ok(());
    }
    let mut key = TableForeignKey::new();
    key.name(name)
        .from_tbl(table)
        .from_col(column)
        .to_tbl(target)
        .to_col("id")
        .on_delete(on_delete);
    let mut alter = Table::alter();
    alter.table(table).add_foreign_key(&key);
    manager.alter_table(alter).await
}

pub async fn drop_foreign_key(
    manager: &SchemaManager<'_>,
    table: &'static str,
    name: &'static str,
) -> Result<(), DbErr> {
    if again(manager) && !has_foreign_key(manager, table, name).await? {
        return Ok(());
    }
    let mut alter = Table::alter();
    alter.table(table).drop_foreign_key(name);
    manager.alter_table(alter).await
}

pub async fn create_index(
    manager: &SchemaManager<'_>,
    table: &'static str,
    name: &'static str,
    column: &'static str,
    unique: bool,
) -> Result<(), DbErr> {
    if again(manager) && manager.has_index(table, name).await? {
        return Ok(());
    }
    manager
        .create_index(index(table, name, column, unique))
        .await
}

pub async fn drop_index(
    manager: &SchemaManager<'_>,
    table: &'static str,
    name: &'static str,
) -> Result<(), DbErr> {
    if again(manager) && !manager.has_index(table, name).await? {
        return Ok(());
    }
    manager
        .drop_index(Index::drop().name(name).table(table).to_owned())
        .await
}

/// Gives `value` to the rows where `column` is NULL, before it becomes required.
pub async fn fill_nulls(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: &'static str,
    value: impl Into<Value>,
) -> Result<(), DbErr> {
    let update = Query::update()
        .table(table)
        .value(column, value.into())
        .and_where(Expr::col(column).is_null())
        .to_owned();
    manager.execute(update).await
}

/// Cuts the values of `column` longer than `length` characters, before it narrows.
pub async fn truncate(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: &'static str,
    length: u32,
) -> Result<(), DbErr> {
    let backend = manager.get_database_backend();
    let (table, column) = (quote(backend, table), quote(backend, column));
    let length_fn = match backend {
        DbBackend::MySql => "CHAR_LENGTH",
        _ => "LENGTH",
    };
    let sql = format!(
        "UPDATE {table} SET {column} = SUBSTR({column}, 1, {length}) \
         WHERE {length_fn}({column}) > {length}"
    );
    manager.get_connection().execute_unprepared(&sql).await?;
    Ok(())
}

/// Gives the rows whose `column` holds one of `values` (enum values no longer allowed)
/// the value `with` (NULL for `None`).
pub async fn replace_values(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: &'static str,
    values: &[&'static str],
    with: Option<&'static str>,
) -> Result<(), DbErr> {
    let update = Query::update()
        .table(table)
        .value(column, with)
        .and_where(Expr::col(column).is_in(values.iter().copied()))
        .to_owned();
    manager.execute(update).await
}

/// SQLite only: makes the table `def` describes out of the table of that name, keeping
/// every row, the values of every column the two share, and the table's AUTOINCREMENT
/// counter (an id deleted before is never given again). The steps SQLite documents (a
/// new table, copy, drop, rename, indexes), inside the migration's transaction, with the
/// foreign keys off as they are while migrations run ([`Atomic`] checks them before it
/// commits).
///
/// `removes` names the columns and indexes of the table that this migration removes.
/// Any other column, index or trigger the table has and `def` lacks (one a migration of
/// your own added) would be lost: the rebuild refuses, naming them, and changes nothing.
pub async fn rebuild_table(
    manager: &SchemaManager<'_>,
    def: TableDef,
    removes: &[&str],
) -> Result<(), DbErr> {
    rebuild_keeping(manager, def, Some(removes)).await
}

/// The rebuild that migrations written by an earlier apigen call: [`rebuild_table`],
/// dropping without a word every column and index `def` lacks (a trigger is still
/// refused).
pub async fn rebuild(manager: &SchemaManager<'_>, def: TableDef) -> Result<(), DbErr> {
    rebuild_keeping(manager, def, None).await
}

async fn rebuild_keeping(
    manager: &SchemaManager<'_>,
    def: TableDef,
    removes: Option<&[&str]>,
) -> Result<(), DbErr> {
    let table = def.name.to_owned();
    let conn = manager.get_connection();
    if pragma(conn, "PRAGMA foreign_keys").await?.first() != Some(&"0".to_owned()) {
        return Err(DbErr::Custom(format!(
            "rebuilding {table} needs foreign keys off: run migrations through \
             `migrations::up` and `migrations::down`"
        )));
    }
    let old_columns = pragma(
        conn,
        &format!("SELECT name FROM pragma_table_info('{table}')"),
    )
    .await?;
    let new_columns: Vec<String> = def
        .table
        .get_columns()
        .iter()
        .map(|column| column.get_column_name())
        .collect();
    let triggers = pragma(
        conn,
        &format!("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '{table}'"),
    )
    .await?;
    let mut unknown: Vec<String> = triggers.iter().map(|t| format!("trigger {t}")).collect();
    if let Some(removes) = removes {
        // Indexes SQLite makes itself (`sqlite_autoindex_...`) have no SQL.
        let indexes = pragma(
            conn,
            &format!(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}' \
                 AND sql IS NOT NULL"
            ),
        )
        .await?;
        let lost = |name: &String, kept: &[&str]| {
            !kept.contains(&name.as_str()) && !removes.contains(&name.as_str())
        };
        let columns: Vec<&str> = new_columns.iter().map(String::as_str).collect();
        unknown.extend(
            old_columns
                .iter()
                .filter(|c| lost(c, &columns))
                .map(|c| format!("column {c}")),
        );
        unknown.extend(
            indexes
                .iter()
                .filter(|i| lost(i, &def.index_names))
                .map(|i| format!("index {i}")),
        );
    }
    if !unknown.is_empty() {
        return Err(DbErr::Migration(format!(
            "rebuilding {table} would drop its {}, which apigen did not make: drop them \
             in a migration of your own before this one, and make them again after it \
             (nothing was changed)",
            unknown.join(", ")
        )));
    }
    let counter = autoincrement_counter(conn, &table).await?;
    let temporary = format!("{table}_apigen_rebuild");
    let mut create = def.table.clone();
    create.table(temporary.clone());
    manager.create_table(create).await?;
    let shared: Vec<String> = new_columns
        .iter()
        .filter(|name| old_columns.contains(name))
        .map(|name| quote(DbBackend::Sqlite, name))
        .collect();
    let shared = shared.join(", ");
    let (old, new) = (
        quote(DbBackend::Sqlite, &table),
        quote(DbBackend::Sqlite, &temporary),
    );
    conn.execute_unprepared(&format!(
        "INSERT INTO {new} ({shared}) SELECT {shared} FROM {old}"
    ))
    .await?;
    manager
        .drop_table(Table::drop().table(table.clone()).to_owned())
        .await?;
    manager
        .rename_table(Table::rename().table(temporary, table.clone()).to_owned())
        .await?;
    if let Some(counter) = counter {
        // The new table counts from its highest id: it must go on from the old one's.
        let forget = format!("DELETE FROM sqlite_sequence WHERE name = '{table}'");
        conn.execute_unprepared(&forget).await?;
        let keep = format!("INSERT INTO sqlite_sequence (name, seq) VALUES ('{table}', {counter})");
        conn.execute_unprepared(&keep).await?;
    }
    for index in def.indexes {
        manager.create_index(index).await?;
    }
    Ok(())
}

/// The AUTOINCREMENT counter of `table` (the highest id it ever gave), if it has one.
async fn autoincrement_counter<C: ConnectionTrait>(
    conn: &C,
    table: &str,
) -> Result<Option<i64>, DbErr> {
    let exists = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'";
    if pragma(conn, exists).await?.is_empty() {
        return Ok(None);
    }
    let seq = format!("SELECT seq FROM sqlite_sequence WHERE name = '{table}'");
    Ok(pragma(conn, &seq)
        .await?
        .first()
        .and_then(|seq| seq.parse().ok()))
}

/// Before every other step of a migration that makes `column` unique: no value of it is
/// held twice in `table`, or the migration fails here, having changed nothing, and says
/// what to do (on MySQL, which commits each schema change by itself, the unique index
/// failing after earlier steps would have left them applied).
pub async fn check_unique(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: &'static str,
) -> Result<(), DbErr> {
    let backend = manager.get_database_backend();
    let (quoted_table, quoted) = (quote(backend, table), quote(backend, column));
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT {quoted} FROM {quoted_table} WHERE {quoted} IS NOT NULL \
         GROUP BY {quoted} HAVING COUNT(*) > 1) AS repeated"
    );
    let repeated = manager
        .get_connection()
        .query_one_raw(Statement::from_string(backend, sql))
        .await?
        .and_then(|row| row.try_get_by_index::<i64>(0).ok())
        .unwrap_or(0);
    if repeated == 0 {
        return Ok(());
    }
    Err(DbErr::Migration(format!(
        "{table}.{column} becomes unique, but {repeated} of its values are held by more \
         than one row: make them distinct, then run the migration again (nothing was changed)"
    )))
}

/// The first column of every row `sql` answers, as text.
async fn pragma<C: ConnectionTrait>(conn: &C, sql: &str) -> Result<Vec<String>, DbErr> {
    let rows = conn
        .query_all_raw(Statement::from_string(DbBackend::Sqlite, sql))
        .await?;
    rows.iter()
        .map(|row| {
            row.try_get_by_index::<String>(0)
                .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
        })
        .collect()
}

fn quote(backend: DbBackend, name: &str) -> String {
    match backend {
        DbBackend::MySql => format!("`{}`", name.replace('`', "``")),
        _ => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}

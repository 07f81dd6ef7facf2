// {{ header }} Do not edit: apigen writes it.
//! The steps the migrations are made of. Each works on PostgreSQL, MySQL and SQLite alike, except
//! where SQLite cannot alter a table in place: there a migration rebuilds the table
//! ([`rebuild`]), copying every row.

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::prelude::*;

/// A table as a migration creates it: its definition and its indexes.
pub struct TableDef {
    name: &'static str,
    table: TableCreateStatement,
    indexes: Vec<IndexCreateStatement>,
}

impl TableDef {
    /// The table `name` that `table` creates.
    pub fn new(name: &'static str, table: TableCreateStatement) -> TableDef {
        TableDef {
            name,
            table,
            indexes: Vec::new(),
        }
    }

    /// Adds the index `name` on `column`.
    pub fn index(&mut self, name: &'static str, column: &'static str, unique: bool) {
        let index = index(self.name, name, column, unique);
        self.indexes.push(index);
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
    if manager.get_database_backend() == DbBackend::MySql {
        let collation = exact_collation(manager).await?;
        table.character_set("utf8mb4").collate(collation);
    }
    manager.create_table(table).await?;
    for index in def.indexes {
        manager.create_index(index).await?;
    }
    Ok(())
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

/// Drops `table`. SQLite deletes a table's rows one by one before it drops it, so a row
/// that another row of the same table refers to with `restrict` would stop the drop: on
/// SQLite the foreign keys are off for it (a `down` drops the tables that refer to this
/// one before it).
pub async fn drop_table(manager: &SchemaManager<'_>, table: &'static str) -> Result<(), DbErr> {
    let drop = Table::drop().table(table).to_owned();
    if manager.get_database_backend() != DbBackend::Sqlite {
        return manager.drop_table(drop).await;
    }
    let db = manager.get_connection();
    db.execute_unprepared("PRAGMA foreign_keys = OFF").await?;
    let dropped = manager.drop_table(drop).await;
    db.execute_unprepared("PRAGMA foreign_keys = ON").await?;
    dropped
}

pub async fn rename_table(
    manager: &SchemaManager<'_>,
    from: &'static str,
    to: &'static str,
) -> Result<(), DbErr> {
    manager
        .rename_table(Table::rename().table(from, to).to_owned())
        .await
}

pub async fn add_column(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: impl Into<ColumnDef>,
) -> Result<(), DbErr> {
    let mut alter = Table::alter();
    alter.table(table).add_column(column.into());
    manager.alter_table(alter).await
}

pub async fn drop_column(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: &'static str,
) -> Result<(), DbErr> {
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
    manager
        .create_index(index(table, name, column, unique))
        .await
}

pub async fn drop_index(
    manager: &SchemaManager<'_>,
    table: &'static str,
    name: &'static str,
) -> Result<(), DbErr> {
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
/// every row and the values of every column the two share. The steps SQLite documents
/// (foreign keys off, a new table, copy, drop, rename, indexes, a foreign key check), in
/// one transaction. Foreign keys are a setting of the connection, so migrations must run
/// on a single connection (`db::migrate` opens one); this fails, changing nothing, if not.
pub async fn rebuild(manager: &SchemaManager<'_>, def: TableDef) -> Result<(), DbErr> {
    let db = manager.get_connection();
    db.execute_unprepared("PRAGMA foreign_keys = OFF").await?;
    let rebuilt = rebuild_without_foreign_keys(manager, def).await;
    db.execute_unprepared("PRAGMA foreign_keys = ON").await?;
    rebuilt
}

async fn rebuild_without_foreign_keys(
    manager: &SchemaManager<'_>,
    def: TableDef,
) -> Result<(), DbErr> {
    let table = def.name.to_owned();
    let txn = manager.begin().await?;
    let conn = txn.get_connection();
    if pragma(conn, "PRAGMA foreign_keys").await?.first() != Some(&"0".to_owned()) {
        return Err(DbErr::Custom(format!(
            "rebuilding {table} needs foreign keys off on the migration's connection: \
             run migrations on a pool of one connection"
        )));
    }
    let old_columns = pragma(
        conn,
        &format!("SELECT name FROM pragma_table_info('{table}')"),
    )
    .await?;
    let temporary = format!("{table}_apigen_rebuild");
    let mut create = def.table.clone();
    create.table(temporary.clone());
    txn.create_table(create).await?;
    let shared: Vec<String> = def
        .table
        .get_columns()
        .iter()
        .map(|column| column.get_column_name())
        .filter(|name| old_columns.contains(name))
        .map(|name| quote(DbBackend::Sqlite, &name))
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
    txn.drop_table(Table::drop().table(table.clone()).to_owned())
        .await?;
    txn.rename_table(Table::rename().table(temporary, table.clone()).to_owned())
        .await?;
    for index in def.indexes {
        txn.create_index(index).await?;
    }
    let broken = pragma(conn, "PRAGMA foreign_key_check").await?;
    if !broken.is_empty() {
        // Dropping `txn` rolls everything back.
        return Err(DbErr::Custom(format!(
            "rebuilding {table} would break foreign keys of: {}",
            broken.join(", ")
        )));
    }
    txn.commit().await
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

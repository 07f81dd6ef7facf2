// {{ header }}
// Do not edit: add routes in src/hooks/.
//! The generated routes of every resource, plus yours from src/hooks/.
use axum::Json;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use sea_orm::sqlx::query::Query;
use sea_orm::sqlx::{self, AssertSqlSafe, IntoArguments};
use sea_orm::{
    ColumnTrait, Condition, ConnAcquireErr, ConnectionTrait, DatabaseConnection,
    DatabaseConnectionType, DatabaseTransaction, DbBackend, DbErr, EntityTrait,
    FromQueryResult, Iterable, PrimaryKeyToColumn, QueryFilter, QueryResult, QuerySelect,
    QueryTrait, RuntimeErr, Select, Statement, TransactionTrait, Value, Values,
};
use sea_query_sqlx::SqlxValues;
use serde::Serialize;

use crate::app::AppState;
use crate::error::{ApiError, ApiResult};
use crate::hooks;

{% for module in plan.sorted_routes_modules() %}¶
pub mod {{ module }};
{% endfor %}¶

/// Every resource's routes, to be nested under `{{ plan.base_path }}/`.
pub fn router() -> Router<AppState> {
    Router::new()
{% if plan.auth.is_some() %}¶
        .merge(auth::router())
{% endif %}¶
{% for r in plan.resources %}¶
        .merge({{ r.routes_module }}::router())
        .merge(hooks::{{ r.module }}::routes())
{% endfor %}¶
}

/// A read of one row by its id whose SQL is written once. The first read builds
/// `visible().filter(id).one()`'s statement and keeps it; later reads on the same database
/// only put their id into a copy of its values, so the hot path builds no query. `visible`
/// must not depend on the request (soft deletes may; a caller's rules are checked on the
/// row).
#[derive(Debug, Default)]
pub struct FindById(OnceLock<Statement>);

/// What a [`FindById`] read runs on: the pool, or a transaction.
pub trait Reader: ConnectionTrait {
    /// The pool, when the read runs on it rather than in a transaction.
    fn pool(&self) -> Option<&DatabaseConnection>;
}

impl Reader for DatabaseConnection {
    fn pool(&self) -> Option<&DatabaseConnection> {
        Some(self)
    }
}

impl Reader for DatabaseTransaction {
    fn pool(&self) -> Option<&DatabaseConnection> {
        None
    }
}

/// The id the kept statement is built with, replaced by each read's own.
const UNSET_ID: i64 = i64::MIN;

impl FindById {
    pub const fn new() -> Self {
        Self(OnceLock::new())
    }

    /// Row `id` of `visible()`, or `None`. On the pool the read goes straight to its sqlx
    /// pool ([`fetch_optional`]); in a transaction it goes through SeaORM.
    pub async fn one<E: EntityTrait>(
        &self,
        db: &impl Reader,
        visible: fn() -> Select<E>,
        id: i64,
    ) -> Result<Option<E::Model>, DbErr> {
        let statement = self.statement(db.get_database_backend(), visible);
        let unset = Value::BigInt(Some(UNSET_ID));
        let mut values = statement.values.clone().unwrap_or(Values(Vec::new()));
        for value in values.0.iter_mut().filter(|value| **value == unset) {
            *value = Value::BigInt(Some(id));
        }
        let row = match db.pool() {
            Some(pool) => fetch_optional(pool, &statement.sql, values).await?,
            None => {
                let backend = statement.db_backend;
                let sql = statement.sql.clone();
                let statement = Statement::from_sql_and_values(backend, sql, values);
                db.query_one_raw(statement).await?
            }
        };
        row.map(|row| E::Model::from_query_result(&row, "")).transpose()
    }

    /// The kept statement, or for a database other than the one it was kept for, a new one.
    fn statement<E: EntityTrait>(
        &self,
        backend: DbBackend,
        visible: fn() -> Select<E>,
    ) -> Cow<'_, Statement> {
        let build = || {
            let by_id = E::PrimaryKey::iter().map(|key| key.into_column().eq(UNSET_ID));
            let by_id = by_id.fold(Condition::all(), Condition::add);
            visible().filter(by_id).limit(1).build(backend)
        };
        let kept = self.0.get_or_init(build);
        if kept.db_backend == backend {
            Cow::Borrowed(kept)
        } else {
            Cow::Owned(build())
        }
    }
}

/// Runs a read of at most one row on the sqlx pool SeaORM holds, as SeaORM's
/// `query_one_raw` does (the same SQL, the same cache of prepared statements on each
/// connection, the same errors), but without SeaORM's per-query span and its large future.
/// The read runs in sqlx's own boxed future, so the handler's future, which axum moves
/// into a box of its own, stays small.
async fn fetch_optional(
    db: &DatabaseConnection,
    sql: &str,
    values: Values,
) -> Result<Option<QueryResult>, DbErr> {
    let row = match &db.inner {
        #[cfg(feature = "postgres")]
        DatabaseConnectionType::SqlxPostgresPoolConnection(_) => {
            let pool = db.get_postgres_connection_pool();
            let row = query(sql, values).fetch_optional(pool).await;
            row.map_err(sqlx_error)?.map(QueryResult::from)
        }
        #[cfg(feature = "mysql")]
        DatabaseConnectionType::SqlxMySqlPoolConnection(_) => {
            let pool = db.get_mysql_connection_pool();
            let row = query(sql, values).fetch_optional(pool).await;
            row.map_err(sqlx_error)?.map(QueryResult::from)
        }
        #[cfg(feature = "sqlite")]
        DatabaseConnectionType::SqlxSqlitePoolConnection(_) => {
            let pool = db.get_sqlite_connection_pool();
            let row = query(sql, values).fetch_optional(pool).await;
            row.map_err(sqlx_error)?.map(QueryResult::from)
        }
        _ => {
            let backend = db.get_database_backend();
            let statement = Statement::from_sql_and_values(backend, sql, values);
            db.query_one_raw(statement).await?
        }
    };
    Ok(row)
}

/// Begins a write transaction on the pool, as `db.begin()` does, but on the driver's own
/// pool: SeaORM's `begin` on `DatabaseConnection` puts another layer of future around it,
/// and moving that one costs each write about 15 KB of copies. Boxed, so that the
/// handler's future stays small.
///
/// On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken at the start, waiting up to
/// the busy timeout for another writer to finish. A deferred transaction that reads
/// first and writes later could not wait at that point: SQLite would answer "database is
/// locked" at once.
pub async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    match &db.inner {
        #[cfg(feature = "postgres")]
        DatabaseConnectionType::SqlxPostgresPoolConnection(pool) => {
            Box::pin(pool.begin(None, None)).await
        }
        #[cfg(feature = "mysql")]
        DatabaseConnectionType::SqlxMySqlPoolConnection(pool) => {
            Box::pin(pool.begin(None, None)).await
        }
        #[cfg(feature = "sqlite")]
        DatabaseConnectionType::SqlxSqlitePoolConnection(pool) => {
            let immediate = Some(sea_orm::SqliteTransactionMode::Immediate);
            Box::pin(pool.begin(None, None, immediate)).await
        }
        _ => db.begin().await,
    }
}

/// `sql` with its `values`, as SeaORM binds them.
fn query<DB>(sql: &str, values: Values) -> Query<'_, DB, SqlxValues>
where
    DB: sqlx::Database,
    SqlxValues: IntoArguments<DB>,
{
    sqlx::query_with(AssertSqlSafe(sql), SqlxValues(values))
}

/// An sqlx error as SeaORM reports it: a pool that is exhausted or closed answers 503.
fn sqlx_error(error: sqlx::Error) -> DbErr {
    match error {
        sqlx::Error::PoolTimedOut => DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
        sqlx::Error::PoolClosed => DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed),
        error => DbErr::Query(RuntimeErr::SqlxError(Arc::new(error))),
    }
}

/// Answers 409 naming `field` unless row `id` is among `parents`: the parent's rows the
/// caller may read (soft-deleted ones left out), or `Err` when the parent's list rule
/// admits no row for the caller. A row the caller may not read answers like a missing
/// one: the answer tells nothing of rows the caller cannot see.
pub async fn ensure_parent<E: EntityTrait>(
    db: &impl ConnectionTrait,
    parents: ApiResult<Select<E>>,
    id: i64,
    field: &str,
) -> ApiResult<()> {
    let Ok(parents) = parents else {
        return Err(ApiError::missing_parent(field));
    };
    let by_id = E::PrimaryKey::iter().map(|key| key.into_column().eq(id));
    let by_id = by_id.fold(Condition::all(), Condition::add);
    match parents.filter(by_id).one(db).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::missing_parent(field)),
    }
}

/// Ends a request's transaction: commits it when `result` is a success, and rolls it
/// back otherwise, so that no connection goes back to the pool inside a transaction.
pub async fn finish<T>(txn: DatabaseTransaction, result: ApiResult<T>) -> ApiResult<T> {
    match result {
        Ok(value) => {
            txn.commit().await?;
            Ok(value)
        }
        Err(err) => {
            if let Err(rollback) = txn.rollback().await {
                tracing::error!(error = %rollback, "rollback failed");
            }
            Err(err)
        }
    }
}

/// 201 with the new row and its `Location`.
pub struct Created<T> {
    pub location: String,
    pub body: T,
}

impl<T: Serialize> IntoResponse for Created<T> {
    fn into_response(self) -> Response {
        let location = [(header::LOCATION, self.location)];
        (StatusCode::CREATED, location, Json(self.body)).into_response()
    }
}

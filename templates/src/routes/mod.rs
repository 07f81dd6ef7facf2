// {{ header }}
// Do not edit: add routes in src/hooks/.
//! The generated routes of every resource, plus yours from src/hooks/.
use axum::Json;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::OnceLock;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    FromQueryResult, Iterable, PrimaryKeyToColumn, QueryFilter, QuerySelect, QueryTrait,
    Select, Statement, Value,
};
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
/// only put their id into a copy, so the hot path builds no query. `visible` must not
/// depend on the request (soft deletes may; a caller's rules are checked on the row).
#[derive(Debug, Default)]
pub struct FindById(OnceLock<Statement>);

/// The id the kept statement is built with, replaced by each read's own.
const UNSET_ID: i64 = i64::MIN;

impl FindById {
    pub const fn new() -> Self {
        Self(OnceLock::new())
    }

    /// Row `id` of `visible()`, or `None`.
    pub async fn one<E: EntityTrait>(
        &self,
        db: &impl ConnectionTrait,
        visible: fn() -> Select<E>,
        id: i64,
    ) -> Result<Option<E::Model>, DbErr> {
        let backend = db.get_database_backend();
        let mut statement = match self.0.get() {
            Some(kept) if kept.db_backend == backend => kept.clone(),
            _ => {
                let by_id = E::PrimaryKey::iter().map(|key| key.into_column().eq(UNSET_ID));
                let by_id = by_id.fold(Condition::all(), Condition::add);
                let built = visible().filter(by_id).limit(1).build(backend);
                // Another request may have kept its own first: both are the same.
                let _ = self.0.set(built.clone());
                built
            }
        };
        let unset = Value::BigInt(Some(UNSET_ID));
        for value in statement.values.iter_mut().flat_map(|values| values.0.iter_mut()) {
            if *value == unset {
                *value = Value::BigInt(Some(id));
            }
        }
        match db.query_one_raw(statement).await? {
            Some(row) => E::Model::from_query_result(&row, "").map(Some),
            None => Ok(None),
        }
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

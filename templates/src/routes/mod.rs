// {{ header }} Do not edit: add routes in src/hooks/.
//! The generated routes of every resource, plus yours from src/hooks/.
use axum::Json;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PrimaryKeyTrait, QueryFilter,
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

/// Answers 409 naming `field` unless the row `id` of `E` exists, and, for a soft-deleted
/// `E`, has no `deleted_at`.
pub async fn ensure_parent<E>(
    db: &impl ConnectionTrait,
    id: i64,
    field: &str,
    deleted_at: Option<E::Column>,
) -> ApiResult<()>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let mut parent = E::find_by_id(id);
    if let Some(deleted_at) = deleted_at {
        parent = parent.filter(deleted_at.is_null());
    }
    match parent.one(db).await? {
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

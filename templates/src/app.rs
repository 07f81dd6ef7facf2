// {{ header }} Do not edit: add routes in src/hooks/.
{% if plan.auth.is_some() %}¶
use std::sync::Arc;

{% endif %}¶
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::{Value, json};

{% if plan.auth.is_some() %}¶
use crate::auth::Auth;
{% endif %}¶
use crate::error::ApiError;
use crate::{openapi, routes};

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: DatabaseConnection,
{% if plan.auth.is_some() %}¶
    /// Token keys and the login rate limit.
    pub auth: Arc<Auth>,
{% endif %}¶
}

{% if plan.auth.is_some() %}¶
/// The whole API: `/health`, `/openapi.json`, `/docs`, and every resource under `{{ plan.base_path }}`. Serve it with
/// `into_make_service_with_connect_info::<SocketAddr>()`: the login rate limit
/// counts attempts per client address.
{% else %}¶
/// The whole API: `/health`, `/openapi.json`, `/docs`, and every resource under `{{ plan.base_path }}`.
{% endif %}¶
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
{% if plan.base_path.is_empty() %}¶
        .merge(routes::router())
{% else %}¶
        .nest("{{ plan.base_path }}", routes::router())
{% endif %}¶
        .merge(openapi::explorer())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

/// 200 when the database answers a query, 503 otherwise.
async fn health(State(state): State<AppState>) -> Result<axum::Json<Value>, ApiError> {
    match state.db.execute_unprepared("SELECT 1").await {
        Ok(_) => Ok(axum::Json(json!({ "status": "ok" }))),
        Err(err) => {
            tracing::error!(error = %err, "health check failed");
            let detail = "the database does not answer";
            Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, detail))
        }
    }
}

async fn not_found() -> ApiError {
    ApiError::not_found()
}

async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}

// {{ header }}
// Do not edit: add routes in src/hooks/.
{% if plan.auth.is_some() %}¶
use std::sync::Arc;

{% endif %}¶
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::routing::get;
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};

{% if plan.auth.is_some() %}¶
use crate::auth::Auth;
{% endif %}¶
use crate::config::HttpConfig;
use crate::error::ApiError;
use crate::{db, middleware, openapi, routes};

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: DatabaseConnection,
{% if plan.auth.is_some() %}¶
    /// Token keys and the login rate limit.
    pub auth: Arc<Auth>,
{% endif %}¶
}

/// The whole API: `/health`, `/ready`, `/openapi.json`, `/docs`, and every resource under
/// `{{ plan.base_path }}`, inside the layers of src/middleware.rs. Serve it with
/// `into_make_service_with_connect_info::<SocketAddr>()`: rate limits count requests
/// per client address.
pub fn router(state: AppState, http: &HttpConfig) -> Router {
    let app = Router::new()
        .route("/health", get(health))
        .route("/ready", get(ready))
{% if plan.base_path.is_empty() %}¶
        .merge(routes::router())
{% else %}¶
        .nest("{{ plan.base_path }}", routes::router())
{% endif %}¶
        .merge(openapi::explorer())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state);
    middleware::wrap(app, http)
}

/// Liveness: 200 while the process serves requests. It does not ask the database, so
/// that an outage of the database does not get every replica restarted.
async fn health() -> axum::Json<Value> {
    axum::Json(json!({ "status": "ok" }))
}

/// Readiness: 200 when the database answers and every migration is applied, 503
/// otherwise, so that a load balancer sends traffic only where it can be served.
async fn ready(State(state): State<AppState>) -> Result<axum::Json<Value>, ApiError> {
    let unavailable = |detail: String| {
        let retry = HeaderValue::from_static("5");
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, detail)
            .with_header(header::RETRY_AFTER, retry)
    };
    match db::pending_migrations(&state.db).await {
        Ok(0) => Ok(axum::Json(json!({ "status": "ready" }))),
        Ok(pending) => {
            let detail = format!("{pending} migrations are not applied yet");
            Err(unavailable(detail))
        }
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            Err(unavailable("the database does not answer".to_owned()))
        }
    }
}

async fn not_found() -> ApiError {
    ApiError::not_found()
}

async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}

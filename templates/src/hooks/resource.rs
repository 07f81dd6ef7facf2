// Yours: written once by apigen and never overwritten.
//! Your code around the generated {{ r.words }} routes.
use axum::Router;

use super::Hooks;
use crate::app::AppState;
use crate::entities::{{ r.module }};

/// Hooks around the generated {{ r.words }} handlers: override any method of [`Hooks`].
pub struct {{ r.hooks_type }};

impl Hooks for {{ r.hooks_type }} {
    type Entity = {{ r.module }}::Entity;
}

/// Your own routes, served under `{{ plan.base_path }}/` next to the generated ones.
pub fn routes() -> Router<AppState> {
    Router::new()
}

// {{ header }}
// Do not edit: change apigen.toml instead.
//! What every resource's route and model files use, in one place: each ends its `use`
//! lines with `use crate::prelude::*;` and names only what is its resource's own (its
//! entity, hooks and models). A name a file defines itself wins over one from here.
pub use axum::extract::State;
pub use axum::http::StatusCode;
pub use axum::middleware::from_fn_with_state;
pub use axum::routing::{get, put};
pub use axum::{Json, Router};
pub use sea_orm::ActiveModelBehavior;
pub use sea_orm::ActiveValue::Set;
pub use sea_orm::sea_query::SelectStatement;
pub use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection};
pub use sea_orm::{DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
pub use sea_orm::{QuerySelect, QueryTrait, Select, TransactionTrait};
pub use serde::{Deserialize, Serialize};
pub use utoipa::openapi::path::{Parameter, ParameterIn};
pub use utoipa::{IntoParams, OpenApi, ToSchema};

pub use crate::app::AppState;
{% if plan.auth.is_some() %}¶
pub use crate::auth::{Access, Admitted, Caller, Guarded, Rule, changes, may_write, op};
{% endif %}¶
{% if plan.auth.is_some() %}¶
pub use crate::entities::user::UserRole;
{% endif %}¶
pub use crate::error::{ApiError, ApiResult};
pub use crate::extract::{self, Id, LinkIds};
pub use crate::hooks::Hooks;
pub use crate::middleware::revalidate;
pub use crate::patch::Patch;
pub use crate::query::{Field, Includes, Kind, ListParams, ListQuery, Page, PageLinks};
pub use crate::query::{by_id, include_parameter};
pub use crate::routes::{Created, ensure_parent, finish};
{% if plan.needs_regex %}¶
pub use crate::validation::compile_pattern;
{% endif %}¶
pub use crate::validation::{Errors, ReadOnly};

// The value types of the field types.
{% for item in plan.value_type_uses() %}¶
pub {{ crate::layout::use_item(item) }}
{% endfor %}¶

// {{ header }}
// Do not edit: change apigen.toml, or use src/hooks/user.rs.
{% if plan.registration_open() %}¶
//! The built-in User: no `POST`, registration is `POST {{ plan.base_path }}/auth/register`.
{% else %}¶
//! The built-in User: no `POST`; registration is closed, the binary's `create-user` makes users.
{% endif %}¶
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use sea_orm::{ActiveEnum, ActiveModelTrait, ActiveValue, DatabaseConnection};
use sea_orm::{DatabaseTransaction, EntityTrait, IntoActiveModel, Select};
{% if r.is_parent %}¶
use sea_orm::ConnectionTrait;
{% endif %}¶
{% if r.filters_by_column() %}¶
use sea_orm::{ColumnTrait, QueryFilter};
{% endif %}¶
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::{IntoParams, OpenApi};

use super::finish;
use crate::app::AppState;
{% if !r.guards_writes() %}¶
use crate::auth::{self, Access, Admitted, Caller, Guarded, Password, Rule, op};
{% else %}¶
use crate::auth::{
    self, Access, Admitted, Caller, Guarded, Password, Rule, changes, may_write, op,
};
{% endif %}¶
use crate::entities::user;
use crate::entities::user::UserRole;
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Id};
use crate::hooks::Hooks;
use crate::hooks::user::UserHooks;
use crate::models::user::{PatchUser, ReplaceUser, User, UserPage, set_password};
use crate::query::{Field, Kind, ListParams, ListQuery};

const LIST_PATH: &str = "/users";
const ITEM_PATH: &str = "/users/{id}";

{% include "partials/access.rs" %}¶

{{ crate::layout::doc_comment(r.list_fields_doc().as_str(), 0) }}
pub(crate) const FIELDS: &[Field<user::Column>] = &[
{% for f in r.list_fields() %}¶
    Field::{{ f.constructor() }}(
        "{{ f.name }}",
        {{ r.module }}::Column::{{ f.variant }},
        {{ crate::render::filter_kind(f.filter) }},
    ),
{% endfor %}¶
];

/// What `?include=` embeds in a user: nothing.
pub(crate) const INCLUDES: &[&str] = &[];

{% include "partials/openapi_api.rs" %}¶

/// `GET /users`, `GET PUT PATCH DELETE /users/{id}`.
pub fn router() -> Router<AppState> {
    let list_routes = get(list);
    let item_routes = get(read).put(replace).patch(update).delete(delete);
    Router::new()
        .route(LIST_PATH, list_routes)
        .route(ITEM_PATH, item_routes)
}

/// The rows a request can see.
pub(crate) fn visible() -> Select<user::Entity> {
    user::Entity::find()
}
{% include "partials/guarded_find.rs" %}¶

{{ crate::render::path_attr(plan.operation(r, "list"))? }}
async fn list(
    State(state): State<AppState>,
    Admitted(caller, _): Allowed<op::List>,
    params: ListParams,
) -> ApiResult<Json<UserPage>> {
    let query = params.parse(state.db.get_database_backend(), FIELDS, INCLUDES)?;
    let rows = listable(caller.as_ref());
    page_of(&state.db, caller.as_ref(), &query, rows).await
}

{% include "partials/page_of.rs" %}¶
{% if r.readable %}¶

{% include "partials/readable.rs" %}¶
{% endif %}¶
{% if r.is_parent %}¶

{% include "partials/ensure_visible.rs" %}¶
{% endif %}¶

{{ crate::render::path_attr(plan.operation(r, "read"))? }}
async fn read(
    State(state): State<AppState>,
    Admitted(caller, _): Allowed<op::Get>,
    Id(id): Id,
) -> ApiResult<Json<User>> {
    let model = find(&state.db, id, ACCESS.get, caller.as_ref()).await?;
    Ok(Json(User::from(model)))
}

{{ crate::render::path_attr(plan.operation(r, "replace"))? }}
async fn replace(
    State(state): State<AppState>,
    Admitted(caller, _): Allowed<op::Update>,
    Id(id): Id,
    extract::Json(mut input): extract::Json<ReplaceUser>,
) -> ApiResult<Json<User>> {
    input.validate()?;
    let password = input.take_password();
    let apply = |row: &mut user::ActiveModel| input.apply(row);
    save(&state, id, caller.as_ref(), password, apply).await
}

{{ crate::render::path_attr(plan.operation(r, "update"))? }}
async fn update(
    State(state): State<AppState>,
    Admitted(caller, _): Allowed<op::Update>,
    Id(id): Id,
    extract::Json(mut input): extract::Json<PatchUser>,
) -> ApiResult<Json<User>> {
    input.validate()?;
    let password = input.take_password();
    let apply = |row: &mut user::ActiveModel| input.apply(row);
    save(&state, id, caller.as_ref(), password, apply).await
}

/// Hashes a new password, if one was sent (before the transaction: hashing is slow),
/// then changes row `id` with `apply` and the new hash, in one transaction.
async fn save(
    state: &AppState,
    id: i64,
    caller: Option<&Caller>,
    password: Option<Password>,
    apply: impl FnOnce(&mut user::ActiveModel),
) -> ApiResult<Json<User>> {
    let password_hash = match password {
        Some(password) => Some(state.auth.hash(password).await?),
        None => None,
    };
    let txn = super::begin(&state.db).await?;
    let edit = |row: &mut user::ActiveModel| {
        apply(row);
        set_password(row, password_hash);
    };
    let result = change(&txn, id, caller, edit).await;
    let model = finish(txn, result).await?;
    Ok(Json(User::from(model)))
}

/// Loads row `id`, lets `edit` change it, and saves it through the update hooks. A new
/// role or password ends the user's other sessions (all of them, unless the caller is
/// that user).
async fn change(
    txn: &DatabaseTransaction,
    id: i64,
    caller: Option<&Caller>,
    edit: impl FnOnce(&mut user::ActiveModel),
) -> ApiResult<user::Model> {
    let found = find(txn, id, ACCESS.update, caller).await?;
    within_rank(caller, found.role, "change this user")?;
    let before = (found.role, found.password_hash.clone());
{% if !r.guards_writes() %}¶
    let mut row = found.into_active_model();
    edit(&mut row);
{% else %}¶
    let mut row = found.clone().into_active_model();
    edit(&mut row);
    check_changes(&row, &found, caller)?;
{% endif %}¶
    if let ActiveValue::Set(role) = row.role {
        within_rank(caller, role, "give this role")?;
    }
    UserHooks::before_update_as(txn, caller, &mut row).await?;
    let model = row.update(txn).await?;
    if (model.role, &model.password_hash) != (before.0, &before.1) {
        auth::end_other_sessions(txn, id, caller).await?;
    }
    UserHooks::after_update_as(txn, caller, &model).await?;
    Ok(model)
}

{{ crate::render::path_attr(plan.operation(r, "delete"))? }}
async fn delete(
    State(state): State<AppState>,
    Admitted(caller, _): Allowed<op::Delete>,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    let txn = super::begin(&state.db).await?;
    let result = remove(&txn, id, caller.as_ref()).await;
    finish(txn, result).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn remove(txn: &DatabaseTransaction, id: i64, caller: Option<&Caller>) -> ApiResult<()> {
    let model = find(txn, id, ACCESS.delete, caller).await?;
    within_rank(caller, model.role, "delete this user")?;
    UserHooks::before_delete_as(txn, caller, &model).await?;
    user::Entity::delete_by_id(id)
        .exec(txn)
        .await
        .map_err(ApiError::from_delete)?;
    UserHooks::after_delete_as(txn, caller, &model).await
}

/// Whatever `access` opens, nobody reaches above their own role: a caller changes or
/// deletes only users of their role or below, and gives no role above it (the last role
/// passes); 403 naming both roles otherwise.
fn within_rank(caller: Option<&Caller>, role: UserRole, what: &str) -> ApiResult<()> {
    let caller = caller.ok_or_else(ApiError::unauthorized)?;
    if caller.role >= role {
        return Ok(());
    }
    let (role, yours) = (role.to_value(), caller.role.to_value());
    let detail = format!("you cannot {what}: the role {role} is above yours ({yours})");
    Err(ApiError::new(StatusCode::FORBIDDEN, detail))
}

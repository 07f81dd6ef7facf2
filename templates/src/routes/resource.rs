// {{ header }} Do not edit: change apigen.toml, or use src/hooks/{{ r.module }}.rs.
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
{% if r.owner.is_some() %}¶
use sea_orm::ActiveValue::Set;
{% endif %}¶
use sea_orm::{ActiveModelTrait, IntoActiveModel, QueryFilter, QueryOrder};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait};
use sea_orm::{PaginatorTrait, Select, TransactionTrait};

{% if r.has_checked_relations() %}¶
use super::{Created, ensure_parent, finish};
{% else %}¶
use super::{Created, finish};
{% endif %}¶
use crate::app::AppState;
{% if r.access.is_some() %}¶
use crate::auth::{Access, Admitted, Caller, Guarded, Rule, op};
{% endif %}¶
{% for line in r.entities_imports() %}¶
{{ line }}
{% endfor %}¶
use crate::error::{ApiError, ApiResult};
use crate::extract::{self, Id, Query};
use crate::hooks::Hooks;
use crate::hooks::{{ r.module }}::{{ r.hooks_type }};
{{ r.models_import() }}
use crate::pagination::{Page, PageParams};

const LIST_PATH: &str = "/{{ r.plural }}";
const ITEM_PATH: &str = "/{{ r.plural }}/{id}";
{% if let Some(access) = r.access %}¶

{% include "partials/access.rs" %}¶
{% endif %}¶

/// `GET POST /{{ r.plural }}`, `GET PUT PATCH DELETE /{{ r.plural }}/{id}`.
pub fn router() -> Router<AppState> {
    let list_routes = get(list).post(create);
    let item_routes = get(read).put(replace).patch(update).delete(delete);
    Router::new()
        .route(LIST_PATH, list_routes)
        .route(ITEM_PATH, item_routes)
}

{% if r.soft_delete %}¶
/// The rows a request can see: not soft-deleted.
fn visible() -> Select<{{ r.module }}::Entity> {
    let live = {{ r.module }}::Column::DeletedAt.is_null();
    {{ r.module }}::Entity::find().filter(live)
}
{% else %}¶
/// The rows a request can see.
fn visible() -> Select<{{ r.module }}::Entity> {
    {{ r.module }}::Entity::find()
}
{% endif %}¶
{% if r.access.is_some() %}¶
{% include "partials/guarded_find.rs" %}¶

async fn list(
    State(state): State<AppState>,
    Admitted(caller, _): Allowed<op::List>,
    Query(params): Query<PageParams>,
) -> ApiResult<Json<Page<{{ r.name }}>>> {
    let page = params.page()?;
    let per_page = params.per_page()?;
    let query = listable(caller.as_ref()).order_by_asc({{ r.module }}::Column::Id);
{% else %}¶

async fn find(db: &impl ConnectionTrait, id: i64) -> ApiResult<{{ r.module }}::Model> {
    let by_id = {{ r.module }}::Column::Id.eq(id);
    let row = visible().filter(by_id).one(db).await?;
    row.ok_or_else(ApiError::not_found)
}

async fn list(
    State(state): State<AppState>,
    Query(params): Query<PageParams>,
) -> ApiResult<Json<Page<{{ r.name }}>>> {
    let page = params.page()?;
    let per_page = params.per_page()?;
    let query = visible().order_by_asc({{ r.module }}::Column::Id);
{% endif %}¶
    let paginator = query.paginate(&state.db, per_page);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page - 1).await?;
    let data = rows.into_iter().map({{ r.name }}::from).collect();
    Ok(Json(Page {
        data,
        page,
        per_page,
        total,
    }))
}

async fn create(
    State(state): State<AppState>,
{% if r.owner.is_some() %}¶
    Admitted(caller, _): Allowed<op::Create>,
{% else if r.access.is_some() %}¶
    Admitted(_caller, _): Allowed<op::Create>,
{% endif %}¶
    extract::Json(input): extract::Json<{{ r.create_type }}>,
) -> ApiResult<Created<{{ r.name }}>> {
    input.validate()?;
{% if r.owner.is_some() %}¶
    let mut row = input.into_active_model();
    claim(&mut row, caller.as_ref())?;
    let txn = state.db.begin().await?;
    let result = insert(&txn, row).await;
{% else %}¶
    let txn = state.db.begin().await?;
    let result = insert(&txn, input.into_active_model()).await;
{% endif %}¶
    let model = finish(txn, result).await?;
    Ok(Created {
        location: format!("{{ plan.base_path }}{LIST_PATH}/{}", model.id),
        body: {{ r.name }}::from(model),
    })
}

{{ r.insert_signature() }}
    {{ r.hooks_type }}::before_create(txn, &mut row).await?;
{% if r.has_checked_relations() %}¶
    check_parents(txn, &row).await?;
{% endif %}¶
    let model = row.insert(txn).await?;
    {{ r.hooks_type }}::after_create(txn, &model).await?;
    Ok(model)
}

{% if r.access.is_some() %}¶
async fn read(
    State(state): State<AppState>,
    Admitted(caller, _): Allowed<op::Get>,
    Id(id): Id,
) -> ApiResult<Json<{{ r.name }}>> {
    let model = find(&state.db, id, ACCESS.get, caller.as_ref()).await?;
    Ok(Json({{ r.name }}::from(model)))
}

async fn replace(
    State(state): State<AppState>,
    Admitted(caller, _): Allowed<op::Update>,
    Id(id): Id,
    extract::Json(input): extract::Json<{{ r.replace_type }}>,
) -> ApiResult<Json<{{ r.name }}>> {
    input.validate()?;
    let txn = state.db.begin().await?;
    let result = change(&txn, id, caller.as_ref(), |row| input.apply(row)).await;
    let model = finish(txn, result).await?;
    Ok(Json({{ r.name }}::from(model)))
}

async fn update(
    State(state): State<AppState>,
    Admitted(caller, _): Allowed<op::Update>,
    Id(id): Id,
    extract::Json(input): extract::Json<{{ r.patch_type }}>,
) -> ApiResult<Json<{{ r.name }}>> {
    input.validate()?;
    let txn = state.db.begin().await?;
    let result = change(&txn, id, caller.as_ref(), |row| input.apply(row)).await;
    let model = finish(txn, result).await?;
    Ok(Json({{ r.name }}::from(model)))
}

/// Loads row `id`, lets `edit` change it, and saves it through the update hooks.
async fn change(
    txn: &DatabaseTransaction,
    id: i64,
    caller: Option<&Caller>,
    edit: impl FnOnce(&mut {{ r.module }}::ActiveModel),
) -> ApiResult<{{ r.module }}::Model> {
    let mut row = find(txn, id, ACCESS.update, caller)
        .await?
        .into_active_model();
{% else %}¶
{{ r.read_signature() }}
    let model = find(&state.db, id).await?;
    Ok(Json({{ r.name }}::from(model)))
}

async fn replace(
    State(state): State<AppState>,
    Id(id): Id,
    extract::Json(input): extract::Json<{{ r.replace_type }}>,
) -> ApiResult<Json<{{ r.name }}>> {
    input.validate()?;
    let txn = state.db.begin().await?;
    let result = change(&txn, id, |row| input.apply(row)).await;
    let model = finish(txn, result).await?;
    Ok(Json({{ r.name }}::from(model)))
}

async fn update(
    State(state): State<AppState>,
    Id(id): Id,
    extract::Json(input): extract::Json<{{ r.patch_type }}>,
) -> ApiResult<Json<{{ r.name }}>> {
    input.validate()?;
    let txn = state.db.begin().await?;
    let result = change(&txn, id, |row| input.apply(row)).await;
    let model = finish(txn, result).await?;
    Ok(Json({{ r.name }}::from(model)))
}

/// Loads row `id`, lets `edit` change it, and saves it through the update hooks.
{{ r.change_signature() }}
    let mut row = find(txn, id).await?.into_active_model();
{% endif %}¶
    edit(&mut row);
    {{ r.hooks_type }}::before_update(txn, &mut row).await?;
{% if r.has_checked_relations() %}¶
    check_parents(txn, &row).await?;
{% endif %}¶
    let model = row.update(txn).await?;
    {{ r.hooks_type }}::after_update(txn, &model).await?;
    Ok(model)
}

{% if r.access.is_some() %}¶
async fn delete(
    State(state): State<AppState>,
    Admitted(caller, _): Allowed<op::Delete>,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    let txn = state.db.begin().await?;
    let result = remove(&txn, id, caller.as_ref()).await;
    finish(txn, result).await?;
    Ok(StatusCode::NO_CONTENT)
}
{% else %}¶
async fn delete(State(state): State<AppState>, Id(id): Id) -> ApiResult<StatusCode> {
    let txn = state.db.begin().await?;
    let result = remove(&txn, id).await;
    finish(txn, result).await?;
    Ok(StatusCode::NO_CONTENT)
}
{% endif %}¶

{% if r.soft_delete %}¶
/// Soft delete: the row stays, with `deleted_at` set, and reads no longer see it.
{% endif %}¶
{% if r.access.is_some() %}¶
async fn remove(txn: &DatabaseTransaction, id: i64, caller: Option<&Caller>) -> ApiResult<()> {
    let model = find(txn, id, ACCESS.delete, caller).await?;
{% else %}¶
async fn remove(txn: &DatabaseTransaction, id: i64) -> ApiResult<()> {
    let model = find(txn, id).await?;
{% endif %}¶
    {{ r.hooks_type }}::before_delete(txn, &model).await?;
{% if r.soft_delete %}¶
    let mut row = model.clone().into_active_model();
    row.mark_deleted();
    row.update(txn).await?;
{% else %}¶
    {{ r.module }}::Entity::delete_by_id(id)
        .exec(txn)
        .await
        .map_err(ApiError::from_delete)?;
{% endif %}¶
    {{ r.hooks_type }}::after_delete(txn, &model).await
}
{% if r.has_checked_relations() %}¶

/// Answers 409 naming the field when a belongs_to id points at no row. The database
/// refuses such a row as well, but SQLite's error does not say which field is wrong.
{{ r.check_parents_signature() }}
{% for rel in r.checked_relations() %}¶
    if let {{ rel.set_pattern() }} = row.{{ rel.column_ident }} {
        ensure_parent::<{{ rel.target_entity_in_routes() }}>(db, id, "{{ rel.column }}").await?;
    }
{% endfor %}¶
    Ok(())
}
{% endif %}¶

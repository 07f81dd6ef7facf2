// {{ header }}
// Do not edit: change apigen.toml, or use src/hooks/{{ r.snake() }}.rs.
{% for item in r.route_uses(plan) %}¶
{{ crate::layout::use_item(item) }}
{% endfor %}¶
use crate::prelude::*;

const LIST_PATH: &str = "/{{ r.plural }}";
const ITEM_PATH: &str = "/{{ r.plural }}/{id}";
{% for list in r.child_lists %}¶
{{ crate::layout::const_str(format!("{}_PATH", list.handler.to_uppercase()).as_str(), list.path.as_str()) }}
{% endfor %}¶
{% for link in r.links %}¶
{{ crate::layout::const_str(format!("LINKS_{}_PATH", link.snake.to_uppercase()).as_str(), link.list_path.as_str()) }}
{{ crate::layout::const_str(format!("LINK_{}_PATH", link.snake.to_uppercase()).as_str(), link.item_path.as_str()) }}
{% endfor %}¶
{% if let Some(access) = r.access %}¶

{% include "partials/access.rs" %}¶
{% endif %}¶

{{ crate::layout::doc_comment(r.list_fields_doc().as_str(), 0) }}
pub(crate) const FIELDS: &[Field<{{ r.module }}::Column>] = &[
{% for f in r.list_fields() %}¶
    Field::{{ f.constructor() }}(
        "{{ f.name }}",
        {{ r.module }}::Column::{{ f.variant }},
        {{ crate::render::filter_kind(f.filter) }},
    ),
{% endfor %}¶
];

/// What `?include=` embeds in {{ r.a_words_lower() }}.
pub(crate) const INCLUDES: &[&str] = &[
{% for name in r.include_names() %}¶
    {{ crate::names::rust_string_literal(name) }},
{% endfor %}¶
];

{% include "partials/openapi_api.rs" %}¶
{% if r.has_includes() %}¶

/// The query parameter of a read of {{ r.a_words_lower() }}: `?include=`.
pub(crate) struct {{ r.name }}IncludeQuery;

impl IntoParams for {{ r.name }}IncludeQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![include_parameter(INCLUDES)]
    }
}
{% endif %}¶

{{ crate::layout::doc_comment(r.routes_summary().as_str(), 0) }}
pub fn router() -> Router<AppState> {
{% if let Some(seconds) = r.cache_seconds() %}¶
    // Anonymous answers to public reads may be cached {{ seconds }} s (`cache` in apigen.toml).
    let cache = from_fn_with_state({{ seconds }}, revalidate);
{% endif %}¶
{% if r.cache_list.is_some() && r.cache_get.is_some() %}¶
    let list_routes = get(list).layer(cache.clone()).post(create);
{% else if r.cache_list.is_some() %}¶
    let list_routes = get(list).layer(cache).post(create);
{% else %}¶
    let list_routes = get(list).post(create);
{% endif %}¶
{% if r.cache_get.is_some() %}¶
    let item_routes = get(read)
        .layer(cache)
        .put(replace)
        .patch(update)
        .delete(delete);
{% else %}¶
    let item_routes = get(read).put(replace).patch(update).delete(delete);
{% endif %}¶
{% for link in r.links %}¶
    let {{ link.snake }}_link_routes = put(link_{{ link.snake }}).delete(unlink_{{ link.snake }});
{% endfor %}¶
    Router::new()
        .route(LIST_PATH, list_routes)
        .route(ITEM_PATH, item_routes)
{% for list in r.child_lists %}¶
        .route({{ list.handler.to_uppercase() }}_PATH, get({{ list.handler }}))
{% endfor %}¶
{% for link in r.links %}¶
        .route(LINKS_{{ link.snake.to_uppercase() }}_PATH, get(list_{{ link.snake }}))
        .route(LINK_{{ link.snake.to_uppercase() }}_PATH, {{ link.snake }}_link_routes)
{% endfor %}¶
}

{% if r.soft_delete %}¶
/// The rows a request can see: not soft-deleted.
pub(crate) fn visible() -> Select<{{ r.module }}::Entity> {
    let live = {{ r.module }}::Column::DeletedAt.is_null();
    {{ r.module }}::Entity::find().filter(live)
}
{% else %}¶
/// The rows a request can see.
pub(crate) fn visible() -> Select<{{ r.module }}::Entity> {
    {{ r.module }}::Entity::find()
}
{% endif %}¶
{% if r.access.is_some() %}¶
{% include "partials/guarded_find.rs" %}¶

{{ crate::render::path_attr(plan.operation(r, "list"))? }}
async fn list(
    State(state): State<AppState>,
    Admitted(caller, _): Allowed<op::List>,
    params: ListParams,
) -> ApiResult<Json<{{ r.page_type() }}>> {
    let query = params.parse(state.db.get_database_backend(), FIELDS, INCLUDES)?;
    let rows = listable(caller.as_ref());
    page_of(&state.db, caller.as_ref(), &query, rows).await
}
{% else %}¶

async fn find(db: &impl super::Reader, id: i64) -> ApiResult<{{ r.module }}::Model> {
    static BY_ID: super::FindById = super::FindById::new();
    let row = BY_ID.one(db, visible, id).await?;
    row.ok_or_else(ApiError::not_found)
}

{{ crate::render::path_attr(plan.operation(r, "list"))? }}
async fn list(
    State(state): State<AppState>,
    params: ListParams,
) -> ApiResult<Json<{{ r.page_type() }}>> {
    let query = params.parse(state.db.get_database_backend(), FIELDS, INCLUDES)?;
    page_of(&state.db, &query, visible()).await
}
{% endif %}¶
{% for list in r.child_lists %}¶

/// `GET {{ list.path }}`: the {{ r.plural_words() }} of one {{ list.parent_words }}, with the queries of a list.
{{ crate::render::path_attr(plan.operation(r, list.handler))? }}
async fn {{ list.handler }}(
    State(state): State<AppState>,
{% if r.access.is_some() %}¶
    Admitted(caller, _): Allowed<op::List>,
{% endif %}¶
    Id(id): Id,
    params: ListParams,
) -> ApiResult<Json<{{ r.page_type() }}>> {
    let query = params.parse(state.db.get_database_backend(), FIELDS, INCLUDES)?;
    super::{{ list.parent_routes }}::ensure_visible(&state.db, id).await?;
{% if r.access.is_some() %}¶
    let rows = listable(caller.as_ref()).filter({{ r.module }}::Column::{{ list.variant }}.eq(id));
    page_of(&state.db, caller.as_ref(), &query, rows).await
{% else %}¶
    let rows = visible().filter({{ r.module }}::Column::{{ list.variant }}.eq(id));
    page_of(&state.db, &query, rows).await
{% endif %}¶
}
{% endfor %}¶

{% include "partials/page_of.rs" %}¶
{% if r.readable %}¶

{% include "partials/readable.rs" %}¶
{% endif %}¶
{% if r.is_parent %}¶

{% include "partials/ensure_visible.rs" %}¶
{% endif %}¶
{% for link in r.links %}¶

{% include "partials/link_routes.rs" %}¶
{% endfor %}¶

{{ crate::render::path_attr(plan.operation(r, "create"))? }}
async fn create(
    State(state): State<AppState>,
{% if r.access.is_some() %}¶
    Admitted(caller, _): Allowed<op::Create>,
{% endif %}¶
    extract::Json(input): extract::Json<{{ r.create_type }}>,
) -> ApiResult<Created<{{ r.name }}>> {
    input.validate()?;
{% if !r.create_write_checks().is_empty() %}¶
    input.check_writes(caller.as_ref())?;
{% endif %}¶
{% if r.owner.is_some() %}¶
    let mut row = input.into_active_model();
    claim(&mut row, caller.as_ref())?;
    let txn = super::begin(&state.db).await?;
    let result = insert(&txn, row, caller.as_ref()).await;
{% else %}¶
    let txn = super::begin(&state.db).await?;
{% if r.access.is_some() %}¶
    let result = insert(&txn, input.into_active_model(), caller.as_ref()).await;
{% else %}¶
    let result = insert(&txn, input.into_active_model()).await;
{% endif %}¶
{% endif %}¶
    let model = finish(txn, result).await?;
    Ok(Created {
        location: format!("{{ plan.base_path }}{LIST_PATH}/{}", model.id),
        body: {{ r.name }}::from(model),
    })
}

async fn insert(
    txn: &DatabaseTransaction,
    mut row: {{ r.module }}::ActiveModel,
{% if r.access.is_some() %}¶
    caller: Option<&Caller>,
{% endif %}¶
) -> ApiResult<{{ r.module }}::Model> {
{% if r.access.is_some() %}¶
    {{ r.hooks_type }}::before_create_as(txn, caller, &mut row).await?;
{% else %}¶
    {{ r.hooks_type }}::before_create(txn, &mut row).await?;
{% endif %}¶
{% if r.checks_parent_reads() %}¶
    check_parents(txn, &row, caller).await?;
{% else if r.has_checked_relations() %}¶
    check_parents(txn, &row).await?;
{% endif %}¶
    let model = row.insert(txn).await?;
{% if r.access.is_some() %}¶
    {{ r.hooks_type }}::after_create_as(txn, caller, &model).await?;
{% else %}¶
    {{ r.hooks_type }}::after_create(txn, &model).await?;
{% endif %}¶
    Ok(model)
}

{% if r.access.is_some() %}¶
{% if r.has_includes() %}¶
{{ crate::render::path_attr(plan.operation(r, "read"))? }}
async fn read(
    State(state): State<AppState>,
    Admitted(caller, _): Allowed<op::Get>,
    Id(id): Id,
    params: ListParams,
) -> ApiResult<Json<{{ r.name }}>> {
    let include = params.includes_only(INCLUDES)?;
    let model = find(&state.db, id, ACCESS.get, caller.as_ref()).await?;
    let mut row = {{ r.name }}::from(model);
    let rows = std::slice::from_mut(&mut row);
    embed(&state.db, caller.as_ref(), &include, rows).await?;
    Ok(Json(row))
}
{% else %}¶
{{ crate::render::path_attr(plan.operation(r, "read"))? }}
async fn read(
    State(state): State<AppState>,
    Admitted(caller, _): Allowed<op::Get>,
    Id(id): Id,
) -> ApiResult<Json<{{ r.name }}>> {
    let model = find(&state.db, id, ACCESS.get, caller.as_ref()).await?;
    Ok(Json({{ r.name }}::from(model)))
}
{% endif %}¶
{% else %}¶
{% if r.has_includes() %}¶
{{ crate::render::path_attr(plan.operation(r, "read"))? }}
async fn read(
    State(state): State<AppState>,
    Id(id): Id,
    params: ListParams,
) -> ApiResult<Json<{{ r.name }}>> {
    let include = params.includes_only(INCLUDES)?;
    let model = find(&state.db, id).await?;
    let mut row = {{ r.name }}::from(model);
    embed(&state.db, &include, std::slice::from_mut(&mut row)).await?;
    Ok(Json(row))
}
{% else %}¶
{{ crate::render::path_attr(plan.operation(r, "read"))? }}
async fn read(
    State(state): State<AppState>,
    Id(id): Id,
) -> ApiResult<Json<{{ r.name }}>> {
    let model = find(&state.db, id).await?;
    Ok(Json({{ r.name }}::from(model)))
}
{% endif %}¶
{% endif %}¶

{{ crate::render::path_attr(plan.operation(r, "replace"))? }}
async fn replace(
    State(state): State<AppState>,
{% if r.access.is_some() %}¶
    Admitted(caller, _): Allowed<op::Update>,
{% endif %}¶
    Id(id): Id,
    extract::Json(input): extract::Json<{{ r.replace_type }}>,
) -> ApiResult<Json<{{ r.name }}>> {
    input.validate()?;
    let txn = super::begin(&state.db).await?;
{% if r.access.is_some() %}¶
    let result = change(&txn, id, caller.as_ref(), |row| input.apply(row)).await;
{% else %}¶
    let result = change(&txn, id, |row| input.apply(row)).await;
{% endif %}¶
    let model = finish(txn, result).await?;
    Ok(Json({{ r.name }}::from(model)))
}

{{ crate::render::path_attr(plan.operation(r, "update"))? }}
async fn update(
    State(state): State<AppState>,
{% if r.access.is_some() %}¶
    Admitted(caller, _): Allowed<op::Update>,
{% endif %}¶
    Id(id): Id,
    extract::Json(input): extract::Json<{{ r.patch_type }}>,
) -> ApiResult<Json<{{ r.name }}>> {
    input.validate()?;
    let txn = super::begin(&state.db).await?;
{% if r.access.is_some() %}¶
    let result = change(&txn, id, caller.as_ref(), |row| input.apply(row)).await;
{% else %}¶
    let result = change(&txn, id, |row| input.apply(row)).await;
{% endif %}¶
    let model = finish(txn, result).await?;
    Ok(Json({{ r.name }}::from(model)))
}

{% if r.access.is_some() %}¶
/// Loads row `id`, lets `edit` change it, and saves it through the update hooks.
async fn change(
    txn: &DatabaseTransaction,
    id: i64,
    caller: Option<&Caller>,
    edit: impl FnOnce(&mut {{ r.module }}::ActiveModel),
) -> ApiResult<{{ r.module }}::Model> {
{% if !r.guards_writes() %}¶
    let mut row = find(txn, id, ACCESS.update, caller)
        .await?
        .into_active_model();
    edit(&mut row);
{% else %}¶
    let stored = find(txn, id, ACCESS.update, caller).await?;
    let mut row = stored.clone().into_active_model();
    edit(&mut row);
    check_changes(&row, &stored, caller)?;
{% endif %}¶
{% else %}¶
/// Loads row `id`, lets `edit` change it, and saves it through the update hooks.
async fn change(
    txn: &DatabaseTransaction,
    id: i64,
    edit: impl FnOnce(&mut {{ r.module }}::ActiveModel),
) -> ApiResult<{{ r.module }}::Model> {
    let mut row = find(txn, id).await?.into_active_model();
    edit(&mut row);
{% endif %}¶
{% if r.access.is_some() %}¶
    {{ r.hooks_type }}::before_update_as(txn, caller, &mut row).await?;
{% else %}¶
    {{ r.hooks_type }}::before_update(txn, &mut row).await?;
{% endif %}¶
{% if r.checks_parent_reads() %}¶
    check_parents(txn, &row, caller).await?;
{% else if r.has_checked_relations() %}¶
    check_parents(txn, &row).await?;
{% endif %}¶
    let model = row.update(txn).await?;
{% if r.access.is_some() %}¶
    {{ r.hooks_type }}::after_update_as(txn, caller, &model).await?;
{% else %}¶
    {{ r.hooks_type }}::after_update(txn, &model).await?;
{% endif %}¶
    Ok(model)
}

{% if r.access.is_some() %}¶
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
{% else %}¶
{{ crate::render::path_attr(plan.operation(r, "delete"))? }}
async fn delete(State(state): State<AppState>, Id(id): Id) -> ApiResult<StatusCode> {
    let txn = super::begin(&state.db).await?;
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
{% if r.access.is_some() %}¶
    {{ r.hooks_type }}::before_delete_as(txn, caller, &model).await?;
{% else %}¶
    {{ r.hooks_type }}::before_delete(txn, &model).await?;
{% endif %}¶
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
{% if r.access.is_some() %}¶
    {{ r.hooks_type }}::after_delete_as(txn, caller, &model).await
{% else %}¶
    {{ r.hooks_type }}::after_delete(txn, &model).await
{% endif %}¶
}
{% if r.has_checked_relations() %}¶

{% if r.checks_parent_reads() %}¶
/// Answers 409 naming the field when a belongs_to id points at no row, at a deleted one,
/// or at one the caller may not read (the parent's list rule and owner): a child never
/// joins a parent its caller cannot see. The database refuses a missing row as well,
/// but SQLite's error does not say which field is wrong.
{% else %}¶
/// Answers 409 naming the field when a belongs_to id points at no row, or at a deleted
/// one. The database refuses a missing row as well, but SQLite's error does not say which
/// field is wrong, and no database knows a soft-deleted row from a live one.
{% endif %}¶
async fn check_parents(
    db: &impl ConnectionTrait,
    row: &{{ r.module }}::ActiveModel,
{% if r.checks_parent_reads() %}¶
    caller: Option<&Caller>,
{% endif %}¶
) -> ApiResult<()> {
{% for rel in r.checked_relations() %}¶
{% if rel.optional %}¶
    if let sea_orm::ActiveValue::Set(Some(id)) = row.{{ rel.column_ident }} {
{% else %}¶
    if let sea_orm::ActiveValue::Set(id) = row.{{ rel.column_ident }} {
{% endif %}¶
{% if rel.target_is_user %}¶
        let users = Ok({{ rel.target_module }}::Entity::find());
        ensure_parent(db, users, id, "{{ rel.column }}").await?;
{% else if r.access.is_some() %}¶
        let readable = super::{{ rel.target_routes }}::readable(caller);
        ensure_parent(db, readable, id, "{{ rel.column }}").await?;
{% else %}¶
        let readable = Ok(super::{{ rel.target_routes }}::readable());
        ensure_parent(db, readable, id, "{{ rel.column }}").await?;
{% endif %}¶
    }
{% endfor %}¶
    Ok(())
}
{% endif %}¶

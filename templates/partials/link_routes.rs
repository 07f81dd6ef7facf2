{# The routes of many_to_many field `link` of resource `r`. #}¶
/// `GET {{ link.list_path }}`: the {{ link.target_routes }} linked to {{ r.a_words_lower() }}, with the queries of a list.
{{ crate::render::path_attr(plan.link_operation(r, "list", link))? }}
async fn list_{{ link.snake }}(
    State(state): State<AppState>,
{% if r.access.is_some() %}¶
    Admitted(caller, _): Allowed<op::Get>,
{% endif %}¶
    Id(id): Id,
    params: ListParams,
) -> ApiResult<Json<{{ link.target }}Page>> {
    let (fields, includes) = (super::{{ link.target_routes }}::FIELDS, super::{{ link.target_routes }}::INCLUDES);
    let query = params.parse(state.db.get_database_backend(), fields, includes)?;
{% if r.access.is_some() %}¶
    find(&state.db, id, ACCESS.get, caller.as_ref()).await?;
    let linked = {{ link.target_module }}::Column::Id.in_subquery(linked_{{ link.snake }}(id));
    let rows = super::{{ link.target_routes }}::readable(caller.as_ref())?.filter(linked);
    super::{{ link.target_routes }}::page_of(&state.db, caller.as_ref(), &query, rows).await
{% else %}¶
    find(&state.db, id).await?;
    let linked = {{ link.target_module }}::Column::Id.in_subquery(linked_{{ link.snake }}(id));
    let rows = super::{{ link.target_routes }}::readable().filter(linked);
    super::{{ link.target_routes }}::page_of(&state.db, &query, rows).await
{% endif %}¶
}

/// `PUT {{ link.item_path }}`: links {{ link.target_words }} `{{ link.param }}` to {{ r.a_words_lower() }};
/// linking them again changes nothing.
{{ crate::render::path_attr(plan.link_operation(r, "link", link))? }}
async fn link_{{ link.snake }}(
    State(state): State<AppState>,
{% if r.access.is_some() %}¶
    Admitted(caller, _): Allowed<op::Update>,
{% endif %}¶
    LinkIds(id, {{ link.param }}): LinkIds,
) -> ApiResult<StatusCode> {
{% if r.access.is_some() %}¶
    find(&state.db, id, ACCESS.update, caller.as_ref()).await?;
    let target = super::{{ link.target_routes }}::readable(caller.as_ref())?
{% else %}¶
    find(&state.db, id).await?;
    let target = super::{{ link.target_routes }}::readable()
{% endif %}¶
        .filter({{ link.target_module }}::Column::Id.eq({{ link.param }}))
        .one(&state.db)
        .await?;
    if target.is_none() {
        return Err(ApiError::no_linked_row("{{ link.param }}", {{ link.param }}));
    }
    use crate::entities::{{ link.join_module }} as link_table;
    let link = link_table::ActiveModel {
        {{ link.owner_column }}: Set(id),
        {{ link.target_column }}: Set({{ link.param }}),
    };
    link_table::Entity::insert(link)
        .on_conflict_do_nothing()
        .exec_without_returning(&state.db)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE {{ link.item_path }}`: unlinks {{ link.target_words }} `{{ link.param }}` from {{ r.a_words_lower() }};
/// 204 whether or not they were linked.
{{ crate::render::path_attr(plan.link_operation(r, "unlink", link))? }}
async fn unlink_{{ link.snake }}(
    State(state): State<AppState>,
{% if r.access.is_some() %}¶
    Admitted(caller, _): Allowed<op::Update>,
{% endif %}¶
    LinkIds(id, {{ link.param }}): LinkIds,
) -> ApiResult<StatusCode> {
{% if r.access.is_some() %}¶
    find(&state.db, id, ACCESS.update, caller.as_ref()).await?;
{% else %}¶
    find(&state.db, id).await?;
{% endif %}¶
    use crate::entities::{{ link.join_module }} as link_table;
    link_table::Entity::delete_many()
        .filter(link_table::Column::{{ link.owner_variant }}.eq(id))
        .filter(link_table::Column::{{ link.target_variant }}.eq({{ link.param }}))
        .exec(&state.db)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The ids of the {{ link.target_routes }} linked to {{ r.a_words_lower() }} `id`, as a subquery.
fn linked_{{ link.snake }}(id: i64) -> SelectStatement {
    use crate::entities::{{ link.join_module }} as link_table;
    link_table::Entity::find()
        .select_only()
        .column(link_table::Column::{{ link.target_variant }})
        .filter(link_table::Column::{{ link.owner_variant }}.eq(id))
        .into_query()
}
{# end #}¶

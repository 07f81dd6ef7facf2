{# Answering a list of resource `r`, and embedding what `?include=` names. #}¶
/// Answers a list: the page of `rows` that `query` asks for{% if r.has_includes() %}, with its includes{% endif %}.
pub(crate) async fn page_of(
    db: &DatabaseConnection,
{% if r.access.is_some() && r.has_includes() %}¶
    caller: Option<&Caller>,
{% else if r.access.is_some() %}¶
    _caller: Option<&Caller>,
{% endif %}¶
    query: &ListQuery<{{ r.module }}::Column>,
    rows: Select<{{ r.module }}::Entity>,
) -> ApiResult<Json<{{ r.page_type() }}>> {
{% if r.has_includes() %}¶
    let mut page = query.fetch(db, rows).await?.map({{ r.name }}::from);
{% if r.access.is_some() %}¶
    embed(db, caller, query.include(), &mut page.data).await?;
{% else %}¶
    embed(db, query.include(), &mut page.data).await?;
{% endif %}¶
    Ok(Json(page))
{% else %}¶
    Ok(Json(query.fetch(db, rows).await?.map({{ r.name }}::from)))
{% endif %}¶
}
{% if r.has_includes() %}¶

/// Embeds what `?include=` names into `rows`: one query per relation (two for a
/// many_to_many one), whatever the number of rows.
async fn embed(
    db: &DatabaseConnection,
{% if r.access.is_some() %}¶
    caller: Option<&Caller>,
{% endif %}¶
    include: &Includes,
    rows: &mut [{{ r.name }}],
) -> ApiResult<()> {
{% for i in r.includes %}¶
    if include.has("{{ i.name }}") {
{% if let Some(link) = i.link %}¶
        use crate::entities::{{ link.join_module }} as link_table;
        let ids = rows.iter().map(|row| row.id);
        let by_owner = link_table::Column::{{ link.owner_variant }}.is_in(ids);
        let links = link_table::Entity::find()
            .filter(by_owner)
            .order_by_asc(link_table::Column::{{ link.target_variant }})
            .all(db)
            .await?;
        let linked = links.iter().map(|link| link.{{ link.target_column }});
{% include "partials/readable_include.rs" %}¶
        let found = by_id(db, readable, linked, {{ i.target }}::from).await?;
        for row in rows.iter_mut() {
            let mine = links.iter().filter(|link| link.{{ link.owner_column }} == row.id);
            let targets = mine.filter_map(|link| found.get(&link.{{ link.target_column }}));
            row.{{ i.ident }} = Some(targets.cloned().collect());
        }
{% else %}¶
{% if i.optional %}¶
        let ids = rows.iter().filter_map(|row| row.{{ i.column_ident }});
{% else %}¶
        let ids = rows.iter().map(|row| row.{{ i.column_ident }});
{% endif %}¶
{% include "partials/readable_include.rs" %}¶
        let found = by_id(db, readable, ids, {{ i.target }}::from).await?;
        for row in rows.iter_mut() {
{% if i.optional %}¶
            let parent = row.{{ i.column_ident }}.and_then(|id| found.get(&id));
{% else %}¶
            let parent = found.get(&row.{{ i.column_ident }});
{% endif %}¶
            row.{{ i.ident }} = parent.cloned().map(Box::new);
        }
{% endif %}¶
    }
{% endfor %}¶
    Ok(())
}
{% endif %}¶
{# end #}¶

{# How the routes of resource `r` find a row for a caller, and who owns it. #}¶
{% if let Some(owner) = r.owner %}¶

/// The rows a list shows `caller`: only their own, unless they have the last role.
fn listable(caller: Option<&Caller>) -> Select<{{ r.module }}::Entity> {
    let owner_column = {{ r.module }}::Column::{{ owner.column_variant }};
    match ACCESS.list_owner(caller) {
        Some(owner) => visible().filter(owner_column.eq(owner)),
        None => visible(),
    }
}

/// Who owns a row, for `owner` rules (`{{ owner.field }}` in apigen.toml).
fn owner_of(row: &{{ r.module }}::Model) -> Option<i64> {
{% if owner.optional %}¶
    row.{{ owner.ident }}
{% else %}¶
    Some(row.{{ owner.ident }})
{% endif %}¶
}
{% else %}¶

/// The rows a list shows `caller`: all of them, {{ r.name }} has no owner.
fn listable(_caller: Option<&Caller>) -> Select<{{ r.module }}::Entity> {
    visible()
}

/// Who owns a row, for `owner` rules: nobody, {{ r.name }} has no owner.
fn owner_of(_row: &{{ r.module }}::Model) -> Option<i64> {
    None
}
{% endif %}¶

/// Row `id` for `caller` under `rule`: 404 when there is none, 403 when the rule
/// is `owner` and the row is someone else's (see [`Rule::admit_row`]).
async fn find(
    db: &impl super::Reader,
    id: i64,
    rule: Rule,
    caller: Option<&Caller>,
) -> ApiResult<{{ r.module }}::Model> {
    static BY_ID: super::FindById = super::FindById::new();
    let row = BY_ID.one(db, visible, id).await?;
    let row = row.ok_or_else(ApiError::not_found)?;
    rule.admit_row(caller, owner_of(&row))?;
    Ok(row)
}
{% if let Some(owner) = r.owner %}¶

/// Makes the caller the owner of a new row whose body names none.
fn claim(
    row: &mut {{ r.module }}::ActiveModel,
    caller: Option<&Caller>,
) -> ApiResult<()> {
    let caller = caller.ok_or_else(ApiError::unauthorized)?;
    if row.{{ owner.ident }}.is_not_set() {
{% if owner.optional %}¶
        row.{{ owner.ident }} = Set(Some(caller.id));
{% else %}¶
        row.{{ owner.ident }} = Set(caller.id);
{% endif %}¶
    }
    Ok(())
}
{% endif %}¶
{% if r.guards_writes() %}¶

/// 403 naming a field `caller` may not set (`writable` in apigen.toml) that `row`
/// changes from what is `stored`: a value sent back as it is changes nothing.
fn check_changes(
    row: &{{ r.module }}::ActiveModel,
    stored: &{{ r.module }}::Model,
    caller: Option<&Caller>,
) -> ApiResult<()> {
{% for f in r.guarded_fields() %}¶
    if changes(&row.{{ f.ident }}, &stored.{{ f.ident }}) {
        may_write(caller, UserRole::{{ f.writable_role() }}, {{ crate::names::rust_string_literal(f.name.as_str()) }})?;
    }
{% endfor %}¶
    Ok(())
}
{% endif %}¶

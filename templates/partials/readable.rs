{# How other resources' routes read rows of resource `r`: includes and links. #}¶
{% if r.access.is_some() %}¶
/// The {{ r.plural_words() }} `caller` may read where another resource embeds or links them:
/// the rows their list shows, once the list's rule admits the caller.
pub(crate) fn readable(caller: Option<&Caller>) -> ApiResult<Select<{{ r.module }}::Entity>> {
    ACCESS.list.admit(caller.copied())?;
    Ok(listable(caller))
}
{% else %}¶
/// The {{ r.plural_words() }} another resource embeds or links: every visible row.
pub(crate) fn readable() -> Select<{{ r.module }}::Entity> {
    visible()
}
{% endif %}¶
{# end #}¶

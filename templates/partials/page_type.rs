{# The page type of resource `r`'s lists: the generic `Page` of its rows, and what the OpenAPI document says of it. #}¶
/// A page of {{ r.plural_words() }}, as their lists answer it.
pub type {{ r.page_type() }} = Page<{{ r.name }}>;

impl crate::query::Paged for {{ r.name }} {
    const PLURAL: &str = "{{ r.plural_words() }}";
    const LIST_PATH: &str = "{{ plan.base_path }}/{{ r.plural }}";
{% if r.is_user %}¶
    const NESTED: bool = false;
{% endif %}¶
}
{# end #}¶

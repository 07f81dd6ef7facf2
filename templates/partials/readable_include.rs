{# `readable`: the rows of include `i`'s resource the caller may see, or the refusal
   that names the relation, its rows and who may list them. #}¶
{% if r.access.is_some() && i.list_rule == "public" %}¶
        let readable = super::{{ i.target_routes }}::readable(caller)?;
{% else if r.access.is_some() %}¶
        let readable = super::{{ i.target_routes }}::readable(caller)
            .map_err(|err| {
                err.refused_include(
                    {{ crate::names::rust_string_literal(i.name.as_str()) }},
                    {{ crate::names::rust_string_literal(i.target_plural.as_str()) }},
                    {{ crate::names::rust_string_literal(i.listed_by().as_str()) }},
                )
            })?;
{% else %}¶
        let readable = super::{{ i.target_routes }}::readable();
{% endif %}¶
{# end #}¶

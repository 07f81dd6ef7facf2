{# The #[utoipa::path] of operation `op`: one item a line, each with its comma. #}¶
#[utoipa::path(
    {{ op.method }},
    path = {{ crate::layout::string_literal(op.path.as_str(), 11, 8, 1) }},
    operation_id = {{ crate::names::rust_string_literal(op.operation_id.as_str()) }},
    tag = {{ crate::names::rust_string_literal(op.tag.as_str()) }},
    summary = {{ crate::layout::string_literal(op.summary.as_str(), 14, 8, 1) }},
{% if !op.path_params.is_empty() || op.query.is_some() %}¶
    params(
{% for (name, description) in op.path_params %}¶
        {{ crate::render::path_param_entry(name, description) }},
{% endfor %}¶
{% if let Some(query) = op.query %}¶
        {{ query }},
{% endif %}¶
    ),
{% endif %}¶
{% if let Some(body) = op.body %}¶
    request_body = {{ body }},
{% endif %}¶
    responses(
{% for response in op.responses %}¶
        {{ crate::render::response_entry(response) }},
{% endfor %}¶
    ),
{% if op.secured %}¶
    security(("bearer" = [])),
{% endif %}¶
)]

{# The OpenAPI description of the routes of resource `r`, and the parameters of its lists. #}¶
/// The OpenAPI description of these routes, merged into the document by `crate::openapi`.
#[derive(OpenApi)]
#[openapi(paths(
{% for op in r.operations %}¶
    {{ op.handler }}{% if !loop.last %},{% endif %}
{% endfor %}¶
))]
pub(crate) struct Api;

/// The query parameters of a list of {{ r.plural_words() }}, as the OpenAPI document states them.
pub(crate) struct {{ r.name }}ListQuery;

impl IntoParams for {{ r.name }}ListQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
{# By its path: a many_to_many field `parameters` makes a handler of that name here. #}¶
        crate::query::list_parameters(FIELDS, INCLUDES)
    }
}
{# end #}¶

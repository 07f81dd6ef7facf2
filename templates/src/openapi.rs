// {{ header }}
// Do not edit: change apigen.toml instead.
//! The OpenAPI 3.1 document of the API, derived from the `#[utoipa::path]` of every
//! handler and the types they take and answer, so that it cannot drift from the code
//! that serves; and the interactive explorer at `GET /docs`, its files compiled in.
{% if plan.auth.is_some() %}¶
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
{% else %}¶
use utoipa::OpenApi;
{% endif %}¶
use utoipa_swagger_ui::SwaggerUi;

use crate::routes;

/// Where the document is served.
pub const DOCUMENT_PATH: &str = "/openapi.json";
/// Where the explorer is served.
pub const EXPLORER_PATH: &str = "/docs";

#[derive(OpenApi)]
{% if plan.auth.is_some() %}¶
#[openapi(
    info(
        title = "{{ plan.crate_name }}",
        version = "0.1.0",
        description = {{ crate::layout::string_literal(plan.api_description().as_str(), 22, 12, 0) }}
    ),
    // The error answer, which the shared responses name (crate::error::responses):
    // listed here, since a response type does not bring its schema into the document.
    components(schemas(crate::error::Problem)),
    servers((url = "/", description = "The server that serves this document")),
    modifiers(&BearerToken)
)]
{% else %}¶
#[openapi(
    info(
        title = "{{ plan.crate_name }}",
        version = "0.1.0",
        description = {{ crate::layout::string_literal(plan.api_description().as_str(), 22, 12, 0) }}
    ),
    // The error answer, which the shared responses name (crate::error::responses):
    // listed here, since a response type does not bring its schema into the document.
    components(schemas(crate::error::Problem)),
    servers((url = "/", description = "The server that serves this document"))
)]
{% endif %}¶
struct ApiDoc;

/// The whole document: what `GET /openapi.json` serves, and what `openapi.json`,
/// written by apigen, holds.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut document = ApiDoc::openapi();
{% if plan.auth.is_some() %}¶
    document.merge(routes::auth::Api::openapi());
{% endif %}¶
{% for r in plan.resources %}¶
    document.merge(routes::{{ r.routes_module }}::Api::openapi());
{% endfor %}¶
    mark_public_operations(&mut document);
    document
}

/// An operation that needs no token says so, `security: []`, rather than leaving a
/// reader (or a linter) to guess.
fn mark_public_operations(document: &mut utoipa::openapi::OpenApi) {
    for item in document.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            operation.security.get_or_insert_with(Vec::new);
        }
    }
}

/// `GET /openapi.json` and the explorer at `GET /docs`.
pub fn explorer() -> SwaggerUi {
    SwaggerUi::new(EXPLORER_PATH).url(DOCUMENT_PATH, document())
}
{% if plan.auth.is_some() %}¶

/// The `bearer` security scheme: the token of `POST {{ plan.base_path }}/auth/login`.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("JWT")
            .build();
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}
{% endif %}¶

// {{ header }}
// Do not edit: change apigen.toml instead.
//! The OpenAPI 3.1 document of the API, derived from the `#[utoipa::path]` of every
//! handler and the types they take and answer, so that it cannot drift from the code
//! that serves; and with the `swagger-ui` feature, the interactive explorer at
//! `GET /docs`, its files compiled in.
{% if plan.auth.is_some() %}¶
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
{% else %}¶
use utoipa::OpenApi;
{% endif %}¶
#[cfg(not(feature = "swagger-ui"))]
use axum::http::{StatusCode, header};
#[cfg(not(feature = "swagger-ui"))]
use axum::response::IntoResponse;
#[cfg(not(feature = "swagger-ui"))]
use axum::routing::get;
#[cfg(feature = "swagger-ui")]
use utoipa_swagger_ui::SwaggerUi;

#[cfg(not(feature = "swagger-ui"))]
use crate::error::ApiError;
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
#[cfg(feature = "swagger-ui")]
pub fn explorer<S: Clone + Send + Sync + 'static>() -> axum::Router<S> {
    SwaggerUi::new(EXPLORER_PATH)
        .url(DOCUMENT_PATH, document())
        .into()
}

/// `GET /openapi.json`, and at `GET /docs` a 404 that says how to build the explorer in.
#[cfg(not(feature = "swagger-ui"))]
pub fn explorer<S: Clone + Send + Sync + 'static>() -> axum::Router<S> {
    // Written once: the document does not change while the server runs.
    let json = serde_json::to_vec(&document()).unwrap_or_default();
    let json = axum::body::Bytes::from(json);
    let serve = move || {
        let json = json.clone();
        async move { ([(header::CONTENT_TYPE, "application/json")], json) }
    };
    axum::Router::new()
        .route(DOCUMENT_PATH, get(serve))
        .route(EXPLORER_PATH, get(no_explorer))
        .route("/docs/", get(no_explorer))
        .route("/docs/{*rest}", get(no_explorer))
}

#[cfg(not(feature = "swagger-ui"))]
async fn no_explorer() -> impl IntoResponse {
    let detail = "Swagger UI is not built into this server: set `swagger_ui = true` in \
                  apigen.toml's [api] and run `apigen generate`, or build with \
                  `--features swagger-ui`. The document is at /openapi.json";
    ApiError::new(StatusCode::NOT_FOUND, detail)
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

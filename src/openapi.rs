//! `openapi.json`: the generated API's OpenAPI 3.1 document, written by apigen so that
//! front ends can generate clients without building or running the server.
//!
//! The generated crate derives the same document from its own code with utoipa
//! (`src/openapi.rs` there) and serves it at `/openapi.json`; its test
//! `openapi_json_is_the_served_document` fails when the two differ. This module says
//! what utoipa says, from the same plan the generated code comes from.

mod pretty;

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use pretty::Pretty;

use crate::plan::{Body, Bound, FieldPlan, FilterKind, Operation, Plan, ResourcePlan, SchemaRule};
use crate::schema::Scalar;
use crate::schema::kind::{self, TEXT_FILTER};

/// The document's one server: wherever it is served from. The generated
/// `src/openapi.rs` says the same.
const SERVER_DESCRIPTION: &str = "The server that serves this document";

/// The document, pretty-printed, ending with a newline.
pub fn document(plan: &Plan) -> String {
    let auth_operations = plan.auth_operations();
    let operations = auth_operations
        .iter()
        .chain(plan.resources.iter().flat_map(|r| &r.operations));
    // Each path with its operations, in order; a method seen twice keeps its first place.
    let mut paths: Vec<(&str, Vec<&Operation>)> = Vec::new();
    let mut path_index: HashMap<&str, usize> = HashMap::new();
    for op in operations {
        let index = *path_index.entry(&op.path).or_insert_with(|| {
            paths.push((&op.path, Vec::new()));
            paths.len() - 1
        });
        let methods = &mut paths[index].1;
        match methods.iter_mut().find(|other| other.method == op.method) {
            Some(other) => *other = op,
            None => methods.push(op),
        }
    }
    let mut components = Map::new();
    components.insert("schemas".into(), Value::Object(schemas(plan)));
    if plan.auth.is_some() {
        components.insert(
            "securitySchemes".into(),
            json!({ "bearer": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT" } }),
        );
    }

    let mut json = Pretty::new();
    json.open('{');
    json.key("openapi");
    json.string("3.1.0");
    json.key("info");
    json.value(&json!({
        "title": plan.crate_name,
        "description": plan.api_description(),
        "license": { "name": plan.license, "identifier": plan.license },
        "version": "0.1.0",
    }));
    json.key("servers");
    json.value(&json!([{ "url": "/", "description": SERVER_DESCRIPTION }]));
    json.key("paths");
    json.open('{');
    // A list's query parameters are the same on each route that lists the resource: their
    // text is made once.
    let mut queries: HashMap<&str, String> = HashMap::new();
    for (path, methods) in paths {
        json.key(path);
        json.open('{');
        for op in methods {
            json.key(op.method);
            let query = op.query.as_deref().map(|query| {
                let text = queries.entry(query).or_insert_with(|| {
                    // Where the operation puts them: in its `parameters` array.
                    let mut part = Pretty::at(json.depth() + 2);
                    query_parameters(&mut part, plan, query);
                    part.finish()
                });
                text.as_str()
            });
            operation(&mut json, op, query.unwrap_or_default());
        }
        json.close('}');
    }
    json.close('}');
    json.key("components");
    json.value(&Value::Object(components));
    json.close('}');
    let mut text = json.finish();
    text.push('\n');
    text
}

/// One operation; `query`: the text of its query parameters, made by [`Pretty::at`].
fn operation(json: &mut Pretty, op: &Operation, query: &str) {
    json.open('{');
    json.key("tags");
    json.value(&json!([op.tag]));
    json.key("summary");
    json.string(&op.summary);
    json.key("operationId");
    json.string(&op.operation_id);
    if !op.path_params.is_empty() || !query.is_empty() {
        json.key("parameters");
        json.open('[');
        for (name, description) in &op.path_params {
            json.item();
            json.value(&json!({
                "name": name,
                "in": "path",
                "description": description,
                "required": true,
                "schema": { "type": "integer", "format": "int64", "minimum": 1 },
            }));
        }
        json.splice(query);
        json.close(']');
    }
    if let Some(body) = &op.body {
        json.key("requestBody");
        json.value(&json!({
            "content": { "application/json": { "schema": reference(body) } },
            "required": true,
        }));
    }
    let mut responses = Map::new();
    for response in &op.responses {
        let mut answer = Map::new();
        answer.insert("description".into(), json!(response.description));
        if response.location {
            answer.insert(
                "headers".into(),
                json!({ "Location": {
                    "schema": { "type": "string" },
                    "description": "Where the new row is",
                } }),
            );
        }
        if let Some(body) = &response.body {
            let content_type = if response.is_problem() {
                "application/problem+json"
            } else {
                "application/json"
            };
            answer.insert(
                "content".into(),
                json!({ content_type: { "schema": reference(body) } }),
            );
        }
        responses.insert(response.status.to_string(), Value::Object(answer));
    }
    json.key("responses");
    json.value(&Value::Object(responses));
    // A public operation says so (`[]`), rather than leaving a reader to guess.
    json.key("security");
    if op.secured {
        json.value(&json!([{ "bearer": [] }]));
    } else {
        json.value(&json!([]));
    }
    json.close('}');
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The parameters of `PostListQuery` or `PostIncludeQuery` (a path for another
/// resource's: `super::tags::TagListQuery`), as the generated `query::list_parameters`
/// builds them, as elements of the operation's `parameters`.
fn query_parameters(json: &mut Pretty, plan: &Plan, query: &str) {
    let name = query.rsplit("::").next().unwrap_or(query);
    let find = |suffix: &str| {
        let resource = name.strip_suffix(suffix)?;
        plan.resources.iter().find(|r| r.name == resource)
    };
    if let Some(r) = find("IncludeQuery") {
        include_parameter(json, r);
        return;
    }
    let Some(r) = find("ListQuery") else {
        return;
    };
    let positive = json!({ "type": "integer", "format": "int64", "minimum": 1 });
    // `MAX_PAGE` of the generated `query.rs`.
    let page = json!({
        "type": "integer",
        "format": "int64",
        "minimum": 1,
        "maximum": 1_000_000_000,
    });
    parameter(json, "page", "The page, from 1", &page);
    parameter(
        json,
        "per_page",
        "Rows per page: 20 by default; above 100, 100",
        &positive,
    );
    parameter(
        json,
        "after",
        "A cursor page: the rows after this id (in the order of `id`, or `-id`)",
        &json!({ "type": "integer", "format": "int64" }),
    );
    parameter(
        json,
        "total",
        "Whether a numbered page counts the matching rows (`total`, `links.last`): \
         true by default; false skips the count",
        &json!({ "type": "boolean" }),
    );
    parameter(
        json,
        "sort",
        "Fields to sort on, comma-separated, `-` for descending; `id` always ends the order",
        &json!({ "type": "string" }),
    );
    if r.has_includes() {
        include_parameter(json, r);
    }
    for field in r.list_fields() {
        for op in &field.operators {
            let name = &field.name;
            let (key, description) = match *op {
                // A field named like a list parameter (a field `sort`): `sort.eq`.
                "eq" if LIST_PARAMETERS.contains(&name.as_str()) => {
                    (format!("{name}.eq"), format!("{name} equals"))
                }
                "eq" => (name.clone(), format!("{name} equals")),
                "ne" => (format!("{name}.ne"), format!("{name} differs from")),
                "gt" => (format!("{name}.gt"), format!("{name} is above")),
                "gte" => (format!("{name}.gte"), format!("{name} is at least")),
                "lt" => (format!("{name}.lt"), format!("{name} is below")),
                "lte" => (format!("{name}.lte"), format!("{name} is at most")),
                "in" => (
                    format!("{name}.in"),
                    format!("{name} is one of, comma-separated"),
                ),
                "contains" => (
                    format!("{name}.contains"),
                    format!("{name} contains, ignoring case"),
                ),
                _ => (
                    format!("{name}.null"),
                    format!("{name} is null (true) or not (false)"),
                ),
            };
            if *op == "in" {
                // A comma-separated list: text may hold no comma.
                let item = match &field.filter {
                    FilterKind::Of(filter) if **filter == TEXT_FILTER => {
                        json!({ "type": "string", "pattern": "^[^,]*$" })
                    }
                    other => filter_value(other),
                };
                let list = json!({
                    "type": "array",
                    "items": item,
                    "maxItems": MAX_IN_VALUES,
                    "minItems": 1,
                });
                list_parameter(json, &key, &description, &list);
                continue;
            }
            let schema = match *op {
                "null" => json!({ "type": "boolean" }),
                "contains" => json!({ "type": "string" }),
                _ => filter_value(&field.filter),
            };
            parameter(json, &key, &description, &schema);
        }
    }
}

fn include_parameter(json: &mut Pretty, r: &ResourcePlan) {
    let names: Vec<&str> = r.includes.iter().map(|i| i.name.as_str()).collect();
    let description = format!("Relations to embed, comma-separated: {}", names.join(", "));
    parameter(json, "include", &description, &json!({ "type": "string" }));
}

fn filter_value(kind: &FilterKind) -> Value {
    match kind {
        FilterKind::Of(filter) => json_schema(&filter.value),
        FilterKind::Enum(values) => json!({ "type": "string", "enum": values }),
    }
}

/// The JSON schema of a value of a scalar type, from its row.
fn json_schema(schema: &kind::Json) -> Value {
    let mut map = Map::new();
    if let Some(ty) = schema.ty {
        map.insert("type".into(), json!(ty));
    }
    if let Some(format) = schema.format {
        map.insert("format".into(), json!(format));
    }
    if let Some(pattern) = schema.pattern {
        map.insert("pattern".into(), json!(pattern));
    }
    Value::Object(map)
}

/// The parameters of every list that are not filters (`LIST_PARAMETERS` of the generated
/// `query.rs`).
const LIST_PARAMETERS: [&str; 6] = ["page", "per_page", "after", "total", "sort", "include"];

/// The most values an `.in` filter takes (`MAX_IN_VALUES` of the generated `query.rs`).
const MAX_IN_VALUES: usize = 100;

/// One query parameter, an element of the operation's `parameters`.
fn parameter(json: &mut Pretty, name: &str, description: &str, schema: &Value) {
    parameter_with(json, name, description, schema, false);
}

/// A comma-separated list parameter: form style, not exploded.
fn list_parameter(json: &mut Pretty, name: &str, description: &str, schema: &Value) {
    parameter_with(json, name, description, schema, true);
}

fn parameter_with(json: &mut Pretty, name: &str, description: &str, schema: &Value, list: bool) {
    json.item();
    json.open('{');
    json.key("name");
    json.string(name);
    json.key("in");
    json.string("query");
    json.key("description");
    json.string(description);
    json.key("required");
    json.value(&Value::Bool(false));
    json.key("schema");
    json.value(schema);
    if list {
        json.key("style");
        json.string("form");
        json.key("explode");
        json.value(&Value::Bool(false));
    }
    json.close('}');
}

/// Every schema the operations refer to, by name.
fn schemas(plan: &Plan) -> Map<String, Value> {
    let base = &plan.base_path;
    let mut out = Map::new();
    for r in &plan.resources {
        for e in &r.enums {
            let values: Vec<&str> = e.variants.iter().map(|(_, v)| v.as_str()).collect();
            let mut schema = Map::new();
            schema.insert("type".into(), json!("string"));
            if r.is_user && e.type_name == "UserRole" {
                schema.insert(
                    "description".into(),
                    json!("The roles of `[auth]`, from least to most privileged: the order compares them."),
                );
            }
            schema.insert("enum".into(), json!(values));
            out.insert(e.type_name.clone(), Value::Object(schema));
        }
        let page = r.page_doc(base);
        if r.is_user {
            user_schemas(plan, r, &mut out);
            continue;
        }
        out.insert(
            r.name.clone(),
            response_schema(r, &format!("{}, as every route answers it.", r.a_words())),
        );
        out.insert(r.page_type(), page_schema(r, &page));
        let create = match &r.owner {
            Some(owner) => format!(
                "The body of `POST {base}/{}`. `{}`, the owner, is the caller when left out.",
                r.plural, owner.column
            ),
            None => format!("The body of `POST {base}/{}`.", r.plural),
        };
        let fields: Vec<&FieldPlan> = r.body_fields().collect();
        out.insert(
            r.create_type.clone(),
            body_schema(&create, &[], &fields, Body::Create),
        );
        let patch = format!(
            "The body of `PATCH {base}/{}/{{id}}`: absent fields stay as they are.",
            r.plural
        );
        out.insert(
            r.patch_type.clone(),
            body_schema(&patch, &[], &fields, Body::Patch),
        );
        if r.has_own_replace_type() {
            let replace = format!(
                "The body of `PUT {base}/{}/{{id}}`: the whole row, with the rules of a create; a private\nfield, the owner or a field only some roles may set keeps its value when left out.",
                r.plural
            );
            out.insert(
                r.replace_type.clone(),
                body_schema(&replace, &[], &fields, Body::Replace),
            );
        }
    }
    out.insert(
        "PageLinks".into(),
        object(
            "The links of a page, to follow as they are.",
            &["first"],
            vec![
                (
                    "first",
                    described(json!({ "type": "string" }), "The first page."),
                ),
                (
                    "prev",
                    described(
                        json!({ "type": ["string", "null"] }),
                        "The page before, if any; never on a cursor page.",
                    ),
                ),
                (
                    "next",
                    described(
                        json!({ "type": ["string", "null"] }),
                        "The page after, if there are more rows.",
                    ),
                ),
                (
                    "last",
                    described(
                        json!({ "type": ["string", "null"] }),
                        "The last page; never on a cursor page, nor with `?total=false`.",
                    ),
                ),
            ],
        ),
    );
    out.insert(
        "Problem".into(),
        object(
            "An error answer, `application/problem+json` (RFC 9457).",
            &["type", "title", "status", "detail"],
            vec![
                (
                    "type",
                    described(
                        json!({ "type": "string" }),
                        "Always `about:blank`: the status says what went wrong.",
                    ),
                ),
                (
                    "title",
                    described(json!({ "type": "string" }), "The status's reason phrase."),
                ),
                (
                    "status",
                    json!({ "type": "integer", "format": "int32", "minimum": 0 }),
                ),
                (
                    "detail",
                    described(
                        json!({ "type": "string" }),
                        "What went wrong, for a person.",
                    ),
                ),
                (
                    "errors",
                    described(
                        json!({ "type": "array", "items": reference("FieldError") }),
                        "One entry per field or parameter at fault, when there are any.",
                    ),
                ),
            ],
        ),
    );
    out.insert(
        "FieldError".into(),
        object(
            "Why one field or query parameter of a request was refused.",
            &["field", "code", "message"],
            vec![
                (
                    "field",
                    described(
                        json!({ "type": "string" }),
                        "The field (`price`, `items.0.sku`) or the query parameter (`price.gte`).",
                    ),
                ),
                (
                    "code",
                    described(
                        json!({ "type": "string" }),
                        "What kind of rule: `required`, `max_length`, `invalid_parameter`...",
                    ),
                ),
                ("message", json!({ "type": "string" })),
            ],
        ),
    );
    sort(out)
}

/// utoipa keeps components by name, sorted.
fn sort(map: Map<String, Value>) -> Map<String, Value> {
    let mut entries: Vec<(String, Value)> = map.into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.into_iter().collect()
}

fn object(description: &str, required: &[&str], properties: Vec<(&str, Value)>) -> Value {
    let properties: Map<String, Value> = properties
        .into_iter()
        .map(|(name, schema)| (name.to_string(), schema))
        .collect();
    object_schema(description, json!(required), properties)
}

/// `{ "type": "object", ... }`, built by moving `properties` in: `json!` would copy them.
fn object_schema(description: &str, required: Value, properties: Map<String, Value>) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), json!("object"));
    out.insert("description".into(), json!(description));
    out.insert("required".into(), required);
    out.insert("properties".into(), Value::Object(properties));
    Value::Object(out)
}

fn described(mut schema: Value, description: &str) -> Value {
    if let Value::Object(map) = &mut schema {
        map.insert("description".into(), json!(description));
    }
    schema
}

fn date_time() -> Value {
    json!({ "type": "string", "format": "date-time" })
}

/// A resource's response: id, the fields it shows, timestamps, then what `include` embeds.
fn response_schema(r: &ResourcePlan, description: &str) -> Value {
    let mut required = vec!["id".to_string()];
    let mut properties = Map::new();
    properties.insert("id".into(), json!({ "type": "integer", "format": "int64" }));
    for f in r.output_fields() {
        if !f.optional {
            required.push(f.name.clone());
        }
        properties.insert(f.name.clone(), field_schema(f, Body::Response));
    }
    if r.timestamps {
        for name in ["created_at", "updated_at"] {
            required.push(name.to_string());
            properties.insert(name.into(), date_time());
        }
    }
    for i in &r.includes {
        let description = format!("With `?include={}` only.", i.name);
        let schema = if i.is_many() {
            json!({
                "type": ["array", "null"],
                "items": reference(&i.target),
                "description": description,
            })
        } else {
            json!({ "oneOf": [described(reference(&i.target), &description), { "type": "null" }] })
        };
        properties.insert(i.name.clone(), schema);
    }
    object_schema(description, json!(required), properties)
}

fn page_schema(r: &ResourcePlan, description: &str) -> Value {
    let count = |nullable: bool| {
        let ty = if nullable {
            json!(["integer", "null"])
        } else {
            json!("integer")
        };
        json!({ "type": ty, "format": "int64", "minimum": 0 })
    };
    object(
        description,
        &["data", "per_page", "links"],
        vec![
            (
                "data",
                json!({ "type": "array", "items": reference(&r.name) }),
            ),
            (
                "page",
                described(
                    count(true),
                    "The page number; `null` on a cursor page (`?after=`).",
                ),
            ),
            ("per_page", count(false)),
            (
                "total",
                described(
                    count(true),
                    "The rows matching the filters, on all pages; `null` on a cursor page and with `?total=false`.",
                ),
            ),
            ("links", reference("PageLinks")),
        ],
    )
}

/// A create, replace or PATCH body: `fixed` fields first (the built-in User's), then
/// `fields`; read-only fields are left out, as the generated `#[schema(ignore)]` does.
fn body_schema(
    description: &str,
    fixed: &[(&str, bool, Value)],
    fields: &[&FieldPlan],
    body: Body,
) -> Value {
    let mut required = Vec::new();
    let mut properties = Map::new();
    for (name, is_required, schema) in fixed {
        if *is_required {
            required.push(name.to_string());
        }
        properties.insert(name.to_string(), schema.clone());
    }
    for f in fields.iter().filter(|f| !f.readonly) {
        let body = match body {
            Body::Replace if f.kept_when_left_out() => Body::Patch,
            Body::Replace => Body::Create,
            other => other,
        };
        if body == Body::Create && f.owner {
            // Left out or null, the owner is the caller.
            let owner = FieldPlan {
                optional: true,
                ..(*f).clone()
            };
            properties.insert(f.name.clone(), field_schema(&owner, body));
            continue;
        }
        if body == Body::Create && f.required() {
            required.push(f.name.clone());
        }
        properties.insert(f.name.clone(), field_schema(f, body));
    }
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    schema.insert("description".into(), json!(description));
    if !required.is_empty() {
        schema.insert("required".into(), json!(required));
    }
    // utoipa leaves out an empty `properties` (a body with no field but the owner).
    if !properties.is_empty() {
        schema.insert("properties".into(), Value::Object(properties));
    }
    schema.insert("additionalProperties".into(), json!(false));
    Value::Object(schema)
}

/// One field's schema: its type (nullable when optional), its doc, and in a body its rules.
fn field_schema(f: &FieldPlan, body: Body) -> Value {
    let doc = if body == Body::Response {
        f.doc.clone()
    } else {
        f.body_doc()
    };
    // A request's decimal: its text or a JSON number, as `decimal::request_schema` says
    // (utoipa's `schema_with` leaves the doc out).
    if f.is_decimal() && body != Body::Response {
        return if f.optional {
            json!({ "type": ["string", "number", "null"] })
        } else {
            json!({ "type": ["string", "number"] })
        };
    }
    // A belongs_to holds its parent's id; an enum is its own schema.
    let value = match f.scalar {
        Some(scalar) => Some(scalar.spec().json),
        None if f.enum_plan.is_none() => Some(Scalar::BigInt.spec().json),
        None => None,
    };
    let mut schema = Map::new();
    match value {
        Some(value) => {
            if let Value::Object(map) = json_schema(&value) {
                schema.extend(map);
            }
            if let (true, Some(ty)) = (f.optional, value.ty) {
                schema.insert("type".into(), json!([ty, "null"]));
            }
        }
        None => {
            let target = reference(&f.rust_type);
            if f.optional {
                let mut target = target;
                if let (Some(doc), Value::Object(map)) = (&doc, &mut target) {
                    map.insert("description".into(), json!(doc));
                }
                return json!({ "oneOf": [target, { "type": "null" }] });
            }
            if let Value::Object(map) = target {
                schema.extend(map);
            }
        }
    }
    if let Some(doc) = doc {
        schema.insert("description".into(), json!(doc));
    }
    if body != Body::Response {
        for rule in &f.schema_rules {
            let (key, value) = match rule {
                SchemaRule::MinLength(n) => ("minLength", json!(n)),
                SchemaRule::MaxLength(n) => ("maxLength", json!(n)),
                SchemaRule::Minimum(n) => ("minimum", number(n)),
                SchemaRule::Maximum(n) => ("maximum", number(n)),
                SchemaRule::Pattern(p) => ("pattern", json!(p)),
                SchemaRule::Format(format) => ("format", json!(format)),
            };
            schema.insert(key.into(), value);
        }
    }
    Value::Object(schema)
}

/// A bound as utoipa writes it: a whole number without a fraction.
fn number(n: &Bound) -> Value {
    match n {
        Bound::Int(i) => json!(i),
        Bound::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => json!(*f as i64),
        Bound::Float(f) => json!(f),
    }
}

fn user_schemas(plan: &Plan, r: &ResourcePlan, out: &mut Map<String, Value>) {
    let base = &plan.base_path;
    out.insert(
        "User".into(),
        response_schema(
            r,
            "A user, as every route answers it: never the password nor its hash.",
        ),
    );
    out.insert(
        "UserPage".into(),
        page_schema(
            r,
            &format!("A page of users: what `GET {base}/users` answers."),
        ),
    );
    let extra: Vec<&FieldPlan> = r.extra_fields().collect();
    let email = json!({ "type": "string", "format": "email" });
    let password = json!({ "type": "string", "maxLength": 128, "minLength": 8 });
    let role = reference("UserRole");
    if plan.registration_open() {
        out.insert(
            "RegisterUser".into(),
            body_schema(
                &format!(
                    "The body of `POST {base}/auth/register`: the role is always the first one."
                ),
                &[
                    ("email", true, email.clone()),
                    ("password", true, password.clone()),
                ],
                &extra,
                Body::Create,
            ),
        );
    }
    out.insert(
        "Login".into(),
        body_schema(
            &format!("The body of `POST {base}/auth/login`."),
            &[
                ("email", true, json!({ "type": "string" })),
                ("password", true, json!({ "type": "string" })),
            ],
            &[],
            Body::Create,
        ),
    );
    out.insert(
        "LoggedIn".into(),
        object(
            &format!(
                "The answer of `POST {base}/auth/login` and `POST {base}/auth/refresh`:\nan access token, the refresh token that renews it, and the user."
            ),
            &["token", "token_type", "expires_at", "refresh_token", "user"],
            vec![
                ("token", described(json!({ "type": "string" }), "The access token, sent as `Authorization: Bearer <token>`.")),
                ("token_type", json!({ "type": "string" })),
                ("expires_at", described(date_time(), "When the access token expires: refresh before.")),
                ("refresh_token", described(json!({ "type": "string" }), &format!("Sent once to `POST {base}/auth/refresh` for the next tokens."))),
                ("user", reference("User")),
            ],
        ),
    );
    out.insert(
        "Refresh".into(),
        body_schema(
            &format!("The body of `POST {base}/auth/refresh`."),
            &[("refresh_token", true, json!({ "type": "string" }))],
            &[],
            Body::Create,
        ),
    );
    out.insert(
        "ChangePassword".into(),
        body_schema(
            &format!("The body of `POST {base}/auth/password`."),
            &[
                ("current_password", true, json!({ "type": "string" })),
                ("new_password", true, password.clone()),
            ],
            &[],
            Body::Create,
        ),
    );
    out.insert(
        "AuthSession".into(),
        object(
            "One of the caller's login sessions.",
            &["id", "created_at", "refreshed_at", "expires_at", "current"],
            vec![
                ("id", json!({ "type": "integer", "format": "int64" })),
                ("created_at", date_time()),
                (
                    "refreshed_at",
                    described(date_time(), "The last refresh (or the login)."),
                ),
                (
                    "expires_at",
                    described(date_time(), "When it ends unless it is refreshed before."),
                ),
                (
                    "current",
                    described(
                        json!({ "type": "boolean" }),
                        "The session of the token this list was asked with.",
                    ),
                ),
            ],
        ),
    );
    out.insert(
        "AuthSessionList".into(),
        object(
            &format!(
                "The answer of `GET {base}/auth/sessions`: the caller's sessions, newest first."
            ),
            &["sessions"],
            vec![(
                "sessions",
                json!({ "type": "array", "items": reference("AuthSession") }),
            )],
        ),
    );
    let optional_password = json!({ "type": ["string", "null"], "maxLength": 128, "minLength": 8 });
    out.insert(
        "ReplaceUser".into(),
        body_schema(
            &format!(
                "The body of `PUT {base}/users/{{id}}`: every field but the password, which stays\nas it is when left out, as does a private field or one only some roles may set."
            ),
            &[
                ("email", true, email.clone()),
                ("password", false, optional_password),
                ("role", true, role.clone()),
            ],
            &extra,
            Body::Replace,
        ),
    );
    out.insert(
        "PatchUser".into(),
        body_schema(
            &format!("The body of `PATCH {base}/users/{{id}}`: absent fields stay as they are."),
            &[
                ("email", false, email),
                ("password", false, password),
                ("role", false, role),
            ],
            &extra,
            Body::Patch,
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::{LIST_PARAMETERS, MAX_IN_VALUES};

    /// The document states what the generated query code does: the same list parameters
    /// and the same bound on `.in`, which live in the templates as fixed Rust.
    #[test]
    fn list_constants_agree_with_the_generated_query_code() {
        let list = format!(
            "const LIST_PARAMETERS: [&str; {}] = [{}];",
            LIST_PARAMETERS.len(),
            LIST_PARAMETERS.map(|p| format!("{p:?}")).join(", ")
        );
        let query = include_str!("../templates/fixed/src/query.rs");
        let lists = include_str!("../templates/tests/common/lists.rs");
        assert!(
            query.contains(&list),
            "templates/fixed/src/query.rs lacks `{list}`"
        );
        assert!(
            lists.contains(&list),
            "templates/tests/common/lists.rs lacks `{list}`"
        );
        let bound = format!("pub const MAX_IN_VALUES: usize = {MAX_IN_VALUES};");
        assert!(
            query.contains(&bound),
            "templates/fixed/src/query.rs lacks `{bound}`"
        );
    }
}

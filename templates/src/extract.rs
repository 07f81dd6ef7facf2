// {{ header }} Do not edit: change apigen.toml instead.
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, header, request::Parts};
use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;
use utoipa::PartialSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{KnownFormat, Object, Schema, SchemaFormat};

use crate::error::ApiError;
use crate::validation::{FieldError, READ_ONLY};

/// A JSON request body, refused with a problem answer:
/// 415 without a JSON content type, 400 when it is not a JSON object,
/// 422 naming every field whose value has the wrong type or shape, every unknown field
/// and every required field left out.
pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    S: Send + Sync,
    T: DeserializeOwned + PartialSchema,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::unsupported_media_type());
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|rejection| ApiError::new(rejection.status(), rejection.body_text()))?;
        let mut value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|err| ApiError::bad_request(format!("malformed JSON: {err}")))?;
        let Some(fields) = value.as_object_mut() else {
            return Err(ApiError::bad_request("the body must be a JSON object"));
        };
        fields.values_mut().for_each(whole_number);
        // No database stores a NUL character in text: refuse it here, naming the field.
        if let Some(path) = nul_at(&value, String::new()) {
            let error = FieldError::new(path, "invalid", "must not contain a NUL character");
            return Err(ApiError::invalid(vec![error]));
        }
        match serde_path_to_error::deserialize(&value) {
            Ok(body) => Ok(Json(body)),
            Err(first) => Err(ApiError::invalid(every_problem::<T>(value, &first))),
        }
    }
}

/// Every problem of a body that does not deserialize, not only the `first`: each pass
/// names one and takes its field out, so that the next pass finds the next; then every
/// required field (as the OpenAPI document lists them) that the body leaves out.
fn every_problem<T: DeserializeOwned + PartialSchema>(
    mut value: serde_json::Value,
    first: &serde_path_to_error::Error<serde_json::Error>,
) -> Vec<FieldError> {
    let schema = T::schema();
    let object = match &schema {
        RefOr::T(Schema::Object(object)) => Some(object),
        _ => None,
    };
    let sent: Vec<String> = value
        .as_object()
        .map(|fields| fields.keys().cloned().collect())
        .unwrap_or_default();
    let mut errors = Vec::new();
    // A pass per field sent at most, and one more for what is missing.
    for _ in 0..=sent.len() {
        let err = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(_) => break,
            Err(err) => err,
        };
        if let Some(name) = missing_field(&err.inner().to_string()) {
            // Listed below from the document; a type without one names it here.
            let listed = object.is_some_and(|object| object.required.iter().any(|r| r == name));
            if !listed {
                errors.push(field_error(&err, object));
            }
            break;
        }
        errors.push(field_error(&err, object));
        let Some(Segment::Map { key }) = err.path().iter().next() else {
            break;
        };
        if value
            .as_object_mut()
            .and_then(|fields| fields.remove(key))
            .is_none()
        {
            break;
        }
    }
    if let Some(object) = object {
        for name in &object.required {
            if !sent.contains(name) {
                errors.push(FieldError::new(name.as_str(), "required", "is required"));
            }
        }
    }
    if errors.is_empty() {
        errors.push(field_error(first, object));
    }
    errors
}

/// A body's field `722.0` as `722`: JSON has one kind of number, and JSON Schema counts
/// a float with no fraction as an integer, so an integer field takes it. What a `json`
/// field holds inside is kept as sent.
fn whole_number(value: &mut serde_json::Value) {
    let whole = value
        .as_f64()
        .filter(|f| value.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15);
    if let Some(whole) = whole {
        *value = serde_json::Value::from(whole as i64);
    }
}

/// Where `value` holds a string with a NUL character, as a field path (`tags.2`).
fn nul_at(value: &serde_json::Value, path: String) -> Option<String> {
    use serde_json::Value;
    let at = |key: &dyn std::fmt::Display| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::String(text) if text.contains('\0') => Some(path),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_at(item, at(&i))),
        Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            if key.contains('\0') {
                return Some(at(&key.replace('\0', "\\0")));
            }
            nul_at(item, at(key))
        }),
        _ => None,
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    let Some(content_type) = headers.get(header::CONTENT_TYPE) else {
        return false;
    };
    let Ok(content_type) = content_type.to_str() else {
        return false;
    };
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    let essence = essence.to_ascii_lowercase();
    essence == "application/json"
        || essence.starts_with("application/") && essence.ends_with("+json")
}

/// Names the field a deserialization error is about. serde reports a missing
/// field at the enclosing object, with the field's name only in its message. A value
/// the field's type cannot read is described by the field's schema in `object` (the
/// body's): a date, a date and time, a UUID, with its form and an example.
fn field_error(
    err: &serde_path_to_error::Error<serde_json::Error>,
    object: Option<&Object>,
) -> FieldError {
    let message = err.inner().to_string();
    let path = err.path().to_string();
    if let Some(name) = missing_field(&message) {
        return FieldError::new(join(&path, name), "required", "is required");
    }
    if message.starts_with("unknown field") {
        return FieldError::new(path, "unknown", "is not a field of this resource");
    }
    if message.starts_with(READ_ONLY) {
        return FieldError::new(path, "readonly", READ_ONLY);
    }
    if message.starts_with("invalid type: null") {
        return FieldError::new(path, "required", "is required and may not be null");
    }
    let form = object
        .and_then(|object| object.properties.get(&path))
        .and_then(expected_form);
    match form {
        Some(form) => FieldError::new(path, "invalid", format!("must be {form}")),
        None => FieldError::new(path, "invalid", message),
    }
}

/// What a value of a field with this schema looks like, where its type's own error
/// would not say (chrono's "input is out of range" for `2024-02-30`).
fn expected_form(schema: &RefOr<Schema>) -> Option<&'static str> {
    let RefOr::T(Schema::Object(object)) = schema else {
        return None;
    };
    let SchemaFormat::KnownFormat(format) = object.format.as_ref()? else {
        return None;
    };
    match format {
        KnownFormat::Date => Some("a date, YYYY-MM-DD, such as 2024-05-31"),
        KnownFormat::DateTime => Some(
            "a date and time with its offset (RFC 3339), such as 2024-05-31T14:30:00Z or \
             2024-05-31T16:30:00+02:00",
        ),
        KnownFormat::Uuid => Some("a UUID, such as 67e55044-10b1-426f-9247-bb680e5fe0c8"),
        _ => None,
    }
}

fn missing_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split_once('`').map(|(name, _)| name)
}

fn join(path: &str, name: &str) -> String {
    if path == "." {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// The `{id}` of a resource path; anything but a positive integer answers 400.
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
        positive("id", &raw).map(Id)
    }
}

/// A row id: ids start at 1, so anything else is a malformed request, not a missing row.
fn positive(name: &str, raw: &str) -> Result<i64, ApiError> {
    match raw.parse() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(ApiError::bad_request(format!(
            "{name} must be a positive integer, not {raw:?}"
        ))),
    }
}

/// A query string; a malformed one answers 400.
pub struct Query<T>(pub T);

impl<S, T> FromRequestParts<S> for Query<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(value) =
            axum::extract::Query::<T>::from_request_parts(parts, state)
                .await
                .map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
        Ok(Query(value))
    }
}

/// The two ids of a link route, `/posts/{id}/tags/{tag_id}`; anything but positive
/// integers answers 400 naming the parameter.
pub struct LinkIds(pub i64, pub i64);

impl<S: Send + Sync> FromRequestParts<S> for LinkIds {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(params) =
            axum::extract::Path::<Vec<(String, String)>>::from_request_parts(parts, state)
                .await
                .map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
        let mut ids = Vec::with_capacity(2);
        for (name, raw) in &params {
            ids.push(positive(name, raw)?);
        }
        match ids.as_slice() {
            [id, linked] => Ok(Self(*id, *linked)),
            _ => Err(ApiError::internal("a link route without two ids")),
        }
    }
}

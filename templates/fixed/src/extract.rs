// Do not edit: change apigen.toml instead.
use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, header, request::Parts};
use sea_orm::prelude::Decimal;
use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;
use utoipa::PartialSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{KnownFormat, Object, Schema, SchemaFormat, SchemaType, Type};

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
    T: DeserializeOwned + PartialSchema + 'static,
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
        let mut errors = exact_values(fields, &field_kinds::<T>());
        // No database stores a NUL character in text: refuse it here, naming the field.
        if let Some(path) = nul_at(&value, String::new()) {
            let error = FieldError::new(path, "invalid", "must not contain a NUL character");
            return Err(ApiError::invalid(vec![error]));
        }
        match serde_path_to_error::deserialize(&value) {
            Ok(body) if errors.is_empty() => Ok(Json(body)),
            Ok(_) => Err(ApiError::invalid(errors)),
            Err(first) => {
                // A field refused above is out of the body, not missing from it.
                let more = every_problem::<T>(value, &first);
                let reported: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
                let more = more.into_iter().filter(|e| !reported.contains(&e.field));
                errors.extend(more);
                Err(ApiError::invalid(errors))
            }
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

/// How a field of a request body is read exactly, from its schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Exact {
    Integer,
    Float,
    Decimal,
    Date,
    DateTime,
    Json,
}

impl Exact {
    fn of(schema: &RefOr<Schema>) -> Option<Self> {
        let RefOr::T(Schema::Object(object)) = schema else {
            return None;
        };
        let types: &[Type] = match &object.schema_type {
            SchemaType::Type(one) => std::slice::from_ref(one),
            SchemaType::Array(types) => types,
            SchemaType::AnyValue => return Some(Exact::Json),
        };
        let format = match &object.format {
            Some(SchemaFormat::KnownFormat(format)) => Some(format),
            _ => None,
        };
        if types.contains(&Type::Integer) {
            return Some(Exact::Integer);
        }
        if types.contains(&Type::Number) {
            let decimal = types.contains(&Type::String);
            return Some(if decimal {
                Exact::Decimal
            } else {
                Exact::Float
            });
        }
        match format {
            Some(KnownFormat::Date) => Some(Exact::Date),
            Some(KnownFormat::DateTime) => Some(Exact::DateTime),
            _ => None,
        }
    }
}

/// The fields of body type `T` that are read exactly, worked out from its schema once.
fn field_kinds<T: PartialSchema + 'static>() -> Arc<[(String, Exact)]> {
    type Kinds = HashMap<TypeId, Arc<[(String, Exact)]>>;
    static KINDS: OnceLock<RwLock<Kinds>> = OnceLock::new();
    let kinds = KINDS.get_or_init(RwLock::default);
    let id = TypeId::of::<T>();
    if let Some(known) = kinds.read().ok().and_then(|kinds| kinds.get(&id).cloned()) {
        return known;
    }
    let found: Arc<[(String, Exact)]> = match T::schema() {
        RefOr::T(Schema::Object(object)) => object
            .properties
            .iter()
            .filter_map(|(name, schema)| Some((name.clone(), Exact::of(schema)?)))
            .collect(),
        _ => Arc::from([]),
    };
    if let Ok(mut kinds) = kinds.write() {
        kinds.insert(id, found.clone());
    }
    found
}

/// Reads every field of `fields` that has a kind in `kinds` exactly, before any type
/// (or database) sees it: decimals keep every digit they are sent with, dates and
/// datetimes are refused outside the years 0001 to 9999 (and on a leap second), numbers
/// inside a `json` field are written in plain notation. A field refused here is taken
/// out of `fields`, and its error returned.
fn exact_values(
    fields: &mut serde_json::Map<String, serde_json::Value>,
    kinds: &[(String, Exact)],
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (name, kind) in kinds {
        let Some(value) = fields.get_mut(name) else {
            continue;
        };
        let refused = match kind {
            Exact::Integer => {
                whole_number(value);
                None
            }
            Exact::Float => finite_float(value)
                .err()
                .map(|e| (name.clone(), e.to_owned())),
            Exact::Decimal => exact_decimal(value).err().map(|e| (name.clone(), e)),
            Exact::Date => value
                .as_str()
                .and_then(|text| crate::datetime::exact_date(text).err())
                .map(|e| (name.clone(), e.to_owned())),
            Exact::DateTime => value
                .as_str()
                .and_then(|text| crate::datetime::exact_date_time(text).err())
                .map(|e| (name.clone(), e.to_owned())),
            Exact::Json => plain_numbers(value, name.clone()).err(),
        };
        if let Some((path, message)) = refused {
            errors.push(FieldError::new(path, "invalid", message));
            fields.remove(name);
        }
    }
    errors
}

/// A decimal field's value, sent as text or as a JSON number (whose text the parser
/// keeps), replaced by its exact text; an error when it has more digits than a decimal
/// keeps.
fn exact_decimal(value: &mut serde_json::Value) -> Result<(), String> {
    let text = match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Number(number) => number.to_string(),
        _ => return Ok(()),
    };
    let decimal = parse_decimal(&text)?;
    *value = serde_json::Value::String(decimal.to_string());
    Ok(())
}

/// The numbers inside a `json` field written in plain notation, digit for digit, as
/// PostgreSQL keeps them (`1e2` is `100`, `1.50` stays `1.50`): the same value on every
/// database, and a number too long to be a value anyone means is refused, with the
/// path to it.
fn plain_numbers(value: &mut serde_json::Value, path: String) -> Result<(), (String, String)> {
    use serde_json::Value;
    match value {
        Value::Number(number) => {
            let text = number.to_string();
            let plain = NumberText::parse(&text)
                .and_then(|n| n.plain(MAX_JSON_NUMBER))
                .ok_or_else(|| {
                    let message = format!("holds a number longer than {MAX_JSON_NUMBER} digits");
                    (path.clone(), message)
                })?;
            if plain != text {
                let plain = serde_json::from_str(&plain).map_err(|e| (path, e.to_string()))?;
                *value = Value::Number(plain);
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter_mut()
            .enumerate()
            .try_for_each(|(i, item)| plain_numbers(item, format!("{path}.{i}"))),
        Value::Object(fields) => fields
            .iter_mut()
            .try_for_each(|(key, item)| plain_numbers(item, format!("{path}.{key}"))),
        _ => Ok(()),
    }
}

/// The largest decimal every database keeps exactly, and its negative the smallest.
pub const MAX_DECIMAL: &str = "79228162514264337593543950335";

/// The most places after the point a decimal keeps.
pub const MAX_DECIMAL_PLACES: i64 = 28;

/// `text` (`"9.99"`, `1.10`, `2.5e3`) as a decimal, digit for digit: never through a
/// float, never rounded. More than 28 places, or a value past [`MAX_DECIMAL`], is refused
/// rather than cut; a zero is `0` whatever places it is sent with (PostgreSQL keeps
/// no places on a zero).
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let number = NumberText::parse(text)
        .ok_or_else(|| format!("must be a decimal number such as \"9.99\", not {text:?}"))?;
    let (mut digits, scale) = number.digits_and_scale();
    if digits.is_empty() {
        return Ok(Decimal::ZERO);
    }
    if scale > MAX_DECIMAL_PLACES {
        return Err(format!(
            "must have at most {MAX_DECIMAL_PLACES} places after the point"
        ));
    }
    let out_of_range = || format!("must be between -{MAX_DECIMAL} and {MAX_DECIMAL}");
    if scale < 0 {
        if digits.len() as i64 - scale > MAX_DECIMAL.len() as i64 {
            return Err(out_of_range());
        }
        digits.push_str(&"0".repeat((-scale) as usize));
    }
    if digits.len() > MAX_DECIMAL.len() {
        return Err(out_of_range());
    }
    let magnitude: i128 = digits.parse().map_err(|_| out_of_range())?;
    let mantissa = if number.negative {
        -magnitude
    } else {
        magnitude
    };
    Decimal::try_from_i128_with_scale(mantissa, scale.max(0) as u32).map_err(|_| out_of_range())
}

/// The longest number a `json` field may hold, in plain notation.
const MAX_JSON_NUMBER: usize = 1000;

/// A number as JSON writes it (`-12.50e3`), in its parts, so that its value is read
/// from its digits rather than through an `f64`: `int.frac` × 10^`exponent`.
pub struct NumberText<'a> {
    pub negative: bool,
    pub int: &'a str,
    pub frac: &'a str,
    pub exponent: i64,
}

impl<'a> NumberText<'a> {
    /// The parts of `text`, or None when it is not a number: an optional sign, digits,
    /// an optional fraction, an optional exponent.
    pub fn parse(text: &'a str) -> Option<Self> {
        let (negative, rest) = match text.as_bytes().first()? {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let (mantissa, exponent) = match rest.split_once(['e', 'E']) {
            Some((mantissa, exponent)) => (mantissa, Some(exponent)),
            None => (rest, None),
        };
        let (int, frac) = match mantissa.split_once('.') {
            Some((int, frac)) if !frac.is_empty() => (int, frac),
            Some(_) => return None,
            None => (mantissa, ""),
        };
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !digits(int) || !digits(frac) {
            return None;
        }
        let exponent = match exponent {
            None => 0,
            Some(exponent) => {
                let (sign, unsigned) = match exponent.as_bytes().first()? {
                    b'-' => (-1, &exponent[1..]),
                    b'+' => (1, &exponent[1..]),
                    _ => (1, exponent),
                };
                if unsigned.is_empty() || !digits(unsigned) {
                    return None;
                }
                // Past a billion, the value is out of every range anyway.
                sign * unsigned
                    .parse::<i64>()
                    .unwrap_or(i64::MAX)
                    .min(1_000_000_000)
            }
        };
        Some(Self {
            negative,
            int,
            frac,
            exponent,
        })
    }

    /// Its significant digits (no leading zeros; empty for zero) and its scale: the
    /// value is `digits` × 10^-`scale`, so `1.50` is (`150`, 2) and `1e2` (`1`, -2).
    pub fn digits_and_scale(&self) -> (String, i64) {
        let digits = format!("{}{}", self.int, self.frac);
        let significant = digits.trim_start_matches('0').to_owned();
        (significant, self.frac.len() as i64 - self.exponent)
    }

    /// The number in plain notation, as PostgreSQL writes a `numeric`: `1e2` is `100`,
    /// `1.5e-2` is `0.015`, `100e-2` is `1.00`, `-0.0` is `0.0`; None when that would be
    /// longer than `max` characters.
    pub fn plain(&self, max: usize) -> Option<String> {
        let (digits, scale) = self.digits_and_scale();
        let length = if scale <= 0 {
            digits.len().max(1) as i64 + if digits.is_empty() { 0 } else { -scale }
        } else {
            (digits.len() as i64).max(scale + 1) + 1
        };
        if length > max as i64 {
            return None;
        }
        let sign = if self.negative && !digits.is_empty() {
            "-"
        } else {
            ""
        };
        let unsigned = if digits.is_empty() && scale <= 0 {
            "0".to_owned()
        } else if scale <= 0 {
            format!("{digits}{}", "0".repeat((-scale) as usize))
        } else {
            let scale = scale as usize;
            let padded = format!("{digits:0>width$}", width = scale + 1);
            let (int, frac) = padded.split_at(padded.len() - scale);
            format!("{int}.{frac}")
        };
        Some(format!("{sign}{unsigned}"))
    }
}

/// A float field's number, refused past what a double holds (`1e400` would be read as
/// infinity, which only some databases store), and `-0.0` taken as `0.0`: PostgreSQL keeps
/// the sign of a zero, SQLite and MySQL drop it, and a zero is a zero.
fn finite_float(value: &mut serde_json::Value) -> Result<(), &'static str> {
    let serde_json::Value::Number(number) = value else {
        return Ok(());
    };
    let Ok(float) = number.to_string().parse::<f64>() else {
        return Ok(());
    };
    if !float.is_finite() {
        return Err("must be a finite number, at most 1.7976931348623157e308");
    }
    if float == 0.0 {
        *value = serde_json::Value::from(0.0);
    }
    Ok(())
}

/// A body's field `722.0` as `722`: JSON has one kind of number, and JSON Schema counts
/// a float with no fraction as an integer, so an integer field takes it.
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
    let pattern = object.pattern.as_deref();
    let forms = crate::datetime::FORMS_BY_PATTERN;
    if let Some((_, form)) = forms.iter().find(|(p, _)| Some(*p) == pattern) {
        return Some(form);
    }
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

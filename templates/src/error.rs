// {{ header }}
// Do not edit: change apigen.toml instead.
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sea_orm::{DbErr, RuntimeErr, SqlErr};
use serde::Serialize;
use utoipa::ToSchema;

use crate::validation::FieldError;

/// What handlers return.
pub type ApiResult<T> = Result<T, ApiError>;

const PROBLEM_JSON: &str = "application/problem+json";

/// An error answered as `application/problem+json` (RFC 9457).
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    detail: String,
    errors: Vec<FieldError>,
    /// Sent with the problem: `WWW-Authenticate`, `Retry-After`.
    headers: Vec<(HeaderName, HeaderValue)>,
}

/// An error answer, `application/problem+json` (RFC 9457).
#[derive(Serialize, ToSchema)]
pub struct Problem<'a> {
    /// Always `about:blank`: the status says what went wrong.
    r#type: &'static str,
    /// The status's reason phrase.
    title: &'static str,
    status: u16,
    /// What went wrong, for a person.
    detail: &'a str,
    /// One entry per field or parameter at fault, when there are any.
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    errors: &'a [FieldError],
}

impl ApiError {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            status,
            detail: detail.into(),
            errors: Vec::new(),
            headers: Vec::new(),
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, detail)
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "no such resource")
    }
{% if plan.auth.is_some() %}¶

    /// 401: no bearer token, or one that is not valid (now).
    pub fn unauthorized() -> Self {
        let detail = "a valid bearer token is required: log in at {{ plan.base_path }}/auth/login";
        Self::new(StatusCode::UNAUTHORIZED, detail)
            .with_header(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))
    }

    /// 401 of a failed login: the same answer for an unknown email and a wrong password.
    pub fn bad_credentials() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "wrong email or password")
    }

    /// 403: the caller is known but may not do this.
    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "you are not allowed to do this")
    }

    /// 403 of a field the caller's role may not set (`writable` in apigen.toml): names
    /// the field, as a 422 would, and who may set it.
    pub fn not_writable(field: &str, who: &str) -> Self {
        let detail = format!("only {who} may set `{field}`");
        let error = FieldError::new(field, "forbidden", detail.as_str());
        let mut problem = Self::new(StatusCode::FORBIDDEN, detail);
        problem.errors = vec![error];
        problem
    }

    /// A 401 or 403 of `?include=`: says which relation (`include`), whose `rows`, and
    /// who may list them (`listed_by`).
    pub fn refused_include(mut self, include: &str, rows: &str, listed_by: &str) -> Self {
        if matches!(self.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
            let detail = format!("include={include}: {rows} are listed by {listed_by} only");
            self.errors = vec![FieldError::new("include", "forbidden", &detail)];
            self.detail = detail;
        }
        self
    }
{% endif %}¶

    /// 429, with the seconds to wait in `Retry-After`.
    pub fn too_many_requests(retry_after_seconds: u64) -> Self {
        let detail = format!("too many requests: try again in {retry_after_seconds} seconds");
        Self::new(StatusCode::TOO_MANY_REQUESTS, detail)
            .with_header(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds))
    }

    /// Adds a header to the answer.
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "this method is not allowed on this resource",
        )
    }

    pub fn unsupported_media_type() -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the body must be JSON, sent with Content-Type: application/json",
        )
    }

    /// 422: one entry per field that breaks a rule.
    pub fn invalid(errors: Vec<FieldError>) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            detail: "the request has invalid fields".to_owned(),
            errors,
            headers: Vec::new(),
        }
    }

    pub fn conflict(detail: impl Into<String>, errors: Vec<FieldError>) -> Self {
        Self {
            status: StatusCode::CONFLICT,
            detail: detail.into(),
            errors,
            headers: Vec::new(),
        }
    }

    /// 400: query parameter `param` is not understood; the problem names it.
    pub fn bad_parameter(param: &str, message: String) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            detail: format!("query parameter {param}: {message}"),
            errors: vec![FieldError::new(param, "invalid_parameter", message)],
            headers: Vec::new(),
        }
    }

    /// 404: the row a link route names in `param` does not exist (or may not be read).
    pub fn no_linked_row(param: &str, id: i64) -> Self {
        let error = FieldError::new(param, "not_found", "refers to a row that does not exist");
        Self {
            status: StatusCode::NOT_FOUND,
            detail: format!("{param} {id} refers to a row that does not exist"),
            errors: vec![error],
            headers: Vec::new(),
        }
    }

    /// 409: `field` refers to a row that does not exist.
    pub fn missing_parent(field: &str) -> Self {
        let error = FieldError::new(field, "foreign_key", "refers to a row that does not exist");
        Self::conflict(
            format!("{field} refers to a row that does not exist"),
            vec![error],
        )
    }

    /// 500: the cause goes to the log, never to the client.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "request failed");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }

    /// 503 with `Retry-After`: the database cannot be reached right now. The cause goes
    /// to the log; the pool reconnects by itself once the database is back.
{% if plan.auth.is_some() %}¶
    /// 503 while every password-hashing turn is taken: retry in a second.
    pub fn busy() -> Self {
        let detail = "the server is busy checking passwords: try again in a second";
        Self::new(StatusCode::SERVICE_UNAVAILABLE, detail)
            .with_header(header::RETRY_AFTER, HeaderValue::from_static("1"))
    }

{% endif %}¶
    pub fn unavailable(cause: impl std::fmt::Display) -> Self {
        tracing::warn!(error = %cause, "the database is unavailable");
        let detail = "the database is unavailable: try again shortly";
        Self::new(StatusCode::SERVICE_UNAVAILABLE, detail)
            .with_header(header::RETRY_AFTER, HeaderValue::from_static("1"))
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Maps an error of a DELETE: a foreign key violation there means that
    /// other rows still refer to the row (`on_delete = "restrict"`).
    pub fn from_delete(err: DbErr) -> Self {
        match constraint_violation(&err) {
            Some(SqlErr::ForeignKeyConstraintViolation(message)) => still_referenced(&message),
            _ => Self::from(err),
        }
    }
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        match constraint_violation(&err) {
            Some(SqlErr::UniqueConstraintViolation(message)) => unique_violation(&message),
            Some(SqlErr::ForeignKeyConstraintViolation(message)) => missing_reference(&message),
            _ if matches!(err, DbErr::RecordNotFound(_)) => Self::not_found(),
            _ if unavailable(&err) => Self::unavailable(err),
            _ => Self::internal(err),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let problem = Problem {
            r#type: "about:blank",
            title: self.status.canonical_reason().unwrap_or("Error"),
            status: self.status.as_u16(),
            detail: &self.detail,
            errors: &self.errors,
        };
        let body = match serde_json::to_vec(&problem) {
            Ok(body) => body,
            Err(_) => b"{\"title\":\"Internal Server Error\",\"status\":500}".to_vec(),
        };
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.extend(self.headers);
        let content_type = HeaderValue::from_static(PROBLEM_JSON);
        headers.insert(header::CONTENT_TYPE, content_type);
        response
    }
}

/// Whether `err` means the database cannot be reached (no connection to be had, or
/// one lost mid-query) rather than that the query was wrong.
fn unavailable(err: &DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    match err {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Query(RuntimeErr::SqlxError(cause)) | DbErr::Exec(RuntimeErr::SqlxError(cause)) => {
            matches!(
                cause.as_ref(),
                Sqlx::Io(_)
                    | Sqlx::Tls(_)
                    | Sqlx::PoolTimedOut
                    | Sqlx::PoolClosed
                    | Sqlx::WorkerCrashed
                    | Sqlx::Protocol(_)
            ) || cause.as_database_error().is_some_and(|db| {
                // SQLSTATE classes 08 (connection exception) and 57 (operator
                // intervention: shutting down, statement timeout); MySQL's 70100
                // (query interrupted: statement timeout, server shutting down).
                let code = db.code().unwrap_or_default();
                code.starts_with("08") || code.starts_with("57") || code == "70100"
            })
        }
        _ => false,
    }
}

/// The constraint a database error reports breaking, if any. SQLite reports
/// `ON DELETE RESTRICT` as a trigger error (code 1811), which sea-orm does not
/// classify: its message says what it is.
fn constraint_violation(err: &DbErr) -> Option<SqlErr> {
    match err.sql_err() {
        Some(violation) => Some(violation),
        None => {
            let message = err.to_string();
            let restricted = message.contains("FOREIGN KEY constraint failed");
            restricted.then_some(SqlErr::ForeignKeyConstraintViolation(message))
        }
    }
}

fn unique_violation(message: &str) -> ApiError {
    let Some(field) = find_token(message, unique_field) else {
        return ApiError::conflict("a unique value is already taken", Vec::new());
    };
    let error = FieldError::new(field, "unique", "is already taken");
    ApiError::conflict(format!("{field} is already taken"), vec![error])
}

fn missing_reference(message: &str) -> ApiError {
    let Some((_, field)) = find_token(message, foreign_key) else {
        return ApiError::conflict("a referenced row does not exist", Vec::new());
    };
    ApiError::missing_parent(field)
}

fn still_referenced(message: &str) -> ApiError {
    let detail = match find_token(message, foreign_key) {
        Some((table, field)) => format!("the row is still referenced by {table}.{field}"),
        None => "the row is still referenced by other rows".to_owned(),
    };
    ApiError::conflict(detail, Vec::new())
}

/// Finds the constraint a driver message names. SQLite names the column
/// (`customers.email`), PostgreSQL the constraint (`customers_email_key`), MySQL
/// the key or constraint (see [`mysql_key`]); the driver's text itself never
/// reaches the client.
fn find_token<T>(message: &str, lookup: fn(&str) -> Option<T>) -> Option<T> {
    if let Some(key) = mysql_key(message) {
        return lookup(key);
    }
    message
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .find_map(lookup)
}

/// The key a MySQL message names: ``Duplicate entry '…' for key 'customers_email_key'``
/// (MySQL 8 puts the table before the key: `'customers.customers_email_key'`) or
/// ``… (`db`.`orders`, CONSTRAINT `orders_product_id_fkey` FOREIGN KEY …``. Taken from
/// its place in the message, since the duplicate value before it can hold any text.
fn mysql_key(message: &str) -> Option<&str> {
    if let Some((_, quoted)) = message.rsplit_once(" for key '") {
        let key = quoted.strip_suffix('\'')?;
        return Some(key.rsplit_once('.').map_or(key, |(_, key)| key));
    }
    let (_, rest) = message.split_once("CONSTRAINT `")?;
    rest.split_once('`').map(|(key, _)| key)
}

/// The field guarded by a unique index, by index or `table.column` name.
{% let unique = plan.unique_tokens() %}¶
{% if unique.is_empty() %}¶
fn unique_field(_token: &str) -> Option<&'static str> {
    None
}
{% else %}¶
fn unique_field(token: &str) -> Option<&'static str> {
    match token {
{% for (token, field) in unique %}¶
        "{{ token }}" => Some("{{ field }}"),
{% endfor %}¶
        _ => None,
    }
}
{% endif %}¶

/// The table and field of a foreign key, by constraint name.
{% let keys = plan.foreign_keys() %}¶
{% if keys.is_empty() %}¶
fn foreign_key(_token: &str) -> Option<(&'static str, &'static str)> {
    None
}
{% else %}¶
fn foreign_key(token: &str) -> Option<(&'static str, &'static str)> {
    match token {
{% for (constraint, table, column) in keys %}¶
        "{{ constraint }}" => Some(("{{ table }}", "{{ column }}")),
{% endfor %}¶
        _ => None,
    }
}
{% endif %}¶

/// The error answers many operations give alike, as the OpenAPI document states them:
/// each operation's `responses(...)` names those it gives.
pub mod responses {
    use utoipa::IntoResponses;

    use super::Problem;
{% for p in plan.shared_problems() %}¶

    #[derive(IntoResponses)]
    #[response(
        status = {{ p.status }},
        description = {{ crate::layout::string_literal(p.description, 22, 12, 1) }},
        content_type = "application/problem+json"
    )]
    pub struct {{ p.name }}(pub Problem<'static>);
{% endfor %}¶
}

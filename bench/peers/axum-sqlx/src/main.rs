//! The hand-written baseline of bench/http.sh: the measured routes of the generated bench
//! API (bench/schema.toml), written by hand with axum and sqlx and no ORM. It runs the
//! statements the generated handlers run (the same SQL, the same transactions, the same
//! pool settings), answers the same JSON with the same status codes, and leaves out what
//! the generated crate adds around them (request ids, logs, limits, security headers).
//!
//! Routes: `GET /health`, `GET POST /api/items`, `GET PATCH /api/items/{id}`.
//! Environment: `DATABASE_URL` (required), `HOST` (127.0.0.1), `PORT` (3001),
//! `DB_MAX_CONNECTIONS` (10).
use std::str::FromStr;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{FromRequest, OriginalUri, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::{PgPool, Postgres, QueryBuilder, Row};

/// The columns of `items`, in the order of the JSON.
macro_rules! columns {
    () => {
        r#""items"."id", "items"."name", "items"."category", "items"."price", "items"."stock", "items"."active", "items"."created_at", "items"."updated_at""#
    };
}
const COLUMNS: &str = columns!();
const RETURNING: &str = r#" RETURNING "id", "name", "category", "price", "stock", "active", "created_at", "updated_at""#;
/// The statements of the generated handlers (sea-orm 2.0 writes them the same way).
const SELECT_BY_ID: &str = concat!(
    "SELECT ",
    columns!(),
    r#" FROM "items" WHERE "items"."id" = $1 LIMIT $2"#
);
const INSERT: &str = concat!(
    r#"INSERT INTO "items" ("name", "category", "price", "stock", "active", "created_at", "updated_at") VALUES ($1, $2, $3, $4, $5, $6, $7)"#,
    r#" RETURNING "id", "name", "category", "price", "stock", "active", "created_at", "updated_at""#
);
const CATEGORIES: [&str; 4] = ["books", "games", "tools", "music"];
const DEFAULT_PER_PAGE: i64 = 20;
const MAX_PER_PAGE: i64 = 100;
const MAX_PAGE: i64 = 1_000_000_000;

#[derive(Serialize)]
struct Item {
    id: i64,
    name: String,
    category: String,
    price: i32,
    stock: i32,
    active: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl Item {
    fn from_row(row: &PgRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.try_get(0)?,
            name: row.try_get(1)?,
            category: row.try_get(2)?,
            price: row.try_get(3)?,
            stock: row.try_get(4)?,
            active: row.try_get(5)?,
            created_at: row.try_get(6)?,
            updated_at: row.try_get(7)?,
        })
    }
}

#[derive(Serialize)]
struct Links {
    first: String,
    prev: Option<String>,
    next: Option<String>,
    last: Option<String>,
}

#[derive(Serialize)]
struct ItemPage {
    data: Vec<Item>,
    page: Option<i64>,
    per_page: i64,
    total: Option<i64>,
    links: Links,
}

#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Category {
    Books,
    Games,
    Tools,
    Music,
}

impl Category {
    fn as_str(self) -> &'static str {
        match self {
            Category::Books => "books",
            Category::Games => "games",
            Category::Tools => "tools",
            Category::Music => "music",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateItem {
    name: String,
    category: Category,
    price: i32,
    #[serde(default)]
    stock: i32,
    #[serde(default = "yes")]
    active: bool,
}

fn yes() -> bool {
    true
}

/// A PATCH field: absent, `null`, or a value.
#[derive(Default)]
enum Patch<T> {
    #[default]
    Absent,
    Null,
    Value(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.map_or(Patch::Null, Patch::Value))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatchItem {
    #[serde(default)]
    name: Patch<String>,
    #[serde(default)]
    category: Patch<Category>,
    #[serde(default)]
    price: Patch<i32>,
    #[serde(default)]
    stock: Patch<i32>,
    #[serde(default)]
    active: Patch<bool>,
}

// ---- errors: application/problem+json ----

#[derive(Serialize)]
struct FieldError {
    field: String,
    code: &'static str,
    message: String,
}

struct Problem {
    status: StatusCode,
    detail: String,
    errors: Vec<FieldError>,
}

impl Problem {
    fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            status,
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "no such resource")
    }

    fn invalid(errors: Vec<FieldError>) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            detail: "the request has invalid fields".into(),
            errors,
        }
    }

    fn parameter(param: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            status: StatusCode::BAD_REQUEST,
            detail: format!("query parameter {param}: {message}"),
            errors: vec![FieldError {
                field: param.to_owned(),
                code: "invalid_parameter",
                message,
            }],
        }
    }
}

impl From<sqlx::Error> for Problem {
    fn from(err: sqlx::Error) -> Self {
        eprintln!("database error: {err}");
        match err {
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the database is unavailable: try again shortly",
            ),
            _ => Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body<'a> {
            r#type: &'static str,
            title: &'static str,
            status: u16,
            detail: &'a str,
            #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
            errors: &'a [FieldError],
        }
        let body = Body {
            r#type: "about:blank",
            title: self.status.canonical_reason().unwrap_or("Error"),
            status: self.status.as_u16(),
            detail: &self.detail,
            errors: &self.errors,
        };
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        let content_type = HeaderValue::from_static("application/problem+json");
        (self.status, [(header::CONTENT_TYPE, content_type)], bytes).into_response()
    }
}

type ApiResult<T> = Result<T, Problem>;

/// A JSON body: 415 without a JSON content type, 400 when it does not parse, 422 when a
/// field has the wrong type, is missing or is unknown.
struct Body<T>(T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(|value| {
                value
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            })
            .is_some_and(|essence| essence == "application/json" || essence.ends_with("+json"));
        if !json {
            let detail = "the body must be JSON, sent with Content-Type: application/json";
            return Err(Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, detail));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|rejection| Problem::new(rejection.status(), rejection.body_text()))?;
        serde_json::from_slice(&bytes).map(Body).map_err(|err| {
            if err.is_syntax() || err.is_eof() {
                return Problem::new(StatusCode::BAD_REQUEST, format!("malformed JSON: {err}"));
            }
            let message = err.to_string();
            let (field, code) = match message.strip_prefix("missing field `") {
                Some(rest) => (
                    rest.split('`').next().unwrap_or_default().to_owned(),
                    "required",
                ),
                None if message.starts_with("unknown field `") => {
                    let name = message.split('`').nth(1).unwrap_or_default().to_owned();
                    (name, "unknown")
                }
                None => (String::new(), "invalid"),
            };
            Problem::invalid(vec![FieldError {
                field,
                code,
                message,
            }])
        })
    }
}

/// The `{id}` of a path: a positive integer, or 400.
fn positive_id(raw: &str) -> ApiResult<i64> {
    match raw.parse::<i64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(Problem::new(
            StatusCode::BAD_REQUEST,
            format!("id must be a positive integer, not {raw:?}"),
        )),
    }
}

fn check(errors: &mut Vec<FieldError>, name: Option<&str>, price: Option<i32>, stock: Option<i32>) {
    if let Some(name) = name
        && name.chars().count() > 120
    {
        let message = "must be at most 120 characters long".to_owned();
        errors.push(FieldError {
            field: "name".into(),
            code: "max_length",
            message,
        });
    }
    for (field, value) in [("price", price), ("stock", stock)] {
        if value.is_some_and(|value| value < 0) {
            errors.push(FieldError {
                field: field.into(),
                code: "min",
                message: "must be at least 0".into(),
            });
        }
    }
}

// ---- handlers ----

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

async fn read(State(pool): State<PgPool>, Path(raw): Path<String>) -> ApiResult<Json<Item>> {
    let id = positive_id(&raw)?;
    let row = sqlx::query(SELECT_BY_ID)
        .bind(id)
        .bind(1_i64)
        .fetch_optional(&pool)
        .await?;
    let row = row.ok_or_else(Problem::not_found)?;
    Ok(Json(Item::from_row(&row)?))
}

async fn create(State(pool): State<PgPool>, Body(input): Body<CreateItem>) -> ApiResult<Response> {
    let mut errors = Vec::new();
    check(
        &mut errors,
        Some(&input.name),
        Some(input.price),
        Some(input.stock),
    );
    if !errors.is_empty() {
        return Err(Problem::invalid(errors));
    }
    let now = Utc::now();
    let mut tx = pool.begin().await?;
    let row = sqlx::query(INSERT)
        .bind(&input.name)
        .bind(input.category.as_str())
        .bind(input.price)
        .bind(input.stock)
        .bind(input.active)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    let item = Item::from_row(&row)?;
    let location = format!("/api/items/{}", item.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(item),
    )
        .into_response())
}

async fn update(
    State(pool): State<PgPool>,
    Path(raw): Path<String>,
    Body(input): Body<PatchItem>,
) -> ApiResult<Json<Item>> {
    let id = positive_id(&raw)?;
    let mut errors = Vec::new();
    for (field, null) in [
        ("name", matches!(input.name, Patch::Null)),
        ("category", matches!(input.category, Patch::Null)),
        ("price", matches!(input.price, Patch::Null)),
        ("stock", matches!(input.stock, Patch::Null)),
        ("active", matches!(input.active, Patch::Null)),
    ] {
        if null {
            errors.push(FieldError {
                field: field.into(),
                code: "required",
                message: "must not be null".into(),
            });
        }
    }
    let value = |patch: &Patch<i32>| match patch {
        Patch::Value(value) => Some(*value),
        _ => None,
    };
    let name = match &input.name {
        Patch::Value(name) => Some(name.as_str()),
        _ => None,
    };
    check(&mut errors, name, value(&input.price), value(&input.stock));
    if !errors.is_empty() {
        return Err(Problem::invalid(errors));
    }
    // As the generated handler does: in one transaction, read the row (404 if it is not
    // there), then write the fields sent and `updated_at`.
    let mut tx = pool.begin().await?;
    let found = sqlx::query(SELECT_BY_ID)
        .bind(id)
        .bind(1_i64)
        .fetch_optional(&mut *tx)
        .await?;
    if found.is_none() {
        tx.rollback().await?;
        return Err(Problem::not_found());
    }
    let mut sql = QueryBuilder::<Postgres>::new(r#"UPDATE "items" SET "#);
    let mut set = sql.separated(", ");
    if let Patch::Value(name) = input.name {
        set.push(r#""name" = "#).push_bind_unseparated(name);
    }
    if let Patch::Value(category) = input.category {
        set.push(r#""category" = "#)
            .push_bind_unseparated(category.as_str());
    }
    if let Patch::Value(price) = input.price {
        set.push(r#""price" = "#).push_bind_unseparated(price);
    }
    if let Patch::Value(stock) = input.stock {
        set.push(r#""stock" = "#).push_bind_unseparated(stock);
    }
    if let Patch::Value(active) = input.active {
        set.push(r#""active" = "#).push_bind_unseparated(active);
    }
    set.push(r#""updated_at" = "#)
        .push_bind_unseparated(Utc::now());
    sql.push(r#" WHERE "items"."id" = "#).push_bind(id);
    sql.push(RETURNING);
    let row = sql.build().fetch_one(&mut *tx).await?;
    tx.commit().await?;
    Ok(Json(Item::from_row(&row)?))
}

// ---- lists ----

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Integer,
    Text,
    Enum,
    Bool,
    DateTime,
}

const FIELDS: [(&str, Kind); 8] = [
    ("id", Kind::Integer),
    ("name", Kind::Text),
    ("category", Kind::Enum),
    ("price", Kind::Integer),
    ("stock", Kind::Integer),
    ("active", Kind::Bool),
    ("created_at", Kind::DateTime),
    ("updated_at", Kind::DateTime),
];

enum Bound {
    Int(i64),
    Text(String),
    Bool(bool),
    Time(DateTime<Utc>),
}

fn bound(kind: Kind, raw: &str) -> Result<Bound, String> {
    let wrong = |what: &str| format!("must be {what}, not {raw:?}");
    match kind {
        Kind::Integer => raw.parse().map(Bound::Int).map_err(|_| wrong("an integer")),
        Kind::Text if raw.contains('\0') => Err("must not contain a NUL character".into()),
        Kind::Text => Ok(Bound::Text(raw.to_owned())),
        Kind::Enum if CATEGORIES.contains(&raw) => Ok(Bound::Text(raw.to_owned())),
        Kind::Enum => Err(wrong(&format!("one of {}", CATEGORIES.join(", ")))),
        Kind::Bool => match raw {
            "true" => Ok(Bound::Bool(true)),
            "false" => Ok(Bound::Bool(false)),
            _ => Err(wrong("true or false")),
        },
        Kind::DateTime => DateTime::parse_from_rfc3339(raw)
            .map(|time| time.to_utc())
            .ok()
            .or_else(|| {
                let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
                Some(date.and_hms_opt(0, 0, 0)?.and_utc())
            })
            .map(Bound::Time)
            .ok_or_else(|| wrong("an RFC 3339 date-time or a date (YYYY-MM-DD)")),
    }
}

/// One filter: `"column" <op> <values>`.
struct Filter {
    column: &'static str,
    op: &'static str,
    values: Vec<Bound>,
}

fn push_bound(sql: &mut QueryBuilder<Postgres>, value: &Bound) {
    match value {
        Bound::Int(value) => sql.push_bind(*value),
        Bound::Text(value) => sql.push_bind(value.clone()),
        Bound::Bool(value) => sql.push_bind(*value),
        Bound::Time(value) => sql.push_bind(*value),
    };
}

fn push_where(sql: &mut QueryBuilder<Postgres>, filters: &[Filter]) {
    for (i, filter) in filters.iter().enumerate() {
        sql.push(if i == 0 { " WHERE " } else { " AND " });
        let column = format!(r#""items"."{}""#, filter.column);
        match filter.op {
            "in" => {
                sql.push(column).push(" IN (");
                for (j, value) in filter.values.iter().enumerate() {
                    if j > 0 {
                        sql.push(", ");
                    }
                    push_bound(sql, value);
                }
                sql.push(")");
            }
            "contains" => {
                sql.push(format!("LOWER({column}) LIKE "));
                push_bound(sql, &filter.values[0]);
                sql.push(r" ESCAPE '\'");
            }
            op => {
                let symbol = match op {
                    "eq" => "=",
                    "ne" => "<>",
                    "gt" => ">",
                    "gte" => ">=",
                    "lt" => "<",
                    _ => "<=",
                };
                sql.push(format!("{column} {symbol} "));
                push_bound(sql, &filter.values[0]);
            }
        }
    }
}

fn escape_like(raw: &str) -> String {
    let mut escaped = String::with_capacity(raw.len());
    for c in raw.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

fn filter(key: &str, raw: &str) -> ApiResult<Filter> {
    let (name, op) = key.rsplit_once('.').unwrap_or((key, "eq"));
    let Some(&(column, kind)) = FIELDS.iter().find(|(field, _)| *field == name) else {
        return Err(Problem::parameter(key, "is not a filter of this list"));
    };
    let allowed: &[&str] = match kind {
        Kind::Text => &["eq", "ne", "contains", "in"],
        Kind::Integer => &["eq", "ne", "gt", "gte", "lt", "lte", "in"],
        Kind::DateTime => &["eq", "ne", "gt", "gte", "lt", "lte"],
        Kind::Bool => &["eq", "ne"],
        Kind::Enum => &["eq", "ne", "in"],
    };
    let Some(&op) = allowed.iter().find(|allowed| **allowed == op) else {
        return Err(Problem::parameter(
            key,
            format!("{name} takes the operators {}", allowed.join(", ")),
        ));
    };
    let values = match op {
        "in" => {
            let raws: Vec<&str> = raw.split(',').collect();
            if raws.len() > 100 {
                return Err(Problem::parameter(key, "takes at most 100 values"));
            }
            raws.into_iter()
                .map(|raw| bound(kind, raw))
                .collect::<Result<Vec<_>, _>>()
        }
        "contains" if raw.contains('\0') => Err("must not contain a NUL character".to_owned()),
        "contains" => Ok(vec![Bound::Text(format!(
            "%{}%",
            escape_like(&raw.to_lowercase())
        ))]),
        _ => bound(kind, raw).map(|value| vec![value]),
    };
    let values = values.map_err(|message| Problem::parameter(key, message))?;
    Ok(Filter { column, op, values })
}

async fn list(
    State(pool): State<PgPool>,
    OriginalUri(uri): OriginalUri,
) -> ApiResult<Json<ItemPage>> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(uri.query().unwrap_or_default())
        .map_err(|err| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                format!("malformed query string: {err}"),
            )
        })?;
    let mut page = 1_i64;
    let mut per_page = DEFAULT_PER_PAGE;
    let mut order: Vec<(&'static str, &'static str)> = Vec::new();
    let mut filters = Vec::new();
    for (key, raw) in &pairs {
        match key.as_str() {
            "page" => match raw.parse::<i64>() {
                Ok(n) if (1..=MAX_PAGE).contains(&n) => page = n,
                _ => {
                    return Err(Problem::parameter(
                        "page",
                        format!("must be from 1 to {MAX_PAGE}"),
                    ));
                }
            },
            "per_page" => match raw.parse::<i64>() {
                Ok(n) if n >= 1 => per_page = n.min(MAX_PER_PAGE),
                _ => {
                    return Err(Problem::parameter(
                        "per_page",
                        "must be a whole number, 1 or more",
                    ));
                }
            },
            "sort" => {
                order.clear();
                for key in raw.split(',') {
                    let (name, direction) = match key.strip_prefix('-') {
                        Some(name) => (name, "DESC"),
                        None => (key, "ASC"),
                    };
                    let Some(&(column, _)) = FIELDS.iter().find(|(field, _)| *field == name) else {
                        return Err(Problem::parameter(
                            "sort",
                            format!("{name:?} is not a field"),
                        ));
                    };
                    if order.iter().any(|(seen, _)| *seen == column) {
                        return Err(Problem::parameter("sort", format!("names {name} twice")));
                    }
                    order.push((column, direction));
                }
            }
            _ => filters.push(filter(key, raw)?),
        }
    }
    if !order.iter().any(|(column, _)| *column == "id") {
        order.push(("id", "ASC"));
    }

    // As the generated list does: the count of the matching rows, then the page.
    let mut count = QueryBuilder::<Postgres>::new(concat!(
        "SELECT COUNT(*) AS num_items FROM (SELECT ",
        columns!(),
        r#" FROM "items""#
    ));
    push_where(&mut count, &filters);
    count.push(r#") AS "sub_query""#);
    let total: i64 = count.build().fetch_one(&pool).await?.try_get(0)?;

    let mut rows = QueryBuilder::<Postgres>::new(format!(r#"SELECT {COLUMNS} FROM "items""#));
    push_where(&mut rows, &filters);
    for (i, (column, direction)) in order.iter().enumerate() {
        rows.push(if i == 0 { " ORDER BY " } else { ", " });
        rows.push(format!(r#""items"."{column}" {direction}"#));
    }
    rows.push(" LIMIT ").push_bind(per_page);
    rows.push(" OFFSET ").push_bind((page - 1) * per_page);
    let rows = rows.build().fetch_all(&pool).await?;
    let data = rows
        .iter()
        .map(Item::from_row)
        .collect::<Result<Vec<_>, _>>()?;

    let last = ((total + per_page - 1) / per_page).max(1);
    let link = |value: i64| {
        let mut kept: Vec<(&str, String)> = pairs
            .iter()
            .filter(|(name, _)| !matches!(name.as_str(), "page" | "after" | "per_page"))
            .map(|(name, value)| (name.as_str(), value.clone()))
            .collect();
        kept.push(("page", value.to_string()));
        kept.push(("per_page", per_page.to_string()));
        format!(
            "{}?{}",
            uri.path(),
            serde_urlencoded::to_string(&kept).unwrap_or_default()
        )
    };
    let links = Links {
        first: link(1),
        prev: (page > 1).then(|| link((page - 1).min(last))),
        next: (page < last).then(|| link(page + 1)),
        last: Some(link(last)),
    };
    Ok(Json(ItemPage {
        data,
        page: Some(page),
        per_page,
        total: Some(total),
        links,
    }))
}

fn var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = var("DATABASE_URL").ok_or("DATABASE_URL is required")?;
    let max: u32 = var("DB_MAX_CONNECTIONS").map_or(Ok(10), |value| value.parse())?;
    // The generated crate's pool settings (its src/db.rs and src/config.rs defaults).
    let options = PgConnectOptions::from_str(&url)?.options([("statement_timeout", "15000")]);
    let pool = PgPoolOptions::new()
        .max_connections(max)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(3))
        .test_before_acquire(true)
        .connect_with(options)
        .await?;
    let app = Router::new()
        .route("/health", get(health))
        .route("/api/items", get(list).post(create))
        .route("/api/items/{id}", get(read).patch(update))
        .with_state(pool.clone());
    let host = var("HOST").unwrap_or_else(|| "127.0.0.1".into());
    let port = var("PORT").unwrap_or_else(|| "3001".into());
    let listener = tokio::net::TcpListener::bind(format!("{host}:{port}")).await?;
    eprintln!("listening on http://{host}:{port}");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("a SIGTERM handler");
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        })
        .await?;
    pool.close().await;
    Ok(())
}

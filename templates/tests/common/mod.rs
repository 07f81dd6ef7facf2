// {{ header }} Do not edit: add your own tests in new files under tests/.
//! Test harness: a fresh database per test, and requests sent straight to the router.
//!
//! SQLite in memory by default. With `TEST_DATABASE_URL=postgres://...` each test
//! gets its own PostgreSQL schema, dropped when the test ends.
#![allow(dead_code, reason = "each test file uses part of the harness")]

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use sea_orm_migration::MigratorTrait;
use serde_json::{Value, json};
use tower::ServiceExt;

use {{ plan.crate_name }}::app::{self, AppState};
use {{ plan.crate_name }}::db;
use {{ plan.crate_name }}::migrations::Migrator;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A number no other call in this test process returns, for unique values.
pub fn unique() -> u64 {
    COUNTER.fetch_add(1, Ordering::Relaxed) + 1
}

/// The API over a database of its own.
pub struct TestApp {
    router: Router,
    pub db: DatabaseConnection,
    schema: Option<Schema>,
    /// How many values of each list of choices this test has taken.
    taken: Mutex<HashMap<&'static str, usize>>,
}

/// A PostgreSQL schema to drop when the test ends.
struct Schema {
    url: String,
    name: String,
}

impl TestApp {
    pub async fn new() -> Self {
        let _ = tracing_subscriber::fmt().with_test_writer().try_init();
        let (options, schema) = match std::env::var("TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => postgres_options(url).await,
            _ => (sqlite_options(), None),
        };
        let db = Database::connect(options)
            .await
            .expect("connect to the test database");
        Migrator::up(&db, None).await.expect("apply migrations");
        let router = app::router(AppState { db: db.clone() });
        Self {
            router,
            db,
            schema,
            taken: Mutex::default(),
        }
    }

    /// The next of the newline-separated `choices` in this test: distinct values for a
    /// unique field whose pattern they match.
    pub fn next_of(&self, choices: &'static str) -> String {
        let mut taken = self.taken.lock().unwrap_or_else(PoisonError::into_inner);
        let count = taken.entry(choices).or_default();
        *count += 1;
        pick(choices, *count - 1)
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(Method::GET, path, None).await
    }

    pub async fn delete(&self, path: &str) -> TestResponse {
        self.send(Method::DELETE, path, None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> TestResponse {
        self.send_json(Method::POST, path, body).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> TestResponse {
        self.send_json(Method::PUT, path, body).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> TestResponse {
        self.send_json(Method::PATCH, path, body).await
    }

    pub async fn send_json(&self, method: Method, path: &str, body: &Value) -> TestResponse {
        let body = serde_json::to_vec(body).expect("serialize the body");
        self.send(method, path, Some(("application/json", body)))
            .await
    }

    /// Sends `body` as it is, with `content_type` (none when `None`).
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: &str,
    ) -> TestResponse {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        let request = request
            .body(Body::from(body.to_owned()))
            .expect("build the request");
        self.call(request).await
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<(&str, Vec<u8>)>,
    ) -> TestResponse {
        let request = Request::builder().method(method).uri(path);
        let request = match body {
            Some((content_type, body)) => request
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body)),
            None => request.body(Body::empty()),
        };
        self.call(request.expect("build the request")).await
    }

    async fn call(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("read the body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).expect("a JSON body")
        };
        TestResponse {
            status,
            headers,
            body,
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(schema) = self.schema.take() {
            // Drop cannot await, and the test's runtime may be gone: use a thread of our own.
            let _ = std::thread::spawn(move || drop_schema(schema)).join();
        }
    }
}

fn sqlite_options() -> ConnectOptions {
    // Every connection to `sqlite::memory:` opens a new, empty database: keep
    // exactly one, for the whole test.
    let mut options = db::options("sqlite::memory:");
    options
        .max_connections(1)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None);
    options
}

async fn postgres_options(url: String) -> (ConnectOptions, Option<Schema>) {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.subsec_nanos());
    let name = format!("test_{}_{}_{}", std::process::id(), unique(), nanos);
    let admin = Database::connect(&url)
        .await
        .expect("connect to PostgreSQL");
    let sql = format!("CREATE SCHEMA \"{name}\"");
    admin
        .execute_unprepared(&sql)
        .await
        .expect("create the schema");
    let _ = admin.close().await;
    let mut options = db::options(&url);
    options
        .max_connections(2)
        .set_schema_search_path(name.clone())
        .set_application_name(name.clone());
    (options, Some(Schema { url, name }))
}

fn drop_schema(schema: Schema) {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    runtime.block_on(async {
        let Ok(admin) = Database::connect(&schema.url).await else {
            return;
        };
        // The test's own connections belong to its runtime, which is blocked
        // here: end them, or a lock one still holds would block the drop.
        let name = &schema.name;
        let terminate = format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE application_name = '{name}' AND pid <> pg_backend_pid()"
        );
        let _ = admin.execute_unprepared(&terminate).await;
        let drop = format!("DROP SCHEMA IF EXISTS \"{name}\" CASCADE");
        let _ = admin.execute_unprepared(&drop).await;
        let _ = admin.close().await;
    });
}

/// What the router answered.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl TestResponse {
    /// Asserts the status, printing the body when it differs.
    pub fn assert_status(&self, expected: StatusCode) -> &Self {
        assert_eq!(self.status, expected, "body: {}", self.body);
        self
    }

    /// Asserts a problem answer (RFC 9457) with this status.
    pub fn assert_problem(&self, expected: StatusCode) -> &Self {
        self.assert_status(expected);
        let content_type = self.header(header::CONTENT_TYPE.as_str());
        assert_eq!(content_type, Some("application/problem+json"));
        assert_eq!(self.body["status"], expected.as_u16());
        assert!(self.body["title"].is_string(), "body: {}", self.body);
        assert!(self.body["detail"].is_string(), "body: {}", self.body);
        self
    }

    /// Asserts a 422 whose `errors` name `field`.
    pub fn assert_invalid(&self, field: &str) -> &Self {
        self.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        self.assert_names(field)
    }

    /// Asserts a 422 with an error of `code` for `field`.
    pub fn assert_rule(&self, field: &str, code: &str) -> &Self {
        self.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        let errors = self.body["errors"].as_array().cloned().unwrap_or_default();
        let found = errors
            .iter()
            .any(|error| error["field"] == field && error["code"] == code);
        assert!(
            found,
            "expected a {code:?} error for {field:?}, body: {}",
            self.body
        );
        self
    }

    /// Asserts that `errors` name `field`.
    pub fn assert_names(&self, field: &str) -> &Self {
        let errors = self.body["errors"].as_array().cloned().unwrap_or_default();
        let named = errors.iter().any(|error| error["field"] == field);
        assert!(
            named,
            "expected an error naming {field:?}, body: {}",
            self.body
        );
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The `id` of the row in the body.
    pub fn id(&self) -> i64 {
        self.body["id"].as_i64().expect("an id in the body")
    }
}

/// A string of `n` characters.
pub fn chars(n: usize) -> String {
    "x".repeat(n)
}

/// `prefix n`, padded with `x` or cut from the front to fit `min..=max` characters.
pub fn sized_text(prefix: &str, n: u64, min: usize, max: usize) -> String {
    let mut text = format!("{prefix} {n}");
    while text.chars().count() < min {
        text.push('x');
    }
    let extra = text.chars().count().saturating_sub(max);
    text.chars().skip(extra).collect()
}

/// The `n`th of the newline-separated `choices`, cycling.
pub fn pick(choices: &str, n: usize) -> String {
    let all: Vec<&str> = choices.lines().collect();
    let index = n % all.len().max(1);
    all.get(index).copied().unwrap_or_default().to_owned()
}
{% for r in plan.resources %}¶
{% for line in r.sample_consts() %}¶

{{ line }}
{% endfor %}¶
{% endfor %}¶
{% for r in plan.resources %}¶

/// A body for `POST {{ r.path(plan) }}` that passes every rule, with values no other call uses.
{% let parents = r.required_parents() %}¶
pub async fn valid_{{ r.module }}({% if r.samples_need_app() %}app{% else %}_app{% endif %}: &TestApp) -> Value {
{% if r.samples_use_n() %}¶
    let n = unique();
{% endif %}¶
{% for (var, parent) in parents %}¶
    let {{ var }} = create_{{ parent }}(app).await;
{% endfor %}¶
    json!({
{% for f in r.sample_fields() %}¶
        "{{ f.name }}": {{ f.sample_expr(r) }},
{% endfor %}¶
    })
}

/// Creates {{ r.a_words_lower() }} through the API and returns its id.
pub async fn create_{{ r.module }}(app: &TestApp) -> i64 {
    let body = valid_{{ r.module }}(app).await;
    let response = app.post("{{ r.path(plan) }}", &body).await;
    response.assert_status(StatusCode::CREATED);
    response.id()
}
{% endfor %}¶

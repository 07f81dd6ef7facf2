// {{ header }}
// Do not edit: add your own tests in new files under tests/.
//! Test harness: a fresh database per test, and requests sent straight to the router.
//!
//! SQLite in memory by default. With `TEST_DATABASE_URL=postgres://...` each test
//! gets its own PostgreSQL schema, with `TEST_DATABASE_URL=mysql://...` its own MySQL
//! database, dropped when the test ends.
{% if plan.auth.is_some() %}¶
//!
//! `TestApp::new()` sends every request as a user of the most privileged role, so
//! that the tests of each resource's data rules pass its access rules; the access
//! tests send tokens of their own with the `*_as` methods.
{% endif %}¶
#![allow(dead_code, reason = "each test file uses part of the harness")]

pub mod lists;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
{% if plan.auth.is_some() %}¶
use std::io;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
{% else %}¶
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
{% endif %}¶
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
{% if plan.auth.is_some() %}¶
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, Iterable};
{% endif %}¶
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
};
use serde_json::{Value, json};
use tower::ServiceExt;

use {{ plan.crate_name }}::app::{self, AppState};
{% if plan.auth.is_some() %}¶
use {{ plan.crate_name }}::auth::{self, Auth, Claims, Password};
{% endif %}¶
use {{ plan.crate_name }}::config::{HttpConfig, PoolConfig};
use {{ plan.crate_name }}::db;
{% if plan.auth.is_some() %}¶
use {{ plan.crate_name }}::entities::user::UserRole;
{% endif %}¶
use {{ plan.crate_name }}::migrations;
{% if plan.auth.is_some() %}¶
use {{ plan.crate_name }}::models::user::RegisterUser;

pub use {{ plan.crate_name }}::auth::Rule;

/// The `JWT_SECRET` of every test app.
pub const TEST_SECRET: &[u8] = b"the fixed secret of the test suite, 32+ bytes";
/// A secret the app does not know.
pub const OTHER_SECRET: &[u8] = b"another secret, unknown to the application";
/// The password of every user the tests create.
pub const PASSWORD: &str = "correct horse battery";
/// Login attempts per minute in tests, unless a test sets its own limit.
const TEST_LOGIN_LIMIT: u32 = 1000;
/// `{"alg":"none","typ":"JWT"}`, base64url.
const ALG_NONE_HEADER: &str = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0";

/// Every log line of this test process, for the tests that look for secrets in them.
pub static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Writes log lines to the test's output, like `with_test_writer`, and to [`LOGS`].
struct TestLog;

impl io::Write for TestLog {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let mut logs = LOGS.lock().unwrap_or_else(PoisonError::into_inner);
        logs.extend_from_slice(bytes);
        print!("{}", String::from_utf8_lossy(bytes));
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Everything logged so far in this test process.
pub fn logs() -> String {
    let logs = LOGS.lock().unwrap_or_else(PoisonError::into_inner);
    String::from_utf8_lossy(&logs).into_owned()
}
{% endif %}¶

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A number no other call in this test process returns, for unique values.
pub fn unique() -> u64 {
    COUNTER.fetch_add(1, Ordering::Relaxed) + 1
}

/// The API over a database of its own.
pub struct TestApp {
    router: Router,
    pub db: DatabaseConnection,
{% if plan.auth.is_some() %}¶
    pub auth: Arc<Auth>,
    /// The token sent by `get`, `post`, ...: the most privileged role's, or none.
    pub token: Option<String>,
{% endif %}¶
    scratch: Option<Scratch>,
    /// How many values of each list of choices this test has taken.
    taken: Mutex<HashMap<&'static str, usize>>,
    /// The statements the app runs while [`TestApp::statements_of`] records them.
    recorded: Recorded,
}

/// Where the database connection puts each statement it runs, while `Some`.
type Recorded = Arc<Mutex<Option<Vec<Statement>>>>;

/// `db`, recording into `recorded` the statements it runs while that is `Some`.
fn recording(mut db: DatabaseConnection, recorded: &Recorded) -> DatabaseConnection {
    let sink = Arc::clone(recorded);
    db.set_metric_callback(move |info| {
        let mut sink = sink.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(statements) = sink.as_mut() {
            statements.push(info.statement.clone());
        }
    });
    db
}

/// Where a test's tables live on a database server, dropped when the test ends: a
/// PostgreSQL schema or a MySQL database named `name`, made through `url`.
struct Scratch {
    url: String,
    name: String,
}

impl TestApp {
{% if plan.auth.is_some() %}¶
    /// An app whose requests come from a user of the most privileged role.
    pub async fn new() -> Self {
        let mut app = Self::anonymous().await;
        app.token = Some(app.register(UserRole::LAST).await);
        app
    }

    /// An app whose requests carry no token.
    pub async fn anonymous() -> Self {
        Self::with_login_limit(TEST_LOGIN_LIMIT).await
    }

    /// An anonymous app that allows `limit` login attempts a minute.
    pub async fn with_login_limit(limit: u32) -> Self {
        let (options, scratch) = test_database().await;
        Self::on(options, scratch, limit).await
    }

    /// An app whose requests come from a user of the most privileged role, on the SQLite
    /// file at `path` with the pool the server opens (the `DB_*` defaults).
    pub async fn on_sqlite_file(path: &Path) -> Self {
        let mut app = Self::on(sqlite_file_options(path), None, TEST_LOGIN_LIMIT).await;
        app.token = Some(app.register(UserRole::LAST).await);
        app
    }

    async fn on(options: ConnectOptions, scratch: Option<Scratch>, limit: u32) -> Self {
        let logs = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(|| TestLog);
        let _ = logs.try_init();
{% else %}¶
    pub async fn new() -> Self {
        let (options, scratch) = test_database().await;
        Self::on(options, scratch).await
    }

    /// An app on the SQLite file at `path`, with the pool the server opens (the `DB_*`
    /// defaults).
    pub async fn on_sqlite_file(path: &Path) -> Self {
        Self::on(sqlite_file_options(path), None).await
    }

    async fn on(options: ConnectOptions, scratch: Option<Scratch>) -> Self {
        let _ = tracing_subscriber::fmt().with_test_writer().try_init();
{% endif %}¶
        let db = Database::connect(options)
            .await
            .expect("connect to the test database");
        migrations::up(&db, None).await.expect("apply migrations");
        let recorded = Recorded::default();
        let db = recording(db, &recorded);
{% if plan.auth.is_some() %}¶
        let limit = NonZeroU32::new(limit).expect("a limit of 1 or more");
        let ttl = NonZeroU32::new(60).expect("a ttl");
        let auth = Arc::new(Auth::new(TEST_SECRET, ttl, limit));
        let state = AppState {
            db: db.clone(),
            auth: Arc::clone(&auth),
        };
        Self {
            router: app::router(state, &test_http()),
            db,
            auth,
            token: None,
            scratch,
{% else %}¶
        let router = app::router(AppState { db: db.clone() }, &test_http());
        Self {
            router,
            db,
            scratch,
{% endif %}¶
            taken: Mutex::default(),
            recorded,
        }
    }

    /// The statements the app runs to answer `GET path` (200).
    pub async fn statements_of(&self, path: &str) -> Vec<Statement> {
        let lock = || self.recorded.lock().unwrap_or_else(PoisonError::into_inner);
        *lock() = Some(Vec::new());
        let response = self.get(path).await;
        let statements = lock().take().unwrap_or_default();
        response.assert_status(StatusCode::OK);
        statements
    }

    /// The next of the newline-separated `choices` in this test: distinct values for a
    /// unique field whose pattern they match.
    pub fn next_of(&self, choices: &'static str) -> String {
        let mut taken = self.taken.lock().unwrap_or_else(PoisonError::into_inner);
        let count = taken.entry(choices).or_default();
        *count += 1;
        pick(choices, *count - 1)
    }

{% if plan.auth.is_some() %}¶
{% if plan.registration_open() %}¶
    /// A new user of `role` and a token for it: the first role registers through
    /// the API; the others are written to the database. Both then log in.
{% else %}¶
    /// A new user of `role` and a token for it: written to the database (registration
    /// is closed), then logged in through the API.
{% endif %}¶
    pub async fn register(&self, role: UserRole) -> String {
        self.register_user(role).await.1
    }

    /// Like [`Self::register`], with the new user's id.
    pub async fn register_user(&self, role: UserRole) -> (i64, String) {
        let email = format!("user{}@example.com", unique());
{% if plan.registration_open() %}¶
        let id = if role == UserRole::FIRST {
            let body = registration(self, &email).await;
            let response = self.post_as("{{ plan.base_path }}/auth/register", None, &body).await;
            response.assert_status(StatusCode::CREATED);
            response.id()
        } else {
            self.insert_user(&email, role).await
        };
{% else %}¶
        let id = self.insert_user(&email, role).await;
{% endif %}¶
        (id, self.login(&email, PASSWORD).await)
    }

    /// A user of `role` written straight to the database, with the password
    /// [`PASSWORD`]; returns its id.
    pub async fn insert_user(&self, email: &str, role: UserRole) -> i64 {
        let body = registration(self, email).await;
        let input: RegisterUser = serde_json::from_value(body).expect("a registration");
        let hash = auth::hash_password(Password::new(PASSWORD)).await;
        let mut row = input.into_active_model(hash.expect("hash the password"));
        row.role = Set(role);
        row.insert(&self.db).await.expect("insert a user").id
    }

    /// Logs in through the API and returns the token.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let body = json!({ "email": email, "password": password });
        let response = self.post_as("{{ plan.base_path }}/auth/login", None, &body).await;
        response.assert_status(StatusCode::OK);
        let token = response.body["token"].as_str().expect("a token");
        token.to_owned()
    }

    /// The stamp of user `id`'s password hash, which their tokens carry ("" for no user).
    pub async fn stamp(&self, id: i64) -> String {
        use sea_orm::EntityTrait;

        let user = {{ plan.crate_name }}::entities::user::Entity::find_by_id(id);
        let user = user.one(&self.db).await.expect("read the user");
        user.map(|user| auth::stamp_of(&user.password_hash).to_owned())
            .unwrap_or_default()
    }

    /// A new login session of user `id`, as a login starts one (0, no session, when
    /// there is no such user).
    pub async fn session(&self, id: i64) -> i64 {
        use sea_orm::EntityTrait;
        use {{ plan.crate_name }}::datetime::DbDateTime;
        use {{ plan.crate_name }}::entities::{auth_session, user};

        let user = user::Entity::find_by_id(id).one(&self.db).await;
        if user.expect("read the user").is_none() {
            return 0;
        }
        let refresh = auth::RefreshToken::new().expect("a refresh token");
        let now = DbDateTime::now();
        let session = auth_session::ActiveModel {
            user_id: Set(id),
            refresh_hash: Set(refresh.hash()),
            created_at: Set(now),
            refreshed_at: Set(now),
            expires_at: Set(self.auth.session_end().expect("a session's end")),
            ..Default::default()
        };
        session.insert(&self.db).await.expect("insert a session").id
    }

    /// How many login sessions user `id` has in the database, ended or not.
    pub async fn sessions_of(&self, id: i64) -> u64 {
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        use {{ plan.crate_name }}::entities::auth_session;

        let of_user = auth_session::Column::UserId.eq(id);
        let sessions = auth_session::Entity::find().filter(of_user);
        sessions.count(&self.db).await.expect("count the sessions")
    }

    /// Makes every session of user `id` one whose token expired an hour ago.
    pub async fn expire_sessions(&self, id: i64) {
        use sea_orm::prelude::DateTimeUtc;
        use sea_orm::sea_query::Expr;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use {{ plan.crate_name }}::datetime::DbDateTime;
        use {{ plan.crate_name }}::entities::auth_session;

        let an_hour_ago = jsonwebtoken::get_current_timestamp() - 3600;
        let an_hour_ago = i64::try_from(an_hour_ago).expect("a time in range");
        let an_hour_ago = DateTimeUtc::from_timestamp(an_hour_ago, 0).expect("a time");
        auth_session::Entity::update_many()
            .col_expr(
                auth_session::Column::ExpiresAt,
                Expr::value(DbDateTime(an_hour_ago)),
            )
            .filter(auth_session::Column::UserId.eq(id))
            .exec(&self.db)
            .await
            .expect("expire the sessions");
    }

    /// The claims of a token for user `id` of `role`, valid from `iat` to `exp`, in a
    /// new session.
    async fn claims(&self, id: i64, role: UserRole, iat: u64, exp: u64) -> Claims {
        Claims {
            sub: id.to_string(),
            iss: auth::TOKEN_ISSUER.to_owned(),
            aud: auth::TOKEN_AUDIENCE.to_owned(),
            role,
            stamp: self.stamp(id).await,
            sid: self.session(id).await,
            exp,
            iat,
        }
    }

    /// A valid token for user `id`, signed with the app's secret, in a new session.
    pub async fn token_for(&self, id: i64, role: UserRole) -> String {
        let stamp = self.stamp(id).await;
        let session = self.session(id).await;
        let token = self.auth.issue(id, role, &stamp, session);
        token.expect("issue a token").token
    }

    /// A token for user `id` that expired an hour ago.
    pub async fn expired_token(&self, id: i64, role: UserRole) -> String {
        let now = jsonwebtoken::get_current_timestamp();
        let claims = self.claims(id, role, now - 7200, now - 3600).await;
        sign(TEST_SECRET, claims)
    }

    /// A token for user `id` signed with a secret the app does not know.
    pub async fn token_signed_with_other_secret(&self, id: i64, role: UserRole) -> String {
        let now = jsonwebtoken::get_current_timestamp();
        sign(OTHER_SECRET, self.claims(id, role, now, now + 3600).await)
    }

    /// A token for user `id` signed with the app's secret, but with HS512, not HS256.
    pub async fn token_with_other_algorithm(&self, id: i64, role: UserRole) -> String {
        let now = jsonwebtoken::get_current_timestamp();
        let key = EncodingKey::from_secret(TEST_SECRET);
        let header = Header::new(Algorithm::HS512);
        let claims = self.claims(id, role, now, now + 3600).await;
        jsonwebtoken::encode(&header, &claims, &key).expect("sign a token")
    }

    /// A token for user `id` signed with the app's secret, naming `iss` as its issuer and
    /// `aud` as its audience (another API's, when two APIs share a secret).
    pub async fn token_naming(&self, id: i64, role: UserRole, iss: &str, aud: &str) -> String {
        let now = jsonwebtoken::get_current_timestamp();
        let mut claims = self.claims(id, role, now, now + 3600).await;
        claims.iss = iss.to_owned();
        claims.aud = aud.to_owned();
        sign(TEST_SECRET, claims)
    }

    /// The claims of a valid token for user `id`, under `alg: none` and no signature.
    pub async fn alg_none_token(&self, id: i64, role: UserRole) -> String {
        let token = self.token_for(id, role).await;
        let payload = token.split('.').nth(1).expect("a payload");
        format!("{ALG_NONE_HEADER}.{payload}.")
    }

    /// Not a token at all.
    pub fn malformed_token(&self) -> String {
        "not-a.jwt".to_owned()
    }

    /// Sends a request with `token` (none when `None`) instead of the app's own.
    pub async fn send_as(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> TestResponse {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let request = match body {
            Some(body) => {
                let body = serde_json::to_vec(body).expect("serialize the body");
                request
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body))
            }
            None => request.body(Body::empty()),
        };
        self.call(request.expect("build the request")).await
    }

    pub async fn get_as(&self, path: &str, token: Option<&str>) -> TestResponse {
        self.send_as(Method::GET, path, token, None).await
    }

    pub async fn post_as(&self, path: &str, token: Option<&str>, body: &Value) -> TestResponse {
        self.send_as(Method::POST, path, token, Some(body)).await
    }

    pub async fn patch_as(&self, path: &str, token: Option<&str>, body: &Value) -> TestResponse {
        self.send_as(Method::PATCH, path, token, Some(body)).await
    }

{% endif %}¶
    /// Sends a request exactly as built.
    pub async fn call_raw(&self, request: Request<Body>) -> TestResponse {
        self.call(request).await
    }

    /// Sends a request as if it came over a connection from `peer`, as the server
    /// marks the requests it reads.
    pub async fn call_from(&self, peer: [u8; 4], mut request: Request<Body>) -> TestResponse {
        let address = SocketAddr::from((peer, 40_000));
        request.extensions_mut().insert(ConnectInfo(address));
        self.call(request).await
    }

    /// Sends a request exactly as built and returns the answer unread (its body may
    /// be compressed).
    pub async fn call_unread(&self, request: Request<Body>) -> axum::response::Response {
        self.router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible")
    }

    /// The same app behind other HTTP settings: a rate limit, CORS origins, a timeout.
    pub fn with_http(mut self, http: &HttpConfig) -> Self {
{% if plan.auth.is_some() %}¶
        let state = AppState {
            db: self.db.clone(),
            auth: Arc::clone(&self.auth),
        };
{% else %}¶
        let state = AppState {
            db: self.db.clone(),
        };
{% endif %}¶
        self.router = app::router(state, http);
        self
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
        let mut request = self.request(method, path);
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
        let request = self.request(method, path);
        let request = match body {
            Some((content_type, body)) => request
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body)),
            None => request.body(Body::empty()),
        };
        self.call(request.expect("build the request")).await
    }

{% if plan.auth.is_some() %}¶
    /// A request carrying the app's token, if it has one.
    pub fn request(&self, method: Method, path: &str) -> axum::http::request::Builder {
        let request = Request::builder().method(method).uri(path);
        match &self.token {
            Some(token) => request.header(header::AUTHORIZATION, format!("Bearer {token}")),
            None => request,
        }
    }
{% else %}¶
    pub fn request(&self, method: Method, path: &str) -> axum::http::request::Builder {
        Request::builder().method(method).uri(path)
    }
{% endif %}¶

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
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.contains("json"));
        let body = if bytes.is_empty() {
            Value::Null
        } else if json {
            serde_json::from_slice(&bytes).expect("a JSON body")
        } else {
            Value::String(String::from_utf8_lossy(&bytes).into_owned())
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
        if let Some(scratch) = self.scratch.take() {
            // Drop cannot await, and the test's runtime may be gone: use a thread of our own.
            let _ = std::thread::spawn(move || drop_scratch(scratch)).join();
        }
    }
}

{% if plan.auth.is_some() %}¶
fn sign(secret: &[u8], claims: Claims) -> String {
    let key = EncodingKey::from_secret(secret);
    jsonwebtoken::encode(&Header::default(), &claims, &key).expect("sign a token")
}

{% endif %}¶
/// The production layers, without the rate limit: every test request comes from one
/// client (no address), and the suite sends many. `with_http` tests the limit itself.
pub fn test_http() -> HttpConfig {
    HttpConfig {
        rate_limit: None,
        ..HttpConfig::default()
    }
}

/// The database of a test: `TEST_DATABASE_URL`'s server, or SQLite in memory.
async fn test_database() -> (ConnectOptions, Option<Scratch>) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("mysql:") => mysql_options(url).await,
        Ok(url) if !url.is_empty() => postgres_options(url).await,
        _ => (sqlite_options(), None),
    }
}

/// A SQLite file, as the server opens one: its pool sized by the `DB_*` defaults.
fn sqlite_file_options(path: &Path) -> ConnectOptions {
    let mut options = db::options(&format!("sqlite://{}?mode=rwc", path.display()));
    db::pool(&mut options, &PoolConfig::default());
    options
}

/// A SQLite file's path in the temporary folder, no other test's; the file and its
/// `-wal` and `-shm` companions are removed when this is dropped.
pub struct TempDatabase(PathBuf);

impl TempDatabase {
    pub fn new() -> Self {
        Self(std::env::temp_dir().join(format!("{}.db", scratch_name())))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut path = self.0.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
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

/// A name no other test, in this run or another, uses.
fn scratch_name() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.subsec_nanos());
    format!("test_{}_{}_{}", std::process::id(), unique(), nanos)
}

async fn postgres_options(url: String) -> (ConnectOptions, Option<Scratch>) {
    let name = scratch_name();
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
    (options, Some(Scratch { url, name }))
}

async fn mysql_options(url: String) -> (ConnectOptions, Option<Scratch>) {
    let name = scratch_name();
    let admin = Database::connect(&url).await.expect("connect to MySQL");
    let sql = format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4");
    admin
        .execute_unprepared(&sql)
        .await
        .expect("create the database (the user needs CREATE and DROP)");
    let _ = admin.close().await;
    let mut options = db::options(&with_database(&url, &name));
    options.max_connections(2);
    (options, Some(Scratch { url, name }))
}

/// `url` with its database, the path, replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let host_start = base.find("://").map_or(0, |at| at + 3);
    let server = match base[host_start..].find('/') {
        Some(slash) => &base[..host_start + slash],
        None => base,
    };
    if query.is_empty() {
        format!("{server}/{name}")
    } else {
        format!("{server}/{name}?{query}")
    }
}

fn drop_scratch(scratch: Scratch) {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    runtime.block_on(async {
        let Ok(admin) = Database::connect(&scratch.url).await else {
            return;
        };
        // The test's own connections belong to its runtime, which is blocked
        // here: end them, or a lock one still holds would block the drop.
        let name = &scratch.name;
        if admin.get_database_backend() == DbBackend::MySql {
            let list = format!(
                "SELECT CAST(ID AS SIGNED) FROM information_schema.PROCESSLIST \
                 WHERE DB = '{name}' AND ID <> CONNECTION_ID()"
            );
            let statement = Statement::from_string(DbBackend::MySql, list);
            let rows = admin.query_all_raw(statement).await.unwrap_or_default();
            for id in rows
                .iter()
                .filter_map(|row| row.try_get_by_index::<i64>(0).ok())
            {
                let _ = admin.execute_unprepared(&format!("KILL {id}")).await;
            }
            let drop = format!("DROP DATABASE IF EXISTS `{name}`");
            let _ = admin.execute_unprepared(&drop).await;
        } else {
            let terminate = format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE application_name = '{name}' AND pid <> pg_backend_pid()"
            );
            let _ = admin.execute_unprepared(&terminate).await;
            let drop = format!("DROP SCHEMA IF EXISTS \"{name}\" CASCADE");
            let _ = admin.execute_unprepared(&drop).await;
        }
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

    /// Asserts a 403 that names `field`: the caller's role may not set it.
    pub fn assert_not_writable(&self, field: &str) -> &Self {
        self.assert_problem(StatusCode::FORBIDDEN);
        self.assert_names(field)
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

/// `body` without the fields `keys`.
pub fn without(mut body: Value, keys: &[&str]) -> Value {
    if let Some(fields) = body.as_object_mut() {
        for key in keys {
            fields.remove(*key);
        }
    }
    body
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

/// An email address distinct per `n`, of `min..=max` characters (at least 6).
pub fn sized_email(n: u64, min: usize, max: usize) -> String {
    // The domain, `@x.io`, takes 5 of them.
    let local = sized_text("u", n, min.saturating_sub(5), max.saturating_sub(5));
    format!("{}@x.io", local.replace(' ', "-"))
}

/// An http URL distinct per `n`, of `min..=max` characters (at least 15).
pub fn sized_url(n: u64, min: usize, max: usize) -> String {
    // The site, `https://x.io/`, takes 13 of them.
    let path = sized_text("p", n, min.saturating_sub(13), max.saturating_sub(13));
    format!("https://x.io/{}", path.replace(' ', "-"))
}

/// The `n`th of the newline-separated `choices`, cycling.
pub fn pick(choices: &str, n: usize) -> String {
    let all: Vec<&str> = choices.lines().collect();
    let index = n % all.len().max(1);
    all.get(index).copied().unwrap_or_default().to_owned()
}
{% for r in plan.resources %}¶
{% for (name, values) in r.sample_sets() %}¶

{{ crate::layout::const_str(name, values) }}
{% endfor %}¶
{% endfor %}¶
{% for r in plan.resources %}¶

{% if r.is_user %}¶
/// A body for `PUT {{ r.path(plan) }}/{id}` without a password, that passes every rule,
/// with values no other call uses.
{% else %}¶
/// A body for `POST {{ r.path(plan) }}` that passes every rule, with values no other call uses.
{% endif %}¶
{% let parents = r.required_parents() %}¶
{% let owned_parents = plan.parents_owned_by_caller(r) %}¶
{% if owned_parents.is_empty() %}¶
pub async fn valid_{{ r.snake() }}({% if r.samples_need_app() %}app{% else %}_app{% endif %}: &TestApp) -> Value {
{% else %}¶
pub async fn valid_{{ r.snake() }}(app: &TestApp) -> Value {
    valid_{{ r.snake() }}_for(app, None).await
}

/// [`valid_{{ r.snake() }}`] for `user`, when it is `Some`: its parents that only their
/// owner reads are theirs (a row joins only a parent its caller reads).
pub async fn valid_{{ r.snake() }}_for(app: &TestApp, user: Option<i64>) -> Value {
{% endif %}¶
{% if r.samples_use_n() %}¶
    let n = unique();
{% endif %}¶
{% for (var, parent) in parents %}¶
{% if plan.only_owners_read(parent) %}¶
    let {{ var }} = match user {
        Some(user) => create_{{ parent }}_owned_by(app, user).await,
        None => create_{{ parent }}(app).await,
    };
{% else %}¶
    let {{ var }} = create_{{ parent }}(app).await;
{% endif %}¶
{% endfor %}¶
    json!({
{% for f in r.sample_fields() %}¶
        {{ crate::layout::json_entry(f.name.as_str(), &crate::render::sample(f, r), 8) }}
{% endfor %}¶
    })
}
{% for f in r.writable_samples() %}¶

/// A value of {{ r.a_words_lower() }}'s `{{ f.name }}`, which only some roles may set: the
/// tests of who may set it send one.
{% if f.samples_by_app() %}¶
pub fn sample_{{ r.snake() }}_{{ f.snake }}(app: &TestApp) -> Value {
{% else %}¶
pub fn sample_{{ r.snake() }}_{{ f.snake }}(n: u64) -> Value {
{% endif %}¶
    json!({{ crate::render::varying_sample(f, r) }})
}
{% endfor %}¶
{% if r.is_user %}¶

/// A body for `POST {{ plan.base_path }}/auth/register`: [`valid_user`] with `email`, the
/// password [`PASSWORD`], and no role.
pub async fn registration(app: &TestApp, email: &str) -> Value {
    let mut body = valid_user(app).await;
    body["email"] = json!(email);
    body["password"] = json!(PASSWORD);
    if let Some(fields) = body.as_object_mut() {
        fields.remove("role");
    }
    body
}

/// Creates a user of the first role and returns its id.
pub async fn create_user(app: &TestApp) -> i64 {
    let email = format!("user{}@example.com", unique());
    app.insert_user(&email, UserRole::FIRST).await
}
{% else %}¶

/// Creates {{ r.a_words_lower() }} through the API and returns its id.
pub async fn create_{{ r.snake() }}(app: &TestApp) -> i64 {
    let body = valid_{{ r.snake() }}(app).await;
    let response = app.post("{{ r.path(plan) }}", &body).await;
    response.assert_status(StatusCode::CREATED);
    response.id()
}
{% endif %}¶
{% if let Some(owner) = r.owner %}¶

/// Creates {{ r.a_words_lower() }} as `account` (its owner) and returns its id.
pub async fn create_{{ r.snake() }}_as(app: &TestApp, account: &Account) -> i64 {
{% if plan.parents_owned_by_caller(r).is_empty() %}¶
    let body = valid_{{ r.snake() }}(app).await;
{% else %}¶
    let body = valid_{{ r.snake() }}_for(app, Some(account.id)).await;
{% endif %}¶
    let token = Some(account.token.as_str());
    let response = app.post_as("{{ r.path(plan) }}", token, &body).await;
    response.assert_status(StatusCode::CREATED);
    response.id()
}

/// Writes {{ r.a_words_lower() }} owned by `owner` to the database, past the API's rules,
/// and returns its id.
pub async fn create_{{ r.snake() }}_owned_by(app: &TestApp, owner: i64) -> i64 {
    use {{ plan.crate_name }}::models::{{ r.module }} as model;

    let body = valid_{{ r.snake() }}(app).await;
    let body: model::{{ r.create_type }} = serde_json::from_value(body).expect("a valid body");
    let mut row = body.into_active_model();
{% if owner.optional %}¶
    row.{{ owner.ident }} = Set(Some(owner));
{% else %}¶
    row.{{ owner.ident }} = Set(owner);
{% endif %}¶
    row.insert(&app.db).await.expect("insert the row").id
}
{% endif %}¶
{% endfor %}¶
{% if plan.auth.is_some() %}¶

/// Who sends a request in the access tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    /// No `Authorization` header.
    Nobody,
    Malformed,
    OtherSecret,
    AlgNone,
    Expired,
    /// A user of the first role, owner of the row.
    Owner,
    /// A user of the first role, not the owner.
    Stranger,
    /// A user of a role after the first.
    Role(UserRole),
}

/// Every sender an access test tries: each kind of bad token, the owner, a stranger,
/// and a user of every other role.
pub fn everyone() -> Vec<Who> {
    let mut everyone = vec![
        Who::Nobody,
        Who::Malformed,
        Who::OtherSecret,
        Who::AlgNone,
        Who::Expired,
        Who::Owner,
        Who::Stranger,
    ];
    everyone.extend(UserRole::iter().skip(1).map(Who::Role));
    everyone
}

/// One route of a resource and its rule.
pub struct Route {
    pub method: Method,
    /// `/{id}` of a row, or the list path.
    pub item: bool,
    pub rule: Rule,
    /// The answer when the rule admits the caller.
    pub success: StatusCode,
}

/// A user of the access tests: its id and token.
#[derive(Clone, Debug)]
pub struct Account {
    pub id: i64,
    pub token: String,
}

/// The users of an access test.
pub struct Users {
    pub owner: Account,
    pub stranger: Account,
    /// One user of each role after the first.
    pub others: Vec<(UserRole, Account)>,
}

impl TestApp {
    /// A user of each kind an access test needs.
    pub async fn users(&self) -> Users {
        let account = |(id, token)| Account { id, token };
        let mut others = Vec::new();
        for role in UserRole::iter().skip(1) {
            others.push((role, account(self.register_user(role).await)));
        }
        Users {
            owner: account(self.register_user(UserRole::FIRST).await),
            stranger: account(self.register_user(UserRole::FIRST).await),
            others,
        }
    }
}

impl Users {
    /// The user whose parents `who` sends in a body: the owner for every flawed token.
    pub fn id(&self, who: Who) -> i64 {
        match who {
            Who::Stranger => self.stranger.id,
            Who::Role(role) => self
                .others
                .iter()
                .find(|(other, _)| *other == role)
                .map_or(self.owner.id, |(_, account)| account.id),
            _ => self.owner.id,
        }
    }

    /// The token `who` sends: the flawed ones name the owner, a real user.
    pub async fn token(&self, app: &TestApp, who: Who) -> Option<String> {
        let (id, role) = (self.owner.id, UserRole::FIRST);
        match who {
            Who::Nobody => None,
            Who::Malformed => Some(app.malformed_token()),
            Who::OtherSecret => Some(app.token_signed_with_other_secret(id, role).await),
            Who::AlgNone => Some(app.alg_none_token(id, role).await),
            Who::Expired => Some(app.expired_token(id, role).await),
            Who::Owner => Some(self.owner.token.clone()),
            Who::Stranger => Some(self.stranger.token.clone()),
            Who::Role(role) => self
                .others
                .iter()
                .find(|(other, _)| *other == role)
                .map(|(_, account)| account.token.clone()),
        }
    }
}

/// The role of a sender with a valid token.
fn role_of(who: Who) -> Option<UserRole> {
    match who {
        Who::Owner | Who::Stranger => Some(UserRole::FIRST),
        Who::Role(role) => Some(role),
        Who::Nobody | Who::Malformed | Who::OtherSecret | Who::AlgNone | Who::Expired => None,
    }
}

/// What `who` gets from `route`: 401 for a missing token (unless its rule is public)
/// and for any invalid one, 403 below the rule, 409 for a body whose parents `who` may
/// not read (`parents`, the least rule that reads them: such a parent answers like a
/// missing one), its `success` otherwise.
pub fn expected(who: Who, route: &Route, parents: Option<Rule>) -> StatusCode {
    let (rule, success) = (route.rule, route.success);
    let role = role_of(who);
    let admitted = match (rule, role) {
        (Rule::Public, _) => role.is_some() || who == Who::Nobody,
        (_, None) => false,
        (Rule::Authenticated, Some(_)) => true,
        // A list under `owner` admits every user, and shows them their own rows.
        (Rule::Owner, Some(role)) => !route.item || who == Who::Owner || role == UserRole::LAST,
        (Rule::Role(needed), Some(role)) => role >= needed,
    };
    if !admitted {
        return if role.is_some() {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::UNAUTHORIZED
        };
    }
    let reads_parents = match (parents, role) {
        (None | Some(Rule::Public), _) => true,
        (Some(_), None) => false,
        (Some(Rule::Authenticated | Rule::Owner), Some(_)) => true,
        (Some(Rule::Role(needed)), Some(role)) => role >= needed,
    };
    if reads_parents {
        success
    } else {
        StatusCode::CONFLICT
    }
}

/// Checks an answer of the access tests against the rule of its route, and for a body
/// with parents, against `parents` (see [`expected`]).
pub fn assert_access(response: &TestResponse, route: &Route, who: Who, parents: Option<Rule>) {
    let expected = expected(who, route, parents);
    assert_eq!(
        response.status, expected,
        "{} as {who:?}: {}",
        route.method, response.body
    );
    if expected == StatusCode::UNAUTHORIZED {
        response.assert_problem(expected);
        assert_eq!(response.header("www-authenticate"), Some("Bearer"));
    }
    if expected == StatusCode::FORBIDDEN || expected == StatusCode::CONFLICT {
        response.assert_problem(expected);
    }
}
{% endif %}¶

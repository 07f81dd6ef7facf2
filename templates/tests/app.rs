// {{ header }}
// Do not edit: add your own tests in new files under tests/.
//! What every API answers, whatever its resources.
mod common;

use std::num::NonZeroU32;
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::http::{Method, Request, StatusCode, header};
use common::{TestApp, test_http};
use sea_orm::TransactionTrait;
use serde_json::{Value, json};

use {{ plan.crate_name }}::config::HttpConfig;
use {{ plan.crate_name }}::migrations;

#[tokio::test]
async fn health_answers_200_while_the_process_serves_even_without_the_database() {
    let app = TestApp::new().await;
    let response = app.get("/health").await;
    response.assert_status(StatusCode::OK);
    assert_eq!(response.body, json!({ "status": "ok" }));
    app.db.close_by_ref().await.expect("close the pool");
    app.get("/health").await.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn ready_answers_200_when_the_database_answers_and_is_migrated() {
    let app = TestApp::new().await;
    let response = app.get("/ready").await;
    response.assert_status(StatusCode::OK);
    assert_eq!(response.body, json!({ "status": "ready" }));
}

#[tokio::test]
async fn ready_answers_503_while_a_migration_is_pending() {
    let app = TestApp::new().await;
    let rolled_back = migrations::down(&app.db, Some(1)).await;
    rolled_back.expect("roll back one migration");
    let response = app.get("/ready").await;
    response.assert_problem(StatusCode::SERVICE_UNAVAILABLE);
    let detail = response.body["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("1 migrations are not applied"), "{detail}");
    migrations::up(&app.db, None).await.expect("apply it again");
    app.get("/ready").await.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn ready_answers_503_when_the_database_is_gone() {
    let app = TestApp::new().await;
    app.db.close_by_ref().await.expect("close the pool");
    let response = app.get("/ready").await;
    response.assert_problem(StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.header("retry-after"), Some("5"));
    let list = app.get("{{ plan.first_resource_path() }}").await;
    list.assert_problem(StatusCode::SERVICE_UNAVAILABLE);
    assert!(list.header("retry-after").is_some());
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let app = TestApp::new().await;
    let made = app.get("/health").await;
    let id = made.header("x-request-id").unwrap_or_default();
    assert_eq!(id.len(), 36, "a new UUID: {id}");
    assert_ne!(app.get("/health").await.header("x-request-id"), Some(id));
    let given = Request::get("/nothing-here")
        .header("x-request-id", "edge-7f3a.42")
        .body(Body::empty())
        .expect("request");
    let echoed = app.call_raw(given).await;
    assert_eq!(echoed.header("x-request-id"), Some("edge-7f3a.42"));
    let odd = Request::get("/health")
        .header("x-request-id", "two words")
        .body(Body::empty())
        .expect("request");
    let replaced = app.call_raw(odd).await;
    assert_eq!(replaced.header("x-request-id").map(str::len), Some(36));
}

#[tokio::test]
async fn answers_carry_the_security_headers() {
    let app = TestApp::new().await;
    // A cached list is the one answer the browser and proxies may keep.
    let answers = [
        ("/health", "no-store"),
        (
            "{{ plan.first_resource_path() }}",
            "{{ plan.first_resource_cache_control() }}",
        ),
        ("/nothing-here", "no-store"),
    ];
    for (path, cache_control) in answers {
        let response = app.get(path).await;
        let nosniff = response.header("x-content-type-options");
        assert_eq!(nosniff, Some("nosniff"), "{path}");
        assert_eq!(response.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(response.header("cache-control"), Some(cache_control), "{path}");
        let policy = response.header("content-security-policy");
        assert_eq!(policy, Some("default-src 'none'; frame-ancestors 'none'"), "{path}");
        // HSTS only where the operator says the API is reached over HTTPS.
        assert_eq!(response.header("strict-transport-security"), None, "{path}");
    }
    // Swagger UI runs its own scripts and styles: no policy there.
    if cfg!(feature = "swagger-ui") {
        let docs = app.get("/docs/").await;
        assert_eq!(docs.header("content-security-policy"), None);
    }
    let https = TestApp::new().await.with_http(&HttpConfig {
        hsts_max_age: Some(31_536_000),
        ..test_http()
    });
    let response = https.get("/health").await;
    let hsts = response.header("strict-transport-security");
    assert_eq!(hsts, Some("max-age=31536000"));
    let with_credentials = Request::get("{{ plan.first_resource_path() }}")
        .header(header::AUTHORIZATION, "Bearer not-a-token")
        .body(Body::empty())
        .expect("request");
    let response = app.call_raw(with_credentials).await;
    assert_eq!(response.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn bodies_past_the_limit_answer_413() {
    let app = TestApp::new().await;
    let list = "{{ plan.first_resource_path() }}";
    let json = Some("application/json");
    let body = json!({ "name": "x".repeat(HttpConfig::default().body_limit) }).to_string();
    let response = app.send_raw(Method::POST, list, json, &body).await;
    response.assert_problem(StatusCode::PAYLOAD_TOO_LARGE);
    let small = HttpConfig {
        body_limit: 16,
        ..test_http()
    };
    let app = app.with_http(&small);
    let body = json!({ "name": "more than sixteen bytes" }).to_string();
    let response = app.send_raw(Method::POST, list, json, &body).await;
    response.assert_problem(StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_query_that_is_not_utf8_answers_400() {
    let app = TestApp::new().await;
    let response = app.get("{{ plan.first_resource_path() }}?%FF%FE=1").await;
    response.assert_problem(StatusCode::BAD_REQUEST);
    let detail = response.body["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("UTF-8"), "{detail}");
}

#[tokio::test]
async fn a_flood_of_headers_answers_431() {
    let app = TestApp::new().await;
    let mut request = Request::get("{{ plan.first_resource_path() }}");
    for n in 0..80 {
        request = request.header(format!("x-flood-{n}"), "x");
    }
    let request = request.body(Body::empty()).expect("request");
    let response = app.call_raw(request).await;
    response.assert_problem(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
    let big = Request::get("/health")
        .header("x-big", "x".repeat(20 * 1024))
        .body(Body::empty())
        .expect("request");
    let response = app.call_raw(big).await;
    response.assert_problem(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
}

#[tokio::test]
async fn answers_are_compressed_for_clients_that_accept_it() {
    let app = TestApp::new().await;
    // Brotli with the `brotli` feature (`brotli = true` in apigen.toml's [api]).
    let encodings: &[&str] = if cfg!(feature = "brotli") {
        &["gzip", "br"]
    } else {
        &["gzip"]
    };
    for &encoding in encodings {
        let request = Request::get("/openapi.json")
            .header(header::ACCEPT_ENCODING, encoding)
            .body(Body::empty())
            .expect("request");
        let response = app.call_unread(request).await;
        assert_eq!(response.status(), StatusCode::OK);
        let used = response.headers().get(header::CONTENT_ENCODING);
        assert_eq!(used.and_then(|used| used.to_str().ok()), Some(encoding));
        let body = to_bytes(response.into_body(), usize::MAX).await;
        let body = body.expect("read the body");
        let plain = app.get("/openapi.json").await.body.to_string();
        let size = body.len();
        assert!(size * 3 < plain.len(), "{encoding}: {size} bytes");
    }
    let small = Request::get("/health")
        .header(header::ACCEPT_ENCODING, "gzip, br")
        .body(Body::empty())
        .expect("request");
    let response = app.call_raw(small).await;
    assert_eq!(response.status, StatusCode::OK);
    let used = response.header("content-encoding");
    assert_eq!(used, None, "a short answer is sent as it is");
    // A client that prefers brotli gets gzip when brotli is not built in.
    let preferred = Request::get("/openapi.json")
        .header(header::ACCEPT_ENCODING, "br;q=1.0, gzip;q=0.5")
        .body(Body::empty())
        .expect("request");
    let response = app.call_unread(preferred).await;
    let expected = if cfg!(feature = "brotli") { "br" } else { "gzip" };
    let used = response.headers().get(header::CONTENT_ENCODING);
    assert_eq!(used.and_then(|used| used.to_str().ok()), Some(expected));
}

#[tokio::test]
async fn cors_admits_only_the_configured_origins() {
    let app = TestApp::new().await;
    let preflight = |origin: &str| {
        Request::options("{{ plan.first_resource_path() }}")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .body(Body::empty())
            .expect("request")
    };
    let none = app.call_raw(preflight("https://app.example.com")).await;
    assert_eq!(none.header("access-control-allow-origin"), None);
    let http = HttpConfig {
        cors_origins: vec!["https://app.example.com".to_owned()],
        ..test_http()
    };
    let app = app.with_http(&http);
    let allowed = app.call_raw(preflight("https://app.example.com")).await;
    let origin = allowed.header("access-control-allow-origin");
    assert_eq!(origin, Some("https://app.example.com"));
    let methods = allowed.header("access-control-allow-methods");
    let methods = methods.unwrap_or_default();
    assert!(methods.contains("POST"), "{methods}");
    let other = app.call_raw(preflight("https://evil.example.com")).await;
    assert_eq!(other.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn the_rate_limit_answers_429_past_it_but_never_on_probes() {
    let http = HttpConfig {
        rate_limit: NonZeroU32::new(3),
        ..test_http()
    };
    let app = TestApp::new().await.with_http(&http);
    let list = "{{ plan.first_resource_path() }}";
    for _ in 0..3 {
        app.get(list).await.assert_status(StatusCode::OK);
    }
    let response = app.get(list).await;
    response.assert_problem(StatusCode::TOO_MANY_REQUESTS);
    let wait = response.header("retry-after").unwrap_or_default();
    let wait: u64 = wait.parse().unwrap_or(0);
    assert!((1..=61).contains(&wait), "Retry-After: {wait}");
    app.get("/health").await.assert_status(StatusCode::OK);
    app.get("/ready").await.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_is_limited_by_its_own_address() {
    let http = HttpConfig {
        rate_limit: NonZeroU32::new(2),
        trusted_proxies: vec!["10.0.0.0/8".parse().expect("a CIDR range")],
        ..test_http()
    };
    let app = TestApp::new().await.with_http(&http);
    let list = "{{ plan.first_resource_path() }}";
    let forwarded_for = |client: &str| {
        app.request(Method::GET, list)
            .header("x-forwarded-for", client)
            .body(Body::empty())
            .expect("build the request")
    };
    let proxy = [10, 0, 0, 2];
    for _ in 0..2 {
        let response = app.call_from(proxy, forwarded_for("203.0.113.7")).await;
        response.assert_status(StatusCode::OK);
    }
    let response = app.call_from(proxy, forwarded_for("203.0.113.7")).await;
    response.assert_problem(StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same proxy has a window of its own.
    let response = app.call_from(proxy, forwarded_for("203.0.113.8")).await;
    response.assert_status(StatusCode::OK);
    // A client that is not a trusted proxy cannot choose the address it counts under.
    let stranger = [198, 51, 100, 9];
    for client in ["192.0.2.1", "192.0.2.2"] {
        let response = app.call_from(stranger, forwarded_for(client)).await;
        response.assert_status(StatusCode::OK);
    }
    let response = app.call_from(stranger, forwarded_for("192.0.2.3")).await;
    response.assert_problem(StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn requests_past_the_timeout_answer_503() {
    let http = HttpConfig {
        request_timeout: Duration::from_millis(200),
        ..test_http()
    };
    let app = TestApp::new().await.with_http(&http);
    // Hold every connection of the pool: the request waits for one past its timeout.
    let mut held = Vec::new();
    let wait = Duration::from_millis(200);
    while let Ok(txn) = tokio::time::timeout(wait, app.db.begin()).await {
        held.push(txn.expect("begin a transaction"));
    }
    let list = "{{ plan.first_resource_path() }}";
    let response = app.get(list).await;
    response.assert_problem(StatusCode::SERVICE_UNAVAILABLE);
    let detail = response.body["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("took longer"), "{detail}");
    for txn in held {
        txn.rollback().await.expect("roll back");
    }
    app.get(list).await.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn unknown_paths_answer_404() {
    let app = TestApp::new().await;
    let response = app.get("{{ plan.base_path }}/nothing-here").await;
    response.assert_problem(StatusCode::NOT_FOUND);
    let response = app.get("/elsewhere").await;
    response.assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn wrong_methods_answer_405() {
    let app = TestApp::new().await;
    let list = "{{ plan.first_resource_path() }}";
    let response = app.delete(list).await;
    response.assert_problem(StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.header("allow"), Some("GET,HEAD,POST"));
    let item = "{{ plan.first_resource_path() }}/1";
    let response = app.send_raw(Method::POST, item, None, "").await;
    response.assert_problem(StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn openapi_json_is_the_document_the_api_serves() {
    let app = TestApp::new().await;
    let response = app.get("/openapi.json").await;
    response.assert_status(StatusCode::OK);
    let on_disk: Value = serde_json::from_str(include_str!("../openapi.json")).expect("JSON");
    if let Some(path) = first_difference(&response.body, &on_disk, String::new()) {
        panic!(
            "openapi.json, written by apigen, differs from the served document at {path}: \
             regenerate with `apigen generate`"
        );
    }
    assert_eq!(response.body["openapi"], "3.1.0");
}

#[cfg(feature = "swagger-ui")]
#[tokio::test]
async fn docs_serve_the_explorer() {
    let app = TestApp::new().await;
    let response = app.get("/docs/").await;
    response.assert_status(StatusCode::OK);
    let content_type = response.header("content-type").unwrap_or_default();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let page = response.body.as_str().unwrap_or_default();
    assert!(page.contains("swagger-ui"), "{page}");
}

#[cfg(not(feature = "swagger-ui"))]
#[tokio::test]
async fn docs_say_how_to_build_the_explorer_in() {
    let app = TestApp::new().await;
    for path in ["/docs", "/docs/", "/docs/index.html"] {
        let response = app.get(path).await;
        response.assert_problem(StatusCode::NOT_FOUND);
        let detail = response.body["detail"].as_str().unwrap_or_default();
        assert!(detail.contains("swagger_ui = true"), "{path}: {detail}");
    }
    // The document itself is served all the same.
    let response = app.get("/openapi.json").await;
    response.assert_status(StatusCode::OK);
    let content_type = response.header("content-type").unwrap_or_default();
    assert_eq!(content_type, "application/json");
    assert_eq!(response.body["openapi"], "3.1.0");
}

/// The JSON pointer of the first place where `a` and `b` differ.
fn first_difference(a: &Value, b: &Value, path: String) -> Option<String> {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            let keys = a.keys().chain(b.keys());
            keys.into_iter()
                .find_map(|key| match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => first_difference(x, y, format!("{path}/{key}")),
                    _ => Some(format!("{path}/{key}")),
                })
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(x, y, format!("{path}/{i}"))),
        _ if a == b => None,
        _ => Some(path),
    }
}
{% if let Some(r) = plan.first_resource() %}¶

/// The embedded default under writes from many clients at once: on a SQLite file, with
/// the pool the server opens, replaces sent together all succeed. Each is a transaction
/// that reads the row, then writes it: it takes SQLite's write lock as it begins, so it
/// waits its turn rather than failing with "database is locked" halfway. (Each row is
/// sent its own body again, so that no unique value runs short.)
#[cfg(feature = "sqlite")]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writes_sent_at_once_to_a_sqlite_file_all_succeed() {
    let file = common::TempDatabase::new();
    let app = std::sync::Arc::new(TestApp::on_sqlite_file(file.path()).await);
    let mut rows = Vec::new();
    for _ in 0..3 {
        let body = common::valid_{{ r.snake() }}(&app).await;
        let created = app.post("{{ r.path(plan) }}", &body).await;
        created.assert_status(StatusCode::CREATED);
        rows.push((format!("{}/{}", "{{ r.path(plan) }}", created.id()), body));
    }
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..48 {
        let app = std::sync::Arc::clone(&app);
        let (row, body) = rows[n % rows.len()].clone();
        tasks.spawn(async move { app.put(&row, &body).await });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("the task ran to its end")
            .assert_status(StatusCode::OK);
    }
}
{% endif %}¶

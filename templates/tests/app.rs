// {{ header }} Do not edit: add your own tests in new files under tests/.
//! What every API answers, whatever its resources.
mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{Value, json};

#[tokio::test]
async fn health_answers_200_when_the_database_answers() {
    let app = TestApp::new().await;
    let response = app.get("/health").await;
    response.assert_status(StatusCode::OK);
    assert_eq!(response.body, json!({ "status": "ok" }));
}

#[tokio::test]
async fn health_answers_503_when_the_database_is_gone() {
    let app = TestApp::new().await;
    app.db.close_by_ref().await.expect("close the pool");
    let response = app.get("/health").await;
    response.assert_problem(StatusCode::SERVICE_UNAVAILABLE);
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
async fn oversized_bodies_answer_413() {
    let app = TestApp::new().await;
    let body = json!({ "name": "x".repeat(3 * 1024 * 1024) }).to_string();
    let json = Some("application/json");
    let list = "{{ plan.first_resource_path() }}";
    let response = app.send_raw(Method::POST, list, json, &body).await;
    response.assert_problem(StatusCode::PAYLOAD_TOO_LARGE);
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

// {{ header }} Do not edit: add your own tests in new files under tests/.
//! What every API answers, whatever its resources.
mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::json;

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

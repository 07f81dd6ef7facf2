//! What a client sends, read by the fixed extractors: a JSON body, a path id and a query
//! string, each refused with a problem answer that says what is wrong.

use apigen_runtime::datetime::{TIME_OF_DAY_FORM, TimeOfDay};
use apigen_runtime::extract::{Id, Json};
use apigen_runtime::query::ListParams;
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use tower::ServiceExt;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "the fields are read by the extractor only")]
struct NewNote {
    title: String,
    rank: Option<i32>,
    #[schema(value_type = Option<String>, pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$")]
    remind_at: Option<TimeOfDay>,
}

fn app() -> Router {
    Router::new()
        .route(
            "/notes",
            post(|Json(note): Json<NewNote>| async move { note.title }),
        )
        .route(
            "/notes/{id}",
            get(|Id(id): Id| async move { id.to_string() }),
        )
        .route(
            "/search",
            get(|params: ListParams| async move {
                match params.includes_only(&["author"]) {
                    Ok(include) => include.has("author").to_string(),
                    Err(err) => err.status().to_string(),
                }
            }),
        )
}

/// The status and the body (JSON when it is, else a string) of one request.
async fn send(request: Request<Body>) -> (StatusCode, Value) {
    let response = app().oneshot(request).await.expect("the router answers");
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value == "application/problem+json");
    let bytes = to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("a body");
    let body = match is_problem {
        true => serde_json::from_slice(&bytes).expect("a JSON problem"),
        false => Value::String(String::from_utf8_lossy(&bytes).into_owned()),
    };
    (status, body)
}

async fn post_json(content_type: Option<&str>, body: &str) -> (StatusCode, Value) {
    let mut request = Request::post("/notes");
    if let Some(content_type) = content_type {
        request = request.header(header::CONTENT_TYPE, content_type);
    }
    send(
        request
            .body(Body::from(body.to_owned()))
            .expect("a request"),
    )
    .await
}

/// The `errors` of a 422 problem, as (field, code) pairs.
fn field_errors(problem: &Value) -> Vec<(String, String)> {
    let errors = problem["errors"].as_array().expect("errors");
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    errors
        .iter()
        .map(|e| (text(&e["field"]), text(&e["code"])))
        .collect()
}

#[tokio::test]
async fn a_json_body_is_read_or_refused_with_the_status_that_says_why() {
    let json = Some("application/json");
    let (status, body) = post_json(json, r#"{"title": "hello"}"#).await;
    assert_eq!((status, body), (StatusCode::OK, json!("hello")));

    let (status, problem) = post_json(None, r#"{"title": "hello"}"#).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(problem["status"], 415);

    let (status, problem) = post_json(json, "[1, 2]").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem["detail"], "the body must be a JSON object");

    let (status, problem) = post_json(json, r#"{"title": "#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("malformed JSON"))
    );
}

#[tokio::test]
async fn every_field_a_body_gets_wrong_is_named_at_once() {
    let json = Some("application/json");
    let (status, problem) = post_json(json, r#"{"rank": "high", "colour": 1}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let mut errors = field_errors(&problem);
    errors.sort();
    let expected = [
        ("colour", "unknown"),
        ("rank", "invalid"),
        ("title", "required"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(f, c)| (f.to_string(), c.to_string()))
        .collect();
    assert_eq!(errors, expected);

    // A value of a type written as text says the form it must have.
    let late = r#"{"title": "t", "remind_at": "25:00:00"}"#;
    let (status, problem) = post_json(json, late).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let error = &problem["errors"][0];
    assert_eq!(
        (&error["field"], &error["code"]),
        (&json!("remind_at"), &json!("invalid"))
    );
    let message = format!("must be {TIME_OF_DAY_FORM}");
    assert_eq!(error["message"], json!(message), "{problem}");

    let (status, problem) = post_json(json, r#"{"title": "a\u0000b"}"#).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_errors(&problem),
        [("title".to_owned(), "invalid".to_owned())]
    );
}

#[tokio::test]
async fn a_path_id_is_a_positive_integer_or_400() {
    let get = |uri: &str| send(Request::get(uri).body(Body::empty()).expect("a request"));
    assert_eq!(get("/notes/42").await, (StatusCode::OK, json!("42")));
    for bad in [
        "/notes/0",
        "/notes/-1",
        "/notes/abc",
        "/notes/99999999999999999999",
    ] {
        let (status, problem) = get(bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        let detail = problem["detail"].as_str().unwrap_or_default();
        assert!(
            detail.starts_with("id must be a positive integer"),
            "{bad}: {detail}"
        );
    }
}

#[tokio::test]
async fn a_query_string_is_checked_before_anything_reads_it() {
    let get = |uri: &str| send(Request::get(uri).body(Body::empty()).expect("a request"));
    assert_eq!(get("/search?include=author").await.1, json!("true"));
    assert_eq!(get("/search").await.1, json!("false"));
    assert_eq!(get("/search?page=2").await.1, json!("400 Bad Request"));
    assert_eq!(
        get("/search?include=editor").await.1,
        json!("400 Bad Request")
    );
    // %FF decodes to no UTF-8: refused rather than searched for as U+FFFD.
    let (status, problem) = get("/search?include=%FF").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("not UTF-8"))
    );
}

/// A resource's response type, for [`Page`]'s schema.
#[derive(serde::Serialize, ToSchema)]
struct Note {
    title: String,
}

impl apigen_runtime::query::Paged for Note {
    const PLURAL: &str = "notes";
    const LIST_PATH: &str = "/api/notes";
}

/// One generic page serves every resource, and the document still names and describes
/// each resource's pages as its own (`NotePage`), next to the rows it references.
#[test]
fn a_page_is_named_and_described_after_its_rows() {
    use apigen_runtime::query::{Page, PageLinks};
    use utoipa::PartialSchema;

    assert_eq!(<Page<Note> as ToSchema>::name(), "NotePage");
    let schema = serde_json::to_value(<Page<Note> as PartialSchema>::schema()).expect("JSON");
    assert_eq!(
        schema["description"],
        "A page of notes: what `GET /api/notes` and the lists nested under other resources \
         answer."
    );
    assert_eq!(schema["required"], json!(["data", "per_page", "links"]));
    assert_eq!(
        schema["properties"]["data"]["items"]["$ref"],
        "#/components/schemas/Note"
    );
    assert_eq!(
        schema["properties"]["total"]["type"],
        json!(["integer", "null"])
    );
    let mut schemas = Vec::new();
    <Page<Note> as ToSchema>::schemas(&mut schemas);
    let names: Vec<&str> = schemas.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["Note", "PageLinks"]);

    let page = Page {
        data: vec![Note { title: "a".into() }],
        page: None,
        per_page: 20,
        total: None,
        links: PageLinks::default(),
    };
    let body = serde_json::to_value(page).expect("JSON");
    assert_eq!(body["data"][0]["title"], "a");
    assert_eq!(body["page"], Value::Null);
    assert_eq!(body["links"]["first"], "");
}

// {{ header }}
// Do not edit: add your own tests in new files under tests/.
{% if plan.registration_open() %}¶
//! Registration, login, tokens and the login rate limit.
{% else %}¶
//! Closed registration, login, tokens and the login rate limit.
{% endif %}¶
mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
{% if plan.registration_open() %}¶
use common::{PASSWORD, TestApp, TestResponse, chars};
{% else %}¶
use common::{PASSWORD, TestApp, TestResponse};
{% endif %}¶
use sea_orm::Iterable;
use serde_json::{Value, json};

use {{ plan.crate_name }}::auth::{self, TOKEN_AUDIENCE, TOKEN_ISSUER};
use {{ plan.crate_name }}::entities::user::UserRole;
use {{ plan.crate_name }}::models::user::RegisterUser;

const REGISTER: &str = "{{ plan.base_path }}/auth/register";
const LOGIN: &str = "{{ plan.base_path }}/auth/login";
const LOGOUT: &str = "{{ plan.base_path }}/auth/logout";
const REFRESH: &str = "{{ plan.base_path }}/auth/refresh";
const SESSIONS: &str = "{{ plan.base_path }}/auth/sessions";
const PASSWORD_CHANGE: &str = "{{ plan.base_path }}/auth/password";
const ME: &str = "{{ plan.base_path }}/auth/me";

fn new_email() -> String {
    format!("user{}@example.com", common::unique())
}

{% if plan.registration_open() %}¶
/// A valid registration for a new email, with `field` set to `value`.
async fn registration_with(app: &TestApp, field: &str, value: Value) -> Value {
    let mut body = common::registration(app, &new_email()).await;
    body[field] = value;
    body
}

async fn register(app: &TestApp, body: &Value) -> TestResponse {
    app.post_as(REGISTER, None, body).await
}

/// A new user of the first role with `email` and the password [`PASSWORD`], registered.
async fn sign_up(app: &TestApp, email: &str) {
    let body = common::registration(app, email).await;
    register(app, &body)
        .await
        .assert_status(StatusCode::CREATED);
}
{% else %}¶
/// A new user of the first role with `email` and the password [`PASSWORD`]: registration
/// is closed, so it is written to the database as `create-user` does.
async fn sign_up(app: &TestApp, email: &str) {
    app.insert_user(email, UserRole::FIRST).await;
}
{% endif %}¶

async fn login(app: &TestApp, email: &str, password: &str) -> TestResponse {
    let body = json!({ "email": email, "password": password });
    app.post_as(LOGIN, None, &body).await
}

/// Asserts that no part of a body holds a password or its hash.
fn assert_no_secret(body: &Value, password: &str) {
    let text = body.to_string();
    assert!(!text.contains("password_hash"), "body: {text}");
    assert!(!text.contains("$argon2"), "body: {text}");
    assert!(!text.contains(password), "body: {text}");
}

{% if plan.registration_open() %}¶
#[tokio::test]
async fn register_answers_201_with_the_first_role_and_no_password() {
    let app = TestApp::anonymous().await;
    let email = new_email();
    let body = common::registration(&app, &email).await;
    let response = register(&app, &body).await;
    response.assert_status(StatusCode::CREATED);
    let location = format!("{{ plan.base_path }}/users/{}", response.id());
    assert_eq!(response.header("location"), Some(location.as_str()));
    assert_eq!(response.body["email"], email);
    assert_eq!(response.body["role"], json!(UserRole::FIRST));
{% if let Some(user) = plan.user() %}¶
{% for f in user.extra_fields() %}¶
{% if !f.private && !f.readonly && f.relation.is_none() && f.sent_by_tests() %}¶
    assert_eq!(response.body["{{ f.name }}"], body["{{ f.name }}"]);
{% endif %}¶
{% endfor %}¶
{% endif %}¶
    assert_no_secret(&response.body, PASSWORD);
}

#[tokio::test]
async fn too_many_registrations_answer_429_with_retry_after() {
    let app = TestApp::with_login_limit(3).await;
    for _ in 0..3 {
        let body = common::registration(&app, &new_email()).await;
        register(&app, &body)
            .await
            .assert_status(StatusCode::CREATED);
    }
    let body = common::registration(&app, &new_email()).await;
    let response = register(&app, &body).await;
    response.assert_problem(StatusCode::TOO_MANY_REQUESTS);
    assert!(response.header("retry-after").is_some());
}

#[tokio::test]
async fn register_lower_cases_the_email() {
    let app = TestApp::anonymous().await;
    let email = format!("Ada{}@Example.COM", common::unique());
    let body = common::registration(&app, &email).await;
    let response = register(&app, &body).await;
    response.assert_status(StatusCode::CREATED);
    assert_eq!(response.body["email"], email.to_lowercase());
    login(&app, &email, PASSWORD)
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn register_refuses_a_role() {
    let app = TestApp::anonymous().await;
    let body = registration_with(&app, "role", json!(UserRole::LAST)).await;
    let response = register(&app, &body).await;
    response.assert_rule("role", "readonly");
}

#[tokio::test]
async fn register_twice_with_one_email_answers_409() {
    let app = TestApp::anonymous().await;
    let email = new_email();
    let body = common::registration(&app, &email).await;
    register(&app, &body)
        .await
        .assert_status(StatusCode::CREATED);
    let upper = common::registration(&app, &email.to_uppercase()).await;
    let response = register(&app, &upper).await;
    response.assert_problem(StatusCode::CONFLICT);
    response.assert_names("email");
}

#[tokio::test]
async fn register_applies_the_rules() {
    let app = TestApp::anonymous().await;
    let bad_email = registration_with(&app, "email", json!("not-an-email")).await;
    register(&app, &bad_email)
        .await
        .assert_rule("email", "email");
    let short = registration_with(&app, "password", json!("short")).await;
    register(&app, &short)
        .await
        .assert_rule("password", "min_length");
    let long = registration_with(&app, "password", json!(chars(129))).await;
    register(&app, &long)
        .await
        .assert_rule("password", "max_length");
{% if let Some(user) = plan.user() %}¶
{% for v in user.extra_violation_tests() %}¶
    let body = registration_with(&app, "{{ v.field }}", {{ crate::render::test_value(v.value) }}).await;
    register(&app, &body)
        .await
        .assert_rule("{{ v.field }}", "{{ v.code }}");
{% endfor %}¶
{% endif %}¶
    let mut missing = common::registration(&app, &new_email()).await;
    if let Some(fields) = missing.as_object_mut() {
        fields.remove("password");
    }
    register(&app, &missing)
        .await
        .assert_rule("password", "required");
}

{% else %}¶
#[tokio::test]
async fn registration_is_closed() {
    let app = TestApp::anonymous().await;
    let body = common::registration(&app, &new_email()).await;
    let response = app.post_as(REGISTER, None, &body).await;
    response.assert_problem(StatusCode::NOT_FOUND);
    let document = app.get_as("/openapi.json", None).await;
    document.assert_status(StatusCode::OK);
    assert!(
        document.body["paths"].get(REGISTER).is_none(),
        "the document lists {REGISTER}"
    );
}

{% endif %}¶
#[tokio::test]
async fn login_answers_a_bearer_token_and_the_user() {
    let app = TestApp::anonymous().await;
    let email = new_email();
    sign_up(&app, &email).await;
    let response = login(&app, &email, PASSWORD).await;
    response.assert_status(StatusCode::OK);
    assert!(response.body["token"].is_string());
    assert_eq!(response.body["token_type"], "Bearer");
    let expires_at = response.body["expires_at"].as_str().unwrap_or_default();
    assert!(
        chrono_like(expires_at),
        "expires_at is RFC 3339: {expires_at}"
    );
    assert_eq!(response.body["user"]["email"], email);
    let refresh = response.body["refresh_token"].as_str().unwrap_or_default();
    assert!(
        refresh.len() == 64 && refresh.bytes().all(|b| b.is_ascii_hexdigit()),
        "a refresh token of 32 random bytes: {refresh}"
    );
    assert_no_secret(&response.body, PASSWORD);
    let token = response.body["token"].as_str().unwrap_or_default();
    let me = app.get_as(ME, Some(token)).await;
    me.assert_status(StatusCode::OK);
    assert_eq!(me.body, response.body["user"]);
}

/// `YYYY-MM-DDTHH:MM:SSZ` or with an offset.
fn chrono_like(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() >= 20 && bytes.get(4) == Some(&b'-') && bytes.get(10) == Some(&b'T')
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_401() {
    let app = TestApp::anonymous().await;
    let email = new_email();
    sign_up(&app, &email).await;
    let wrong = login(&app, &email, "not the password").await;
    wrong.assert_problem(StatusCode::UNAUTHORIZED);
    let unknown = login(&app, &new_email(), PASSWORD).await;
    unknown.assert_problem(StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);
    // The same headers, but for the id of each request.
    let headers = |response: &TestResponse| {
        let mut headers = response.headers.clone();
        headers.remove("x-request-id");
        headers
    };
    assert_eq!(headers(&wrong), headers(&unknown));
    assert_no_secret(&wrong.body, "not the password");
}

#[tokio::test]
async fn too_many_logins_answer_429_with_retry_after() {
    let app = TestApp::with_login_limit(3).await;
    for _ in 0..3 {
        let response = login(&app, &new_email(), PASSWORD).await;
        response.assert_problem(StatusCode::UNAUTHORIZED);
    }
    let response = login(&app, &new_email(), PASSWORD).await;
    response.assert_problem(StatusCode::TOO_MANY_REQUESTS);
    let retry_after = response.header("retry-after").unwrap_or_default();
    let seconds: u64 = retry_after.parse().expect("Retry-After in seconds");
    assert!((1..=60).contains(&seconds), "Retry-After: {seconds}");
}

#[tokio::test]
async fn a_new_password_ends_the_tokens_issued_before_it() {
    let app = TestApp::new().await;
    let (id, token) = app.register_user(UserRole::FIRST).await;
    app.get_as(ME, Some(&token)).await.assert_status(StatusCode::OK);
    let path = format!("{{ plan.base_path }}/users/{id}");
    let change = json!({ "password": "a brand new password" });
    app.patch(&path, &change).await.assert_status(StatusCode::OK);
    let response = app.get_as(ME, Some(&token)).await;
    response.assert_problem(StatusCode::UNAUTHORIZED);
    let fresh = app.token_for(id, UserRole::FIRST).await;
    app.get_as(ME, Some(&fresh)).await.assert_status(StatusCode::OK);
}

/// The token of a login's answer.
fn token_of(response: &TestResponse) -> String {
    response.assert_status(StatusCode::OK);
    let token = response.body["token"].as_str().expect("a token");
    token.to_owned()
}

/// The access and refresh tokens of a login's (or a refresh's) answer.
fn tokens_of(response: &TestResponse) -> (String, String) {
    let refresh = response.body["refresh_token"].as_str().expect("a refresh token");
    (token_of(response), refresh.to_owned())
}

async fn refresh(app: &TestApp, refresh_token: &str) -> TestResponse {
    let body = json!({ "refresh_token": refresh_token });
    app.post_as(REFRESH, None, &body).await
}

#[tokio::test]
async fn a_refresh_token_renews_its_session_once_and_a_spent_one_ends_it() {
    let app = TestApp::anonymous().await;
    let email = new_email();
    sign_up(&app, &email).await;
    let (first_access, first) = tokens_of(&login(&app, &email, PASSWORD).await);
    let renewed = refresh(&app, &first).await;
    let (access, next) = tokens_of(&renewed);
    assert_eq!(renewed.body["user"]["email"], email);
    assert_ne!(next, first, "the refresh token rotates");
    app.get_as(ME, Some(&access)).await.assert_status(StatusCode::OK);
    app.get_as(ME, Some(&first_access))
        .await
        .assert_status(StatusCode::OK);
    // The spent token again, as a thief who copied it would send it: the whole
    // session ends, the tokens its owner holds now included.
    refresh(&app, &first)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    refresh(&app, &next)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    let response = app.get_as(ME, Some(&access)).await;
    response.assert_problem(StatusCode::UNAUTHORIZED);
    let unknown = "0".repeat(64);
    refresh(&app, &unknown)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_logout_ends_the_refresh_token_of_its_session() {
    let app = TestApp::anonymous().await;
    let email = new_email();
    sign_up(&app, &email).await;
    let (access, refresh_token) = tokens_of(&login(&app, &email, PASSWORD).await);
    let response = app.send_as(Method::POST, LOGOUT, Some(&access), None).await;
    response.assert_status(StatusCode::NO_CONTENT);
    refresh(&app, &refresh_token)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_session_not_refreshed_in_time_is_over() {
    let app = TestApp::anonymous().await;
    let email = new_email();
    sign_up(&app, &email).await;
    let first = login(&app, &email, PASSWORD).await;
    let id = first.body["user"]["id"].as_i64().expect("the user's id");
    let (access, refresh_token) = tokens_of(&first);
    app.expire_sessions(id).await;
    let response = app.get_as(ME, Some(&access)).await;
    response.assert_problem(StatusCode::UNAUTHORIZED);
    refresh(&app, &refresh_token)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    assert_eq!(app.sessions_of(id).await, 0, "the ended session is deleted");
}

#[tokio::test]
async fn a_user_lists_their_sessions_and_ends_one() {
    let app = TestApp::anonymous().await;
    let email = new_email();
    sign_up(&app, &email).await;
    let (phone, phone_refresh) = tokens_of(&login(&app, &email, PASSWORD).await);
    let (laptop, _) = tokens_of(&login(&app, &email, PASSWORD).await);
    let listed = app.get_as(SESSIONS, Some(&laptop)).await;
    listed.assert_status(StatusCode::OK);
    let sessions = listed.body["sessions"].as_array().expect("a list");
    assert_eq!(sessions.len(), 2, "{}", listed.body);
    assert_eq!(sessions[0]["current"], true, "newest first: the laptop's");
    assert_eq!(sessions[1]["current"], false);
    let phone_session = sessions[1]["id"].as_i64().expect("an id");
    let path = format!("{SESSIONS}/{phone_session}");
    // Nobody else ends it.
    let stranger = new_email();
    sign_up(&app, &stranger).await;
    let stranger = token_of(&login(&app, &stranger, PASSWORD).await);
    let response = app.send_as(Method::DELETE, &path, Some(&stranger), None).await;
    response.assert_problem(StatusCode::NOT_FOUND);
    app.get_as(ME, Some(&phone)).await.assert_status(StatusCode::OK);
    let response = app.send_as(Method::DELETE, &path, Some(&laptop), None).await;
    response.assert_status(StatusCode::NO_CONTENT);
    let response = app.get_as(ME, Some(&phone)).await;
    response.assert_problem(StatusCode::UNAUTHORIZED);
    refresh(&app, &phone_refresh)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    app.get_as(ME, Some(&laptop)).await.assert_status(StatusCode::OK);
    let listed = app.get_as(SESSIONS, Some(&laptop)).await;
    assert_eq!(listed.body["sessions"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_new_password_ends_the_other_sessions_of_its_user() {
    let app = TestApp::anonymous().await;
    let email = new_email();
    let id = app.insert_user(&email, UserRole::LAST).await;
    let (_, phone_refresh) = tokens_of(&login(&app, &email, PASSWORD).await);
    let (laptop, laptop_refresh) = tokens_of(&login(&app, &email, PASSWORD).await);
    let path = format!("{{ plan.base_path }}/users/{id}");
    let change = json!({ "password": "a brand new password" });
    let response = app.patch_as(&path, Some(&laptop), &change).await;
    response.assert_status(StatusCode::OK);
    refresh(&app, &phone_refresh)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    // The session the change was made in goes on: its access token carries the old
    // password's stamp, so its client refreshes.
    let response = app.get_as(ME, Some(&laptop)).await;
    response.assert_problem(StatusCode::UNAUTHORIZED);
    let (access, _) = tokens_of(&refresh(&app, &laptop_refresh).await);
    app.get_as(ME, Some(&access)).await.assert_status(StatusCode::OK);
    assert_eq!(app.sessions_of(id).await, 1);
}

#[tokio::test]
async fn a_user_changes_their_password_with_the_current_one() {
    let app = TestApp::anonymous().await;
    let email = new_email();
    sign_up(&app, &email).await;
    let (_, phone_refresh) = tokens_of(&login(&app, &email, PASSWORD).await);
    let (laptop, _) = tokens_of(&login(&app, &email, PASSWORD).await);
    let change = |current: &str, new: &str| {
        json!({ "current_password": current, "new_password": new })
    };
    let wrong = change("not the password", "a brand new password");
    let response = app.post_as(PASSWORD_CHANGE, Some(&laptop), &wrong).await;
    response.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.body["errors"][0]["field"], "current_password");
    let short = change(PASSWORD, "short");
    let response = app.post_as(PASSWORD_CHANGE, Some(&laptop), &short).await;
    response.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.body["errors"][0]["field"], "new_password");
    let anonymous = change(PASSWORD, "a brand new password");
    let response = app.post_as(PASSWORD_CHANGE, None, &anonymous).await;
    response.assert_problem(StatusCode::UNAUTHORIZED);
    let right = change(PASSWORD, "a brand new password");
    let changed = app.post_as(PASSWORD_CHANGE, Some(&laptop), &right).await;
    let (access, next) = tokens_of(&changed);
    assert_no_secret(&changed.body, "a brand new password");
    app.get_as(ME, Some(&access)).await.assert_status(StatusCode::OK);
    let response = app.get_as(ME, Some(&laptop)).await;
    response.assert_problem(StatusCode::UNAUTHORIZED);
    refresh(&app, &next).await.assert_status(StatusCode::OK);
    // The phone's session ended with the old password.
    refresh(&app, &phone_refresh)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    login(&app, &email, PASSWORD)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    login(&app, &email, "a brand new password")
        .await
        .assert_status(StatusCode::OK);
}

{% if plan.roles_below_the_last() %}¶
#[tokio::test]
async fn a_new_role_ends_every_session_of_its_user() {
    let app = TestApp::new().await;
    let email = new_email();
    let id = app.insert_user(&email, UserRole::FIRST).await;
    let (_, refresh_token) = tokens_of(&login(&app, &email, PASSWORD).await);
    let path = format!("{{ plan.base_path }}/users/{id}");
    let change = json!({ "role": UserRole::LAST });
    app.patch(&path, &change).await.assert_status(StatusCode::OK);
    refresh(&app, &refresh_token)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
    assert_eq!(app.sessions_of(id).await, 0);
}
{% endif %}¶

#[tokio::test]
async fn a_user_keeps_at_most_the_newest_sessions() {
    let app = TestApp::anonymous().await;
    let email = new_email();
    sign_up(&app, &email).await;
    let first = login(&app, &email, PASSWORD).await;
    let id = first.body["user"]["id"].as_i64().expect("the user's id");
    let (oldest, _) = tokens_of(&first);
    for _ in 0..auth::MAX_SESSIONS_PER_USER {
        app.session(id).await;
    }
    let newest = token_of(&login(&app, &email, PASSWORD).await);
    let kept = u64::try_from(auth::MAX_SESSIONS_PER_USER).expect("a count");
    assert_eq!(app.sessions_of(id).await, kept);
    app.get_as(ME, Some(&newest)).await.assert_status(StatusCode::OK);
    let response = app.get_as(ME, Some(&oldest)).await;
    response.assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn refresh_tokens_are_stored_only_as_hashes_and_never_logged() {
    use sea_orm::EntityTrait;
    use {{ plan.crate_name }}::entities::auth_session;

    let app = TestApp::anonymous().await;
    let email = new_email();
    sign_up(&app, &email).await;
    let (_, first) = tokens_of(&login(&app, &email, PASSWORD).await);
    let (_, second) = tokens_of(&refresh(&app, &first).await);
    refresh(&app, &first).await;
    let rows = auth_session::Entity::find().all(&app.db).await;
    let stored = format!("{:?}", rows.expect("read the sessions"));
    let logs = common::logs();
    for token in [&first, &second] {
        assert!(!stored.contains(token.as_str()), "stored: {stored}");
        assert!(!logs.contains(token.as_str()), "logs: {logs}");
    }
    assert!(logs.contains("a spent refresh token came back"), "logs: {logs}");
}

#[tokio::test]
async fn logout_ends_the_token_it_is_sent_with_and_no_other() {
    let app = TestApp::anonymous().await;
    let email = new_email();
    sign_up(&app, &email).await;
    let phone = token_of(&login(&app, &email, PASSWORD).await);
    let laptop = token_of(&login(&app, &email, PASSWORD).await);
    let response = app.send_as(Method::POST, LOGOUT, Some(&phone), None).await;
    response.assert_status(StatusCode::NO_CONTENT);
    let response = app.get_as(ME, Some(&phone)).await;
    response.assert_problem(StatusCode::UNAUTHORIZED);
    let again = app.send_as(Method::POST, LOGOUT, Some(&phone), None).await;
    again.assert_problem(StatusCode::UNAUTHORIZED);
    app.get_as(ME, Some(&laptop)).await.assert_status(StatusCode::OK);
    let anonymous = app.send_as(Method::POST, LOGOUT, None, None).await;
    anonymous.assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_login_deletes_the_sessions_of_its_user_that_expired() {
    let app = TestApp::anonymous().await;
    let email = new_email();
    sign_up(&app, &email).await;
    let first = login(&app, &email, PASSWORD).await;
    let id = first.body["user"]["id"].as_i64().expect("the user's id");
    let expired = token_of(&first);
    login(&app, &email, PASSWORD).await;
    assert_eq!(app.sessions_of(id).await, 2);
    app.expire_sessions(id).await;
    let fresh = token_of(&login(&app, &email, PASSWORD).await);
    assert_eq!(app.sessions_of(id).await, 1, "the expired sessions are gone");
    app.get_as(ME, Some(&fresh)).await.assert_status(StatusCode::OK);
    let response = app.get_as(ME, Some(&expired)).await;
    response.assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logins_to_one_account_are_limited_whatever_address_they_come_from() {
    let app = TestApp::with_login_limit(3).await;
    let email = new_email();
    let login_from = |peer: [u8; 4], email: &str| {
        let body = json!({ "email": email, "password": "not the password" });
        let request = Request::post(LOGIN)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .expect("build the request");
        app.call_from(peer, request)
    };
    for n in 1..=3 {
        let response = login_from([198, 51, 100, n], &email).await;
        response.assert_problem(StatusCode::UNAUTHORIZED);
    }
    let response = login_from([198, 51, 100, 4], &email).await;
    response.assert_problem(StatusCode::TOO_MANY_REQUESTS);
    assert!(response.header("retry-after").is_some());
    // Another account, from the same address, is not held back by it.
    let response = login_from([198, 51, 100, 4], &new_email()).await;
    response.assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn me_answers_401_without_a_valid_token() {
    let app = TestApp::anonymous().await;
    let (id, _) = app.register_user(UserRole::FIRST).await;
    let role = UserRole::FIRST;
    let tokens = [
        None,
        Some(app.malformed_token()),
        Some(app.token_signed_with_other_secret(id, role).await),
        Some(app.token_with_other_algorithm(id, role).await),
        Some(app.token_naming(id, role, "another-api", TOKEN_AUDIENCE).await),
        Some(app.token_naming(id, role, TOKEN_ISSUER, "another-api").await),
        Some(app.alg_none_token(id, role).await),
        Some(app.expired_token(id, role).await),
        Some(app.token_for(999_999, role).await),
    ];
    for token in tokens {
        let response = app.get_as(ME, token.as_deref()).await;
        response.assert_problem(StatusCode::UNAUTHORIZED);
        assert_eq!(response.header("www-authenticate"), Some("Bearer"));
    }
    let response = app.get_as(ME, Some(&app.token_for(id, role).await)).await;
    response.assert_status(StatusCode::OK);
}

{% if let Some(path) = plan.public_list_path() %}¶
#[tokio::test]
async fn a_public_route_refuses_an_invalid_token() {
    let app = TestApp::anonymous().await;
    let response = app.get_as("{{ path }}", None).await;
    response.assert_status(StatusCode::OK);
    let token = app.malformed_token();
    let response = app.get_as("{{ path }}", Some(&token)).await;
    response.assert_problem(StatusCode::UNAUTHORIZED);
}
{% endif %}¶

#[tokio::test]
async fn an_authorization_header_that_is_not_bearer_answers_401() {
    use axum::http::Method;

    let app = TestApp::anonymous().await;
    for value in ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "token"] {
        let request = axum::http::Request::builder()
            .method(Method::GET)
            .uri(ME)
            .header("authorization", value)
            .body(axum::body::Body::empty())
            .expect("a request");
        let response = app.call_raw(request).await;
        response.assert_problem(StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn every_role_logs_in_with_its_role() {
    let app = TestApp::anonymous().await;
    for role in UserRole::iter() {
        let token = app.register(role).await;
        let me = app.get_as(ME, Some(&token)).await;
        me.assert_status(StatusCode::OK);
        assert_eq!(me.body["role"], json!(role));
    }
}

#[tokio::test]
async fn no_log_line_holds_a_password_or_a_hash() {
    let app = TestApp::anonymous().await;
    let email = new_email();
    let body = common::registration(&app, &email).await;
    // What a handler would log of a request body.
    let input: Result<RegisterUser, _> = serde_json::from_value(body.clone());
    tracing::info!(?input, "registration received");
    sign_up(&app, &email).await;
    login(&app, &email, PASSWORD)
        .await
        .assert_status(StatusCode::OK);
    login(&app, &email, "a wrong password")
        .await
        .assert_problem(StatusCode::UNAUTHORIZED);
{% if plan.registration_open() %}¶
    let bad = registration_with(&app, "password", json!("short")).await;
    register(&app, &bad).await;
{% endif %}¶
    let logs = common::logs();
    assert!(logs.contains("registration received"), "logs: {logs}");
    assert!(!logs.contains(PASSWORD), "logs: {logs}");
    assert!(!logs.contains("a wrong password"), "logs: {logs}");
    assert!(!logs.contains("$argon2"), "logs: {logs}");
}

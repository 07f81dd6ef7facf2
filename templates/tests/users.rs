// {{ header }}
// Do not edit: add your own tests in new files under tests/.
//! Every route and access rule of {{ r.path(plan) }}, the built-in User.
mod common;

use axum::http::{Method, StatusCode};
use common::{PASSWORD, Route, Rule, TestApp, Users};
use serde_json::{Value, json};

use {{ plan.crate_name }}::entities::user::UserRole;

const PATH: &str = "{{ r.path(plan) }}";
const LOGIN: &str = "{{ plan.base_path }}/auth/login";
const ME: &str = "{{ plan.base_path }}/auth/me";
{% if plan.registration_open() && !plan.writable_tests(r).is_empty() %}¶
const REGISTER: &str = "{{ plan.base_path }}/auth/register";
{% endif %}¶

fn item(id: i64) -> String {
    format!("{PATH}/{id}")
}

/// A valid `PUT` body: every field, an email in mixed case, no password.
async fn valid_body(app: &TestApp) -> Value {
    let mut body = common::valid_user(app).await;
    body["email"] = json!(format!("Replaced{}@Example.com", common::unique()));
    body
}

/// Asserts that no part of a body holds a password or its hash.
fn assert_no_secret(body: &Value) {
    let text = body.to_string();
    assert!(!text.contains("password"), "body: {text}");
    assert!(!text.contains("$argon2"), "body: {text}");
    assert!(!text.contains(PASSWORD), "body: {text}");
}

#[tokio::test]
async fn list_and_read_answer_users_without_passwords() {
    let app = TestApp::new().await;
    let (id, _) = app.register_user(UserRole::FIRST).await;
    let list = app.get(PATH).await;
    list.assert_status(StatusCode::OK);
    assert_eq!(list.body["total"], 2);
    assert_no_secret(&list.body);
    let response = app.get(&item(id)).await;
    response.assert_status(StatusCode::OK);
    assert_eq!(response.body["role"], json!(UserRole::FIRST));
    assert_no_secret(&response.body);
}

#[tokio::test]
async fn there_is_no_post_registration_is_elsewhere() {
    let app = TestApp::new().await;
    let body = json!({ "email": "new@example.com", "password": PASSWORD });
    let response = app.post(PATH, &body).await;
    response.assert_problem(StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn replace_changes_every_field_and_lower_cases_the_email() {
    let app = TestApp::new().await;
    let (id, _) = app.register_user(UserRole::FIRST).await;
    let body = valid_body(&app).await;
    let response = app.put(&item(id), &body).await;
    response.assert_status(StatusCode::OK);
    let email = body["email"].as_str().map(str::to_lowercase);
    assert_eq!(response.body["email"].as_str(), email.as_deref());
    assert_eq!(response.body["role"], body["role"]);
{% for f in r.extra_fields() %}¶
{% if !f.private && !f.readonly && f.relation.is_none() && f.sent_by_tests() %}¶
    assert_eq!(response.body["{{ f.name }}"], body["{{ f.name }}"]);
{% endif %}¶
{% endfor %}¶
    assert_no_secret(&response.body);
    // The password was left out: it is unchanged.
    let email = email.unwrap_or_default();
    let login = json!({ "email": email, "password": PASSWORD });
    let response = app.post_as(LOGIN, None, &login).await;
    response.assert_status(StatusCode::OK);
}

{% if plan.roles_below_the_last() %}¶
#[tokio::test]
async fn the_last_role_changes_a_role_with_patch_and_it_ends_older_tokens() {
    let app = TestApp::new().await;
    let (id, token) = app.register_user(UserRole::FIRST).await;
    let change = json!({ "role": UserRole::LAST });
    let response = app.patch(&item(id), &change).await;
    response.assert_status(StatusCode::OK);
    assert_eq!(response.body["role"], json!(UserRole::LAST));
    // A token issued before the change is refused: no token outlives its role.
    let me = app.get_as(ME, Some(&token)).await;
    me.assert_problem(StatusCode::UNAUTHORIZED);
    // A new one carries the new role, which passes every rule.
    let token = app.token_for(id, UserRole::LAST).await;
    let me = app.get_as(ME, Some(&token)).await;
    assert_eq!(me.body["role"], json!(UserRole::LAST));
    let list = app.get_as(PATH, Some(&token)).await;
    list.assert_status(StatusCode::OK);
}

{% endif %}¶
#[tokio::test]
async fn patch_refuses_an_unknown_role() {
    let app = TestApp::new().await;
    let (id, _) = app.register_user(UserRole::FIRST).await;
    let change = json!({ "role": "no such role" });
    let response = app.patch(&item(id), &change).await;
    response.assert_rule("role", "invalid");
}

#[tokio::test]
async fn patch_changes_the_password_hashed() {
    let app = TestApp::new().await;
    let (id, _) = app.register_user(UserRole::FIRST).await;
    let email = app.get(&item(id)).await.body["email"].clone();
    let email = email.as_str().unwrap_or_default().to_owned();
    let change = json!({ "password": "a new long password" });
    let response = app.patch(&item(id), &change).await;
    response.assert_status(StatusCode::OK);
    assert_no_secret(&response.body);
    app.login(&email, "a new long password").await;
    let old = json!({ "email": email, "password": PASSWORD });
    let response = app.post_as(LOGIN, None, &old).await;
    response.assert_problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn patch_applies_the_password_rules() {
    let app = TestApp::new().await;
    let (id, _) = app.register_user(UserRole::FIRST).await;
    let short = app.patch(&item(id), &json!({ "password": "short" })).await;
    short.assert_rule("password", "min_length");
    let long = json!({ "password": common::chars(129) });
    let long = app.patch(&item(id), &long).await;
    long.assert_rule("password", "max_length");
    let null = app.patch(&item(id), &json!({ "password": null })).await;
    null.assert_rule("password", "required");
}

#[tokio::test]
async fn patch_answers_409_for_a_taken_email() {
    let app = TestApp::new().await;
    let (first, _) = app.register_user(UserRole::FIRST).await;
    let (second, _) = app.register_user(UserRole::FIRST).await;
    let email = app.get(&item(first)).await.body["email"].clone();
    let response = app.patch(&item(second), &json!({ "email": email })).await;
    response.assert_problem(StatusCode::CONFLICT);
    response.assert_names("email");
}

#[tokio::test]
async fn delete_answers_204_then_404_and_the_token_stops_working() {
    let app = TestApp::new().await;
    let (id, token) = app.register_user(UserRole::FIRST).await;
    app.delete(&item(id))
        .await
        .assert_status(StatusCode::NO_CONTENT);
    app.get(&item(id))
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    // The token of a user that no longer exists is refused.
    let response = app.get_as(ME, Some(&token)).await;
    response.assert_problem(StatusCode::UNAUTHORIZED);
}

{% if let Some(role) = plan.user_rule_below_last("update") %}¶
#[tokio::test]
async fn a_user_gives_no_role_above_their_own() {
    let app = TestApp::new().await;
    let (id, token) = app.register_user(UserRole::{{ role }}).await;
    let (other, _) = app.register_user(UserRole::FIRST).await;
    let raise = json!({ "role": UserRole::LAST });
    for target in [id, other] {
        let response = app
            .send_as(Method::PATCH, &item(target), Some(&token), Some(&raise))
            .await;
        response.assert_problem(StatusCode::FORBIDDEN);
        assert!(
            response.body["detail"]
                .as_str()
                .is_some_and(|d| d.contains("above yours")),
            "{:?}",
            response.body
        );
        let mut replace = valid_body(&app).await;
        replace["role"] = json!(UserRole::LAST);
        let response = app
            .send_as(Method::PUT, &item(target), Some(&token), Some(&replace))
            .await;
        response.assert_problem(StatusCode::FORBIDDEN);
    }
    let me = app.get_as(ME, Some(&token)).await;
    assert_eq!(me.body["role"], json!(UserRole::{{ role }}));
    // Their own role, or one below it, they may give.
    let keep = json!({ "role": UserRole::{{ role }} });
    let response = app
        .send_as(Method::PATCH, &item(other), Some(&token), Some(&keep))
        .await;
    response.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_user_cannot_change_a_user_above_their_own_role() {
    let app = TestApp::new().await;
    let (_, token) = app.register_user(UserRole::{{ role }}).await;
    let email = format!("boss{}@example.com", common::unique());
    let boss = app.insert_user(&email, UserRole::LAST).await;
    for change in [
        json!({ "password": "a password of my choosing" }),
        json!({ "role": UserRole::FIRST }),
        json!({ "email": format!("taken{}@example.com", common::unique()) }),
    ] {
        let response = app
            .send_as(Method::PATCH, &item(boss), Some(&token), Some(&change))
            .await;
        response.assert_problem(StatusCode::FORBIDDEN);
    }
    let mut replace = valid_body(&app).await;
    replace["role"] = json!(UserRole::FIRST);
    let response = app
        .send_as(Method::PUT, &item(boss), Some(&token), Some(&replace))
        .await;
    response.assert_problem(StatusCode::FORBIDDEN);
    // Nothing changed: the last role logs in as before and keeps its role.
    let boss_token = app.login(&email, PASSWORD).await;
    let me = app.get_as(ME, Some(&boss_token)).await;
    assert_eq!(me.body["role"], json!(UserRole::LAST));
}
{% endif %}¶
{% if let Some(role) = plan.user_rule_below_last("delete") %}¶

#[tokio::test]
async fn a_user_cannot_delete_a_user_above_their_own_role() {
    let app = TestApp::new().await;
    let (_, token) = app.register_user(UserRole::{{ role }}).await;
    let email = format!("boss{}@example.com", common::unique());
    let boss = app.insert_user(&email, UserRole::LAST).await;
    let response = app
        .send_as(Method::DELETE, &item(boss), Some(&token), None)
        .await;
    response.assert_problem(StatusCode::FORBIDDEN);
    app.get(&item(boss)).await.assert_status(StatusCode::OK);
}
{% endif %}¶

#[tokio::test]
async fn a_user_row_printed_for_a_log_hides_the_password_hash() {
    use sea_orm::EntityTrait;

    let app = TestApp::new().await;
    let (id, _) = app.register_user(UserRole::FIRST).await;
    let row = {{ plan.crate_name }}::entities::user::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("read the user")
        .expect("the user");
    assert!(row.password_hash.starts_with("$argon2id$"));
    let printed = format!("{row:?}");
    assert!(!printed.contains("$argon2"), "{printed}");
    assert!(printed.contains("<hidden>"), "{printed}");
}

/// The access rules of User, route by route (no `POST`).
fn routes() -> [Route; 5] {
    let route = |method, item, rule, success| Route {
        method,
        item,
        rule,
        success,
    };
    [
{% for (method, item, rule, success) in r.access_routes() %}¶
        route(
            Method::{{ method }},
            {{ item }},
            {{ crate::render::rule(rule) }},
            StatusCode::{{ success }},
        ),
{% endfor %}¶
    ]
}

/// The body a route needs, if any.
async fn body_for(app: &TestApp, method: &Method) -> Option<Value> {
    match *method {
        Method::PUT => {
            // The first role: a caller gives no role above their own.
            let mut body = valid_body(app).await;
            body["role"] = json!(UserRole::FIRST);
            Some(body)
        }
        Method::PATCH => Some(json!({})),
        _ => None,
    }
}

/// Sends route `index` as every kind of caller, each time on a new user.
async fn check_route(index: usize) {
    let app = TestApp::new().await;
    let users: Users = app.users().await;
    let route = &routes()[index];
    for who in common::everyone() {
        let id = common::create_user(&app).await;
        let path = if route.item {
            item(id)
        } else {
            PATH.to_owned()
        };
        let body = body_for(&app, &route.method).await;
        let token = users.token(&app, who).await;
        let method = route.method.clone();
        let response = app
            .send_as(method, &path, token.as_deref(), body.as_ref())
            .await;
        common::assert_access(&response, route, who, None);
        assert_no_secret(&response.body);
    }
}

#[tokio::test]
async fn access_list() {
    check_route(0).await;
}

#[tokio::test]
async fn access_read() {
    check_route(1).await;
}

#[tokio::test]
async fn access_replace() {
    check_route(2).await;
}

#[tokio::test]
async fn access_update() {
    check_route(3).await;
}

#[tokio::test]
async fn access_delete() {
    check_route(4).await;
}
{% for t in plan.writable_tests(r) %}¶

#[tokio::test]
async fn {{ t.test_name }}() {
    let app = TestApp::new().await;
    let (_, token) = app.register_user(UserRole::{{ t.below }}).await;
    let token = Some(token.as_str());
    let id = common::create_user(&app).await;
{% include "partials/writable_test.rs" %}¶
{% if let Some(left_out) = t.left_out %}¶
    // A registration is anonymous: it may hold nothing but what a new user gets.
    let left_out = {{ crate::render::left_out(left_out) }};
    while value == left_out {
        value = {{ crate::render::sample_call(t) }};
    }
    let email = format!("new{}@example.com", common::unique());
    let mut body = common::registration(&app, &email).await;
    body["{{ t.field }}"] = value;
    let response = app.post_as(REGISTER, None, &body).await;
    response.assert_not_writable("{{ t.field }}");
{% endif %}¶
}
{% endfor %}¶

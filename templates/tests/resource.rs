// {{ header }}
// Do not edit: add your own tests in new files under tests/.
//! Every route, status code and field rule of {{ r.path(plan) }}.
mod common;

use axum::http::{Method, StatusCode};
use common::lists::{self, Kind};
use common::{ {%- for name in r.harness_names() %}{{ name }}{% if !loop.last %}, {% endif %}{% endfor -%} };
{% if !r.private_inputs().is_empty() %}¶
use sea_orm::EntityTrait;
{% endif %}¶
use serde_json::{Value, json};
{% if r.owner.is_some() || r.access_names_a_role() || plan.refused_include(r).is_some() || !plan.writable_tests(r).is_empty() %}¶

use {{ plan.crate_name }}::entities::user::UserRole;
{% endif %}¶

const PATH: &str = "{{ r.path(plan) }}";

fn item(id: i64) -> String {
    format!("{PATH}/{id}")
}

/// A valid create body.
async fn valid_body(app: &TestApp) -> Value {
    common::valid_{{ r.snake() }}(app).await
}

/// Creates a row and returns its id.
async fn create(app: &TestApp) -> i64 {
    common::create_{{ r.snake() }}(app).await
}

/// A valid create body with `field` set to `value`.
async fn body_with(app: &TestApp, field: &str, value: Value) -> Value {
    let mut body = valid_body(app).await;
    body[field] = value;
    body
}
{% if r.tests_leave_fields_out() %}¶

/// A valid create body without `field`.
async fn body_without(app: &TestApp, field: &str) -> Value {
    let mut body = valid_body(app).await;
    if let Some(object) = body.as_object_mut() {
        object.remove(field);
    }
    body
}
{% endif %}¶

#[tokio::test]
async fn create_answers_201_with_location_and_row() {
    let app = TestApp::new().await;
    let body = valid_body(&app).await;
    let response = app.post(PATH, &body).await;
    response.assert_status(StatusCode::CREATED);
    let location = item(response.id());
    assert_eq!(response.header("location"), Some(location.as_str()));
{% for f in r.echoed_fields() %}¶
    assert_eq!(response.body["{{ f.name }}"], body["{{ f.name }}"]);
{% endfor %}¶
{% if r.timestamps %}¶
    assert!(response.body["created_at"].is_string());
    assert!(response.body["updated_at"].is_string());
{% endif %}¶
}
{% let defaults = r.default_tests() %}¶
{% if !defaults.is_empty() %}¶

#[tokio::test]
async fn create_applies_defaults() {
    let app = TestApp::new().await;
    let mut body = valid_body(&app).await;
    let object = body.as_object_mut().expect("an object");
{% for d in defaults.iter() %}¶
    object.remove("{{ d.field }}");
{% endfor %}¶
    let response = app.post(PATH, &body).await;
    response.assert_status(StatusCode::CREATED);
{% for d in defaults.iter() %}¶
    assert_eq!(response.body["{{ d.field }}"], json!({{ d.json }}));
{% endfor %}¶
}
{% endif %}¶
{% let optional = r.optional_fields() %}¶
{% if !optional.is_empty() %}¶

#[tokio::test]
async fn create_accepts_optional_fields_left_out() {
    let app = TestApp::new().await;
    let mut body = valid_body(&app).await;
    let object = body.as_object_mut().expect("an object");
{% for f in optional.iter() %}¶
    object.remove("{{ f.name }}");
{% endfor %}¶
    let response = app.post(PATH, &body).await;
    response.assert_status(StatusCode::CREATED);
{% for f in optional.iter() %}¶
{% if !f.private %}¶
{% if let Some(value) = f.left_out() %}¶
    assert_eq!(response.body["{{ f.name }}"], {{ crate::render::left_out(value) }});
{% endif %}¶
{% endif %}¶
{% endfor %}¶
}
{% endif %}¶
{% if let Some(f) = r.integral_float_field() %}¶

#[tokio::test]
async fn a_float_with_no_fraction_is_a_whole_number() {
    let app = TestApp::new().await;
    let mut body = valid_body(&app).await;
    let whole = body["{{ f.name }}"].clone();
    let number = whole.as_i64().expect("an integer sample");
    body["{{ f.name }}"] = json!(number as f64);
    let response = app.post(PATH, &body).await;
    response.assert_status(StatusCode::CREATED);
    assert_eq!(response.body["{{ f.name }}"], whole);
}
{% endif %}¶
{% if let Some(f) = r.exact_decimal_field() %}¶

#[tokio::test]
async fn a_decimal_keeps_every_digit_it_is_sent_with() {
    let app = TestApp::new().await;
    let sample = valid_body(&app).await["{{ f.name }}"].clone();
    let sample = sample.as_str().map_or_else(|| sample.to_string(), str::to_owned);
    // The sample with `places` digits after the point, the same value.
    let with_places = |places: usize| {
        let (whole, fraction) = sample.split_once('.').unwrap_or((&sample, ""));
        format!("{whole}.{fraction:0<places$}")
    };
    let zero = sample.parse::<sea_orm::prelude::Decimal>().is_ok_and(|d| d.is_zero());
    // Every decimal of 28 digits fits (the largest has 29), so the sample takes as many
    // places as leave 28 digits in all: 28 when its whole part is 0.
    let whole_digits = sample.split('.').next().map_or(0, |whole| {
        whole.trim_start_matches(['-', '+', '0']).len()
    });
    let long = 28 - whole_digits;
    // `long` places as text, 3 as a JSON number (never read through a float): each
    // answered and read back digit for digit (a zero is answered `0`).
    let number: Value = serde_json::from_str(&with_places(3)).expect("a JSON number");
    for (sent, places) in [(json!(with_places(long)), long), (number, 3)] {
        let response = app.post(PATH, &body_with(&app, "{{ f.name }}", sent).await).await;
        response.assert_status(StatusCode::CREATED);
        let kept = if zero { "0".to_owned() } else { with_places(places) };
        assert_eq!(response.body["{{ f.name }}"], json!(kept));
        let id = response.body["id"].as_i64().expect("an id");
        assert_eq!(app.get(&item(id)).await.body["{{ f.name }}"], json!(kept));
    }
    // Filters compare every digit too: one unit in the last place is another value.
    let mut next = with_places(long);
    next.pop();
    next.push('1');
    let rows = |op: &str, value: &str| {
        let param = format!("{{ f.name }}{op}");
        common::lists::with_query(PATH, &[(param.as_str(), value), ("per_page", "100")])
    };
    let all = common::lists::all_rows(&app, PATH).await.len();
    let at_sample = common::lists::ids(&app.get(&rows("", &with_places(1))).await);
    assert_eq!(at_sample.len(), 2, "the two rows hold the sample's value");
    assert!(common::lists::ids(&app.get(&rows("", &next)).await).is_empty());
    let other = common::lists::ids(&app.get(&rows(".ne", &next)).await);
    assert_eq!(other.len(), all, "every row differs from {next}");
    // More places than a decimal keeps, or past the largest one: 422, never rounded.
    for refused in [with_places(29), "79228162514264337593543950336".to_owned()] {
        let body = body_with(&app, "{{ f.name }}", json!(refused)).await;
        app.post(PATH, &body).await.assert_invalid("{{ f.name }}");
    }
}
{% endif %}¶
{% if let Some(f) = r.scaled_decimal_field() %}¶
{% if let Some(scale) = f.scale %}¶

#[tokio::test]
async fn a_decimal_with_a_scale_answers_its_places_and_refuses_more() {
    let app = TestApp::new().await;
    let sample = valid_body(&app).await["{{ f.name }}"].clone();
    let sample = sample.as_str().map_or_else(|| sample.to_string(), str::to_owned);
    let sample: sea_orm::prelude::Decimal = sample.parse().expect("a decimal sample");
    // Sent with fewer places and with more (zeros), as text and as a JSON number:
    // answered with {{ scale }} places on every database.
    let bare = sample.normalize();
    let mut scaled = bare;
    scaled.rescale({{ scale }});
    let mut zeros = bare;
    zeros.rescale({{ *scale + 2 }});
    let kept = json!(scaled.to_string());
    let number: Value = serde_json::from_str(&bare.to_string()).expect("a JSON number");
    for sent in [json!(bare.to_string()), json!(zeros.to_string()), number] {
        let response = app.post(PATH, &body_with(&app, "{{ f.name }}", sent).await).await;
        response.assert_status(StatusCode::CREATED);
        assert_eq!(response.body["{{ f.name }}"], kept);
        let id = response.body["id"].as_i64().expect("an id");
        assert_eq!(app.get(&item(id)).await.body["{{ f.name }}"], kept);
    }
    // One place more than the field keeps: 422 naming it, never rounded.
{% if *scale == 0 %}¶
    let finer = format!("{scaled}.1");
{% else %}¶
    let finer = format!("{scaled}1");
{% endif %}¶
    let body = body_with(&app, "{{ f.name }}", json!(finer)).await;
    app.post(PATH, &body).await.assert_invalid("{{ f.name }}");
}
{% endif %}¶
{% endif %}¶
{% if let Some(f) = r.exact_datetime_field() %}¶

#[tokio::test]
async fn a_datetime_keeps_the_microsecond_and_refuses_what_no_database_keeps() {
    let app = TestApp::new().await;
    let sent = json!("2024-05-31T16:30:00.123456789+02:00");
    let response = app.post(PATH, &body_with(&app, "{{ f.name }}", sent).await).await;
    response.assert_status(StatusCode::CREATED);
    let kept = json!("2024-05-31T14:30:00.123456Z");
    assert_eq!(response.body["{{ f.name }}"], kept);
    let id = response.body["id"].as_i64().expect("an id");
    assert_eq!(app.get(&item(id)).await.body["{{ f.name }}"], kept);
    // Outside the years 0001 to 9999 in UTC, or on a leap second: 422 in a body, 400 in a
    // filter, on every database.
    let refused = [
        "+10000-01-01T00:00:00Z",
        "9999-12-31T23:00:00-02:00",
        "0001-01-01T00:30:00+01:00",
        "2016-12-31T23:59:60Z",
    ];
    for value in refused {
        let body = body_with(&app, "{{ f.name }}", json!(value)).await;
        app.post(PATH, &body).await.assert_invalid("{{ f.name }}");
        let query = common::lists::with_query(PATH, &[("{{ f.name }}.gt", value)]);
        app.get(&query).await.assert_problem(StatusCode::BAD_REQUEST);
    }
}
{% endif %}¶
{% if let Some(f) = r.exact_date_field() %}¶

#[tokio::test]
async fn a_date_outside_the_years_0001_to_9999_is_refused() {
    let app = TestApp::new().await;
    for (value, status) in [
        ("0001-01-01", StatusCode::CREATED),
        ("9999-12-31", StatusCode::CREATED),
        ("+10000-01-01", StatusCode::UNPROCESSABLE_ENTITY),
        ("0000-12-31", StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let body = body_with(&app, "{{ f.name }}", json!(value)).await;
        let response = app.post(PATH, &body).await;
        response.assert_status(status);
        if status == StatusCode::CREATED {
            assert_eq!(response.body["{{ f.name }}"], json!(value));
        } else {
            response.assert_invalid("{{ f.name }}");
        }
    }
}
{% endif %}¶
{% if let Some(f) = r.exact_json_field() %}¶

#[tokio::test]
async fn a_json_field_keeps_every_digit_of_its_numbers() {
    let app = TestApp::new().await;
    let sent = r#"{"big": 123456789012345678901234, "places": 1.50, "exponent": 1e2, "zero": -0.0}"#;
    let sent: Value = serde_json::from_str(sent).expect("JSON");
    let response = app.post(PATH, &body_with(&app, "{{ f.name }}", sent).await).await;
    response.assert_status(StatusCode::CREATED);
    // In plain notation, every digit kept: the same text on every database.
    let kept = r#"{"big": 123456789012345678901234, "places": 1.50, "exponent": 100, "zero": 0.0}"#;
    let kept: Value = serde_json::from_str(kept).expect("JSON");
    assert_eq!(response.body["{{ f.name }}"], kept);
    let id = response.body["id"].as_i64().expect("an id");
    assert_eq!(app.get(&item(id)).await.body["{{ f.name }}"], kept);
    // A number no one means, whose digits would fill the database: 422.
    let huge: Value = serde_json::from_str(r#"{"n": 1e100000}"#).expect("JSON");
    let body = body_with(&app, "{{ f.name }}", huge).await;
    app.post(PATH, &body).await.assert_invalid("{{ f.name }}.n");
}
{% endif %}¶
{% if let Some(f) = r.exact_enum_field() %}¶

#[tokio::test]
async fn an_enum_sorts_in_the_order_its_values_are_declared() {
    let app = TestApp::new().await;
    let declared = [{% for v in f.column.values %}"{{ v }}"{% if !loop.last %}, {% endif %}{% endfor %}];
    for value in declared.iter().rev() {
        let body = body_with(&app, "{{ f.name }}", json!(value)).await;
        app.post(PATH, &body).await.assert_status(StatusCode::CREATED);
    }
    let reversed: Vec<&str> = declared.iter().rev().copied().collect();
    for (sort, expected) in [("{{ f.name }}", declared.to_vec()), ("-{{ f.name }}", reversed)] {
        let query = common::lists::with_query(PATH, &[("sort", sort), ("per_page", "100")]);
        let rows = common::lists::rows(&app.get(&query).await);
        let mut sorted: Vec<&str> = rows.iter().filter_map(|row| row["{{ f.name }}"].as_str()).collect();
        sorted.dedup();
        assert_eq!(sorted, expected, "sort={sort}");
    }
}
{% endif %}¶
{% if let Some(f) = r.free_text_field() %}¶

#[tokio::test]
async fn text_sorts_by_code_point_and_contains_folds_only_a_to_z() {
    let app = TestApp::new().await;
    for value in ["apple", "Zebra", "École", "école", "ecole", "ECOLE"] {
        let body = body_with(&app, "{{ f.name }}", json!(value)).await;
        app.post(PATH, &body).await.assert_status(StatusCode::CREATED);
    }
    // The field's values in a list with these parameters, in its order.
    async fn texts(app: &TestApp, pairs: &[(&str, &str)]) -> Vec<String> {
        let mut pairs = pairs.to_vec();
        pairs.push(("per_page", "100"));
        let query = common::lists::with_query(PATH, &pairs);
        let rows = common::lists::rows(&app.get(&query).await);
        let texts = rows.iter().filter_map(|row| row["{{ f.name }}"].as_str());
        texts.map(str::to_owned).collect()
    }
    // By code point, on every database (a locale would put "apple" first).
    let sorted = texts(&app, &[("sort", "{{ f.name }}")]).await;
    assert_eq!(sorted, ["ECOLE", "Zebra", "apple", "ecole", "École", "école"]);
    // `contains` ignores the case of A to Z, and of no other letter.
    let found = texts(&app, &[("sort", "{{ f.name }}"), ("{{ f.name }}.contains", "COLE")]).await;
    assert_eq!(found, ["ECOLE", "ecole", "École", "école"]);
    let found = texts(&app, &[("{{ f.name }}.contains", "école")]).await;
    assert_eq!(found, ["école"]);
    let found = texts(&app, &[("{{ f.name }}.contains", "ÉCOLE")]).await;
    assert_eq!(found, ["École"]);
}
{% endif %}¶

#[tokio::test]
async fn read_answers_200_with_the_row() {
    let app = TestApp::new().await;
    let id = create(&app).await;
    let response = app.get(&item(id)).await;
    response.assert_status(StatusCode::OK);
    assert_eq!(response.id(), id);
}

#[tokio::test]
async fn read_answers_404_for_a_missing_row() {
    let app = TestApp::new().await;
    app.get(&item(999_999))
        .await
        .assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn read_answers_400_for_an_id_that_is_not_a_positive_integer() {
    let app = TestApp::new().await;
    for id in ["abc", "-1", "0", "1.5", "99999999999999999999"] {
        let response = app.get(&format!("{PATH}/{id}")).await;
        response.assert_problem(StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn list_answers_pages_with_the_total() {
    let app = TestApp::new().await;
    for _ in 0..25 {
        create(&app).await;
    }
    let first = app.get(PATH).await;
    first.assert_status(StatusCode::OK);
    assert_eq!(first.body["data"].as_array().map(Vec::len), Some(20));
    assert_eq!(first.body["page"], 1);
    assert_eq!(first.body["per_page"], 20);
    assert_eq!(first.body["total"], 25);
    let second = app.get(&format!("{PATH}?page=2&per_page=10")).await;
    second.assert_status(StatusCode::OK);
    assert_eq!(second.body["data"].as_array().map(Vec::len), Some(10));
    assert_eq!(second.body["page"], 2);
    let last = app.get(&format!("{PATH}?page=3&per_page=10")).await;
    assert_eq!(last.body["data"].as_array().map(Vec::len), Some(5));
    let beyond = app.get(&format!("{PATH}?page=9")).await;
    beyond.assert_status(StatusCode::OK);
    assert_eq!(beyond.body["data"], json!([]));
}

#[tokio::test]
async fn list_caps_per_page_at_100() {
    let app = TestApp::new().await;
    let response = app.get(&format!("{PATH}?per_page=1000")).await;
    response.assert_status(StatusCode::OK);
    assert_eq!(response.body["per_page"], 100);
}

#[tokio::test]
async fn list_answers_400_for_bad_page_parameters() {
    let app = TestApp::new().await;
    for query in ["page=0", "per_page=0", "page=abc", "per_page=-1"] {
        let response = app.get(&format!("{PATH}?{query}")).await;
        response.assert_problem(StatusCode::BAD_REQUEST);
    }
}

{% if r.optional_fields().is_empty() %}¶
/// Three rows for the list tests.
async fn listed_rows(app: &TestApp) {
    for _ in 0..3 {
        create(app).await;
    }
}
{% else %}¶
/// Three rows for the list tests: two with every field, one without the optional ones.
async fn listed_rows(app: &TestApp) {
    create(app).await;
    create(app).await;
    let mut body = valid_body(app).await;
    if let Some(object) = body.as_object_mut() {
{% for f in r.optional_fields() %}¶
        object.remove("{{ f.name }}");
{% endfor %}¶
    }
    let response = app.post(PATH, &body).await;
    response.assert_status(StatusCode::CREATED);
}
{% endif %}¶

#[tokio::test]
async fn every_filter_answers_exactly_the_rows_that_pass_it() {
    let app = TestApp::new().await;
    listed_rows(&app).await;
{% for f in r.list_fields() %}¶
    lists::check_filters(
        &app,
        PATH,
        "{{ f.name }}",
        {{ crate::render::filter_kind(f.filter) }},
        {{ f.optional }},
    )
    .await;
{% endfor %}¶
}

#[tokio::test]
async fn every_sort_orders_the_rows_with_ties_by_id() {
    let app = TestApp::new().await;
    listed_rows(&app).await;
{% for f in r.list_fields() %}¶
{% if f.sortable() %}¶
    lists::check_sort(
        &app,
        PATH,
        "{{ f.name }}",
        {{ crate::render::filter_kind(f.filter) }},
    )
    .await;
{% endif %}¶
{% endfor %}¶
}

#[tokio::test]
async fn after_pages_through_every_row_whatever_the_depth() {
    let app = TestApp::new().await;
    listed_rows(&app).await;
    let all = lists::ids(&app.get(&format!("{PATH}?per_page=100")).await);
    let mut seen = Vec::new();
    let mut next = Some(format!("{PATH}?after=&per_page=1"));
    while let Some(url) = next {
        let response = app.get(&url).await;
        seen.extend(lists::ids(&response));
        let total = &response.body["total"];
        assert!(total.is_null(), "no count on a cursor page");
        assert!(seen.len() <= all.len(), "{url} pages past the end");
        next = response.body["links"]["next"].as_str().map(str::to_owned);
    }
    assert_eq!(seen, all);
    let last = all.last().copied().unwrap_or_default();
    let down = app.get(&format!("{PATH}?sort=-id&after={last}")).await;
    let mut expected: Vec<i64> = all.iter().copied().filter(|id| *id < last).collect();
    expected.reverse();
    assert_eq!(lists::ids(&down), expected);
}

#[tokio::test]
async fn list_links_lead_to_every_page() {
    let app = TestApp::new().await;
    listed_rows(&app).await;
    let first = app.get(&format!("{PATH}?per_page=2")).await;
    assert_eq!(lists::ids(&first).len(), 2);
    assert!(first.body["links"]["prev"].is_null());
    let next = first.body["links"]["next"].as_str().expect("a next page");
    assert_eq!(first.body["links"]["last"], next);
    let second = app.get(next).await;
    assert_eq!(lists::ids(&second).len(), 1);
    assert_eq!(second.body["page"], 2);
    assert!(second.body["links"]["next"].is_null());
    let prev = &second.body["links"]["prev"];
    let prev = prev.as_str().expect("a previous page");
    assert_eq!(lists::ids(&app.get(prev).await), lists::ids(&first));
}

#[tokio::test]
async fn total_false_pages_without_counting() {
    let app = TestApp::new().await;
    listed_rows(&app).await;
    let counted = app.get(&format!("{PATH}?per_page=2&total=true")).await;
    assert_eq!(counted.body["total"], 3);
    let first = app.get(&format!("{PATH}?per_page=2&total=false")).await;
    first.assert_status(StatusCode::OK);
    assert_eq!(lists::ids(&first), lists::ids(&counted));
    assert_eq!(first.body["page"], 1);
    assert!(first.body["total"].is_null(), "{}", first.body);
    assert!(first.body["links"]["last"].is_null(), "{}", first.body);
    assert!(first.body["links"]["prev"].is_null());
    let next = first.body["links"]["next"].as_str().expect("a next page");
    assert!(next.contains("total=false"), "{next} keeps total=false");
    let second = app.get(next).await;
    assert_eq!(second.body["page"], 2);
    assert_eq!(lists::ids(&second).len(), 1);
    assert!(second.body["links"]["next"].is_null(), "{}", second.body);
    let prev = &second.body["links"]["prev"];
    let prev = prev.as_str().expect("a previous page");
    assert_eq!(lists::ids(&app.get(prev).await), lists::ids(&first));
}

#[tokio::test]
async fn list_answers_400_naming_each_bad_parameter() {
    let app = TestApp::new().await;
    let cases = [
        ("nope", "1"),
        ("id.contains", "1"),
        ("id.like", "1"),
        ("id", "abc"),
        ("id.in", "1,x"),
        ("sort", "nope"),
        ("sort", "id,-id"),
        ("include", "nope"),
        ("after", "x"),
        ("total", "maybe"),
        ("page", "0"),
        ("per_page", "0"),
{% if let Some(f) = r.private_field() %}¶
        ("{{ f.name }}", "x"),
{% endif %}¶
    ];
    for (key, value) in cases {
        let url = lists::with_query(PATH, &[(key, value)]);
        let response = app.get(&url).await;
        response.assert_problem(StatusCode::BAD_REQUEST);
        assert_eq!(response.body["errors"][0]["field"], key, "{url}");
    }
    let response = app.get(&format!("{PATH}?after=1&page=2")).await;
    response.assert_problem(StatusCode::BAD_REQUEST);
    assert_eq!(response.body["errors"][0]["field"], "after");
    let response = app.get(&format!("{PATH}?after=1&total=true")).await;
    response.assert_problem(StatusCode::BAD_REQUEST);
    assert_eq!(response.body["errors"][0]["field"], "total");
{% if let Some(field) = r.other_sort_field() %}¶
    let response = app.get(&format!("{PATH}?after=1&sort={{ field }}")).await;
    response.assert_problem(StatusCode::BAD_REQUEST);
    assert_eq!(response.body["errors"][0]["field"], "after");
{% endif %}¶
}
{% if r.has_includes() %}¶

#[tokio::test]
async fn include_embeds_each_relation_in_lists_and_reads() {
    let app = TestApp::new().await;
{% if r.includes_a_settable_parent() %}¶
    let mut body = valid_body(&app).await;
{% else %}¶
    let body = valid_body(&app).await;
{% endif %}¶
{% for i in r.includes %}¶
{% if !i.is_many() && !i.owner %}¶
    body["{{ i.column }}"] = json!(common::create_{{ i.target_snake() }}(&app).await);
{% endif %}¶
{% endfor %}¶
    let created = app.post(PATH, &body).await;
    created.assert_status(StatusCode::CREATED);
    let id = created.id();
{% for i in r.includes %}¶
{% if let Some(link) = i.link %}¶
    let linked = common::create_{{ i.target_snake() }}(&app).await;
    let link = format!("{PATH}/{id}/{{ link.field }}/{linked}");
    let response = app.send_raw(Method::PUT, &link, None, "").await;
    response.assert_status(StatusCode::NO_CONTENT);
    let url = format!("{PATH}?include={{ i.name }}&id={id}");
    let rows = lists::rows(&app.get(&url).await);
    assert_eq!(rows[0]["{{ i.name }}"][0]["id"], linked, "{url}");
    let read = app.get(&format!("{PATH}/{id}?include={{ i.name }}")).await;
    assert_eq!(read.body["{{ i.name }}"][0]["id"], linked);
{% else %}¶
    let url = format!("{PATH}?include={{ i.name }}&id={id}");
    let rows = lists::rows(&app.get(&url).await);
    let parent = &created.body["{{ i.column }}"];
    assert_eq!(&rows[0]["{{ i.name }}"]["id"], parent, "{url}");
    let read = app.get(&format!("{PATH}/{id}?include={{ i.name }}")).await;
    assert_eq!(&read.body["{{ i.name }}"]["id"], parent);
{% endif %}¶
    let plain = app.get(&item(id)).await;
    assert!(plain.body.get("{{ i.name }}").is_none(), "only with ?include");
{% endfor %}¶
    let url = format!("{PATH}/{id}?include={{ r.includes[0].name }}&page=1");
    app.get(&url).await.assert_problem(StatusCode::BAD_REQUEST);
}
{% endif %}¶
{% if let Some(case) = plan.refused_include(r) %}¶

#[tokio::test]
async fn include_of_a_relation_the_caller_may_not_list_answers_403_naming_it() {
    let app = TestApp::new().await;
    let token = app.register(UserRole::{{ case.role }}).await;
    let url = format!("{PATH}?include={{ case.name }}");
    let response = app.get_as(&url, Some(&token)).await;
    response.assert_problem(StatusCode::FORBIDDEN);
    response.assert_names("include");
    assert_eq!(
        response.body["detail"],
        {{ crate::layout::string_literal(case.detail.as_str(), 8, 9, 0) }}
    );
}
{% endif %}¶
{% for list in r.child_lists %}¶

#[tokio::test]
async fn {{ list.test_name() }}() {
    let app = TestApp::new().await;
    create(&app).await;
{% if list.owner %}¶
    let body = valid_body(&app).await;
{% else %}¶
    let mut body = valid_body(&app).await;
    body["{{ list.column }}"] = json!(common::create_{{ list.parent_snake() }}(&app).await);
{% endif %}¶
    let created = app.post(PATH, &body).await;
    created.assert_status(StatusCode::CREATED);
    let parent = created.body["{{ list.column }}"].as_i64().expect("a parent");
    let everything = lists::all_rows(&app, PATH).await;
    let expected: Vec<i64> = everything
        .iter()
        .filter(|row| row["{{ list.column }}"] == parent)
        .filter_map(|row| row["id"].as_i64())
        .collect();
    assert!(expected.contains(&created.id()));
    let url = format!("{{ list.test_path(plan.base_path) }}");
    assert_eq!(lists::ids(&app.get(&url).await), expected, "{url}");
    let filtered = app.get(&format!("{url}?id={}", created.id())).await;
    assert_eq!(lists::ids(&filtered), vec![created.id()]);
    let parent = 999_999;
    let gone = format!("{{ list.test_path(plan.base_path) }}");
    app.get(&gone).await.assert_problem(StatusCode::NOT_FOUND);
}
{% endfor %}¶

/// `cargo test lists_read -- --nocapture` prints the plans, on PostgreSQL.
#[tokio::test]
async fn lists_read_through_an_index_on_postgresql() {
    let app = TestApp::new().await;
{% if r.plans_test_needs_a_row() %}¶
    let id = create(&app).await;
{% else %}¶
    create(&app).await;
{% endif %}¶
    lists::assert_indexed(&app, PATH).await;
{% if r.timestamps %}¶
    lists::assert_indexed(&app, &format!("{PATH}?sort=-created_at")).await;
{% endif %}¶
{% for list in r.child_lists %}¶
{% if list.owner %}¶
    let row = app.get(&format!("{PATH}/{id}")).await;
    let parent = &row.body["{{ list.column }}"];
{% else %}¶
    let parent = common::create_{{ list.parent_snake() }}(&app).await;
{% endif %}¶
    let url = format!("{{ list.test_path(plan.base_path) }}");
    lists::assert_indexed(&app, &url).await;
{% endfor %}¶
{% for link in r.links %}¶
    let url = format!("{PATH}/{id}/{{ link.field }}");
    lists::assert_indexed(&app, &url).await;
{% endfor %}¶
}
{% for link in r.links %}¶

#[tokio::test]
async fn {{ link.snake }}_are_linked_listed_and_unlinked() {
    let app = TestApp::new().await;
    let id = create(&app).await;
    let first = common::create_{{ link.target_snake() }}(&app).await;
    let second = common::create_{{ link.target_snake() }}(&app).await;
    let link = |target: i64| format!("{PATH}/{id}/{{ link.field }}/{target}");
    for target in [first, second, first] {
        let response = app.send_raw(Method::PUT, &link(target), None, "").await;
        response.assert_status(StatusCode::NO_CONTENT);
    }
    let listed = format!("{PATH}/{id}/{{ link.field }}");
    assert_eq!(lists::ids(&app.get(&listed).await), vec![first, second]);
    let filtered = app.get(&format!("{listed}?id={second}")).await;
    assert_eq!(lists::ids(&filtered), vec![second]);
    for _ in 0..2 {
        let response = app.delete(&link(first)).await;
        response.assert_status(StatusCode::NO_CONTENT);
    }
    assert_eq!(lists::ids(&app.get(&listed).await), vec![second]);
    let response = app.send_raw(Method::PUT, &link(999_999), None, "").await;
    response.assert_problem(StatusCode::NOT_FOUND);
    assert_eq!(response.body["errors"][0]["field"], "{{ link.param }}");
    let response = app.get(&format!("{PATH}/999999/{{ link.field }}")).await;
    response.assert_problem(StatusCode::NOT_FOUND);
}
{% endfor %}¶

{% if let Some(seconds) = r.cache_seconds() %}¶
/// A GET without the app's token, with `If-None-Match` when given.
fn anonymous_get(path: &str, etag: Option<&str>) -> axum::http::Request<axum::body::Body> {
    let mut request = axum::http::Request::get(path);
    if let Some(etag) = etag {
        request = request.header("if-none-match", etag);
    }
    request
        .body(axum::body::Body::empty())
        .expect("build the request")
}

#[tokio::test]
async fn public_reads_carry_an_etag_and_answer_304_while_it_holds() {
    let app = TestApp::new().await;
{% if r.cache_get.is_some() || r.timestamps || r.valid_bodies_differ() %}¶
    let id = create(&app).await;
{% else %}¶
    // A row, so that the list answers one.
    create(&app).await;
{% endif %}¶
    let mut etags = Vec::new();
{% if r.cache_list.is_some() %}¶
    etags.push((PATH.to_owned(), String::new()));
{% endif %}¶
{% if r.cache_get.is_some() %}¶
    etags.push((item(id), String::new()));
{% endif %}¶
    for (path, etag) in &mut etags {
        let first = app.call_raw(anonymous_get(path, None)).await;
        first.assert_status(StatusCode::OK);
        let cache_control = first.header("cache-control");
        assert_eq!(cache_control, Some("public, max-age={{ seconds }}"), "{path}");
        *etag = first.header("etag").expect("an ETag").to_owned();
        let again = app.call_raw(anonymous_get(path, Some(etag))).await;
        again.assert_status(StatusCode::NOT_MODIFIED);
        assert_eq!(again.body, Value::Null, "{path}: a 304 has no body");
        assert_eq!(again.header("etag"), Some(etag.as_str()), "{path}");
    }
{% if r.timestamps || r.valid_bodies_differ() %}¶
    let body = valid_body(&app).await;
    let replaced = app.put(&item(id), &body).await;
    replaced.assert_status(StatusCode::OK);
    for (path, etag) in &etags {
        let changed = app.call_raw(anonymous_get(path, Some(etag))).await;
        changed.assert_status(StatusCode::OK);
        assert_ne!(changed.header("etag"), Some(etag.as_str()), "{path}");
    }
{% endif %}¶
{% if plan.auth.is_some() %}¶
    // With credentials, answers may differ by caller: never cached.
    let authenticated = app.get(&etags[0].0).await;
    authenticated.assert_status(StatusCode::OK);
    assert_eq!(authenticated.header("etag"), None);
    assert_eq!(authenticated.header("cache-control"), Some("no-store"));
{% endif %}¶
}

{% endif %}¶
#[tokio::test]
async fn replace_answers_200_and_replaces_the_row() {
    let app = TestApp::new().await;
    let id = create(&app).await;
    let body = valid_body(&app).await;
    let response = app.put(&item(id), &body).await;
    response.assert_status(StatusCode::OK);
{% for f in r.echoed_fields() %}¶
    assert_eq!(response.body["{{ f.name }}"], body["{{ f.name }}"]);
{% endfor %}¶
    let stored = app.get(&item(id)).await;
    assert_eq!(stored.body, response.body);
}
{% if let Some(f) = r.first_shown_optional() %}¶

#[tokio::test]
async fn replace_clears_optional_fields_left_out() {
    let app = TestApp::new().await;
    let id = create(&app).await;
    let body = body_without(&app, "{{ f.name }}").await;
    let response = app.put(&item(id), &body).await;
    response.assert_status(StatusCode::OK);
{% if let Some(value) = f.left_out() %}¶
    assert_eq!(response.body["{{ f.name }}"], {{ crate::render::left_out(value) }});
{% endif %}¶
}
{% endif %}¶
{% for f in r.private_inputs() %}¶

#[tokio::test]
async fn replace_keeps_the_private_{{ f.snake }}_it_leaves_out() {
    let app = TestApp::new().await;
    let body = body_with(&app, "{{ f.name }}", json!({{ f.example }})).await;
    let created = app.post(PATH, &body).await;
    created.assert_status(StatusCode::CREATED);
    let id = created.id();
    let stored = || async {
        use {{ plan.crate_name }}::entities::{{ r.module }};
        let row = {{ r.module }}::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .expect("read the row")
            .expect("the row");
        row.{{ f.ident }}
    };
    let before = stored().await;
    // What a client that read the row sends back: every field it was shown.
    let replace = body_without(&app, "{{ f.name }}").await;
    let response = app.put(&item(id), &replace).await;
    response.assert_status(StatusCode::OK);
    assert_eq!(stored().await, before, "a PUT without it changed {{ f.name }}");
}
{% endfor %}¶

#[tokio::test]
async fn replace_answers_404_for_a_missing_row() {
    let app = TestApp::new().await;
    let body = valid_body(&app).await;
    let response = app.put(&item(999_999), &body).await;
    response.assert_problem(StatusCode::NOT_FOUND);
}
{% if let Some(v) = r.first_violation() %}¶

#[tokio::test]
async fn replace_applies_the_rules_of_create() {
    let app = TestApp::new().await;
    let id = create(&app).await;
    let body = body_with(&app, "{{ v.field }}", {{ crate::render::test_value(v.value) }}).await;
    let response = app.put(&item(id), &body).await;
    response.assert_rule("{{ v.field }}", "{{ v.code }}");
}

#[tokio::test]
async fn patch_applies_the_rules_of_each_field_sent() {
    let app = TestApp::new().await;
    let id = create(&app).await;
    let change = json!({ "{{ v.field }}": {{ crate::render::test_value(v.value) }} });
    let response = app.patch(&item(id), &change).await;
    response.assert_rule("{{ v.field }}", "{{ v.code }}");
}
{% endif %}¶
{% if let Some(f) = r.patch_field() %}¶

#[tokio::test]
async fn patch_changes_only_the_fields_sent() {
    let app = TestApp::new().await;
    let id = create(&app).await;
    let before = app.get(&item(id)).await;
    // Some rules give few sample values (tests running at once share their counter):
    // draw until the value differs.
    let mut other = valid_body(&app).await;
    for _ in 0..50 {
        if other["{{ f.name }}"] != before.body["{{ f.name }}"] {
            break;
        }
        other = valid_body(&app).await;
    }
{# One line while it fits in 100 columns; rustfmt leaves a json! body as it is. #}¶
{% if f.name.len() > 38 %}¶
    let change = json!({
        "{{ f.name }}":
            other["{{ f.name }}"],
    });
{% else if f.name.len() > 29 %}¶
    let change = json!({
        "{{ f.name }}": other["{{ f.name }}"],
    });
{% else %}¶
    let change = json!({ "{{ f.name }}": other["{{ f.name }}"] });
{% endif %}¶
    let response = app.patch(&item(id), &change).await;
    response.assert_status(StatusCode::OK);
    assert_eq!(response.body["{{ f.name }}"], other["{{ f.name }}"]);
    assert_ne!(response.body["{{ f.name }}"], before.body["{{ f.name }}"]);
    let mut expected = before.body.clone();
    expected["{{ f.name }}"] = other["{{ f.name }}"].clone();
{% if r.timestamps %}¶
    expected["updated_at"] = response.body["updated_at"].clone();
{% endif %}¶
    assert_eq!(response.body, expected);
}
{% endif %}¶
{% for f in optional.iter() %}¶
{% if !f.private %}¶

#[tokio::test]
async fn patch_null_clears_{{ f.snake }}() {
    let app = TestApp::new().await;
{% if f.relation.is_some() %}¶
    let parent = common::create_{{ f.relation_module() }}(&app).await;
    let body = body_with(&app, "{{ f.name }}", json!(parent)).await;
{% else %}¶
    let body = valid_body(&app).await;
{% endif %}¶
    let id = app.post(PATH, &body).await.id();
    let change = json!({ "{{ f.name }}": null });
    let response = app.patch(&item(id), &change).await;
    response.assert_status(StatusCode::OK);
    assert_eq!(response.body["{{ f.name }}"], Value::Null);
}
{% endif %}¶
{% endfor %}¶
{% if let Some(f) = r.not_null_field() %}¶

#[tokio::test]
async fn patch_null_on_a_required_field_answers_422() {
    let app = TestApp::new().await;
    let id = create(&app).await;
    let change = json!({ "{{ f.name }}": null });
    let response = app.patch(&item(id), &change).await;
    response.assert_rule("{{ f.name }}", "required");
}
{% endif %}¶

#[tokio::test]
async fn patch_answers_404_for_a_missing_row() {
    let app = TestApp::new().await;
    let response = app.patch(&item(999_999), &json!({})).await;
    response.assert_problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn delete_answers_204_then_404() {
    let app = TestApp::new().await;
    let id = create(&app).await;
    let response = app.delete(&item(id)).await;
    response.assert_status(StatusCode::NO_CONTENT);
    let response = app.get(&item(id)).await;
    response.assert_problem(StatusCode::NOT_FOUND);
    let again = app.delete(&item(id)).await;
    again.assert_problem(StatusCode::NOT_FOUND);
}
{% if r.soft_delete %}¶

#[tokio::test]
async fn delete_keeps_the_row_and_hides_it_from_every_read() {
    use sea_orm::EntityTrait;

    use {{ plan.crate_name }}::entities::{{ r.module }}::Entity;

    let app = TestApp::new().await;
    let kept = create(&app).await;
    let id = create(&app).await;
    let response = app.delete(&item(id)).await;
    response.assert_status(StatusCode::NO_CONTENT);
    let row = Entity::find_by_id(id).one(&app.db).await.expect("a query");
    let row = row.expect("a soft-deleted row stays in the table");
    assert!(row.deleted_at.is_some());
    let list = app.get(PATH).await;
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["data"][0]["id"], kept);
    let response = app.put(&item(id), &valid_body(&app).await).await;
    response.assert_problem(StatusCode::NOT_FOUND);
    let response = app.patch(&item(id), &json!({})).await;
    response.assert_problem(StatusCode::NOT_FOUND);
}
{% endif %}¶

#[tokio::test]
async fn malformed_json_answers_400() {
    let app = TestApp::new().await;
    let json = Some("application/json");
    for body in ["{\"truncated\":", "[1, 2]", "not json", ""] {
        let response = app.send_raw(Method::POST, PATH, json, body).await;
        response.assert_problem(StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_answers_415() {
    let app = TestApp::new().await;
    let body = valid_body(&app).await.to_string();
    let text = Some("text/plain");
    let response = app.send_raw(Method::POST, PATH, text, &body).await;
    response.assert_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let response = app.send_raw(Method::POST, PATH, None, &body).await;
    response.assert_problem(StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn a_method_the_route_does_not_have_answers_405() {
    let app = TestApp::new().await;
    let response = app.delete(PATH).await;
    response.assert_problem(StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn an_unknown_field_answers_422() {
    let app = TestApp::new().await;
    let body = body_with(&app, "no_such_field", json!("x")).await;
    let response = app.post(PATH, &body).await;
    response.assert_rule("no_such_field", "unknown");
}

#[tokio::test]
async fn every_problem_of_a_body_is_named_at_once() {
    let app = TestApp::new().await;
    let mut body = body_with(&app, "no_such_field", json!("x")).await;
    let fields = body.as_object_mut().expect("a body is a JSON object");
    fields.insert("nor_this_one".to_owned(), json!(1));
{% for f in r.required_fields() %}¶
    fields.remove("{{ f.name }}");
{% endfor %}¶
    let response = app.post(PATH, &body).await;
    response.assert_rule("no_such_field", "unknown");
    response.assert_rule("nor_this_one", "unknown");
{% for f in r.required_fields() %}¶
    response.assert_rule("{{ f.name }}", "required");
{% endfor %}¶
}
{% for v in r.form_tests() %}¶

#[tokio::test]
async fn {{ v.test_name }}() {
    let app = TestApp::new().await;
    let value = {{ crate::render::test_value(v.value) }};
    let body = body_with(&app, "{{ v.field }}", value).await;
    let response = app.post(PATH, &body).await;
    response.assert_rule("{{ v.field }}", "{{ v.code }}");
    let message = response.body["errors"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("such as"), "{message}");
}
{% endfor %}¶
{% for f in r.required_fields() %}¶

#[tokio::test]
async fn {{ f.snake }}_is_required() {
    let app = TestApp::new().await;
    let body = body_without(&app, "{{ f.name }}").await;
    let response = app.post(PATH, &body).await;
    response.assert_rule("{{ f.name }}", "required");
}
{% endfor %}¶
{% for v in r.violation_tests() %}¶

#[tokio::test]
async fn {{ v.test_name }}() {
    let app = TestApp::new().await;
    let body = body_with(&app, "{{ v.field }}", {{ crate::render::test_value(v.value) }}).await;
    let response = app.post(PATH, &body).await;
    response.assert_rule("{{ v.field }}", "{{ v.code }}");
}
{% endfor %}¶
{% for (f, sample) in r.unique_tests() %}¶

#[tokio::test]
async fn {{ f.snake }}_must_be_unique() {
    let app = TestApp::new().await;
{% if f.relation.is_some() && f.optional %}¶
    // An optional parent is left out of a valid body: two rows without one do not clash.
    let parent = common::create_{{ f.relation_module() }}(&app).await;
    let first = body_with(&app, "{{ f.name }}", json!(parent)).await;
{% else if let Some(sample) = sample %}¶
    // Only some roles may set it, so a valid body leaves it out: two rows without it do
    // not clash.
    let value = {{ sample }};
    let first = body_with(&app, "{{ f.name }}", value).await;
{% else %}¶
    let first = valid_body(&app).await;
{% endif %}¶
    app.post(PATH, &first)
        .await
        .assert_status(StatusCode::CREATED);
    let second = body_with(&app, "{{ f.name }}", first["{{ f.name }}"].clone()).await;
    let response = app.post(PATH, &second).await;
    response.assert_problem(StatusCode::CONFLICT);
    response.assert_names("{{ f.name }}");
}
{% endfor %}¶
{% for f in r.private_fields() %}¶

#[tokio::test]
async fn {{ f.snake }}_is_accepted_but_never_returned() {
    let app = TestApp::new().await;
    let body = body_with(&app, "{{ f.name }}", json!({{ f.example }})).await;
    let created = app.post(PATH, &body).await;
    created.assert_status(StatusCode::CREATED);
    assert!(created.body.get("{{ f.name }}").is_none());
    let read = app.get(&item(created.id())).await;
    assert!(read.body.get("{{ f.name }}").is_none());
    let list = app.get(PATH).await;
    assert!(list.body["data"][0].get("{{ f.name }}").is_none());
}
{% endfor %}¶
{% for f in r.readonly_fields() %}¶

#[tokio::test]
async fn {{ f.snake }}_is_read_only() {
    let app = TestApp::new().await;
    let body = body_with(&app, "{{ f.name }}", json!(1)).await;
    let response = app.post(PATH, &body).await;
    response.assert_rule("{{ f.name }}", "readonly");
    let id = create(&app).await;
    let change = json!({ "{{ f.name }}": 1 });
    let response = app.patch(&item(id), &change).await;
    response.assert_rule("{{ f.name }}", "readonly");
}
{% endfor %}¶
{% if let Some((field, parent)) = plan.parent_of_someone_else(r) %}¶

#[tokio::test]
async fn a_row_joins_no_{{ field }}_its_caller_may_not_read() {
    let app = TestApp::new().await;
    let users = app.users().await;
    let owner = Some(users.owner.token.as_str());
    // The stranger's {{ parent }}: the owner may not read it, so it answers like a missing one.
    let mut body = common::valid_{{ r.snake() }}_for(&app, Some(users.owner.id)).await;
    body["{{ field }}"] = json!(common::create_{{ parent }}_owned_by(&app, users.stranger.id).await);
    let response = app.post_as(PATH, owner, &body).await;
    response.assert_problem(StatusCode::CONFLICT);
    response.assert_names("{{ field }}");
    body["{{ field }}"] = json!(common::create_{{ parent }}_owned_by(&app, users.owner.id).await);
    let response = app.post_as(PATH, owner, &body).await;
    response.assert_status(StatusCode::CREATED);
}
{% endif %}¶
{% for t in r.relation_tests(plan) %}¶

#[tokio::test]
async fn {{ t.snake }}_must_refer_to_an_existing_row() {
    let app = TestApp::new().await;
    let body = body_with(&app, "{{ t.column }}", json!(999_999)).await;
    let response = app.post(PATH, &body).await;
    response.assert_problem(StatusCode::CONFLICT);
    response.assert_names("{{ t.column }}");
}
{% if let Some(on_delete) = t.on_delete %}¶

#[tokio::test]
async fn deleting_the_{{ t.snake }}_parent_{{ on_delete }}() {
    let app = TestApp::new().await;
    let parent = common::create_{{ t.parent_module }}(&app).await;
    let body = body_with(&app, "{{ t.column }}", json!(parent)).await;
    let id = app.post(PATH, &body).await.id();
    let response = app.delete(&format!("{{ t.parent_path }}/{parent}")).await;
{% if t.on_delete == Some("restrict") %}¶
    response.assert_problem(StatusCode::CONFLICT);
    let response = app.get(&item(id)).await;
    response.assert_status(StatusCode::OK);
{% else if t.on_delete == Some("cascade") %}¶
    response.assert_status(StatusCode::NO_CONTENT);
    let response = app.get(&item(id)).await;
    response.assert_problem(StatusCode::NOT_FOUND);
{% else %}¶
    response.assert_status(StatusCode::NO_CONTENT);
    let child = app.get(&item(id)).await;
    assert_eq!(child.body["{{ t.column }}"], Value::Null);
{% endif %}¶
}
{% else %}¶

#[tokio::test]
async fn a_deleted_{{ t.snake }}_parent_takes_no_new_rows() {
    let app = TestApp::new().await;
    let parent = common::create_{{ t.parent_module }}(&app).await;
    let response = app.delete(&format!("{{ t.parent_path }}/{parent}")).await;
    response.assert_status(StatusCode::NO_CONTENT);
    let body = body_with(&app, "{{ t.column }}", json!(parent)).await;
    let response = app.post(PATH, &body).await;
    response.assert_problem(StatusCode::CONFLICT);
    response.assert_names("{{ t.column }}");
}
{% endif %}¶
{% endfor %}¶
{% if let Some(access) = r.access %}¶

/// The access rules of {{ r.name }} in apigen.toml, route by route.
fn routes() -> [Route; 6] {
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

/// The least rule under which a caller reads every parent of a valid body.
const PARENTS: Rule = {{ crate::render::rule(&plan.parents_rule(r)) }};
{% if let Some(rule) = plan.replace_parents_rule(r) %}¶

/// The same for a PUT's body, which leaves out the parents only some roles may set.
const PUT_PARENTS: Rule = {{ crate::render::rule(rule) }};
{% endif %}¶

{% let guarded = r.guarded_samples() %}¶
{% if !guarded.is_empty() %}¶
/// Fields of a valid body that only some roles may set: a PUT that leaves them out
/// keeps them, so every caller the route admits may send it.
const GUARDED: &[&str] = &[
{% for name in guarded.iter() %}¶
    {{ crate::names::rust_string_literal(name) }},
{% endfor %}¶
];

{% endif %}¶
{% if plan.parents_owned_by_caller(r).is_empty() %}¶
/// The body a route needs, if any.
async fn body_for(app: &TestApp, method: &Method, _user: i64) -> Option<Value> {
    match *method {
{% if guarded.is_empty() %}¶
        Method::POST | Method::PUT => Some(valid_body(app).await),
{% else %}¶
        Method::POST => Some(valid_body(app).await),
        Method::PUT => Some(common::without(valid_body(app).await, GUARDED)),
{% endif %}¶
        Method::PATCH => Some(json!({})),
        _ => None,
    }
}
{% else %}¶
/// The body a route needs, if any: the parents only their owner reads are `user`'s.
async fn body_for(app: &TestApp, method: &Method, user: i64) -> Option<Value> {
    match *method {
{% if guarded.is_empty() %}¶
        Method::POST | Method::PUT => Some(common::valid_{{ r.snake() }}_for(app, Some(user)).await),
{% else %}¶
        Method::POST => Some(common::valid_{{ r.snake() }}_for(app, Some(user)).await),
        Method::PUT => {
            let body = common::valid_{{ r.snake() }}_for(app, Some(user)).await;
            Some(common::without(body, GUARDED))
        }
{% endif %}¶
        Method::PATCH => Some(json!({})),
        _ => None,
    }
}
{% endif %}¶

{% if let Some(owner) = r.owner %}¶
{% if plan.first_role_creates(r) %}¶
/// A new row owned by `owner`.
async fn create_owned(app: &TestApp, owner: &Account) -> i64 {
    common::create_{{ r.snake() }}_as(app, owner).await
}
{% else %}¶
/// A new row owned by `owner`, written to the database: creating {{ r.plural_words() }}
/// needs a role above the owner's.
async fn create_owned(app: &TestApp, owner: &Account) -> i64 {
    common::create_{{ r.snake() }}_owned_by(app, owner.id).await
}
{% endif %}¶
{% else %}¶
/// A new row: {{ r.name }} has no owner.
async fn create_owned(app: &TestApp, _owner: &Account) -> i64 {
    create(app).await
}
{% endif %}¶

/// Sends route `index` as every kind of caller, each time on a new row of the owner.
async fn check_route(index: usize) {
    let app = TestApp::new().await;
    let users: Users = app.users().await;
    let route = &routes()[index];
    for who in common::everyone() {
        let id = create_owned(&app, &users.owner).await;
        let path = if route.item {
            item(id)
        } else {
            PATH.to_owned()
        };
        let body = body_for(&app, &route.method, users.id(who)).await;
        let token = users.token(&app, who).await;
        let method = route.method.clone();
        let response = app
            .send_as(method, &path, token.as_deref(), body.as_ref())
            .await;
{% if plan.replace_parents_rule(r).is_some() %}¶
        let parents = match route.method {
            Method::POST => Some(PARENTS),
            Method::PUT => Some(PUT_PARENTS),
            _ => None,
        };
{% else %}¶
        let parents = matches!(route.method, Method::POST | Method::PUT).then_some(PARENTS);
{% endif %}¶
        common::assert_access(&response, route, who, parents);
    }
}

#[tokio::test]
async fn access_list() {
    check_route(0).await;
}

#[tokio::test]
async fn access_create() {
    check_route(1).await;
}

#[tokio::test]
async fn access_read() {
    check_route(2).await;
}

#[tokio::test]
async fn access_replace() {
    check_route(3).await;
}

#[tokio::test]
async fn access_update() {
    check_route(4).await;
}

#[tokio::test]
async fn access_delete() {
    check_route(5).await;
}
{% if let Some(owner) = r.owner %}¶

#[tokio::test]
async fn create_sets_the_owner_from_the_token() {
    let app = TestApp::new().await;
{% if plan.first_role_creates(r) %}¶
    let (owner, token) = app.register_user(UserRole::FIRST).await;
{% else %}¶
    // Creating {{ r.plural_words() }} needs a role above the first: the creator owns the row.
    let (owner, token) = app.register_user(UserRole::LAST).await;
{% endif %}¶
{% if plan.parents_owned_by_caller(r).is_empty() %}¶
    let body = valid_body(&app).await;
{% else %}¶
    let body = common::valid_{{ r.snake() }}_for(&app, Some(owner)).await;
{% endif %}¶
    let response = app.post_as(PATH, Some(&token), &body).await;
    response.assert_status(StatusCode::CREATED);
    assert_eq!(response.body["{{ owner.column }}"], owner);
}

#[tokio::test]
async fn a_row_is_given_to_another_user_only_by_a_role_that_may_name_its_owner() {
    let app = TestApp::new().await;
    let users = app.users().await;
{% if plan.parents_owned_by_caller(r).is_empty() %}¶
    let (_, token) = app.register_user(UserRole::{{ plan.owner_naming_role(r) }}).await;
    let mut body = valid_body(&app).await;
{% else %}¶
    let (creator, token) = app.register_user(UserRole::{{ plan.owner_naming_role(r) }}).await;
    let mut body = common::valid_{{ r.snake() }}_for(&app, Some(creator)).await;
{% endif %}¶
    body["{{ owner.column }}"] = json!(users.stranger.id);
    let response = app.post_as(PATH, Some(&token), &body).await;
    response.assert_status(StatusCode::CREATED);
    assert_eq!(response.body["{{ owner.column }}"], users.stranger.id);
    // A user that does not exist owns nothing.
    body["{{ owner.column }}"] = json!(999_999_999);
    let response = app.post_as(PATH, Some(&token), &body).await;
    response.assert_problem(StatusCode::CONFLICT);
    // The last role hands a row over.
    let id = create_owned(&app, &users.owner).await;
    let change = json!({ "{{ owner.column }}": users.stranger.id });
    let response = app.patch(&item(id), &change).await;
    response.assert_status(StatusCode::OK);
    assert_eq!(response.body["{{ owner.column }}"], users.stranger.id);
}
{% if plan.first_role_names_no_owner(r) && plan.first_role_creates(r) %}¶

#[tokio::test]
async fn a_caller_below_the_owner_field_role_cannot_give_a_row_away() {
    let app = TestApp::new().await;
    let users = app.users().await;
    let token = Some(users.owner.token.as_str());
{% if plan.parents_owned_by_caller(r).is_empty() %}¶
    let mut body = valid_body(&app).await;
{% else %}¶
    let mut body = common::valid_{{ r.snake() }}_for(&app, Some(users.owner.id)).await;
{% endif %}¶
    body["{{ owner.column }}"] = json!(users.stranger.id);
    let response = app.post_as(PATH, token, &body).await;
    response.assert_not_writable("{{ owner.column }}");
    // Naming themselves is no change.
    body["{{ owner.column }}"] = json!(users.owner.id);
    let response = app.post_as(PATH, token, &body).await;
    response.assert_status(StatusCode::CREATED);
{% if plan.first_role_updates_own_rows(r) %}¶
    let id = response.id();
    let change = json!({ "{{ owner.column }}": users.stranger.id });
    let response = app.patch_as(&item(id), token, &change).await;
    response.assert_not_writable("{{ owner.column }}");
    let row = app.get(&item(id)).await;
    assert_eq!(row.body["{{ owner.column }}"], users.owner.id);
{% endif %}¶
}
{% endif %}¶
{% if (access.list.word == "owner" || access.get.word == "owner") && plan.roles_below_the_last() %}¶
{% if plan.first_role_lists(r) %}¶

#[tokio::test]
async fn a_list_shows_the_caller_only_their_rows_and_the_last_role_all() {
    let app = TestApp::new().await;
    let users = app.users().await;
    for _ in 0..2 {
        create_owned(&app, &users.owner).await;
    }
    create_owned(&app, &users.stranger).await;
    let total = |response: common::TestResponse| response.body["total"].clone();
    let owner = app.get_as(PATH, Some(&users.owner.token)).await;
    assert_eq!(total(owner), 2);
    let stranger = app.get_as(PATH, Some(&users.stranger.token)).await;
    assert_eq!(total(stranger), 1);
    let last = app.token.as_deref();
    let everything = app.get_as(PATH, last).await;
    assert_eq!(total(everything), 3);
}
{% endif %}¶
{% if access.get.word == "owner" %}¶

#[tokio::test]
async fn a_stranger_gets_403_for_a_row_that_exists_and_404_for_one_that_does_not() {
    let app = TestApp::new().await;
    let users = app.users().await;
    let id = create_owned(&app, &users.owner).await;
    let stranger = Some(users.stranger.token.as_str());
    let response = app.get_as(&item(id), stranger).await;
    response.assert_problem(StatusCode::FORBIDDEN);
    let response = app.get_as(&item(999_999), stranger).await;
    response.assert_problem(StatusCode::NOT_FOUND);
}
{% endif %}¶
{% endif %}¶
{% endif %}¶
{% endif %}¶
{% for t in plan.writable_tests(r) %}¶

#[tokio::test]
async fn {{ t.test_name }}() {
    let app = TestApp::new().await;
{% if t.owned %}¶
    let (below, token) = app.register_user(UserRole::{{ t.below }}).await;
    let id = common::create_{{ r.snake() }}_owned_by(&app, below).await;
{% else %}¶
    let (_, token) = app.register_user(UserRole::{{ t.below }}).await;
    let id = create(&app).await;
{% endif %}¶
    let token = Some(token.as_str());
{% include "partials/writable_test.rs" %}¶
{% if let Some(left_out) = t.left_out %}¶
    // A create may hold nothing but what a row gets when the field is left out.
    let left_out = {{ crate::render::left_out(left_out) }};
    while value == left_out {
        value = {{ crate::render::sample_call(t) }};
    }
    let body = body_with(&app, "{{ t.field }}", value).await;
    let response = app.post_as(PATH, token, &body).await;
    response.assert_not_writable("{{ t.field }}");
{% endif %}¶
}
{% endfor %}¶

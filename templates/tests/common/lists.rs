// {{ header }}
// Do not edit: add your own tests in new files under tests/.
//! Checks of the list queries: each filter and sort order is checked against the rows
//! themselves, the expected answer computed here from the values the API answered.
use std::cmp::Ordering;

use axum::http::StatusCode;
use sea_orm::prelude::{DateTimeWithTimeZone, Decimal};
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
use serde_json::Value;

use super::{TestApp, TestResponse};

/// How a field compares, as the list's filters and sorting compare it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    Float,
    Decimal,
    Bool,
    Date,
    DateTime,
    /// `HH:MM:SS`, which compares as its text.
    Time,
    Uuid,
    /// Its values, in the order the schema declares them: the order it sorts in.
    Enum(&'static [&'static str]),
    Json,
}

/// `path?query`, with `query` URL-encoded.
pub fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let query = serde_urlencoded::to_string(pairs).expect("a query string");
    format!("{path}?{query}")
}

/// The rows of a list answer.
pub fn rows(response: &TestResponse) -> Vec<Value> {
    response.assert_status(StatusCode::OK);
    response.body["data"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The ids of a list answer, in its order.
pub fn ids(response: &TestResponse) -> Vec<i64> {
    rows(response)
        .iter()
        .filter_map(|row| row["id"].as_i64())
        .collect()
}

/// Every row of the list at `path` (at most 100), by id.
pub async fn all_rows(app: &TestApp, path: &str) -> Vec<Value> {
    rows(&app.get(&with_query(path, &[("per_page", "100")])).await)
}

/// How `a` and `b` compare as `kind`; `None` when either is null.
pub fn compare(kind: Kind, a: &Value, b: &Value) -> Option<Ordering> {
    if a.is_null() || b.is_null() {
        return None;
    }
    match kind {
        Kind::Integer => a.as_i64()?.partial_cmp(&b.as_i64()?),
        Kind::Float => a.as_f64()?.partial_cmp(&b.as_f64()?),
        Kind::Decimal => number(a)?.partial_cmp(&number(b)?),
        Kind::Enum(values) => {
            let rank = |v: &Value| values.iter().position(|value| Some(*value) == v.as_str());
            rank(a)?.partial_cmp(&rank(b)?)
        }
        Kind::DateTime => instant(a)?.partial_cmp(&instant(b)?),
        Kind::Bool => a.as_bool()?.partial_cmp(&b.as_bool()?),
        _ => a.as_str()?.partial_cmp(b.as_str()?),
    }
}

/// A decimal, exactly: the API compares every digit.
fn number(value: &Value) -> Option<Decimal> {
    value.as_str()?.parse().ok()
}

fn instant(value: &Value) -> Option<DateTimeWithTimeZone> {
    DateTimeWithTimeZone::parse_from_rfc3339(value.as_str()?).ok()
}

/// A value as a query parameter writes it.
fn query_value(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Whether `value` passes `field.op=probe`, as the API should decide.
fn passes(kind: Kind, op: &str, value: &Value, probe: &str, probes: &[Value]) -> bool {
    let probe_value = probes.first().cloned().unwrap_or(Value::Null);
    let order = compare(kind, value, &probe_value);
    match op {
        "eq" => order == Some(Ordering::Equal),
        "ne" => order != Some(Ordering::Equal),
        "gt" => order == Some(Ordering::Greater),
        "gte" => matches!(order, Some(Ordering::Greater | Ordering::Equal)),
        "lt" => order == Some(Ordering::Less),
        "lte" => matches!(order, Some(Ordering::Less | Ordering::Equal)),
        "in" => probes
            .iter()
            .any(|p| compare(kind, value, p) == Some(Ordering::Equal)),
        "contains" => value
            .as_str()
            // The case of A to Z is ignored, and no other.
            .is_some_and(|text| {
                let probe = probe.to_ascii_lowercase();
                text.to_ascii_lowercase().contains(&probe)
            }),
        "null" => value.is_null() == (probe == "true"),
        _ => false,
    }
}

/// The operators a field of this kind takes, as the API documents them.
pub fn operators(kind: Kind, optional: bool) -> Vec<&'static str> {
    let mut ops = match kind {
        Kind::Text => vec!["eq", "ne", "contains", "in"],
        Kind::Integer | Kind::Decimal | Kind::Date | Kind::Time => {
            vec!["eq", "ne", "gt", "gte", "lt", "lte", "in"]
        }
        Kind::Float | Kind::DateTime => vec!["eq", "ne", "gt", "gte", "lt", "lte"],
        Kind::Bool => vec!["eq", "ne"],
        Kind::Uuid | Kind::Enum(_) => vec!["eq", "ne", "in"],
        Kind::Json => vec![],
    };
    if optional {
        ops.push("null");
    }
    ops
}

/// The parameters of a list that are not filters.
const LIST_PARAMETERS: [&str; 6] = ["page", "per_page", "after", "total", "sort", "include"];

/// Checks every operator of `field`: each filter answers exactly the rows of `path`
/// whose value passes it, in the order of their ids.
pub async fn check_filters(app: &TestApp, path: &str, field: &str, kind: Kind, optional: bool) {
    let ops = operators(kind, optional);
    let all = all_rows(app, path).await;
    let values: Vec<Value> = all.iter().map(|row| row[field].clone()).collect();
    let present: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
    for op in &ops {
        let cases: Vec<(String, Vec<Value>)> = match *op {
            "null" => vec![("true".into(), vec![]), ("false".into(), vec![])],
            _ if present.is_empty() => continue,
            "in" => {
                let mut picked: Vec<Value> = present.iter().take(2).cloned().collect();
                picked.dedup();
                let texts: Vec<String> = picked.iter().map(query_value).collect();
                if texts.iter().any(|t| t.contains(',')) {
                    continue;
                }
                vec![(texts.join(","), picked)]
            }
            "contains" => {
                let text = query_value(&present[0]);
                let middle: String = text.chars().skip(1).take(3).collect();
                let needle = if middle.is_empty() { text } else { middle };
                vec![(needle.to_uppercase(), vec![])]
            }
            _ => present
                .iter()
                .take(2)
                .map(|value| (query_value(value), vec![value.clone()]))
                .collect(),
        };
        for (probe, probes) in cases {
            // `sort=` sorts: a field named like a list parameter is filtered as `sort.eq`.
            let key = match *op {
                "eq" if !LIST_PARAMETERS.contains(&field) => field.to_string(),
                _ => format!("{field}.{op}"),
            };
            let url = with_query(path, &[(&key, &probe), ("per_page", "100")]);
            let response = app.get(&url).await;
            let expected: Vec<i64> = all
                .iter()
                .filter(|row| passes(kind, op, &row[field], &probe, &probes))
                .filter_map(|row| row["id"].as_i64())
                .collect();
            assert_eq!(ids(&response), expected, "{url}");
            assert_eq!(response.body["total"], expected.len(), "{url}");
        }
    }
}

/// Checks `sort=field` and `sort=-field`: rows in that order, nulls last going up and
/// first going down, ties in the order of their ids.
pub async fn check_sort(app: &TestApp, path: &str, field: &str, kind: Kind) {
    for descending in [false, true] {
        let sort = if descending {
            format!("-{field}")
        } else {
            field.to_string()
        };
        let url = with_query(path, &[("sort", &sort), ("per_page", "100")]);
        let answered = rows(&app.get(&url).await);
        for pair in answered.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let order = match (a[field].is_null(), b[field].is_null()) {
                (true, true) => Ordering::Equal,
                (false, true) => Ordering::Less,
                (true, false) => Ordering::Greater,
                (false, false) => compare(kind, &a[field], &b[field]).unwrap_or(Ordering::Equal),
            };
            let order = if descending { order.reverse() } else { order };
            assert_ne!(order, Ordering::Greater, "{url}: {a} before {b}");
            if order == Ordering::Equal {
                assert!(a["id"].as_i64() < b["id"].as_i64(), "{url}: ties by id");
            }
        }
    }
}

/// On PostgreSQL, fails when the page that `GET path` reads (its statement with
/// `ORDER BY`) would read a whole table: it is explained with sequential scans turned
/// off, and PostgreSQL then reads through an index whenever one gives the page's order
/// or narrows its rows, so a `Seq Scan` left in the plan means that none can. The count
/// of a numbered page reads every matching row by nature (`?total=false` skips it) and
/// is not checked. Prints the plans (`-- --nocapture`). Elsewhere it checks nothing:
/// SQLite and MySQL have no such switch, and their plans for tables this small say
/// nothing about large ones.
pub async fn assert_indexed(app: &TestApp, path: &str) {
    if app.db.get_database_backend() != DbBackend::Postgres {
        return;
    }
    let pages: Vec<Statement> = app
        .statements_of(path)
        .await
        .into_iter()
        .filter(|statement| statement.sql.starts_with("SELECT"))
        .filter(|statement| statement.sql.contains(" ORDER BY "))
        .collect();
    assert!(!pages.is_empty(), "GET {path} read no page");
    for statement in pages {
        let plan = explain(app, &statement).await;
        println!("GET {path}\n{}\n{plan}\n", statement.sql);
        assert!(
            !plan.contains("Seq Scan"),
            "GET {path} reads a whole table:\n{}\n{plan}",
            statement.sql
        );
    }
}

/// PostgreSQL's plan of `statement`, with its values, as text, sequential scans off.
async fn explain(app: &TestApp, statement: &Statement) -> String {
    let txn = app.db.begin().await.expect("begin");
    txn.execute_unprepared("SET LOCAL enable_seqscan = off")
        .await
        .expect("turn sequential scans off");
    let explain = Statement {
        sql: format!("EXPLAIN {}", statement.sql),
        ..statement.clone()
    };
    let rows = txn.query_all_raw(explain).await.expect("explain");
    txn.rollback().await.expect("rollback");
    let lines: Vec<String> = rows
        .iter()
        .map(|row| row.try_get::<String>("", "QUERY PLAN").expect("a line of the plan"))
        .collect();
    lines.join("\n")
}

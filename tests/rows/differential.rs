//! The differential test: one generated API, built once, serving the same requests on
//! SQLite, PostgreSQL and MariaDB, and every answer compared (status and body; ids,
//! foreign keys and server timestamps aside, since a database may spend ids on refused
//! rows). The requests come from the schema: for each resource, parents first, a valid
//! row, then one row per edge value of each field's type (decimals with 28 places,
//! trailing zeros, exponents and as JSON numbers; integers at and past their bounds;
//! text in Greek, Turkish, with combining marks and past 1 KiB; datetimes with
//! nanoseconds, offsets, years 0001, 9999 and past them, leap seconds; dates likewise;
//! JSON with big numbers), then every filter and both sorts of every field over them.
//!
//! A difference fails the test unless it is in every answer; so does any 5xx. What no
//! database can keep the same way must be refused up front, with the same 400 or 422.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value as Json, json};
use toml_edit::DocumentMut;

use super::*;
use crate::support::*;

/// A JSON number sent with its text as written: the test's own serde_json would read it
/// through an f64. `raw("1.10")` in a body is `1.10` on the wire.
fn raw(text: &str) -> Json {
    Json::String(format!("{RAW}{text}"))
}

const RAW: &str = "\u{1}raw:";

/// A body as sent: every [`raw`] number written as its text.
fn wire(body: &Json) -> String {
    let text = body.to_string();
    let marker = "\"\\u0001raw:";
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find(marker) {
        out.push_str(&rest[..at]);
        let after = &rest[at + marker.len()..];
        let end = after.find('"').expect("a raw number ends");
        out.push_str(&after[..end]);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The values every database must take the same way, or refuse the same way, for a
/// field of type `ty`.
fn edges(ty: &str) -> Vec<Json> {
    let long = "é".repeat(520) + "x";
    match ty {
        "decimal" => vec![
            json!("1.10"),
            raw("1.10"),
            json!("0.1"),
            raw("12345.6789"),
            json!("12345678901234567890.12"),
            raw("12345678901234567890.12"),
            json!("12345678901234567.1"),
            json!("12345678901234567.2"),
            json!("0.0000000000000000000000000001"),
            json!("0.00000000000000000000000000001"),
            raw("1e-29"),
            raw("2.5e3"),
            json!("1E2"),
            json!("0.00"),
            json!("-0"),
            json!("-12.500"),
            json!("79228162514264337593543950335"),
            json!("79228162514264337593543950336"),
            json!("1e30"),
            json!("12,5"),
        ],
        "int" => vec![
            json!(i32::MAX),
            json!(i32::MIN),
            json!(i32::MAX as i64 + 1),
            raw("3.0"),
            raw("3.5"),
            raw("1e2"),
            json!("3"),
        ],
        "bigint" => vec![
            json!(i64::MAX),
            json!(i64::MIN),
            raw("9223372036854775808"),
            raw("-9223372036854775809"),
            raw("7.0"),
        ],
        "float" => vec![
            raw("0.1"),
            raw("-0.0"),
            raw("1e308"),
            raw("1e309"),
            raw("5e-324"),
            raw("123456789.125"),
        ],
        "string" | "text" => vec![
            json!("École"),
            json!("ÉCOLE"),
            json!("ΟΔΟΣ"),
            json!("οδος"),
            json!("İstanbul"),
            json!("istanbul"),
            json!("e\u{301}cole"),
            json!("Zebra"),
            json!("apple"),
            json!("50% off_now"),
            json!(long),
        ],
        "datetime" => vec![
            json!("2024-05-31T14:30:00.123456789Z"),
            json!("2024-05-31T14:30:00.1234565Z"),
            json!("2024-05-31T16:30:00+02:00"),
            json!("0001-01-01T00:00:00Z"),
            json!("0001-01-01T00:30:00+01:00"),
            json!("9999-12-31T23:59:59.999999Z"),
            json!("9999-12-31T23:00:00-02:00"),
            json!("+10000-01-01T00:00:00Z"),
            json!("0000-01-01T00:00:00Z"),
            json!("2016-12-31T23:59:60Z"),
            json!("2024-02-30T00:00:00Z"),
        ],
        "date" => vec![
            json!("0001-01-01"),
            json!("9999-12-31"),
            json!("+10000-01-01"),
            json!("0000-01-01"),
            json!("2024-02-29"),
            json!("2023-02-29"),
        ],
        "time" => vec![
            json!("00:00:00"),
            json!("23:59:59"),
            json!("09:30:00.5"),
            json!("23:59:60"),
            json!("24:00:00"),
            json!("9:30:00"),
            json!("09:30"),
            json!("09:30:00Z"),
        ],
        "json" => vec![
            json!({ "big": raw("123456789012345678901234"), "list": [raw("1.50"), raw("1e2")] }),
            json!({ "b": 1, "a": [raw("-0"), raw("1E-3"), raw("100e-2")] }),
            raw("12345678901234567890.125"),
            raw("1e400"),
            json!({ "text": "ΟΔΟΣ İ é" }),
        ],
        "bool" => vec![json!(true), json!("true"), json!(1)],
        "uuid" => vec![
            json!("67E55044-10B1-426F-9247-BB680E5FE0C8"),
            json!("67e5504410b1426f9247bb680e5fe0c8"),
        ],
        _ => Vec::new(),
    }
}

/// The filters to try on a field of type `ty`, with `value` from its edges.
fn filter_ops(ty: &str) -> &'static [&'static str] {
    match ty {
        "string" | "text" => &["", "ne", "gt", "lt", "contains"],
        "decimal" | "int" | "bigint" | "float" | "date" | "datetime" | "time" => {
            &["", "ne", "gt", "gte", "lt", "lte"]
        }
        _ => &[""],
    }
}

/// `text` as a query string value.
fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The answer's text with what may differ between databases masked: the values of `keys`
/// (ids, foreign keys, server timestamps). The text is compared, not a parsed value, so
/// that a number is compared digit for digit.
fn mask(text: &str, keys: &[String]) -> String {
    let masked = |key: &str| keys.iter().any(|k| k == key);
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    // The end of the JSON string starting at `start` (its closing quote, plus one).
    let string_end = |start: usize| {
        let mut j = start + 1;
        while j < bytes.len() && bytes[j] != b'"' {
            j += if bytes[j] == b'\\' { 2 } else { 1 };
        }
        (j + 1).min(bytes.len())
    };
    while i < bytes.len() {
        if bytes[i] != b'"' {
            let next = text[i..].find('"').map_or(bytes.len(), |at| i + at);
            out.push_str(&text[i..next]);
            i = next;
            continue;
        }
        let end = string_end(i);
        let token = &text[i..end];
        out.push_str(token);
        i = end;
        if bytes.get(i) != Some(&b':') || !masked(&token[1..token.len().saturating_sub(1)]) {
            continue;
        }
        out.push(':');
        i += 1;
        let value_end = match bytes.get(i) {
            Some(b'"') => string_end(i),
            Some(b) if b.is_ascii_digit() || *b == b'-' => {
                let len = text[i..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c)))
                    .unwrap_or(text.len() - i);
                i + len
            }
            _ => i,
        };
        if value_end > i {
            out.push_str("\"~\"");
            i = value_end;
        }
    }
    out
}

/// One exchange: the request as written, then the answer's status and masked body.
type Exchange = (String, u16, String);

/// The requests, on one database, served on `port`.
fn transcript(
    port: u16,
    token: Option<&str>,
    base: &str,
    defs: &[ResourceDef],
    openapi: &Json,
    user: Option<i64>,
) -> Vec<Exchange> {
    let mut masked: Vec<String> = ["id", "created_at", "updated_at", "deleted_at"]
        .map(String::from)
        .to_vec();
    for def in defs {
        let keys = def
            .fields
            .iter()
            .filter(|f| f.ty == "belongs_to")
            .map(FieldDef::key);
        masked.extend(keys);
        masked.extend(def.owner.iter().map(|owner| format!("{owner}_id")));
    }
    let mut log = Vec::new();
    let mut send = |method: &str, path: &str, body: Option<&Json>| -> (u16, Json, String) {
        let text = body.map(wire);
        let (status, answer, raw_answer) = call_raw(port, method, path, text.as_deref(), token);
        let request = match &text {
            Some(text) => format!("{method} {path} {text}"),
            None => format!("{method} {path}"),
        };
        log.push((request, status, mask(&raw_answer, &masked)));
        (status, answer, raw_answer)
    };
    // The first row of each resource: the parent of later ones; the caller is the User.
    let mut parents: BTreeMap<String, i64> = BTreeMap::new();
    if let Some(user) = user {
        parents.insert("User".to_string(), user);
    }
    let mut k = 0;
    for def in creation_order(defs) {
        let keys = create_keys(openapi, base, &def.plural);
        let path = format!("{base}/{}", def.plural);
        let writable: Vec<&FieldDef> = def
            .fields
            .iter()
            .filter(|f| f.ty != "many_to_many" && !f.readonly)
            .filter(|f| def.owner.as_deref() != Some(&f.name) || user.is_some())
            .filter(|f| keys.contains(&f.key()))
            .collect();
        // A valid body, its unique values the k-th of their kind.
        let body_for = |k: usize, parents: &BTreeMap<String, i64>| -> Option<Json> {
            let mut body = serde_json::Map::new();
            for f in &writable {
                let value = if f.ty == "belongs_to" {
                    let target = f.target.as_deref().unwrap_or_default();
                    match parents.get(target) {
                        Some(id) if !f.unique || k == 0 => json!(id),
                        _ if f.optional => Json::Null,
                        _ => return None,
                    }
                } else {
                    match value_for(f, 0, k) {
                        Some(value) => value,
                        None => continue,
                    }
                };
                body.insert(f.key(), value);
            }
            Some(Json::Object(body))
        };
        let Some(base_row) = body_for(k, &parents) else {
            continue;
        };
        k += 1;
        let (status, answer, _) = send("POST", &path, Some(&base_row));
        if status != 201 {
            eprintln!("differential: POST {path} of a valid row answered {status}: {answer}");
            continue;
        }
        if let Some(id) = answer.get("id").and_then(Json::as_i64) {
            parents.insert(def.name.clone(), id);
        }
        for f in &writable {
            for edge in edges(&f.ty) {
                let Some(mut body) = body_for(k, &parents) else {
                    continue;
                };
                k += 1;
                body[f.key()] = edge;
                send("POST", &path, Some(&body));
            }
        }
        // Every filter and both sorts of each field, over the rows written.
        let filterable = def
            .fields
            .iter()
            .filter(|f| !f.private && f.ty != "many_to_many" && f.ty != "belongs_to");
        for f in filterable {
            for order in [&f.name, &format!("-{}", f.name)] {
                send("GET", &format!("{path}?per_page=100&sort={order}"), None);
            }
            let mut values: Vec<String> = edges(&f.ty)
                .iter()
                .filter_map(|edge| match edge {
                    Json::String(text) => Some(text.trim_start_matches(RAW).to_string()),
                    Json::Number(number) => Some(number.to_string()),
                    _ => None,
                })
                .collect();
            if matches!(f.ty.as_str(), "string" | "text") {
                values.extend(
                    ["école", "CAFÉ", "ΟΔΌΣ", "İSTANBUL", "ISTANBUL", "%", "_"].map(String::from),
                );
            }
            for op in filter_ops(&f.ty) {
                for value in &values {
                    let param = match *op {
                        "" => f.name.clone(),
                        op => format!("{}.{op}", f.name),
                    };
                    let query = format!("{path}?per_page=100&{param}={}", encode(value));
                    send("GET", &query, None);
                }
            }
        }
    }
    log
}

/// One HTTP/1.1 request on loopback with a bearer token and a body sent as written; the
/// status, the JSON body (read by the test), and the body's text.
fn call_raw(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&str>,
    token: Option<&str>,
) -> (u16, Json, String) {
    let mut headers = Vec::new();
    let bearer = token.map(|t| format!("Bearer {t}"));
    if let Some(bearer) = &bearer {
        headers.push(("Authorization", bearer.as_str()));
    }
    let (status, text) = http_with(port, method, path, &headers, body);
    let json = serde_json::from_str(&text).unwrap_or(Json::Null);
    (status, json, text)
}

/// A database the API runs on for the comparison, and how to drop it after.
struct Target {
    name: &'static str,
    url: String,
    server: Option<String>,
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some(server) = &self.server {
            drop_database(server, &self.url);
        }
    }
}

/// Serves the built `binary` of the project in `dir` (built with both server drivers) on
/// SQLite, PostgreSQL and MariaDB in turn, sends each the same requests (as an account of
/// the last role where the API has `[auth]`), and fails on any difference between their
/// answers, or any 5xx. Every difference is written to `target/differential/<label>.log`.
pub fn same_answers_on_every_database(label: &str, dir: &Path, binary: &Path) {
    let doc: DocumentMut = std::fs::read_to_string(dir.join("apigen.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let base = doc
        .get("api")
        .and_then(|api| api.get("base_path"))
        .and_then(|path| path.as_str())
        .unwrap_or("/api")
        .trim_end_matches('/');
    // The last role: it may do everything the schema lets any caller do.
    let role = doc
        .get("auth")
        .and_then(|auth| auth.get("roles"))
        .and_then(|roles| roles.as_array())
        .and_then(|roles| roles.iter().last())
        .and_then(|role| role.as_str());
    let defs = resource_defs(&doc);
    let openapi: Json =
        serde_json::from_str(&std::fs::read_to_string(dir.join("openapi.json")).unwrap()).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    // A database of this call's own: the tests of one run call this at the same time.
    let label_part: String = label.chars().filter(char::is_ascii_alphanumeric).collect();
    let stamp = format!("apigen_differential_{}_{label_part}", std::process::id());
    let mut targets = vec![Target {
        name: "SQLite",
        url: format!(
            "sqlite://{}/differential.db?mode=rwc",
            scratch.path().display()
        ),
        server: None,
    }];
    for (name, server) in [("PostgreSQL", postgres_url()), ("MariaDB", mysql_url())] {
        if let Some(server) = server {
            let url = fresh_database(&server, &stamp);
            targets.push(Target {
                name,
                url,
                server: Some(server),
            });
        }
    }
    let mut transcripts = Vec::new();
    for target in &targets {
        let envs = [("DATABASE_URL", target.url.as_str())];
        if let Some(role) = role {
            let args = ["create-user", "--email", "diff@example.com", "--role", role];
            let (code, _, stderr) = output(dir, binary, &args, &envs, "the diff password\n");
            assert_eq!(code, 0, "create-user on {}: {stderr}", target.name);
        }
        let port = free_port();
        let mut server = start_with(dir, binary, port, &envs);
        let token = role.map(|_| {
            let login = r#"{"email": "diff@example.com", "password": "the diff password"}"#;
            let (status, body) = http(port, "POST", &format!("{base}/auth/login"), Some(login));
            assert_eq!(status, 200, "login on {}: {body}", target.name);
            let start = body.find("\"token\":\"").expect("a token") + 9;
            body[start..].split('"').next().unwrap().to_string()
        });
        let user = token.as_deref().map(|token| {
            let me = format!("{base}/auth/me");
            let (status, me, _) = call_raw(port, "GET", &me, None, Some(token));
            assert_eq!(status, 200, "me on {}: {me}", target.name);
            me["id"].as_i64().expect("the caller's id")
        });
        let log = transcript(port, token.as_deref(), base, &defs, &openapi, user);
        stop(&mut server);
        transcripts.push((target.name, log));
    }
    let (first, reference) = &transcripts[0];
    let mut problems = Vec::new();
    for (request, status, body) in reference {
        if *status >= 500 {
            problems.push(format!("{request}\n  {first}: {status} {body}"));
        }
    }
    for (name, log) in &transcripts[1..] {
        assert_eq!(
            log.len(),
            reference.len(),
            "{name} was sent other requests than {first}"
        );
        for ((request, status, body), (_, their_status, their_body)) in reference.iter().zip(log) {
            if status != their_status || body != their_body {
                let (ours, theirs) = where_they_differ(body, their_body);
                problems.push(format!(
                    "{request}\n  {first}: {status} {ours}\n  {name}: {their_status} {theirs}"
                ));
            }
        }
    }
    let sent = reference.len();
    let report = repo().join("target").join("differential");
    std::fs::create_dir_all(&report).unwrap();
    let report = report.join(format!("{label}.log"));
    let names: Vec<&str> = transcripts.iter().map(|(name, _)| *name).collect();
    let summary = format!(
        "differential, {label}: {sent} requests on {names:?}, {} differences",
        problems.len()
    );
    eprintln!("{summary}");
    std::fs::write(&report, format!("{summary}\n{}", problems.join("\n"))).unwrap();
    assert!(
        problems.is_empty(),
        "APIGEN BUG: the same requests answered differently on {names:?} ({} of {sent}; all \
         in {}):\n{}",
        problems.len(),
        report.display(),
        problems
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(sent > 10, "the differential test sent only {sent} requests");
}

/// The two texts around where they first differ (up to 100 characters each side).
fn where_they_differ(ours: &str, theirs: &str) -> (String, String) {
    let common = ours
        .char_indices()
        .zip(theirs.chars())
        .find(|((_, a), b)| a != b)
        .map_or(ours.len().min(theirs.len()), |((at, _), _)| at);
    let around = |text: &str| {
        let chars: Vec<char> = text.chars().collect();
        let at = text[..common.min(text.len())].chars().count();
        let from = at.saturating_sub(100);
        let to = (at + 100).min(chars.len());
        let ellipsis = |cut: bool| if cut { "…" } else { "" };
        let middle: String = chars[from..to].iter().collect();
        format!(
            "{}{middle}{}",
            ellipsis(from > 0),
            ellipsis(to < chars.len())
        )
    };
    (around(ours), around(theirs))
}

//! The proof that the product works: generate a fixture, then build, lint and test the
//! generated crate with cargo, on SQLite, on PostgreSQL and on MariaDB; then serve the
//! one binary on all three and compare their answers to the same requests (the
//! differential test, tests/rows/differential.rs).
//!
//! Slow (a cold build of the generated crate's dependencies takes minutes), so every
//! generated crate shares one target folder: dependencies compile once per run.
//! PostgreSQL comes from TEST_DATABASE_URL, MariaDB (or MySQL) from TEST_MYSQL_URL, or
//! the local defaults. When one cannot be reached its part is skipped with a loud
//! message, except under CI=true, where it fails.

mod rows;
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::*;

/// shop.toml: every scalar type, every rule, a self-reference, soft delete, keywords as
/// field names. Built, linted with -D warnings, tested on SQLite, PostgreSQL and MariaDB.
///
/// With `[auth]`, its own tests try every route of every resource with no token, a
/// malformed one, another secret's, `alg: none`, an expired one, a stranger, the owner
/// and every role. Then the binary serves, and the README's curl session runs against it.
#[test]
fn shop_builds_lints_and_passes_its_own_tests_on_sqlite_postgres_and_mariadb() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = generate("shop.toml", tmp.path());
    format_lint_and_test_on_sqlite(&dir);
    test_on_servers(&dir);
    // The user's own hooks, after the generated tests (which know nothing of them).
    std::fs::write(dir.join("src/hooks/category.rs"), SHOP_HOOKS).unwrap();
    run(&dir, "cargo", &with_drivers("build"), &[]);
    let binary = shared_target().join("debug").join("shop");
    rows::differential::same_answers_on_every_database("shop", &dir, &binary);
    serve_shop_with_auth(&dir, &binary);
    if let Some(url) = postgres_url() {
        let name = format!("apigen_schemathesis_{}", std::process::id());
        let db = fresh_database(&url, &name);
        let envs = [("DATABASE_URL", db.as_str())];
        let args = [
            "create-user",
            "--email",
            "boss@example.com",
            "--role",
            "admin",
        ];
        let (code, _, stderr) = output(&dir, &binary, &args, &envs, "the boss password\n");
        assert_eq!(code, 0, "{stderr}");
        let port = free_port();
        let mut server = start_with(&dir, &binary, port, &envs);
        let token = login_token(port, "boss@example.com", "the boss password");
        schemathesis(port, Some(&token), "shop on PostgreSQL, as the admin");
        stop(&mut server);
        drop_database(&url, &db);
    }
}

/// The crate's own tests on PostgreSQL (in a database of its own, with the collation of
/// the server docker-compose.yml runs), then on MariaDB.
fn test_on_servers(dir: &Path) {
    for server in [postgres_url(), mysql_url()].into_iter().flatten() {
        let name = format!("apigen_e2e_{}_{}", std::process::id(), dir_name(dir));
        let url = fresh_database(&server, &name);
        let env = [("TEST_DATABASE_URL", url.as_str())];
        run(dir, "cargo", &with_drivers("test"), &env);
        drop_database(&server, &url);
    }
}

/// The project folder's name, as a database name may hold it.
fn dir_name(dir: &Path) -> String {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("crate");
    name.chars().filter(char::is_ascii_alphanumeric).collect()
}

/// A user's hooks on shop's categories: a rule of their own that needs the caller
/// (`before_create_as`), and a hook in the short form, which the handlers still run.
const SHOP_HOOKS: &str = r#"// Yours: written once by apigen and never overwritten.
use axum::Router;
use axum::http::StatusCode;
use sea_orm::{ActiveValue, DatabaseTransaction};

use super::{ActiveModel, Hooks};
use crate::app::AppState;
use crate::auth::Caller;
use crate::entities::category;
use crate::entities::user::UserRole;
use crate::error::ApiError;

pub struct CategoryHooks;

impl Hooks for CategoryHooks {
    type Entity = category::Entity;

    async fn before_create_as(
        _txn: &DatabaseTransaction,
        caller: Option<&Caller>,
        row: &mut ActiveModel<Self>,
    ) -> Result<(), ApiError> {
        let official = matches!(&row.name, ActiveValue::Set(name) if name.starts_with("Official"));
        let admin = caller.is_some_and(|caller| caller.role == UserRole::Admin);
        if official && !admin {
            let detail = "only an admin names a category Official";
            return Err(ApiError::new(StatusCode::FORBIDDEN, detail));
        }
        Ok(())
    }

    async fn before_update(
        _txn: &DatabaseTransaction,
        row: &mut ActiveModel<Self>,
    ) -> Result<(), ApiError> {
        if let ActiveValue::Set(name) = &row.name {
            row.name = ActiveValue::Set(name.to_uppercase());
        }
        Ok(())
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
}
"#;

/// Logs in through the API and returns the token.
fn login_token(port: u16, email: &str, password: &str) -> String {
    let login = format!(r#"{{"email": "{email}", "password": "{password}"}}"#);
    let (status, body) = http(port, "POST", "/api/auth/login", Some(&login));
    assert_eq!(status, 200, "{body}");
    json_value(&body, "token").trim_matches('"').to_string()
}

/// shop's category hooks (see [`SHOP_HOOKS`]) as the binary runs them: the caller
/// reaches `before_create_as`, and the short `before_update` still runs.
fn shop_hooks_see_the_caller(port: u16) {
    let admin = login_token(port, "boss@example.com", "the boss password");
    let staff = login_token(port, "staff@example.com", "the staff password");
    let send = |method: &str, path: &str, token: &str, body: &str| {
        let bearer = format!("Bearer {token}");
        let headers = [
            ("Authorization", bearer.as_str()),
            ("Content-Type", "application/json"),
        ];
        http_with(port, method, path, &headers, Some(body))
    };
    let post = |token: &str, name: &str| {
        let body = format!(r#"{{"name": "{name}"}}"#);
        send("POST", "/api/categories", token, &body)
    };
    let (status, body) = post(&staff, "Official staff picks");
    assert_eq!(status, 403, "the hook refused staff: {body}");
    assert!(
        body.contains("only an admin names a category Official"),
        "{body}"
    );
    let (status, body) = post(&admin, "Official picks");
    assert_eq!(status, 201, "the hook let the admin: {body}");
    let path = format!("/api/categories/{}", json_value(&body, "id"));
    let (status, body) = send("PATCH", &path, &admin, r#"{"name": "renamed"}"#);
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains(r#""name":"RENAMED""#),
        "the short hook ran: {body}"
    );
}

/// The `sh` block of the README's "Try it with curl" section.
fn readme_curl_session(dir: &Path) -> String {
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let section = readme
        .split("## Try it with curl")
        .nth(1)
        .expect("a curl section");
    let block = section.split("```sh\n").nth(1).expect("an sh block");
    block.split("```").next().unwrap().to_string()
}

/// `serve` refuses to start without a usable JWT_SECRET; `create-user` makes the first
/// admin from standard input; the README's curl session answers as it says: register
/// 201, me 200, a create with the token 201, a stranger 401, a role too low 403, a
/// logout 204 and the same token 401 after it.
fn serve_shop_with_auth(dir: &Path, binary: &Path) {
    let (code, _, stderr) = output(dir, binary, &[], &[("JWT_SECRET", "")], "");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("JWT_SECRET is not set"), "{stderr}");
    let (code, _, stderr) = output(dir, binary, &[], &[("JWT_SECRET", "too short")], "");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("JWT_SECRET is not valid (9 bytes)"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("too short"),
        "the secret is never printed: {stderr}"
    );

    let args = [
        "create-user",
        "--email",
        "Boss@Example.com",
        "--role",
        "admin",
    ];
    let (code, stdout, stderr) = output(dir, binary, &args, &[], "the boss password\n");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.trim().parse::<i64>().is_ok(),
        "prints the id: {stdout}"
    );
    let (code, _, stderr) = output(dir, binary, &args, &[], "the boss password\n");
    assert_eq!(code, 1, "a second user with that email: {stderr}");
    assert!(stderr.contains("already exists"), "{stderr}");
    let staff = [
        "create-user",
        "--email",
        "staff@example.com",
        "--role",
        "staff",
    ];
    let (code, _, stderr) = output(dir, binary, &staff, &[], "the staff password\n");
    assert_eq!(code, 0, "{stderr}");

    let port = free_port();
    let mut server = start(dir, binary, port);
    let login = r#"{"email": "boss@example.com", "password": "the boss password"}"#;
    let (status, body) = http(port, "POST", "/api/auth/login", Some(login));
    assert_eq!(status, 200, "the admin of create-user logs in: {body}");
    assert!(body.contains(r#""role":"admin""#), "{body}");
    shop_hooks_see_the_caller(port);

    let session = readme_curl_session(dir).replace("127.0.0.1:3000", &format!("127.0.0.1:{port}"));
    let out = Command::new("bash")
        .args(["-euo", "pipefail", "-c", &session])
        .output()
        .expect("bash and curl run the README's session");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A body has no final newline: the next status line may follow it on its line.
    let statuses: Vec<&str> = stdout
        .split("HTTP/1.1 ")
        .skip(1)
        .filter_map(|rest| rest.split(' ').next())
        .collect();
    // Register, me, a stranger's 401, and a 403: the first role of shop (customer) may
    // create nothing without a parent row (an order needs a product), so the session
    // creates no row. Then the logout (204), after which the token is refused (401).
    assert_eq!(
        statuses,
        ["201", "200", "401", "403", "204", "401"],
        "{stdout}"
    );
    assert!(!stdout.contains("a long password"), "{stdout}");
    let token = login_token(port, "boss@example.com", "the boss password");
    schemathesis(port, Some(&token), "shop on SQLite, as the admin");
    stop(&mut server);
}

/// A user's own hook and route, in the file apigen writes once and then leaves alone.
const USER_HOOKS: &str = r#"// Yours: written once by apigen and never overwritten.
use axum::Router;
use axum::routing::get;
use sea_orm::{ActiveValue, DatabaseTransaction};

use super::{ActiveModel, Hooks};
use crate::app::AppState;
use crate::entities::note;
use crate::error::ApiError;

pub struct NoteHooks;

impl Hooks for NoteHooks {
    type Entity = note::Entity;

    async fn before_create(
        _txn: &DatabaseTransaction,
        row: &mut ActiveModel<Self>,
    ) -> Result<(), ApiError> {
        if let ActiveValue::Set(title) = &row.title {
            row.title = ActiveValue::Set(title.to_uppercase());
        }
        Ok(())
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/ping", get(|| async { "pong" }))
}
"#;

/// The binary as a user runs it: in the project folder, configured by its `.env` only
/// (a SQLite file), migrating on start, running the user's hooks and routes (which a
/// regeneration keeps), and stopping cleanly on SIGTERM.
#[test]
fn minimal_serves_with_zero_configuration_and_stops_on_sigterm() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = generate("minimal.toml", tmp.path());
    std::fs::write(dir.join("src/hooks/note.rs"), USER_HOOKS).unwrap();
    run(&dir, env!("CARGO_BIN_EXE_apigen"), &["generate"], &[]);
    assert_eq!(
        std::fs::read_to_string(dir.join("src/hooks/note.rs")).unwrap(),
        USER_HOOKS,
        "apigen generate rewrote a user-owned file"
    );
    run(&dir, "cargo", &["build"], &[]);
    let binary = shared_target().join("debug").join("notes");
    let migrate = |args: &[&str]| run(&dir, binary.to_str().unwrap(), args, &[]);
    migrate(&["migrate", "up"]);
    migrate(&["migrate", "down"]);
    migrate(&["migrate", "status"]);
    let port = free_port();
    let mut server = start(&dir, &binary, port);
    assert_eq!(http(port, "GET", "/health", None).0, 200);
    let (status, body) = http(port, "POST", "/api/notes", Some(r#"{"title":"first"}"#));
    assert_eq!(status, 201, "{body}");
    assert!(
        body.contains(r#""title":"FIRST""#),
        "the user's hook ran: {body}"
    );
    assert_eq!(
        http(port, "GET", "/api/ping", None),
        (200, "pong".to_string())
    );
    let long = format!(r#"{{"title":"{}"}}"#, "x".repeat(201));
    let (status, body) = http(port, "POST", "/api/notes", Some(&long));
    assert_eq!(status, 422, "{body}");
    let (status, body) = http(port, "POST", "/api/notes", Some(r#"{"body":"no title"}"#));
    assert_eq!(status, 422, "{body}");
    let (status, body) = http(port, "GET", "/api/notes", None);
    assert_eq!(status, 200);
    assert!(body.contains(r#""total":1"#), "{body}");
    assert!(dir.join("notes.db").is_file(), "SQLite file from .env");
    schemathesis(port, None, "minimal on SQLite");
    stop(&mut server);

    // Behind a proxy that TRUSTED_PROXIES names (here, this machine), the rate limit
    // counts the address the proxy forwards for; a bad list stops the binary at start.
    let port = free_port();
    let env = [("TRUSTED_PROXIES", "127.0.0.1"), ("RATE_LIMIT", "2")];
    let mut proxied = start_with(&dir, &binary, port, &env);
    let from = |client| {
        let forwarded = [("X-Forwarded-For", client)];
        http_with(port, "GET", "/api/notes", &forwarded, None).0
    };
    let statuses = ["203.0.113.7", "203.0.113.7", "203.0.113.7", "203.0.113.8"].map(from);
    assert_eq!(statuses, [200, 200, 429, 200]);
    stop(&mut proxied);

    // The log of a server whose standard error is a file: one plain line per request,
    // as tracing-subscriber's formatter writes it without colours.
    let log_path = tmp.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let port = free_port();
    let mut logged = start_logging(&dir, &binary, port, &[], log);
    let traced = [("X-Request-Id", "trace-me-1")];
    assert_eq!(http_with(port, "GET", "/api/notes", &traced, None).0, 200);
    stop(&mut logged);
    let log = std::fs::read_to_string(&log_path).unwrap();
    let line = log
        .lines()
        .find(|line| line.contains("trace-me-1"))
        .unwrap_or_else(|| panic!("no log line of the request: {log}"));
    assert_request_line(line);
    let bad = [("TRUSTED_PROXIES", "10.0.0.0/33")];
    let (code, _, stderr) = output(&dir, &binary, &[], &bad, "");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("TRUSTED_PROXIES") && stderr.contains("CIDR"),
        "{stderr}"
    );
}

/// `2026-01-02T03:04:05.678901Z  INFO request{request_id="trace-me-1" method=GET
/// path="/api/notes"}: notes::middleware: answered status=200 elapsed_us=N`, and no
/// terminal escape.
fn assert_request_line(line: &str) {
    let (time, rest) = line.split_once(' ').unwrap_or_else(|| panic!("{line}"));
    let digits = |range: std::ops::Range<usize>| time[range].bytes().all(|b| b.is_ascii_digit());
    let shape = time.len() == 27
        && [
            (4, b'-'),
            (7, b'-'),
            (10, b'T'),
            (13, b':'),
            (16, b':'),
            (19, b'.'),
            (26, b'Z'),
        ]
        .iter()
        .all(|&(at, byte)| time.as_bytes()[at] == byte);
    assert!(
        shape && digits(0..4) && digits(20..26),
        "an RFC 3339 time in microseconds: {line}"
    );
    let expected = " INFO request{request_id=\"trace-me-1\" method=GET path=\"/api/notes\"}: \
                    notes::middleware: answered status=200 elapsed_us=";
    let elapsed = rest
        .strip_prefix(expected)
        .unwrap_or_else(|| panic!("expected `{expected}...`, got: {line}"));
    assert!(
        !elapsed.is_empty() && elapsed.bytes().all(|b| b.is_ascii_digit()),
        "{line}"
    );
}

/// blog.toml: a many_to_many join table, a base path of its own, soft delete, and field
/// names that are a Rust keyword (`match`) and camelCase (`upvoteCount`). Its own tests
/// run on SQLite, its production engine, and on PostgreSQL and MariaDB too (its link
/// routes and includes are the only many_to_many ones of the fixtures). Then the binary
/// serves, and schemathesis tries every operation of its document.
#[test]
fn blog_builds_lints_and_passes_its_own_tests_on_sqlite_postgres_and_mariadb() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = generate("blog.toml", tmp.path());
    format_lint_and_test_on_sqlite(&dir);
    test_on_servers(&dir);
    run(&dir, "cargo", &with_drivers("build"), &[]);
    let binary = shared_target().join("debug").join("blog");
    rows::differential::same_answers_on_every_database("blog", &dir, &binary);
    let port = free_port();
    let mut server = start(&dir, &binary, port);
    schemathesis(port, None, "blog on SQLite");
    stop(&mut server);
}

/// Replaces `from` by `to` in the project's apigen.toml (the way a user edits it).
fn edit_schema(dir: &Path, from: &str, to: &str) {
    let path = dir.join("apigen.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "apigen.toml has no {from:?}:\n{text}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The value of `"key":` in a JSON body, as written (`1`, `"alpha"`, `null`).
fn json_value<'a>(body: &'a str, key: &str) -> &'a str {
    let start = body
        .find(&format!("\"{key}\":"))
        .unwrap_or_else(|| panic!("no {key} in {body}"))
        + key.len()
        + 3;
    let rest = &body[start..];
    let end = if let Some(quoted) = rest.strip_prefix('"') {
        quoted.find('"').map_or(rest.len(), |i| i + 2)
    } else {
        rest.find([',', '}']).unwrap_or(rest.len())
    };
    &rest[..end]
}

/// A database the evolution scenario runs on: a name, and the binary's DATABASE_URL.
struct Db {
    name: &'static str,
    url: String,
}

/// One step of the scenario: regenerate (the caller changed the schema), check that
/// `apigen check` saw the pending migration first, build, then on every database migrate
/// up, serve, and run `checks` against the API.
fn evolve(
    dir: &Path,
    dbs: &[Db],
    generate_args: &[&str],
    step: &str,
    checks: &mut dyn FnMut(&Db, u16),
) {
    generate_and_build(dir, generate_args, step);
    serve_each(dir, dbs, checks);
}

/// `apigen check` says a migration is pending, `apigen <generate_args>` writes it (its
/// snapshot is `step`'s), `apigen check` is then satisfied, and the crate builds.
fn generate_and_build(dir: &Path, generate_args: &[&str], step: &str) {
    let (code, text) = apigen_in(dir, &["check"]);
    assert_eq!(code, 1, "check before generate ({step}): {text}");
    assert!(text.contains("pending migration"), "{step}: {text}");
    let (code, text) = apigen_in(dir, generate_args);
    assert_eq!(code, 0, "apigen {generate_args:?} ({step}): {text}");
    let (code, text) = apigen_in(dir, &["check"]);
    assert_eq!(code, 0, "check after generate ({step}): {text}");
    snapshot_new_migration(dir, step);
    run(dir, "cargo", &with_drivers("build"), &[]);
}

/// Migrates each database up, serves it, and runs `checks` against the API.
fn serve_each(dir: &Path, dbs: &[Db], checks: &mut dyn FnMut(&Db, u16)) {
    let binary = shared_target().join("debug").join("notes");
    for db in dbs {
        let env = [("DATABASE_URL", db.url.as_str())];
        run(dir, binary.to_str().unwrap(), &["migrate", "up"], &env);
        let port = free_port();
        let mut server = start_with(dir, &binary, port, &env);
        checks(db, port);
        stop(&mut server);
    }
}

/// The migration the last `apigen generate` wrote, as a snapshot (reviewed like code).
fn snapshot_new_migration(dir: &Path, step: &str) {
    let state = std::fs::read_to_string(dir.join(".apigen/database.toml")).unwrap();
    let last = state
        .lines()
        .rfind(|l| l.trim_start().starts_with("\"m"))
        .map(|l| l.trim().trim_matches([',', '"']).to_string())
        .expect("a migration in the state");
    let path = dir.join(format!("src/migrations/{last}.rs"));
    run(
        dir,
        "rustfmt",
        &["--edition", "2024", "--check", path.to_str().unwrap()],
        &[],
    );
    let code = std::fs::read_to_string(&path).unwrap();
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        description => format!("evolution step {step}: src/migrations/{last}.rs"),
        omit_expression => true,
    }, {
        insta::assert_snapshot!(format!("evolution__{last}"), code);
    });
}

/// GET `/api/notes/{id}`: the body, after checking it is a 200.
fn get_note(port: u16, id: &str) -> String {
    let (status, body) = http(port, "GET", &format!("/api/notes/{id}"), None);
    assert_eq!(status, 200, "note {id}: {body}");
    body
}

/// A copy of the notes binary as built now, under `tmp`: a release to come back to.
fn keep_release(tmp: &Path, name: &str) -> PathBuf {
    let kept = tmp.join(format!("notes-{name}"));
    std::fs::copy(shared_target().join("debug").join("notes"), &kept).unwrap();
    kept
}

/// Served by `binary` (migrating nothing) on `db`: the number of rows of each resource
/// it has, read through its list route, which reads every row (a row the release cannot
/// read is a 500). Notes, and tags under either of their names.
fn list_totals(dir: &Path, binary: &Path, db: &Db) -> (String, String) {
    let env = [("DATABASE_URL", db.url.as_str())];
    let port = free_port();
    let mut server = start_with(dir, binary, port, &env);
    let mut totals = Vec::new();
    for paths in [&["/api/notes"][..], &["/api/tags", "/api/labels"]] {
        let mut total = None;
        for path in paths {
            let (status, body) = http(port, "GET", &format!("{path}?per_page=100"), None);
            match status {
                200 => total = Some(json_value(&body, "total").to_string()),
                404 => {}
                _ => panic!(
                    "{} on {}: GET {path}: {status} {body}",
                    binary.display(),
                    db.name
                ),
            }
        }
        totals.push(total.unwrap_or_else(|| panic!("no list of {paths:?} answered")));
    }
    stop(&mut server);
    (totals[0].clone(), totals[1].clone())
}

/// SQLite rebuilds `notes` in the pending migration: a column, an index or a trigger of
/// the user's own on it makes the migration refuse, naming it, and change nothing.
fn sqlite_rebuild_refuses_what_it_did_not_make(dir: &Path) {
    let binary = shared_target().join("debug").join("notes");
    let env = [("DATABASE_URL", "sqlite://evolution.db?mode=rwc")];
    let sqlite = |sql: &str| {
        let script = "import sqlite3, sys\n\
                      db = sqlite3.connect(sys.argv[1])\n\
                      db.executescript(sys.argv[2])\n\
                      db.commit()";
        run(dir, "python3", &["-c", script, "evolution.db", sql], &[]);
    };
    let own = [
        (
            "ALTER TABLE notes ADD COLUMN mine TEXT",
            "ALTER TABLE notes DROP COLUMN mine",
            "column mine",
        ),
        (
            "CREATE INDEX notes_mine_idx ON notes (title)",
            "DROP INDEX notes_mine_idx",
            "index notes_mine_idx",
        ),
        (
            "CREATE TRIGGER notes_mine AFTER INSERT ON notes BEGIN SELECT 1; END",
            "DROP TRIGGER notes_mine",
            "trigger notes_mine",
        ),
    ];
    for (make, unmake, named) in own {
        sqlite(make);
        let (code, _, stderr) = output(dir, &binary, &["migrate", "up"], &env, "");
        assert_ne!(code, 0, "the rebuild dropped the {named}");
        assert!(
            stderr.contains(named) && stderr.contains("nothing was changed"),
            "{named}: {stderr}"
        );
        sqlite(unmake);
    }
}

/// MariaDB commits each schema change by itself: the pending migration as if it had
/// stopped after its first steps (its column and its index made here by hand). Migrating
/// up must then run it to its end, each step it finds done skipped.
fn mariadb_migration_stopped_halfway(dbs: &[Db]) {
    let Some(db) = dbs.iter().find(|db| db.name == "mariadb") else {
        return;
    };
    let schema = db.url.rsplit('/').next().expect("a database in the URL");
    for sql in [
        format!("ALTER TABLE {schema}.notes ADD COLUMN tag_id bigint NULL"),
        format!("CREATE INDEX notes_tag_id_idx ON {schema}.notes (tag_id)"),
    ] {
        assert!(admin_sql(&db.url, &sql), "{sql}");
    }
}

/// POST a JSON body; the new row's id.
fn create(port: u16, path: &str, body: &str) -> String {
    let (status, answer) = http(port, "POST", path, Some(body));
    assert_eq!(status, 201, "POST {path} {body}: {answer}");
    json_value(&answer, "id").to_string()
}

/// The upgrade a project goes through, on SQLite, PostgreSQL and MariaDB: minimal.toml (notes),
/// then one schema change per step, each regenerated, built, migrated and checked through
/// the API: every row written before is still there with its values. Then all the way
/// down and up again. Each migration the diff writes is a snapshot.
#[test]
fn schema_changes_become_migrations_that_keep_every_row_on_every_database() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = generate("minimal.toml", tmp.path());
    let mut dbs = vec![Db {
        name: "sqlite",
        url: "sqlite://evolution.db?mode=rwc".to_string(),
    }];
    // A database of this run's own on each server: two runs at once never share one.
    let own = format!("apigen_evolution_{}", std::process::id());
    let servers = [("postgres", postgres_url()), ("mariadb", mysql_url())];
    let servers: Vec<(&str, String)> = servers
        .into_iter()
        .filter_map(|(name, url)| Some((name, url?)))
        .collect();
    for (name, admin_url) in &servers {
        dbs.push(Db {
            name,
            url: fresh_database(admin_url, &own),
        });
    }
    // A user's own line in a hook file, which every step must keep.
    let hook = dir.join("src/hooks/note.rs");
    let mine = format!(
        "{}// my own note\n",
        std::fs::read_to_string(&hook).unwrap()
    );
    std::fs::write(&hook, &mine).unwrap();

    // v1: a note per database. Every release is kept, to read the database once each
    // later migration is undone.
    run(&dir, "cargo", &with_drivers("build"), &[]);
    let mut releases = vec![keep_release(tmp.path(), "v1")];
    let mut alpha = std::collections::BTreeMap::new();
    serve_each(&dir, &dbs, &mut |db, port| {
        let id = create(
            port,
            "/api/notes",
            r#"{"title":"alpha","body":"first body"}"#,
        );
        alpha.insert(db.name, id);
    });

    // 1. A new resource, with `apigen add`.
    let (code, text) = apigen_in(&dir, &["add", "resource", "Tag", "label:string"]);
    assert_eq!(code, 0, "{text}");
    let mut tags = std::collections::BTreeMap::new();
    let (code, text) = apigen_in(&dir, &["check"]);
    assert_eq!(code, 0, "check right after add: {text}");
    snapshot_new_migration(&dir, "1 (apigen add resource Tag label:string)");
    run(&dir, "cargo", &with_drivers("build"), &[]);
    releases.push(keep_release(tmp.path(), "step-1"));
    serve_each(&dir, &dbs, &mut |db, port| {
        let note = get_note(port, &alpha[db.name]);
        assert!(
            note.contains(r#""title":"alpha""#) && note.contains(r#""body":"first body""#),
            "{note}"
        );
        tags.insert(db.name, create(port, "/api/tags", r#"{"label":"rust"}"#));
    });

    // 2. An optional field.
    edit_schema(
        &dir,
        "body = \"text?\"",
        "body = \"text?\"\nsummary = \"string?\"",
    );
    let mut beta = std::collections::BTreeMap::new();
    evolve(
        &dir,
        &dbs,
        &["generate"],
        "2 (an optional field)",
        &mut |db, port| {
            let note = get_note(port, &alpha[db.name]);
            assert!(
                note.contains(r#""summary":null"#) && note.contains(r#""body":"first body""#),
                "{note}"
            );
            let id = create(port, "/api/notes", r#"{"title":"beta","summary":"short"}"#);
            beta.insert(db.name, id);
        },
    );
    releases.push(keep_release(tmp.path(), "step-2"));

    // 3. A required field with a default: the rows that exist get it.
    edit_schema(
        &dir,
        "summary = \"string?\"",
        "summary = \"string?\"\npriority = { type = \"int\", default = 3 }\n\
         due = { type = \"date\", default = \"2026-01-01\" }\n\
         seen = { type = \"datetime\", default = \"2026-01-01T08:00:00+02:00\" }\n\
         opens = { type = \"time\", default = 09:30:00 }\n\
         mood = { type = \"enum\", values = [\"calm\", \"busy\"], default = \"calm\" }",
    );
    evolve(
        &dir,
        &dbs,
        &["generate"],
        "3 (a required field with a default)",
        &mut |db, port| {
            for id in [&alpha[db.name], &beta[db.name]] {
                let note = get_note(port, id);
                assert!(
                    note.contains(r#""priority":3"#)
                        && note.contains(r#""due":"2026-01-01""#)
                        && note.contains(r#""seen":"2026-01-01T06:00:00Z""#)
                        && note.contains(r#""opens":"09:30:00""#),
                    "{note}"
                );
            }
            assert!(get_note(port, &beta[db.name]).contains(r#""summary":"short""#));
        },
    );
    releases.push(keep_release(tmp.path(), "step-3"));

    // 4. A unique index and a new column, over rows that break the index: the migration
    // fails before it changes anything, on every database (MySQL commits each schema
    // change by itself), says what to do, and runs once the rows allow it: had the column
    // been added, adding it again would fail.
    let before = tmp.path().join("notes-before-step-4");
    std::fs::copy(shared_target().join("debug").join("notes"), &before).unwrap();
    let mut repeated = std::collections::BTreeMap::new();
    serve_each(&dir, &dbs, &mut |db, port| {
        repeated.insert(db.name, create(port, "/api/tags", r#"{"label":"rust"}"#));
    });
    edit_schema(
        &dir,
        "label = \"string\"",
        "label = { type = \"string\", unique = true }\ncolor = \"string?\"",
    );
    generate_and_build(&dir, &["generate"], "4 (a unique index and a new column)");
    releases.push(keep_release(tmp.path(), "step-4"));
    let binary = shared_target().join("debug").join("notes");
    for db in &dbs {
        let env = [("DATABASE_URL", db.url.as_str())];
        let (code, _, stderr) = output(&dir, &binary, &["migrate", "up"], &env, "");
        assert_ne!(
            code, 0,
            "the unique index over repeated labels on {}",
            db.name
        );
        assert!(
            stderr.contains("tags.label") && stderr.contains("nothing was changed"),
            "{}: {stderr}",
            db.name
        );
        let port = free_port();
        let mut server = start_with(&dir, &before, port, &env);
        let path = format!("/api/tags/{}", repeated[db.name]);
        assert_eq!(http(port, "DELETE", &path, None).0, 204);
        stop(&mut server);
    }
    serve_each(&dir, &dbs, &mut |db, port| {
        let (status, tag) = http(port, "GET", &format!("/api/tags/{}", tags[db.name]), None);
        assert_eq!(status, 200, "{tag}");
        assert!(tag.contains(r#""label":"rust""#), "{tag}");
        let (status, body) = http(port, "POST", "/api/tags", Some(r#"{"label":"rust"}"#));
        assert_eq!(
            status, 409,
            "the new unique index holds on {}: {body}",
            db.name
        );
    });

    // 5. A renamed field keeps its values.
    edit_schema(
        &dir,
        "body = \"text?\"",
        "content = { type = \"text\", optional = true, renamed_from = \"body\" }",
    );
    evolve(
        &dir,
        &dbs,
        &["generate"],
        "5 (a renamed field)",
        &mut |db, port| {
            let note = get_note(port, &alpha[db.name]);
            assert!(
                note.contains(r#""content":"first body""#) && !note.contains(r#""body""#),
                "{note}"
            );
        },
    );
    releases.push(keep_release(tmp.path(), "step-5"));

    // 6. A wider column and a new optional belongs_to: SQLite rebuilds the table, and its
    // ids go on where they were: the id of the last note, deleted before, is not given
    // again.
    let mut deleted = std::collections::BTreeMap::new();
    serve_each(&dir, &dbs, &mut |db, port| {
        let id = create(port, "/api/notes", r#"{"title":"gone"}"#);
        assert_eq!(
            http(port, "DELETE", &format!("/api/notes/{id}"), None).0,
            204
        );
        deleted.insert(db.name, id.parse::<i64>().expect("an id"));
    });
    edit_schema(
        &dir,
        "max_length = 200 }",
        "max_length = 300 }\ntag = { type = \"belongs_to\", resource = \"Tag\", optional = true }",
    );
    generate_and_build(&dir, &["generate"], "6 (a wider column and a belongs_to)");
    releases.push(keep_release(tmp.path(), "step-6"));
    sqlite_rebuild_refuses_what_it_did_not_make(&dir);
    mariadb_migration_stopped_halfway(&dbs);
    serve_each(&dir, &dbs, &mut |db, port| {
        let note = get_note(port, &alpha[db.name]);
        assert!(
            note.contains(r#""content":"first body""#) && note.contains(r#""tag_id":null"#),
            "{note}"
        );
        assert!(get_note(port, &beta[db.name]).contains(r#""summary":"short""#));
        let long = "t".repeat(250);
        let body = format!(r#"{{"title":"{long}","tag_id":{}}}"#, tags[db.name]);
        let id = create(port, "/api/notes", &body);
        assert!(get_note(port, &id).contains(&long));
        assert!(
            id.parse::<i64>().expect("an id") > deleted[db.name],
            "on {} the rebuilt table gave the id {id} again",
            db.name
        );
        let (status, body) = http(
            port,
            "POST",
            "/api/notes",
            Some(r#"{"title":"x","tag_id":999999}"#),
        );
        assert!(
            status == 409 || status == 422,
            "the foreign key holds on {}: {status} {body}",
            db.name
        );
    });

    // 7. Dropping fields loses data: refused, then allowed. A required datetime becomes
    // optional, and a row leaves it empty; an enum gains a value, which a row takes.
    edit_schema(&dir, "summary = \"string?\"\n", "");
    edit_schema(
        &dir,
        "due = { type = \"date\", default = \"2026-01-01\" }\n",
        "",
    );
    edit_schema(
        &dir,
        "seen = { type = \"datetime\", default = \"2026-01-01T08:00:00+02:00\" }",
        "seen = \"datetime?\"",
    );
    edit_schema(
        &dir,
        "values = [\"calm\", \"busy\"]",
        "values = [\"idle\", \"calm\", \"busy\"]",
    );
    let before = std::fs::read_to_string(dir.join(".apigen/database.toml")).unwrap();
    let (code, text) = apigen_in(&dir, &["generate"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("drop column notes.summary") && text.contains("--allow-data-loss"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join(".apigen/database.toml")).unwrap(),
        before
    );
    evolve(
        &dir,
        &dbs,
        &["generate", "--allow-data-loss"],
        "7 (a dropped field)",
        &mut |db, port| {
            for id in [&alpha[db.name], &beta[db.name]] {
                let note = get_note(port, id);
                assert!(
                    note.contains(r#""priority":3"#)
                        && !note.contains("summary")
                        && !note.contains("due")
                        && note.contains(r#""seen":"2026-01-01T06:00:00Z""#),
                    "{note}"
                );
            }
            assert!(get_note(port, &alpha[db.name]).contains(r#""content":"first body""#));
            let unseen = create(port, "/api/notes", r#"{"title":"unseen","mood":"idle"}"#);
            let note = get_note(port, &unseen);
            assert!(
                note.contains(r#""seen":null"#) && note.contains(r#""mood":"idle""#),
                "{note}"
            );
        },
    );
    releases.push(keep_release(tmp.path(), "step-7"));

    // 8. Optional to required with a default, and a renamed resource (its table renamed,
    // the rows and the notes pointing at them kept).
    edit_schema(
        &dir,
        "content = { type = \"text\", optional = true, renamed_from = \"body\" }",
        "content = { type = \"text\", default = \"(none)\", renamed_from = \"body\" }",
    );
    edit_schema(
        &dir,
        "[resources.Tag.fields]",
        "[resources.Label]\nrenamed_from = \"Tag\"\n\n[resources.Label.fields]",
    );
    edit_schema(&dir, "resource = \"Tag\"", "resource = \"Label\"");
    evolve(
        &dir,
        &dbs,
        &["generate"],
        "8 (required with a default, a renamed resource)",
        &mut |db, port| {
            assert!(get_note(port, &alpha[db.name]).contains(r#""content":"first body""#));
            assert!(get_note(port, &beta[db.name]).contains(r#""content":"(none)""#));
            let (status, label) =
                http(port, "GET", &format!("/api/labels/{}", tags[db.name]), None);
            assert_eq!(status, 200, "{label}");
            assert!(label.contains(r#""label":"rust""#), "{label}");
            let body = format!(r#"{{"title":"tagged","tag_id":{}}}"#, tags[db.name]);
            create(port, "/api/notes", &body);
            let (status, body) = http(port, "POST", "/api/labels", Some(r#"{"label":"rust"}"#));
            assert_eq!(
                status, 409,
                "the renamed unique index holds on {}: {body}",
                db.name
            );
        },
    );

    assert_eq!(
        std::fs::read_to_string(&hook).unwrap(),
        mine,
        "the hook file was rewritten"
    );

    // Every migration since step 2 undone, one at a time, with rows in every table: the
    // release before it reads every row; then all of them again, and this release does.
    let latest = shared_target().join("debug").join("notes");
    for db in &dbs {
        let env = [("DATABASE_URL", db.url.as_str())];
        let rows = list_totals(&dir, &latest, db);
        for previous in releases[1..].iter().rev() {
            run(&dir, latest.to_str().unwrap(), &["migrate", "down"], &env);
            assert_eq!(
                list_totals(&dir, previous, db),
                rows,
                "{} after `migrate down`, read by {}",
                db.name,
                previous.display()
            );
        }
        run(&dir, latest.to_str().unwrap(), &["migrate", "up"], &env);
        assert_eq!(list_totals(&dir, &latest, db), rows, "{} up again", db.name);
    }
    // The schema minimal.toml grew into answers the same on every database.
    rows::differential::same_answers_on_every_database("evolution", &dir, &latest);

    // All the way down, and up again.
    let binary = shared_target().join("debug").join("notes");
    for db in &dbs {
        let env = [("DATABASE_URL", db.url.as_str())];
        run(
            &dir,
            binary.to_str().unwrap(),
            &["migrate", "down", "all"],
            &env,
        );
        run(&dir, binary.to_str().unwrap(), &["migrate", "up"], &env);
    }
    serve_each(&dir, &dbs, &mut |_, port| {
        let (status, body) = http(port, "GET", "/api/notes", None);
        assert_eq!(status, 200, "{body}");
        assert!(body.contains(r#""total":0"#), "{body}");
        create(
            port,
            "/api/notes",
            r#"{"title":"again","content":"after a full round trip"}"#,
        );
    });
    for ((_, admin_url), db) in servers.iter().zip(&dbs[1..]) {
        drop_database(admin_url, &db.url);
    }
}

//! The schema fuzzer's full gate: a fuzzed schema with many resources becomes a crate that
//! a user would push: `apigen check` passes, it is rustfmt-clean and clippy-clean with
//! `-D warnings`, its own tests pass on SQLite (and on PostgreSQL or MariaDB for some
//! seeds), served on SQLite, PostgreSQL and MariaDB it answers the same requests the same
//! (the differential test, tests/rows/differential.rs), and schemathesis with every check
//! finds nothing wrong.
//!
//! Seeds: `APIGEN_FUZZ_CRATE_SEEDS=1,2,3` (default: CI's fixed set). Each crate is kept
//! in `target/fuzz-crates/seed-N` to read after a failure; its schema is its apigen.toml.
//! Slow: each crate takes one to three minutes once the shared dependencies are built.

mod fuzz;
mod rows;
mod support;

use std::path::{Path, PathBuf};

use support::*;

/// The seeds CI builds: each schema holds several resources, so one build tries many.
const CI_SEEDS: &[u64] = &[2, 3];

/// Resources per fuzzed crate.
const RESOURCES: usize = 6;

fn crate_seeds() -> Vec<u64> {
    let seeds = std::env::var("APIGEN_FUZZ_CRATE_SEEDS")
        .ok()
        .map(|list| {
            list.split(',')
                .filter_map(|s| s.trim().parse().ok())
                .collect()
        })
        .unwrap_or_else(|| CI_SEEDS.to_vec());
    eprintln!(
        "fuzz crate seeds: {seeds:?} (reproduce one with APIGEN_FUZZ_CRATE_SEEDS=N cargo test --test fuzz_crates)"
    );
    seeds
}

fn options() -> fuzz::Options {
    fuzz::Options {
        resources: RESOURCES,
        max_fields: 8,
    }
}

/// `apigen new` of a schema in `target/fuzz-crates/<name>`, a folder kept after the run.
fn new_crate(fuzzed: &fuzz::Fuzzed, name: &str) -> PathBuf {
    let parent = repo().join("target").join("fuzz-crates");
    let dir = parent.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&parent).unwrap();
    let schema = parent.join(format!("{name}.toml"));
    std::fs::write(&schema, &fuzzed.source).unwrap();
    run(
        &parent,
        env!("CARGO_BIN_EXE_apigen"),
        &[
            "new",
            dir.to_str().unwrap(),
            "--schema",
            schema.to_str().unwrap(),
        ],
        &[],
    );
    run(&dir, env!("CARGO_BIN_EXE_apigen"), &["check"], &[]);
    dir
}

#[test]
fn fuzzed_crates_build_lint_pass_their_own_tests_and_schemathesis_finds_nothing() {
    let seeds = crate_seeds();
    for (index, &seed) in seeds.iter().enumerate() {
        let fuzzed = fuzz::schema(seed, &options());
        // The schema is the crate's apigen.toml; printed whole, it would push a failure's
        // own message out of a CI log's excerpt.
        eprintln!("== fuzzed crate, seed {seed}: target/fuzz-crates/seed-{seed}/apigen.toml");
        // A share of the seeds on each server: the first on PostgreSQL, the second on
        // MariaDB, and so on.
        let server = match index % 3 {
            0 => postgres_url(),
            1 => mysql_url(),
            _ => None,
        };
        gate(&fuzzed, &format!("seed-{seed}"), server);
    }
}

/// fixtures/tracker.toml, a schema written by hand as a user would (a team task tracker)
/// with what broke generated crates before: keywords and long names, combined rules, an
/// optional owner, a resource with no field of its own, bounds at the edges of their types.
#[test]
fn a_hand_written_tracker_with_keywords_long_names_and_combined_rules_passes_the_same_gate() {
    let source = std::fs::read_to_string(repo().join("fixtures").join("tracker.toml")).unwrap();
    let fuzzed = fuzz::Fuzzed {
        seed: 0,
        source,
        roles: vec!["member".to_string(), "manager".to_string()],
        api: "tracker".to_string(),
        base_path: "/v1".to_string(),
    };
    gate(&fuzzed, "tracker", postgres_url());
}

/// The whole gate for one schema: the crate in `target/fuzz-crates/<name>`, formatted,
/// linted, its own tests on SQLite and on the `server` (a TEST_DATABASE_URL) if any,
/// then served and tried by schemathesis.
fn gate(fuzzed: &fuzz::Fuzzed, name: &str, server: Option<String>) {
    let dir = new_crate(fuzzed, name);
    format_lint_and_test_on_sqlite(&dir);
    if let Some(url) = server {
        let env = [("TEST_DATABASE_URL", url.as_str())];
        run(&dir, "cargo", &with_drivers("test"), &env);
    }
    run(&dir, "cargo", &with_drivers("build"), &[]);
    let binary = shared_target().join("debug").join(&fuzzed.api);
    rows::differential::same_answers_on_every_database(name, &dir, &binary);
    serve_and_try_every_operation(&dir, &binary, fuzzed);
}

/// Serves the crate on SQLite (with an account of the last role where it has `[auth]`) and
/// runs schemathesis with every check against its OpenAPI document.
fn serve_and_try_every_operation(dir: &Path, binary: &Path, fuzzed: &fuzz::Fuzzed) {
    let token = fuzzed.roles.last().map(|role| {
        let args = ["create-user", "--email", "fuzz@example.com", "--role", role];
        let (code, _, stderr) = output(dir, binary, &args, &[], "the fuzz password\n");
        assert_eq!(code, 0, "{stderr}");
        role.clone()
    });
    let port = free_port();
    let mut server = start(dir, binary, port);
    let token = token.map(|_| {
        let login = r#"{"email": "fuzz@example.com", "password": "the fuzz password"}"#;
        let path = format!("{}/auth/login", fuzzed.base_path);
        let (status, body) = http(port, "POST", &path, Some(login));
        assert_eq!(status, 200, "{body}");
        let start = body.find("\"token\":\"").expect("a token") + 9;
        body[start..].split('"').next().unwrap().to_string()
    });
    let label = match fuzzed.seed {
        0 => fuzzed.api.clone(),
        seed => format!("fuzzed seed {seed}"),
    };
    schemathesis_with(port, token.as_deref(), &label, "all");
    stop(&mut server);
}

/// Writes the schemas of the seeds to `target/fuzz-crates/seed-N.toml` and does nothing
/// else: `APIGEN_FUZZ_CRATE_SEEDS=7 cargo test --test fuzz_crates -- --ignored write_schemas`.
#[test]
#[ignore = "a tool: writes the fuzzed schemas to read them"]
fn write_schemas() {
    let parent = repo().join("target").join("fuzz-crates");
    std::fs::create_dir_all(&parent).unwrap();
    for seed in crate_seeds() {
        let fuzzed = fuzz::schema(seed, &options());
        std::fs::write(parent.join(format!("seed-{seed}.toml")), &fuzzed.source).unwrap();
    }
}

//! The code every generated crate gets unchanged (`templates/fixed/`), as the crate
//! `runtime/`: formatted, linted with `-D warnings` and tested as Rust here, once, on the
//! three database drivers; and the parts of a generated crate it stands on (three modules
//! and the dependencies) are still what apigen writes.

mod support;

use std::path::Path;

use support::{SERVER_DRIVERS, repo, run};
use toml_edit::{DocumentMut, Item};

/// `fixtures/minimal.toml`'s project, in memory.
fn minimal() -> apigen::fileset::FileSet {
    let source = std::fs::read_to_string(repo().join("fixtures/minimal.toml")).expect("fixture");
    apigen::generate_files("minimal.toml", &source).unwrap_or_else(|failure| panic!("{failure}"))
}

#[test]
fn the_modules_the_fixed_code_stands_on_are_as_apigen_writes_them() {
    let files = minimal();
    for module in ["config", "error", "validation"] {
        let copy = repo().join(format!("runtime/src/minimal/{module}.rs"));
        let copy = std::fs::read_to_string(&copy).expect("the runtime's copy");
        let written = &files
            .get(&format!("src/{module}.rs"))
            .expect("written")
            .contents;
        assert!(
            copy == *written,
            "runtime/src/minimal/{module}.rs is not src/{module}.rs as apigen now writes it for \
             fixtures/minimal.toml: copy it there from `apigen new /tmp/notes --schema \
             fixtures/minimal.toml`"
        );
    }
}

/// A table of a Cargo.toml, as TOML values (layout and comments aside).
fn table(document: &DocumentMut, name: &str) -> Vec<(String, String)> {
    let Some(Item::Table(table)) = document.get(name) else {
        panic!("no [{name}]");
    };
    let value = |item: &Item| match item {
        Item::Value(value) => value.clone().decorated("", "").to_string(),
        other => other.to_string(),
    };
    let mut entries: Vec<(String, String)> = table
        .iter()
        .map(|(key, item)| (key.to_owned(), value(item)))
        .collect();
    entries.sort();
    entries
}

#[test]
fn the_runtime_depends_on_what_a_generated_crate_states() {
    let files = minimal();
    let generated: DocumentMut = files
        .get("Cargo.toml")
        .expect("written")
        .contents
        .parse()
        .expect("TOML");
    let runtime = std::fs::read_to_string(repo().join("runtime/Cargo.toml")).expect("runtime");
    let runtime: DocumentMut = runtime.parse().expect("TOML");
    for name in ["features", "dependencies", "dev-dependencies"] {
        let stated = table(&generated, name);
        for entry in table(&runtime, name) {
            let same = stated
                .iter()
                .any(|stated| stated.0 == entry.0 && normalized(&stated.1) == normalized(&entry.1));
            assert!(
                same || entry.0 == "default",
                "runtime/Cargo.toml's [{name}] {} = {} is not what a generated crate states",
                entry.0,
                entry.1
            );
        }
    }
}

/// A TOML value without its whitespace, to compare two layouts of it.
fn normalized(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<String>()
        .replace(",]", "]")
}

/// Runs cargo in `runtime/` as the end-to-end tests build generated crates (in their
/// target folder, with their debug settings), so that the dependencies compile once.
fn cargo(args: &[&str]) {
    let dir = repo().join("runtime");
    // The workspace's `[profile.dev.package."*"] debug = false` would make the
    // dependencies differ from a generated crate's.
    let mut full = vec![
        "--config",
        r#"profile.dev.package."*".debug="line-tables-only""#,
    ];
    full.extend_from_slice(args);
    run(&dir, "cargo", &full, &[]);
}

#[test]
fn the_fixed_code_is_formatted_lint_free_and_its_tests_pass() {
    assert!(Path::new(&repo().join("runtime/Cargo.toml")).is_file());
    cargo(&["fmt", "--check"]);
    let mut clippy = vec!["clippy", "--all-targets"];
    clippy.extend(SERVER_DRIVERS);
    clippy.extend(["--", "-D", "warnings"]);
    cargo(&clippy);
    let mut test = vec!["test"];
    test.extend(SERVER_DRIVERS);
    cargo(&test);
}

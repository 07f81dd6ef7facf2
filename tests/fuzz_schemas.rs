//! The schema fuzzer's fast gate: for every fuzzed schema, `apigen validate` accepts it,
//! two generations are byte-identical, every generated Rust file parses and is
//! rustfmt-clean, and a name that clashes once case-converted is refused.
//!
//! Seeds: `APIGEN_FUZZ_SEED=N` runs that one seed; `APIGEN_FUZZ_SEEDS=K` runs K seeds
//! from `APIGEN_FUZZ_FIRST` (default 1). Without them, CI's fixed set runs.

mod fuzz;
mod support;

use std::path::Path;
use std::process::Command;

/// How many seeds the fast gate tries by default.
const DEFAULT_SEEDS: u64 = 60;

/// The seeds of this run, printed so that any failure can be reproduced.
pub fn seeds(default: u64) -> Vec<u64> {
    let var = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let seeds: Vec<u64> = match (var("APIGEN_FUZZ_SEED"), var("APIGEN_FUZZ_SEEDS")) {
        (Some(seed), _) => vec![seed],
        (None, count) => {
            let first = var("APIGEN_FUZZ_FIRST").unwrap_or(1);
            (first..first + count.unwrap_or(default)).collect()
        }
    };
    eprintln!(
        "fuzz seeds: {:?} (reproduce one with APIGEN_FUZZ_SEED=N)",
        seeds
    );
    seeds
}

/// Every `.rs` file of `files` that rustfmt would change, checked in one rustfmt run.
fn not_rustfmt_clean(files: &apigen::fileset::FileSet, scratch: &Path) -> Vec<String> {
    let mut paths = Vec::new();
    for (path, file) in files.iter() {
        if path.ends_with(".rs") {
            let on_disk = scratch.join(path);
            std::fs::create_dir_all(on_disk.parent().unwrap()).unwrap();
            std::fs::write(&on_disk, &file.contents).unwrap();
            paths.push(on_disk);
        }
    }
    let out = Command::new("rustfmt")
        .args(["--edition", "2024", "--check", "-l"])
        .args(&paths)
        .output()
        .expect("rustfmt is installed (rustup component add rustfmt)");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.replace(&format!("{}/", scratch.display()), ""))
        .collect()
}

#[test]
fn fuzzed_schemas_validate_generate_the_same_twice_and_are_rustfmt_clean() {
    let mut failures = Vec::new();
    let seeds = seeds(DEFAULT_SEEDS);
    for &seed in &seeds {
        let fuzzed = fuzz::schema(seed, &fuzz::Options::default());
        let name = format!("fuzz-{seed}.toml");
        let generated = std::panic::catch_unwind(|| apigen::generate_files(&name, &fuzzed.source));
        let files = match generated {
            Ok(Ok(files)) => files,
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("seed {seed}: apigen panicked: {message}"));
                continue;
            }
            Ok(Err(failure)) => {
                failures.push(format!(
                    "seed {seed}: refused or not generated:\n{failure}\n--- schema\n{}",
                    fuzzed.source
                ));
                continue;
            }
        };
        let again = apigen::generate_files(&name, &fuzzed.source).unwrap();
        if files != again {
            failures.push(format!("seed {seed}: two generations differ"));
        }
        for (path, file) in files.iter() {
            if path.ends_with(".rs")
                && let Err(e) = syn::parse_file(&file.contents)
            {
                failures.push(format!("seed {seed}: {path} does not parse: {e}"));
            }
        }
        let scratch = tempfile::tempdir().unwrap();
        let dirty = not_rustfmt_clean(&files, scratch.path());
        if !dirty.is_empty() {
            failures.push(format!(
                "seed {seed}: not rustfmt-clean: {}\n--- schema\n{}",
                dirty.join(", "),
                fuzzed.source
            ));
        }
        if let Some(clash) = fuzz::clashing_variant(&fuzzed.source)
            && apigen::generate_files(&name, &clash).is_ok()
        {
            failures.push(format!(
                "seed {seed}: two names that clash once case-converted were accepted:\n{clash}"
            ));
        }
    }
    // Each failing schema, to read and to run `apigen new` on.
    let kept = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz");
    std::fs::create_dir_all(&kept).unwrap();
    for failure in &failures {
        if let Some(seed) = failure
            .strip_prefix("seed ")
            .and_then(|s| s.split(':').next())
        {
            let fuzzed = fuzz::schema(seed.parse().unwrap(), &fuzz::Options::default());
            std::fs::write(kept.join(format!("seed-{seed}.toml")), fuzzed.source).unwrap();
        }
    }
    eprintln!(
        "fuzz: {} schemas tried, {} failures (schemas in target/fuzz/)",
        seeds.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The most columns apigen's own text takes on a line around one piece that cannot be
/// broken (indentation, `use crate::entities::`, `path = "`, a doc comment's marker).
const FRAME: usize = 44;

/// A reader's screen on schemas apigen has never seen. Lines are laid out by rustfmt or
/// by apigen to 100 columns; what passes is a piece without a space that no layout can
/// break, longer than 100 columns less the frame: a URL path, or a path or identifier
/// that joins schema names (names may be 63 characters long). tests/generated_files.rs
/// holds the fixtures to 100 columns without exception.
#[test]
fn generated_lines_pass_100_columns_only_around_a_piece_that_cannot_be_broken() {
    let mut wide = Vec::new();
    let mut over = 0;
    for seed in seeds(DEFAULT_SEEDS) {
        let fuzzed = fuzz::schema(seed, &fuzz::Options::default());
        let Ok(files) = apigen::generate_files("wide.toml", &fuzzed.source) else {
            continue; // the test above reports it
        };
        for (path, number, line) in support::wide_lines(&files) {
            over += 1;
            let piece = line.split_whitespace().map(|p| p.chars().count()).max();
            if piece.unwrap_or(0) <= 100 - FRAME {
                wide.push(format!("seed {seed}: {path}:{number}: {line}"));
            }
        }
    }
    eprintln!("{over} lines over 100 columns, each around a piece that cannot be broken");
    assert!(
        wide.is_empty(),
        "{} lines over 100 columns that a layout could break:\n{}",
        wide.len(),
        wide.join("\n")
    );
}

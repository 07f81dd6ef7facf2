//! The OpenAPI document apigen writes passes a widely used linter's recommended rules:
//! Redocly's `recommended` set (scripts/redocly installs @redocly/cli from the npm
//! registry), with every error and every warning counted, for each fixture and for the
//! fuzzer's schemas (the same seeds as the fast gate's first ones; `APIGEN_FUZZ_SEED`,
//! or `APIGEN_FUZZ_SEEDS` from `APIGEN_FUZZ_FIRST`, choose others).

mod fuzz;
mod support;

use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

/// How many fuzzed schemas' documents are linted by default.
const DEFAULT_SEEDS: u64 = 30;

#[test]
fn every_document_passes_redocly_recommended() {
    let scratch = tempfile::tempdir().unwrap();
    let mut documents: Vec<PathBuf> = Vec::new();
    let mut write = |label: &str, file_name: &str, source: &str| {
        let files = apigen::generate_files(file_name, source)
            .unwrap_or_else(|e| panic!("{label} generates:\n{e}"));
        let document = files
            .iter()
            .find(|(path, _)| *path == "openapi.json")
            .map(|(_, file)| file.contents.clone())
            .expect("openapi.json is generated");
        let path = scratch.path().join(format!("{label}.json"));
        std::fs::write(&path, document).unwrap();
        documents.push(path);
    };
    for fixture in ["minimal", "blog", "shop", "tracker"] {
        let file = support::repo()
            .join("fixtures")
            .join(format!("{fixture}.toml"));
        let source = std::fs::read_to_string(&file).unwrap();
        write(fixture, "apigen.toml", &source);
    }
    let seeds = fuzz_seeds();
    for &seed in &seeds {
        let fuzzed = fuzz::schema(seed, &fuzz::Options::default());
        write(
            &format!("seed-{seed}"),
            &format!("fuzz-{seed}.toml"),
            &fuzzed.source,
        );
    }

    let out = Command::new(support::repo().join("scripts").join("redocly"))
        .args(["lint", "--extends", "recommended", "--format", "json"])
        .args(&documents)
        .stdin(Stdio::null())
        .output()
        .expect("scripts/redocly runs (it needs node and npm)");
    // One JSON report per document, one after the other.
    let reports: Vec<Value> = serde_json::Deserializer::from_slice(&out.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| {
            panic!(
                "redocly printed no JSON report ({e}):\n{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
    assert_eq!(
        reports.len(),
        documents.len(),
        "one report per document:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let problems: Vec<String> = reports
        .iter()
        .flat_map(|report| report["problems"].as_array().cloned().unwrap_or_default())
        .map(|problem| {
            let location = &problem["location"][0];
            format!(
                "{} {}: {} ({} at {})",
                problem["severity"].as_str().unwrap_or_default(),
                problem["ruleId"].as_str().unwrap_or_default(),
                problem["message"].as_str().unwrap_or_default(),
                location["source"]["ref"].as_str().unwrap_or_default(),
                location["pointer"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    eprintln!(
        "redocly recommended: {} documents (4 fixtures, fuzz seeds {:?}), {} problems",
        documents.len(),
        seeds,
        problems.len()
    );
    assert!(
        problems.is_empty() && out.status.success(),
        "redocly's recommended rules found {} problems (documents kept in {}):\n{}",
        problems.len(),
        scratch.keep().display(),
        problems.join("\n")
    );
}

/// The fuzz seeds whose documents are linted, printed by the caller.
fn fuzz_seeds() -> Vec<u64> {
    let var = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    match (var("APIGEN_FUZZ_SEED"), var("APIGEN_FUZZ_SEEDS")) {
        (Some(seed), _) => vec![seed],
        (None, count) => {
            let first = var("APIGEN_FUZZ_FIRST").unwrap_or(1);
            (first..first + count.unwrap_or(DEFAULT_SEEDS)).collect()
        }
    }
}

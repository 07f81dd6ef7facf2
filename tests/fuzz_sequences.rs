//! The sequence fuzzer: random sequences of schema changes applied the way a user makes
//! them (editing apigen.toml then `apigen generate`, or `apigen add resource|field`), each
//! followed by what must hold:
//!
//! - `apigen check` tells the truth: 1 with a pending migration after an edit that changes
//!   the database, 0 right after a generate or an add;
//! - a change that loses data (a dropped field or resource, a removed enum value, a
//!   narrower column) is refused by every command without `--allow-data-loss`, and the
//!   refusal writes nothing; a change that loses nothing is never refused;
//! - every migration written is rustfmt-clean and parses.
//!
//! At the end of each sequence the crate is formatted, linted and built once, and its
//! migrations run up, all the way down and up again on SQLite. Seeds:
//! `APIGEN_SEQUENCE_SEEDS=1,2` (default CI's); steps: `APIGEN_SEQUENCE_STEPS`.

mod fuzz;
mod support;

use std::collections::BTreeMap;
use std::path::Path;

use support::*;
use toml_edit::{DocumentMut, InlineTable, Item, Table, Value, value};

const CI_SEEDS: &[u64] = &[1, 2];
const STEPS: usize = 12;

/// What a step did to the schema, and whether it may lose data.
struct Change {
    what: String,
    loses_data: bool,
    /// Through `apigen add` (the arguments) rather than an edit of apigen.toml.
    add: Option<Vec<String>>,
}

fn var_list(name: &str, default: &[u64]) -> Vec<u64> {
    std::env::var(name)
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| default.to_vec())
}

/// Every file of the project but target/, path to contents: to see that a refusal
/// wrote nothing.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let relative = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if relative == "target" || relative.ends_with(".db") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(relative, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// The names of the resources a schema declares, and their fields (name, inline table).
fn resources(doc: &DocumentMut) -> Vec<(String, Vec<String>)> {
    let Some(table) = doc.get("resources").and_then(Item::as_table) else {
        return Vec::new();
    };
    table
        .iter()
        .filter(|(name, _)| *name != "User")
        .map(|(name, item)| {
            let fields = item
                .get("fields")
                .and_then(Item::as_table)
                .map(|t| t.iter().map(|(k, _)| k.to_string()).collect())
                .unwrap_or_default();
            (name.to_string(), fields)
        })
        .collect()
}

fn fields_mut<'a>(doc: &'a mut DocumentMut, resource: &str) -> &'a mut Table {
    doc["resources"][resource]["fields"]
        .as_table_mut()
        .expect("a fields table")
}

/// A field's type, from its shorthand or its table.
fn field_type(item: &Item) -> String {
    match item {
        Item::Value(Value::String(s)) => s.value().trim_end_matches('?').to_string(),
        Item::Value(Value::InlineTable(t)) => t
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    }
}

fn is_scalar(ty: &str) -> bool {
    !matches!(ty, "belongs_to" | "many_to_many" | "")
}

/// One random change of the schema in `doc`, or None when the pick does not apply.
fn change(rng: &mut fuzz::Rng, doc: &mut DocumentMut, step: usize) -> Option<Change> {
    let all = resources(doc);
    let (resource, fields) = rng.pick(&all).clone();
    let new_name = format!(
        "f{step}_{}",
        rng.word(&["note", "type", "order", "matchCount"])
    );
    match rng.range(0, 9) {
        0 => {
            let (ty, default) = *rng.pick(&[
                ("int", "3"),
                ("string", "draft"),
                ("decimal", "0"),
                ("bool", "true"),
                ("date", "2024-01-31"),
            ]);
            Some(Change {
                what: format!("apigen add field {resource} {new_name}:{ty}={default}"),
                loses_data: false,
                add: Some(vec![
                    "add".into(),
                    "field".into(),
                    resource.clone(),
                    format!("{new_name}:{ty}={default}"),
                ]),
            })
        }
        1 => {
            let ty = rng.word(&["text", "int", "datetime", "uuid", "json"]);
            fields_mut(doc, &resource).insert(&new_name, value(format!("{ty}?")));
            Some(Change {
                what: format!("an optional {ty} field {resource}.{new_name}"),
                loses_data: false,
                add: None,
            })
        }
        2 => {
            let field = rng.pick(&fields).clone();
            let table = fields_mut(doc, &resource);
            let item = table.get(&field)?;
            if !is_scalar(&field_type(item)) || table.len() < 2 {
                return None;
            }
            table.remove(&field);
            Some(Change {
                what: format!("drop {resource}.{field}"),
                loses_data: true,
                add: None,
            })
        }
        3 => {
            let field = rng.pick(&fields).clone();
            let table = fields_mut(doc, &resource);
            let item = table.remove(&field)?;
            let ty = field_type(&item);
            if !is_scalar(&ty) {
                table.insert(&field, item);
                return None;
            }
            let mut inline = match item {
                Item::Value(Value::InlineTable(t)) => t,
                Item::Value(Value::String(s)) => {
                    let mut t = InlineTable::new();
                    t.insert("type", s.value().trim_end_matches('?').into());
                    if s.value().ends_with('?') {
                        t.insert("optional", true.into());
                    }
                    t
                }
                _ => return None,
            };
            inline.insert("renamed_from", field.as_str().into());
            table.insert(&new_name, Item::Value(Value::InlineTable(inline)));
            Some(Change {
                what: format!("rename {resource}.{field} to {new_name}"),
                loses_data: false,
                add: None,
            })
        }
        4 => {
            let name = format!("Res{step}{}", rng.word(&["Type", "Order", "Item"]));
            Some(Change {
                what: format!("apigen add resource {name}"),
                loses_data: false,
                add: Some(vec![
                    "add".into(),
                    "resource".into(),
                    name,
                    "label:string".into(),
                    format!("{}:belongs_to?:{resource}", "owner_ref"),
                ]),
            })
        }
        5 => {
            // Optional to required with a default, or back.
            let field = rng.pick(&fields).clone();
            let table = fields_mut(doc, &resource);
            let Some(Item::Value(Value::InlineTable(t))) = table.get_mut(&field) else {
                return None;
            };
            let ty = t.get("type").and_then(Value::as_str)?.to_string();
            let default: Value = match ty.as_str() {
                "int" | "bigint" => 7.into(),
                "string" | "text" => "filled".into(),
                "bool" => false.into(),
                "decimal" => "1.5".into(),
                _ => return None,
            };
            if t.get("optional").and_then(Value::as_bool) == Some(true)
                && t.get("pattern").is_none()
                && t.get("format").is_none()
                && t.get("min_length").is_none()
                && t.get("min").is_none()
                && t.get("max").is_none()
            {
                t.remove("optional");
                t.insert("default", default);
                Some(Change {
                    what: format!("{resource}.{field} optional to required with a default"),
                    loses_data: false,
                    add: None,
                })
            } else if t.get("optional").is_none() {
                t.insert("optional", true.into());
                Some(Change {
                    what: format!("{resource}.{field} required to optional"),
                    loses_data: false,
                    add: None,
                })
            } else {
                None
            }
        }
        6 => {
            // An enum value added (nothing lost) or the last one removed (lost).
            let field = rng.pick(&fields).clone();
            let table = fields_mut(doc, &resource);
            let Some(Item::Value(Value::InlineTable(t))) = table.get_mut(&field) else {
                return None;
            };
            if t.get("type").and_then(Value::as_str) != Some("enum") || t.get("default").is_some() {
                return None;
            }
            let values = t.get_mut("values")?.as_array_mut()?;
            if rng.chance(50) || values.len() < 2 {
                values.push(format!("added{step}"));
                Some(Change {
                    what: format!("a value added to {resource}.{field}"),
                    loses_data: false,
                    add: None,
                })
            } else {
                values.remove(values.len() - 1);
                Some(Change {
                    what: format!("a value removed from {resource}.{field}"),
                    loses_data: true,
                    add: None,
                })
            }
        }
        7 => {
            // A string's max_length widened (nothing lost) or narrowed (lost).
            let field = rng.pick(&fields).clone();
            let table = fields_mut(doc, &resource);
            let Some(Item::Value(Value::InlineTable(t))) = table.get_mut(&field) else {
                return None;
            };
            if t.get("type").and_then(Value::as_str) != Some("string")
                || t.get("default").is_some()
                || t.get("pattern").is_some()
                || t.get("format").is_some()
                || t.get("min_length").is_some()
            {
                return None;
            }
            let now = t
                .get("max_length")
                .and_then(Value::as_integer)
                .unwrap_or(255);
            let narrower = rng.chance(50) && now > 20;
            let next = if narrower { now - 10 } else { now + 100 };
            t.insert("max_length", next.into());
            Some(Change {
                what: format!("{resource}.{field} max_length {now} -> {next}"),
                loses_data: narrower,
                add: None,
            })
        }
        _ => {
            // A resource dropped, with nothing pointing at it.
            if all.len() < 2 {
                return None;
            }
            let text = doc.to_string();
            let pointed = text.matches(&format!("\"{resource}\"")).count() > 0;
            if pointed {
                return None;
            }
            doc["resources"].as_table_mut()?.remove(&resource);
            Some(Change {
                what: format!("drop resource {resource}"),
                loses_data: true,
                add: None,
            })
        }
    }
}

/// One sequence: a fuzzed project, `steps` changes, the checks after each, then a build
/// and the migrations up, down and up again.
fn sequence(seed: u64, steps: usize) -> usize {
    let parent = repo().join("target").join("fuzz-sequences");
    std::fs::create_dir_all(&parent).unwrap();
    let dir = parent.join(format!("seed-{seed}"));
    let _ = std::fs::remove_dir_all(&dir);
    let options = fuzz::Options {
        resources: 3,
        max_fields: 5,
    };
    let fuzzed = fuzz::schema(seed, &options);
    let schema = parent.join(format!("seed-{seed}.toml"));
    std::fs::write(&schema, &fuzzed.source).unwrap();
    let (code, text) = apigen_in(
        &parent,
        &[
            "new",
            dir.to_str().unwrap(),
            "--schema",
            schema.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "seed {seed}: apigen new: {text}");
    let mut rng = fuzz::Rng::new(seed.wrapping_mul(7919));
    let mut applied = 0;
    for step in 0..steps {
        let path = dir.join("apigen.toml");
        let before_text = std::fs::read_to_string(&path).unwrap();
        let mut doc: DocumentMut = before_text.parse().unwrap();
        let Some(change) = change(&mut rng, &mut doc, step) else {
            continue;
        };
        let label = format!("seed {seed}, step {step} ({})", change.what);
        eprintln!("{label}");
        let before = snapshot(&dir);
        let command: Vec<String> = match &change.add {
            Some(args) => args.clone(),
            None => {
                std::fs::write(&path, doc.to_string()).unwrap();
                let (code, text) = apigen_in(&dir, &["check"]);
                assert_eq!(code, 1, "{label}: check after the edit must see it: {text}");
                vec!["generate".into()]
            }
        };
        let args: Vec<&str> = command.iter().map(String::as_str).collect();
        let (code, text) = apigen_in(&dir, &args);
        if code != 0 && text.contains("would lose data") {
            assert!(
                change.loses_data,
                "{label}: refused though nothing is lost: {text}"
            );
            let mut after = snapshot(&dir);
            if change.add.is_none() {
                // The edit of apigen.toml is the user's; nothing else may change.
                after.insert("apigen.toml".into(), before["apigen.toml"].clone());
            }
            assert!(after == before, "{label}: the refusal wrote something");
            let mut again = args.clone();
            again.push("--allow-data-loss");
            let (code, text) = apigen_in(&dir, &again);
            assert_eq!(code, 0, "{label}: with --allow-data-loss: {text}");
        } else if code != 0 {
            // A change this version refuses for another reason (say, a required field
            // without a default on a table with rows): put the schema back.
            eprintln!("  refused: {}", text.lines().next().unwrap_or_default());
            std::fs::write(&path, &before_text).unwrap();
            let (code, text) = apigen_in(&dir, &["check"]);
            assert_eq!(code, 0, "{label}: the project after a refusal: {text}");
            continue;
        } else {
            assert!(
                !change.loses_data,
                "{label}: a change that loses data went through without --allow-data-loss"
            );
        }
        let (code, text) = apigen_in(&dir, &["check"]);
        assert_eq!(code, 0, "{label}: check right after: {text}");
        applied += 1;
    }
    // Every migration written is the user's code now: it formats and lints as theirs.
    format_and_lint(&dir);
    run(&dir, "cargo", &with_drivers("build"), &[]);
    let binary = shared_target().join("debug").join(&fuzzed.api);
    let binary = binary.to_str().unwrap();
    let env = [("DATABASE_URL", "sqlite://sequence.db?mode=rwc")];
    run(&dir, binary, &["migrate", "up"], &env);
    run(&dir, binary, &["migrate", "down", "all"], &env);
    run(&dir, binary, &["migrate", "up"], &env);
    applied
}

#[test]
fn random_schema_changes_keep_every_guard_and_every_migration_runs_up_and_down() {
    let seeds = var_list("APIGEN_SEQUENCE_SEEDS", CI_SEEDS);
    let steps = std::env::var("APIGEN_SEQUENCE_STEPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(STEPS);
    eprintln!(
        "sequence seeds: {seeds:?}, {steps} steps each (APIGEN_SEQUENCE_SEEDS=N reproduces one)"
    );
    let mut applied = 0;
    for &seed in &seeds {
        applied += sequence(seed, steps);
    }
    eprintln!(
        "sequences: {} seeds, {applied} changes applied",
        seeds.len()
    );
    assert!(
        applied > 0,
        "no change was applied: the sequence fuzzer tried nothing"
    );
}

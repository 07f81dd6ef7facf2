//! Layout: the generated Rust, as `rustfmt` (edition 2024, default style) lays it out.
//!
//! The templates are written in rustfmt's layout for names of ordinary length, and the
//! snapshot and fuzz tests hold them to it. A long name moves line breaks anywhere
//! (a 40-character field in an `assert_eq!`, a use list, a signature), so a file that
//! holds a name longer than [`SHORT_NAME`] characters, or a line longer than rustfmt's
//! 100 columns, is laid out by rustfmt itself. Its output is a pure function of its
//! input, so two generations stay byte-identical and `apigen check` stays exact.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::fileset::FileSet;
use crate::names;
use crate::schema::{FieldType, Schema};

/// The longest name the templates lay out by themselves.
pub const SHORT_NAME: usize = 12;

/// rustfmt's `max_width`.
const MAX_WIDTH: usize = 100;

/// Lays out every `.rs` file of `files` that needs it with rustfmt.
pub fn lay_out(schema: &Schema, files: &mut FileSet) -> Result<(), String> {
    let long = long_names(schema);
    let pending: Vec<(&str, &mut String)> = files
        .contents_mut(".rs")
        .filter(|(_, text)| needs_rustfmt(text, &long))
        .collect();
    if pending.is_empty() {
        return Ok(());
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let chunk = pending.len().div_ceil(threads);
    let mut chunks: Vec<Vec<(&str, &mut String)>> = Vec::new();
    let mut pending = pending;
    while !pending.is_empty() {
        let rest = pending.split_off(chunk.min(pending.len()));
        chunks.push(std::mem::replace(&mut pending, rest));
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                scope.spawn(move || {
                    for (path, text) in chunk {
                        *text = rustfmt(text).map_err(|e| format!("{path}: {e}"))?;
                    }
                    Ok::<(), String>(())
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    })
}

/// A file with a line wider than rustfmt's limit, or with a long name in it.
fn needs_rustfmt(text: &str, long: &[String]) -> bool {
    text.lines().any(|line| line.chars().count() > MAX_WIDTH)
        || long.iter().any(|name| text.contains(name.as_str()))
}

/// Every name from the schema longer than [`SHORT_NAME`], in each form the generated code
/// spells it (as written, snake_case, PascalCase).
fn long_names(schema: &Schema) -> Vec<String> {
    let mut raw: Vec<&str> = vec![schema.api.name.as_str()];
    if let Some(auth) = &schema.auth {
        raw.extend(auth.roles.iter().map(String::as_str));
    }
    for resource in &schema.resources {
        raw.push(&resource.name);
        raw.push(&resource.plural);
        for field in &resource.fields {
            raw.push(&field.name);
            if let FieldType::Enum(values) = &field.ty {
                raw.extend(values.iter().map(String::as_str));
            }
        }
    }
    let mut forms: Vec<String> = Vec::new();
    for name in raw {
        for form in [
            name.to_string(),
            names::snake_case(name),
            names::pascal_case(&names::snake_case(name)),
        ] {
            if form.len() > SHORT_NAME && !forms.contains(&form) {
                forms.push(form);
            }
        }
    }
    forms
}

/// What rustfmt makes of `source`, read from standard input (no configuration file of
/// the current folder applies: it runs in the system's temporary folder).
fn rustfmt(source: &str) -> Result<String, String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!(
                "cannot run rustfmt ({e}); apigen lays out code with long names with it: \
                 install it with `rustup component add rustfmt`"
            )
        })?;
    let mut stdin = child.stdin.take().ok_or("rustfmt has no standard input")?;
    let input = source.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt failed: {e}"))?;
    writer
        .join()
        .map_err(|_| "rustfmt's input could not be written".to_string())?
        .map_err(|e| format!("rustfmt's input could not be written: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt refused the generated code (a bug of apigen): {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt wrote invalid UTF-8: {e}"))
}

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

use crate::fileset::{File, FileSet, Ownership};
use crate::names;
use crate::plan::Use;
use crate::schema::{FieldType, Schema};
use crate::writer;

/// The longest name the templates lay out by themselves.
pub const SHORT_NAME: usize = 12;

/// rustfmt's `max_width`.
pub(crate) const MAX_WIDTH: usize = 100;

/// Lays out every `.rs` file of `files` that needs it with rustfmt, or takes what
/// `before` gives for it: the text an earlier generation laid out from the same text
/// (found by the file's path and the hash of its text; see `writer::laid_out_before`).
///
/// rustfmt's start-up costs more than laying out a file, so the files go to it in
/// batches, one process per batch and a batch per core, written to a temporary folder.
/// A file that declares modules (`mod routes;`) goes through standard input on its own
/// instead: given as a path, rustfmt would look for its modules beside it.
pub fn lay_out(
    schema: &Schema,
    files: &mut FileSet,
    before: &dyn Fn(&str, u64) -> Option<String>,
) -> Result<(), String> {
    let long = long_names(schema);
    let mut pending: Vec<(&str, &mut String)> = Vec::new();
    for (path, file) in files.files_mut(".rs") {
        if let Some(wrapped) = wrap_long_comments(&file.contents) {
            file.contents = wrapped;
        }
        if !(always_laid_out(path, file) || needs_rustfmt(&file.contents, &long)) {
            continue;
        }
        let from = writer::fnv1a(file.contents.as_bytes());
        file.laid_out_from = Some(from);
        match before(path, from) {
            Some(text) => file.contents = text,
            None => pending.push((path, &mut file.contents)),
        }
    }
    let (parents, leaves): (Vec<_>, Vec<_>) = pending
        .into_iter()
        .partition(|(_, text)| declares_modules(text));
    if parents.is_empty() && leaves.is_empty() {
        return Ok(());
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let mut jobs: Vec<Vec<(&str, &mut String)>> = Vec::new();
    let mut leaves = leaves;
    let chunk = leaves.len().div_ceil(threads).max(1);
    while !leaves.is_empty() {
        let rest = leaves.split_off(chunk.min(leaves.len()));
        jobs.push(std::mem::replace(&mut leaves, rest));
    }
    let batches = jobs.len();
    jobs.extend(parents.into_iter().map(|parent| vec![parent]));
    std::thread::scope(|scope| {
        let workers: Vec<_> = jobs
            .into_iter()
            .enumerate()
            .map(|(index, job)| {
                scope.spawn(move || {
                    if index < batches {
                        rustfmt_batch(job)
                    } else {
                        job.into_iter().try_for_each(|(path, text)| {
                            *text = rustfmt(text).map_err(|e| format!("{path}: {e}"))?;
                            Ok(())
                        })
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    })
}

/// The files rustfmt lays out whatever their names and widths: every file apigen owns,
/// and the migrations. Sparing the others would save most rustfmt runs, but the
/// templates are not yet in rustfmt's layout for every name (a crate name's place in a
/// `use` list, long sample values): the fuzz gate finds them when only the files
/// [`needs_rustfmt`] names go through it. (Until the header took two lines, its line was
/// wider than the limit in each of these files.)
fn always_laid_out(path: &str, file: &File) -> bool {
    file.ownership == Ownership::Generated || path.starts_with("src/migrations/")
}

/// Whether `text` declares a module whose body is in another file (`pub mod routes;`).
fn declares_modules(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim();
        let line = line
            .strip_prefix("pub(crate) ")
            .or_else(|| line.strip_prefix("pub "))
            .unwrap_or(line);
        line.starts_with("mod ") && line.ends_with(';')
    })
}

/// Lays out `batch` with one rustfmt process: each file is written to a temporary
/// folder of its own under a plain name, formatted in place and read back.
fn rustfmt_batch(batch: Vec<(&str, &mut String)>) -> Result<(), String> {
    let folder = TempFolder::new()?;
    let paths: Vec<std::path::PathBuf> = (0..batch.len())
        .map(|i| folder.0.join(format!("f{i}.rs")))
        .collect();
    for ((_, text), path) in batch.iter().zip(&paths) {
        std::fs::write(path, text.as_bytes()).map_err(|e| format!("cannot write {e}"))?;
    }
    let output = Command::new("rustfmt")
        .args(["--edition", "2024", "--quiet"])
        .args(&paths)
        .current_dir(&folder.0)
        .stdin(Stdio::null())
        .output()
        .map_err(cannot_run)?;
    if !output.status.success() {
        let names: Vec<&str> = batch.iter().map(|(path, _)| *path).collect();
        return Err(format!(
            "rustfmt refused the generated code (a bug of apigen) in one of {}: {}",
            names.join(", "),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    for ((path, text), on_disk) in batch.into_iter().zip(&paths) {
        *text = std::fs::read_to_string(on_disk)
            .map_err(|e| format!("{path}: rustfmt's output cannot be read: {e}"))?;
    }
    Ok(())
}

/// A folder of its own under the system's temporary folder, removed when dropped.
struct TempFolder(std::path::PathBuf);

impl TempFolder {
    fn new() -> Result<Self, String> {
        static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let count = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let name = format!("apigen-layout-{}-{count}-{nanos}", std::process::id());
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir(&path)
            .map_err(|e| format!("cannot make a temporary folder {}: {e}", path.display()))?;
        Ok(Self(path))
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn cannot_run(e: std::io::Error) -> String {
    format!(
        "cannot run rustfmt ({e}); apigen lays out code with long names with it: \
         install it with `rustup component add rustfmt`"
    )
}

/// A file with a line wider than rustfmt's limit, or with a long name in it.
///
/// For now every file apigen owns, and every new migration, goes through rustfmt
/// whatever this says ([`always_laid_out`]).
fn needs_rustfmt(text: &str, long: &[String]) -> bool {
    text.lines().any(|line| line.chars().count() > MAX_WIDTH)
        || long.iter().any(|name| text.contains(name.as_str()))
}

/// A `use` item as rustfmt lays it out: `use a::b;` for one name (`use a;` for `self`
/// alone), `use a::{b, c};` when that fits in [`MAX_WIDTH`], otherwise the names on an
/// indented line of their own (a line still too long sends the file to rustfmt).
pub fn use_item(item: &Use) -> String {
    let path = &item.path;
    match item.names.as_slice() {
        [one] if one == "self" => format!("use {path};"),
        [one] => format!("use {path}::{one};"),
        names => {
            let names = names.join(", ");
            let line = format!("use {path}::{{{names}}};");
            if line.len() <= MAX_WIDTH {
                line
            } else {
                format!("use {path}::{{\n    {names},\n}};")
            }
        }
    }
}

/// `const NAME: &str = "...";` for `text`, as rustfmt lays it out: on one line when it
/// fits, else the literal on the next line when it fits there, else broken across lines
/// with string continuations ([`string_literal`]).
pub fn const_str(name: &str, text: &str) -> String {
    let literal = names::rust_string_literal(text);
    let line = format!("const {name}: &str = {literal};");
    if line.len() <= 100 {
        line
    } else if literal.len() + 5 <= 100 {
        format!("const {name}: &str =\n    {literal};")
    } else {
        let start = "const : &str = ".len() + name.len();
        let literal = string_literal(text, start, 4, 1);
        format!("const {name}: &str = {literal};")
    }
}

/// `text` as a Rust string literal that ends by column [`MAX_WIDTH`], for a place
/// rustfmt leaves as it is (an attribute's value): the literal starts at column `start`,
/// `after` characters follow it on its last line, and where it would run past the limit
/// it breaks after a space with a `\` and goes on at column `indent` (Rust skips the
/// newline and the indentation, so the value is `text` exactly). A piece without a space
/// that fits nowhere whole (a URL path of long names) breaks after a `/` instead.
pub fn string_literal(text: &str, start: usize, indent: usize, after: usize) -> String {
    let literal = names::rust_string_literal(text);
    let mut out = String::with_capacity(literal.len());
    let mut rest: &str = &literal;
    let mut column = start;
    loop {
        let room = MAX_WIDTH.saturating_sub(column);
        if rest.chars().count() + after <= room {
            out.push_str(rest);
            return out;
        }
        // The last space or `\n` escape before the `\` that still fits, not followed by
        // white space (a continuation would skip it).
        let chars: Vec<(usize, char)> = rest.char_indices().collect();
        let (mut breaks, mut slashes) = (Vec::new(), Vec::new());
        let mut i = 1;
        while i + 1 < chars.len() && i + 2 <= room {
            match chars[i].1 {
                ' ' => breaks.push(i),
                '/' => slashes.push(i),
                '\\' => {
                    i += 1;
                    if chars[i].1 == 'n' && i + 2 <= room {
                        breaks.push(i);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        let last_fit = |breaks: Vec<usize>| {
            breaks
                .into_iter()
                .rev()
                .find(|&i| chars.get(i + 1).is_some_and(|(_, c)| !c.is_whitespace()))
        };
        let cut = last_fit(breaks).or_else(|| last_fit(slashes));
        let Some(cut) = cut else {
            out.push_str(rest);
            return out;
        };
        let next = chars[cut + 1].0;
        out.push_str(&rest[..next]);
        out.push_str("\\\n");
        out.push_str(&" ".repeat(indent));
        rest = &rest[next..];
        column = indent;
    }
}

/// `"key": value,`, an entry of a `json!` object at column `indent`, which rustfmt leaves
/// as it is written: where the line would pass [`MAX_WIDTH`], the value goes on the next
/// line, indented once more.
pub fn json_entry(key: &str, value: &str, indent: usize) -> String {
    let key = names::rust_string_literal(key);
    let line = format!("{key}: {value},");
    if indent + line.chars().count() <= MAX_WIDTH {
        return line;
    }
    format!("{key}:\n{}{value},", " ".repeat(indent + 4))
}

/// `text` as `///` doc lines that end by column [`MAX_WIDTH`], the first at column
/// `indent` (the template puts it there), the others indented as far: broken between
/// words, never inside a `code span` unless the span alone is wider than a line. Where a
/// word alone is wider than a line (a URL path of long names), the doc is
/// `#[doc = "..."]` instead, its literal broken after a `/` ([`schema_doc`]).
pub fn doc_comment(text: &str, indent: usize) -> String {
    let lines = comment(text, indent, "/// ");
    if lines
        .lines()
        .any(|line| line.trim_start().chars().count() + indent > MAX_WIDTH)
    {
        return schema_doc(text, indent);
    }
    lines
}

/// `text` as comment lines that start with `marker` (`// `, `//! `, `/// `) and end by
/// column [`MAX_WIDTH`], as [`doc_comment`] breaks them.
fn comment(text: &str, indent: usize, marker: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut in_code = false;
    for piece in text.split(' ') {
        match words.last_mut() {
            Some(last) if in_code => {
                last.push(' ');
                last.push_str(piece);
            }
            _ => words.push(piece.to_string()),
        }
        in_code ^= piece.matches('`').count() % 2 == 1;
    }
    let room = MAX_WIDTH.saturating_sub(indent + marker.len());
    // A code span wider than a line breaks at its own spaces: Markdown reads a line end
    // inside a code span as a space, so it shows the same.
    let words = words.into_iter().flat_map(|word| {
        if word.chars().count() > room && word.contains(' ') {
            word.split(' ').map(str::to_string).collect()
        } else {
            vec![word]
        }
    });
    let mut lines: Vec<String> = Vec::new();
    for word in words {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= room => {
                line.push(' ');
                line.push_str(&word);
            }
            _ => lines.push(word),
        }
    }
    let separator = format!("\n{}{marker}", " ".repeat(indent));
    format!("{marker}{}", lines.join(&separator))
}

/// `text` with each comment line wider than [`MAX_WIDTH`] broken between words (never
/// inside a `code span`), which rustfmt leaves as they are. A doc comment that utoipa
/// reads (of a type, a field, a variant or a handler) keeps its value: it becomes
/// `#[doc = "..."]` with `\` continuations, which rustdoc and utoipa read as the one
/// line it was; other doc comments, `//!` and `//` comments take more lines.
pub fn wrap_long_comments(text: &str) -> Option<String> {
    if !text.lines().any(|line| line.chars().count() > MAX_WIDTH) {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + 256);
    for (i, line) in lines.iter().enumerate() {
        let body = line.trim_start();
        let indent = line.len() - body.len();
        let marker = ["/// ", "//! ", "// "]
            .into_iter()
            .find(|marker| body.starts_with(marker));
        match marker {
            Some(marker) if line.chars().count() > MAX_WIDTH => {
                let words = &body[marker.len()..];
                if marker == "/// " && documents_a_schema(&lines[i + 1..]) {
                    out.push_str(&line[..indent]);
                    out.push_str(&schema_doc(words, indent));
                } else {
                    out.push_str(&line[..indent]);
                    out.push_str(&comment(words, indent, marker));
                }
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    if !text.ends_with('\n') {
        out.pop();
    }
    Some(out)
}

/// Whether the doc comment that goes on at `rest` documents something utoipa describes
/// from its doc: anything but a function, a constant, a static, a module or an `impl`,
/// unless an attribute on it is utoipa's.
fn documents_a_schema(rest: &[&str]) -> bool {
    for line in rest {
        let line = line.trim_start();
        if line.starts_with("///") || line.starts_with("#[doc") {
            continue;
        }
        if line.starts_with("#[") || line.starts_with(')') {
            if line.contains("utoipa") || line.contains("ToSchema") || line.contains("IntoParams") {
                return true;
            }
            continue;
        }
        let item = ["pub(crate) ", "pub(super) ", "pub "]
            .into_iter()
            .find_map(|vis| line.strip_prefix(vis))
            .unwrap_or(line);
        let plain = [
            "fn ",
            "async fn ",
            "const ",
            "static ",
            "mod ",
            "impl ",
            "impl<",
            "use ",
            "unsafe ",
        ];
        return !plain.iter().any(|start| item.starts_with(start));
    }
    true
}

/// `text` as the doc of an item the OpenAPI document describes (a schema, a field, an
/// operation), at column `indent`: `/// text` where that fits in [`MAX_WIDTH`] columns,
/// else `#[doc = "..."]` with a literal that breaks across lines ([`string_literal`]) and
/// still holds one line of text, as utoipa and `openapi.json` read it (a `///` comment
/// broken in two would be a description of two lines).
pub fn schema_doc(text: &str, indent: usize) -> String {
    if indent + 4 + text.chars().count() <= MAX_WIDTH {
        return format!("/// {text}");
    }
    let literal = string_literal(&format!(" {text}"), indent + 8, indent + 4, 1);
    format!("#[doc = {literal}]")
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
        .map_err(cannot_run)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_entry_too_wide_for_its_line_puts_its_value_on_the_next() {
        assert_eq!(json_entry("title", "json!(1)", 8), r#""title": json!(1),"#);
        let key = "member_email_internal_invoice_sku_title_amount";
        let value = r#"format!("2099-12-31T10:{:02}:00.123456Z", n % 60)"#;
        let entry = json_entry(key, value, 8);
        assert_eq!(entry, format!("\"{key}\":\n            {value},"));
        assert!(entry.lines().all(|line| line.len() + 8 <= MAX_WIDTH));
    }

    #[test]
    fn a_use_item_is_laid_out_as_rustfmt_lays_it_out() {
        let one = Use::new("crate::entities::order", ["self".to_string()]);
        assert_eq!(use_item(&one), "use crate::entities::order;");
        let enums = ["Status", "self", "Kind2", "Kind10"].map(String::from);
        let many = Use::new("crate::entities::order", enums);
        assert_eq!(
            use_item(&many),
            "use crate::entities::order::{self, Kind2, Kind10, Status};"
        );
        let long = (0..8).map(|i| format!("SomeRatherLongTypeName{i}"));
        let wrapped = use_item(&Use::new("crate::models::thing", long));
        assert!(wrapped.starts_with("use crate::models::thing::{\n    SomeRatherLongTypeName0, "));
        assert!(wrapped.ends_with("SomeRatherLongTypeName7,\n};"));
    }

    /// The doc lines of the items of `source`, as rustdoc and utoipa read them.
    fn docs(source: &str) -> Vec<(String, Vec<String>)> {
        let file = syn::parse_file(source).unwrap_or_else(|e| panic!("{source}: {e}"));
        let doc = |attrs: &[syn::Attribute]| -> Vec<String> {
            let docs = attrs.iter().filter(|a| a.path().is_ident("doc"));
            docs.map(|a| match &a.meta {
                syn::Meta::NameValue(syn::MetaNameValue {
                    value:
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(text),
                            ..
                        }),
                    ..
                }) => text.value(),
                _ => panic!("a doc attribute that is not `doc = \"...\"`"),
            })
            .collect()
        };
        let mut out = Vec::new();
        for item in file.items {
            match item {
                syn::Item::Struct(item) => {
                    out.push((item.ident.to_string(), doc(&item.attrs)));
                    for field in item.fields {
                        let name = field.ident.map(|i| i.to_string()).unwrap_or_default();
                        out.push((name, doc(&field.attrs)));
                    }
                }
                syn::Item::Fn(item) => out.push((item.sig.ident.to_string(), doc(&item.attrs))),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn long_comments_are_broken_and_what_utoipa_reads_keeps_its_value() {
        let words = "a long sentence about `GET /some_rather_long_plural_name/{id}/children` \
                     that goes on well past the hundredth column of the line, twice over, \
                     and then some";
        let source = format!(
            "//! {words}\n\
             // {words}\n\
             /// {words}\n\
             #[derive(Clone, ToSchema)]\n\
             pub struct Body {{\n    /// {words}\n    pub field: i64,\n}}\n\n\
             /// {words}\n\
             #[utoipa::path(get, path = \"/x\")]\n\
             async fn handler() {{}}\n\n\
             /// {words}\n\
             pub(crate) fn helper() {{\n    // {words}\n}}\n"
        );
        let wrapped = wrap_long_comments(&source).expect("long lines");
        for line in wrapped.lines() {
            assert!(line.chars().count() <= MAX_WIDTH, "{line}\n{wrapped}");
        }
        // utoipa's descriptions (a type, a field, a handler) read as before; the others
        // took more lines.
        let (before, after) = (docs(&source), docs(&wrapped));
        assert_eq!(before[..3], after[..3], "{wrapped}");
        assert_eq!(after[3].1.len(), 2, "{wrapped}");
        assert_eq!(after[3].1.join(""), format!(" {words}"));
        // A code span is never broken, and the markers and indentation stay.
        assert!(wrapped.contains("`GET /some_rather_long_plural_name/{id}/children`"));
        assert_eq!(wrapped.lines().filter(|l| l.starts_with("//! ")).count(), 2);
        assert_eq!(
            wrapped.lines().filter(|l| l.starts_with("    // ")).count(),
            2
        );
        assert_eq!(wrap_long_comments("// short\nfn f() {}\n"), None);
    }

    #[test]
    fn a_long_string_literal_breaks_within_the_limit_and_keeps_its_value() {
        let long = "The database is unavailable, or the request took too long: retry after \
                    Retry-After seconds";
        let texts = [
            long,
            "short",
            "two  spaces  kept  where  a  continuation  would  skip  them, over and over \
             again past the hundredth column of the line",
            "a \"quoted\" word, a tab\tand a newline\n, then étoiles ✶ past the limit of one \
             hundred columns, which only the count of characters tells",
            &"x".repeat(150),
            &(0..40)
                .map(|i| format!("a-{i}"))
                .collect::<Vec<_>>()
                .join("\n"),
            "a backslash \\n is no newline, \\\\ neither, and the text goes on past the limit \
             of the line\n\n  spaces after newlines stay",
            "/some_rather_long_plural_name/{id}/a_long_link_field/{a_long_target_name_id}/\
             and/{another_rather_long_path_parameter_name}/// a slash / before a space",
        ];
        for text in texts {
            for (start, indent) in [(22, 12), (0, 4), (95, 8)] {
                let literal = string_literal(text, start, indent, 1);
                let value = syn::parse_str::<syn::LitStr>(&literal)
                    .unwrap_or_else(|e| panic!("{literal} is no literal: {e}"))
                    .value();
                assert_eq!(value, text, "{literal}");
                let mut lines = literal.lines();
                let first = lines.next().unwrap_or_default().chars().count();
                let breaks = literal.contains("\\\n");
                if breaks {
                    assert!(start + first <= MAX_WIDTH, "{literal}");
                    for line in lines {
                        assert!(line.chars().count() <= MAX_WIDTH, "{literal}");
                    }
                }
            }
        }
        let wrapped = string_literal(long, 22, 12, 1);
        assert_eq!(
            wrapped,
            "\"The database is unavailable, or the request took too long: retry after \\\n            Retry-After seconds\""
        );
        // A word longer than the room is left whole.
        assert!(!string_literal(&"x".repeat(150), 0, 4, 1).contains('\\'));
        // A path without a space breaks after a `/`, and only where no space would do.
        let path = "/warehouse_shelf_allocation_records/{id}/related/\
                    {related_warehouse_shelf_allocation_record_id}";
        assert_eq!(
            string_literal(path, 11, 8, 1),
            format!(
                "\"/warehouse_shelf_allocation_records/{{id}}/related/\\\n{}\
                 {{related_warehouse_shelf_allocation_record_id}}\"",
                " ".repeat(8)
            )
        );
        assert_eq!(string_literal(long, 22, 12, 1), wrapped);
    }

    #[test]
    fn a_long_doc_comment_breaks_between_words_and_outside_code() {
        let text = "What a list of very long resource names filters and sorts on: \
                    `?a_rather_long_field_name.contains=..&another_long_field.gte=..&sort=-created_at`.";
        for indent in [0, 4] {
            let doc = doc_comment(text, indent);
            let mut joined = Vec::new();
            for (i, line) in doc.lines().enumerate() {
                let width = line.chars().count() + if i == 0 { indent } else { 0 };
                assert!(width <= MAX_WIDTH, "{doc}");
                let line = line.trim_start();
                joined.push(line.strip_prefix("/// ").unwrap_or_else(|| panic!("{doc}")));
            }
            assert_eq!(joined.join(" "), text);
            assert!(
                doc.lines().all(|l| l.matches('`').count() % 2 == 0),
                "{doc}"
            );
        }
        assert_eq!(doc_comment("Short.", 4), "/// Short.");
        // A code span wider than a line breaks at its own spaces, and only then.
        let path = format!("/{}/{{id}}/links/{{{}_id}}", "p".repeat(35), "t".repeat(35));
        let doc = doc_comment(&format!("Routes: `GET /x`, `PUT DELETE {path}`."), 0);
        assert_eq!(
            doc,
            format!("/// Routes: `GET /x`, `PUT DELETE\n/// {path}`.")
        );
        // A word wider than any line: the doc keeps its text as a broken literal.
        let path = format!("/{}/{{id}}/links/{{{}_id}}", "p".repeat(50), "t".repeat(50));
        let text = format!("Routes: `PUT DELETE {path}`.");
        let doc = doc_comment(&text, 4);
        assert!(
            doc.starts_with("#[doc = \" Routes: `PUT DELETE \\\n"),
            "{doc}"
        );
        assert!(
            doc.lines()
                .all(|line| line.chars().count() + 4 <= MAX_WIDTH),
            "{doc}"
        );
        let literal = doc.trim_start_matches("#[doc = ").trim_end_matches(']');
        let value = syn::parse_str::<syn::LitStr>(literal).map(|l| l.value());
        assert_eq!(value.ok(), Some(format!(" {text}")));
    }
}

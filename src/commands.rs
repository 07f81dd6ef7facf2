//! The commands behind the CLI: each reads what it needs, runs the pipeline and reports.

use std::fs;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use crate::cli::DbChoice;
use crate::fileset::FileSet;
use crate::schema::{self, Schema};
use crate::writer::{self, Changes};
use crate::{Failure, plan, render, starter};

/// The schema file of a project.
pub const SCHEMA_FILE: &str = "apigen.toml";

/// Where messages go, and how they look.
pub struct Output {
    pub verbose: bool,
    color: bool,
}

impl Output {
    /// Colour only on a terminal, and never when NO_COLOR is set.
    pub fn detect(verbose: bool) -> Output {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Output {
            verbose,
            color: io::stderr().is_terminal() && !no_color,
        }
    }

    pub fn error(&self, failure: &Failure) {
        eprintln!("{failure}");
    }

    fn info(&self, text: &str) {
        if self.verbose {
            eprintln!("{text}");
        }
    }
}

/// `apigen validate [DIR|FILE]`.
pub fn validate(out: &Output, path: &Path) -> Result<(), Failure> {
    let file = schema_path(path);
    let schema = load_schema(out, &file)?;
    out.info(&format!(
        "{}: valid, {} resource(s)",
        file.display(),
        schema.resources.len()
    ));
    Ok(())
}

/// `apigen generate [DIR] [--dry-run]`.
pub fn generate(out: &Output, dir: &Path, dry_run: bool) -> Result<(), Failure> {
    let file = dir.join(SCHEMA_FILE);
    if !file.is_file() {
        return Err(Failure::Io(format!(
            "{} not found: `apigen generate` runs in a project folder; create one with `apigen new <DIR>`",
            file.display()
        )));
    }
    let schema = load_schema(out, &file)?;
    let files = render_schema(&schema)?;
    if dry_run {
        let changes = writer::plan_changes(dir, &files).map_err(io_failure)?;
        print!("{}", changes.report(true));
        println!("dry run: {}; nothing was changed", changes.summary());
        return Ok(());
    }
    let changes = writer::apply(dir, &files).map_err(io_failure)?;
    report(out, &changes);
    Ok(())
}

/// `apigen new <DIR> [--schema FILE] [--db DB] [--yes]`.
pub fn new(
    out: &Output,
    dir: &Path,
    schema_file: Option<&Path>,
    db: Option<DbChoice>,
    yes: bool,
) -> Result<(), Failure> {
    refuse_unless_empty(dir)?;
    let default_name = starter::crate_name_for(dir);
    let source = match schema_file {
        Some(file) => fs::read_to_string(file)
            .map_err(|e| Failure::Io(format!("cannot read {}: {e}", file.display())))?,
        None if !yes && io::stdin().is_terminal() && io::stderr().is_terminal() => {
            starter::ask(&default_name, db).map_err(|e| Failure::Io(e.to_string()))?
        }
        None => starter::schema(&default_name, db.map_or("sqlite", DbChoice::as_str)),
    };
    let source = match (schema_file, db) {
        (Some(_), Some(db)) => starter::set_database(&source, db.as_str())?,
        _ => source,
    };
    // Check and render before creating anything: a bad schema leaves no folder behind.
    let schema = parse_schema(out, &dir.join(SCHEMA_FILE), &source)?;
    let mut files = render_schema(&schema)?;
    files.user(SCHEMA_FILE, source);
    files.user(".env", starter::dot_env(&schema));
    files.user(".gitignore", starter::gitignore(&schema));
    let changes = writer::apply(dir, &files).map_err(io_failure)?;
    report(out, &changes);
    eprintln!(
        "Created {} in {}. Next:\n  cd {}\n  cargo run\nthen try: curl http://127.0.0.1:3000/health",
        schema.api.name,
        dir.display(),
        dir.display()
    );
    Ok(())
}

/// A schema path from a folder or a file argument.
fn schema_path(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(SCHEMA_FILE)
    } else {
        path.to_path_buf()
    }
}

fn load_schema(out: &Output, file: &Path) -> Result<Schema, Failure> {
    let source = fs::read_to_string(file)
        .map_err(|e| Failure::Io(format!("cannot read {}: {e}", file.display())))?;
    parse_schema(out, file, &source)
}

fn parse_schema(out: &Output, file: &Path, source: &str) -> Result<Schema, Failure> {
    let name = file.display().to_string();
    schema::parse(&name, source).map_err(|diagnostics| {
        Failure::Schema(schema::render_diagnostics(
            &name,
            source,
            &diagnostics,
            out.color,
        ))
    })
}

fn render_schema(schema: &Schema) -> Result<FileSet, Failure> {
    let plan = plan::Plan::build(schema).map_err(Failure::Unsupported)?;
    render::render(&plan).map_err(|e| Failure::Internal(e.to_string()))
}

fn refuse_unless_empty(dir: &Path) -> Result<(), Failure> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(Failure::Refused(format!(
            "{} exists and is not a folder",
            dir.display()
        )));
    }
    if dir.join(SCHEMA_FILE).is_file() {
        return Err(Failure::Refused(format!(
            "{} is already an apigen project; regenerate it with `apigen generate {}`",
            dir.display(),
            dir.display()
        )));
    }
    let mut entries = fs::read_dir(dir)
        .map_err(|e| Failure::Io(format!("cannot read {}: {e}", dir.display())))?;
    if entries.next().is_some() {
        return Err(Failure::Refused(format!(
            "{} is not empty; pick a new folder, or an empty one",
            dir.display()
        )));
    }
    Ok(())
}

fn report(out: &Output, changes: &Changes) {
    if out.verbose {
        eprint!("{}", changes.report(false));
    }
    out.info(&changes.summary());
}

fn io_failure(error: writer::WriteError) -> Failure {
    Failure::Io(error.to_string())
}

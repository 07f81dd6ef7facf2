//! The commands behind the CLI: each reads what it needs, runs the pipeline and reports.

use std::fs;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use crate::fileset::FileSet;
use crate::migrate::{Evolution, STATE_FILE, State};
use crate::plan::{AccessPlan, AuthPlan};
use crate::schema::{self, Database, Schema};
use crate::writer::{self, Changes};
use crate::{Failure, edit, starter};

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
    // Said even without -v: a silent success reads like nothing happened.
    let names: Vec<&str> = schema.resources.iter().map(|r| r.name.as_str()).collect();
    eprintln!(
        "{}: valid ({} {}: {})",
        file.display(),
        names.len(),
        plural(names.len(), "resource", "resources"),
        names.join(", ")
    );
    Ok(())
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 { one } else { many }
}

/// `apigen generate [DIR] [--dry-run] [--force] [--allow-data-loss]`.
pub fn generate(
    out: &Output,
    dir: &Path,
    dry_run: bool,
    force: bool,
    allow_data_loss: bool,
) -> Result<(), Failure> {
    let (schema, state) = load_project(out, dir, "generate")?;
    let (files, evolution) = render_for_writing(&schema, &state, Some(dir), allow_data_loss)?;
    if !evolution.migrations.is_empty() {
        eprint!("new migration:\n{}", evolution.describe());
    }
    if dry_run {
        let changes = writer::plan_changes(dir, &files, force).map_err(write_failure)?;
        print!("{}", changes.report(true));
        for path in &changes.conflicts {
            println!("edited by hand, would stop the write: {path}");
        }
        println!("dry run: {}; nothing was changed", changes.summary());
        return Ok(());
    }
    let changes = writer::apply(dir, &files, force).map_err(write_failure)?;
    report(out, &changes);
    Ok(())
}

/// `apigen check [DIR]`: regenerates in memory and compares with the disk. Exit 0 when the
/// project is up to date, 1 when a regeneration would change it: the pending migration
/// and the files it would rewrite (their diffs with -v).
pub fn check(out: &Output, dir: &Path) -> Result<(), Failure> {
    // A schema that does not check is an error of the check (2), not a stale project (1).
    // It only reports: a migration that loses data is listed, never refused.
    let (files, evolution) = load_project(out, dir, "check")
        .and_then(|(schema, state)| render_schema(&schema, &state, Some(dir)))
        .map_err(|failure| match failure {
            Failure::Schema(text) => Failure::CheckError(text),
            Failure::Unsupported(text) => Failure::CheckError(format!("error: {text}")),
            other => other,
        })?;
    let changes = writer::plan_changes(dir, &files, false).map_err(write_failure)?;
    let missing: Vec<String> = evolution
        .state
        .migrations
        .iter()
        .map(|m| format!("src/migrations/{m}.rs"))
        .filter(|path| files.get(path).is_none() && !dir.join(path).is_file())
        .collect();
    if changes.is_noop() && changes.conflicts.is_empty() && missing.is_empty() {
        out.info(&format!("{}: up to date", dir.display()));
        return Ok(());
    }
    let mut text = String::new();
    if !evolution.migrations.is_empty() {
        text.push_str(&format!(
            "pending migration (apigen.toml changed the database):\n{}",
            evolution.describe()
        ));
        for line in &evolution.diff.data_loss {
            text.push_str(&format!("  loses data: {line}\n"));
        }
    }
    for path in &missing {
        text.push_str(&format!("missing migration: {path}\n"));
    }
    // Every file that changes is derived from the schema: its path says enough (a small
    // schema change rewrites hundreds of lines of openapi.json); -v shows the diffs.
    for path in changes.paths(writer::Action::Write) {
        if !out.verbose {
            text.push_str(&format!("regenerated: {path}\n"));
            continue;
        }
        match (files.get(path), fs::read_to_string(dir.join(path))) {
            (Some(file), Ok(on_disk)) => {
                let diff = similar::TextDiff::from_lines(&on_disk, &file.contents);
                let header = (format!("a/{path}"), format!("b/{path}"));
                text.push_str(&diff.unified_diff().header(&header.0, &header.1).to_string());
            }
            (Some(_), Err(_)) => text.push_str(&format!("missing: {path}\n")),
            (None, _) => text.push_str(&format!("out of date: {path}\n")),
        }
    }
    let new_migrations: Vec<String> = evolution
        .migrations
        .iter()
        .map(|m| format!("src/migrations/{}.rs", m.module))
        .collect();
    for path in changes.paths(writer::Action::Create) {
        if !new_migrations.iter().any(|m| m == path) {
            text.push_str(&format!("missing (yours, written once): {path}\n"));
        }
    }
    for path in changes.paths(writer::Action::Delete) {
        text.push_str(&format!("stale (no longer generated): {path}\n"));
    }
    for path in &changes.conflicts {
        text.push_str(&format!("edited by hand: {path}\n"));
    }
    print!("{text}");
    let diffs = if out.verbose {
        ""
    } else {
        " (`apigen check -v` shows the full diffs)"
    };
    Err(Failure::Outdated(format!(
        "{} is not what `apigen generate` makes of its apigen.toml: run `apigen generate` and commit the result{diffs}",
        dir.display()
    )))
}

/// The schema and the database state of the project in `dir`.
fn load_project(out: &Output, dir: &Path, command: &str) -> Result<(Schema, State), Failure> {
    let file = dir.join(SCHEMA_FILE);
    if !file.is_file() {
        return Err(Failure::Io(format!(
            "{} not found: `apigen {command}` runs in a project folder; create one with `apigen new <DIR>`",
            file.display()
        )));
    }
    // Two parses of about the same cost, one on a second thread.
    let (schema, state) = std::thread::scope(|scope| {
        let state = scope.spawn(|| read_state(dir));
        let schema = load_schema(out, &file);
        let state = state
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (schema, state)
    });
    Ok((schema?, state?))
}

/// The project's database state; a project without one has no migrations yet.
fn read_state(dir: &Path) -> Result<State, Failure> {
    let path = dir.join(STATE_FILE);
    match fs::read_to_string(&path) {
        Ok(text) => State::parse(&text).map_err(|e| {
            Failure::Io(format!(
                "{}: {e}\nThis file is apigen's record of the database as the migrations \
                 leave it: restore it from version control",
                path.display()
            ))
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(State::empty()),
        Err(e) => Err(Failure::Io(format!("cannot read {}: {e}", path.display()))),
    }
}

/// Every file of the project, rendered to be written to disk. Every command that writes
/// (`new`, `generate`, `add`) renders through here, and only here, so that none of them
/// writes a migration that loses data without `--allow-data-loss`; `check`, which writes
/// nothing, renders with [`render_schema`] and reports.
fn render_for_writing(
    schema: &Schema,
    state: &State,
    dir: Option<&Path>,
    allow_data_loss: bool,
) -> Result<(FileSet, Evolution), Failure> {
    let (files, evolution) = render_schema(schema, state, dir)?;
    refuse_data_loss(&evolution, allow_data_loss)?;
    Ok((files, evolution))
}

/// Steps that lose data need `--allow-data-loss`; the refusal lists them.
fn refuse_data_loss(evolution: &Evolution, allow: bool) -> Result<(), Failure> {
    if allow || evolution.diff.data_loss.is_empty() {
        return Ok(());
    }
    let mut text = String::from("this migration would lose data:\n");
    for line in &evolution.diff.data_loss {
        text.push_str(&format!("  - {line}\n"));
    }
    text.push_str(
        "Nothing was written. If that is what you want, run again with --allow-data-loss; \
         to keep the data of a renamed field or resource, declare `renamed_from = \"<old name>\"` on it.",
    );
    Err(Failure::Refused(text))
}

/// `apigen new <DIR> [--schema FILE] [--db DB] [--yes]`.
pub fn new(
    out: &Output,
    dir: &Path,
    schema_file: Option<&Path>,
    db: Option<Database>,
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
        None => starter::schema(&default_name, db.map_or("sqlite", Database::as_str)),
    };
    let source = match (schema_file, db) {
        (Some(_), Some(db)) => starter::set_database(&source, db.as_str())?,
        _ => source,
    };
    // Check and render before creating anything: a bad schema leaves no folder behind.
    let schema = parse_schema(out, &dir.join(SCHEMA_FILE), &source)?;
    let (mut files, _) = render_for_writing(&schema, &State::empty(), None, false)?;
    files.user(SCHEMA_FILE, source);
    let env = starter::dot_env(&schema)
        .map_err(|e| Failure::Io(format!("cannot make a random JWT_SECRET: {e}")))?;
    files.user(".env", env);
    files.user(".gitignore", starter::gitignore(&schema));
    let changes = writer::apply(dir, &files, false).map_err(write_failure)?;
    owner_only(&dir.join(".env"))?;
    report(out, &changes);
    eprintln!(
        "Created {} in {}. Next:\n  cd {}\n  cargo run\nthen try: curl http://127.0.0.1:3000/health",
        schema.api.name,
        dir.display(),
        dir.display()
    );
    Ok(())
}

/// `.env` holds the JWT secret: readable and writable by its owner only.
fn owner_only(path: &Path) -> Result<(), Failure> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))
            .map_err(|e| Failure::Io(format!("cannot make {} private: {e}", path.display())))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// What `apigen add` adds.
pub enum Addition<'a> {
    /// A resource, with `--access` as given.
    Resource {
        name: &'a str,
        access: Option<&'a str>,
    },
    Fields(&'a str),
}

/// `apigen add resource NAME [FIELD...]` and `apigen add field RESOURCE FIELD...`: edits
/// apigen.toml in place (comments and layout kept), then regenerates. Any error changes
/// nothing on disk; so does a migration that would lose data (from hand edits of
/// apigen.toml since the last generate) without `allow_data_loss`.
pub fn add(
    out: &Output,
    dir: &Path,
    addition: Addition,
    fields: &[String],
    allow_data_loss: bool,
) -> Result<(), Failure> {
    let file = dir.join(SCHEMA_FILE);
    let source = fs::read_to_string(&file).map_err(|e| {
        Failure::Io(format!(
            "cannot read {}: {e}; `apigen add` runs in a project folder (or pass --dir)",
            file.display()
        ))
    })?;
    let mut specs = fields
        .iter()
        .map(|spec| edit::FieldSpec::parse(spec))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Failure::Refused)?;
    let mut access = match addition {
        Addition::Resource {
            access: Some(text), ..
        } => edit::parse_access(text).map_err(Failure::Refused)?,
        _ => Vec::new(),
    };
    let interactive = io::stdin().is_terminal() && io::stderr().is_terminal();
    if specs.is_empty() && interactive {
        specs = starter::ask_fields().map_err(|e| Failure::Io(e.to_string()))?;
    }
    if let (Addition::Resource { name, access: None }, true) = (&addition, interactive)
        && let Some(roles) = edit::auth_roles(&source).filter(|r| !r.is_empty())
    {
        access = starter::ask_access(name, &roles).map_err(|e| Failure::Io(e.to_string()))?;
    }
    let edited = match addition {
        Addition::Resource { name, .. } => edit::add_resource(&source, name, &specs, &access),
        Addition::Fields(resource) => edit::add_fields(&source, resource, &specs),
    }
    .map_err(Failure::Refused)?;
    let schema = parse_schema(out, &file, &edited).map_err(|failure| match failure {
        Failure::Schema(text) => Failure::Schema(format!(
            "{text}\nThe schema apigen add would write has these errors; nothing was changed."
        )),
        other => other,
    })?;
    let state = read_state(dir)?;
    if let Addition::Fields(resource) = addition {
        refuse_required_without_default(&schema, &state, resource, &specs)?;
    }
    let (files, _) = render_for_writing(&schema, &state, Some(dir), allow_data_loss)?;
    // apigen.toml goes with the files it generates: all of them are written, or none.
    let changes =
        writer::apply_with(dir, &files, false, &[(SCHEMA_FILE, &edited)]).map_err(write_failure)?;
    report(out, &changes);
    eprintln!("{}", added_line(&addition, &specs, &changes));
    if let Some(line) = access_line(&schema, &addition) {
        eprintln!("{line}");
    }
    Ok(())
}

/// What `apigen add` did, in one line, said even without -v: `added field priority to
/// Note; wrote src/migrations/m0002_add_notes_priority.rs and regenerated 12 files`.
fn added_line(addition: &Addition, specs: &[edit::FieldSpec], changes: &Changes) -> String {
    let names: Vec<&str> = specs.iter().map(|s| s.name.as_str()).collect();
    let fields = format!(
        "{} {}",
        plural(names.len(), "field", "fields"),
        names.join(", ")
    );
    let what = match addition {
        Addition::Resource { name, .. } => format!("added resource {name} with {fields}"),
        Addition::Fields(resource) => format!("added {fields} to {resource}"),
    };
    // New files of the user's (the migration, a resource's hooks), then apigen's own.
    let created: Vec<&str> = changes.paths(writer::Action::Create).collect();
    let regenerated = changes
        .paths(writer::Action::Write)
        .filter(|path| *path != writer::MANIFEST_PATH)
        .count();
    let mut done = Vec::new();
    if !created.is_empty() {
        done.push(format!("wrote {}", created.join(", ")));
    }
    if regenerated > 0 {
        done.push(format!(
            "regenerated {regenerated} {}",
            plural(regenerated, "file", "files")
        ));
    }
    if done.is_empty() {
        return format!("{what}; no file changed");
    }
    format!("{what}; {}", done.join(" and "))
}

/// With `[auth]`, who may do what with a new resource, and which operations are the
/// last role's only because `access` does not name them.
fn access_line(schema: &Schema, addition: &Addition) -> Option<String> {
    let Addition::Resource { name, .. } = addition else {
        return None;
    };
    let auth = AuthPlan::new(schema.auth.as_ref()?);
    let resource = schema.resources.iter().find(|r| r.name == *name)?;
    let access = AccessPlan::new(&resource.access);
    let hint = if access.defaulted.is_empty() {
        String::new()
    } else {
        format!(" Open them with `access` in [resources.{name}] of apigen.toml.")
    };
    Some(format!(
        "{name} access: {}.{}{hint}",
        access.summary(),
        access.defaulted_summary(&auth)
    ))
}

/// New required fields need a default when the resource's table may have rows: the
/// refusal gives the field spec that works (`apigen add field Note priority:int=0`).
/// Relations and json fields, which no default can fill, are left to the migration's
/// own message.
fn refuse_required_without_default(
    schema: &Schema,
    state: &State,
    resource: &str,
    specs: &[edit::FieldSpec],
) -> Result<(), Failure> {
    let Some(plural) = schema
        .resources
        .iter()
        .find(|r| r.name == resource)
        .map(|r| &r.plural)
    else {
        return Ok(());
    };
    if !state.tables.iter().any(|t| t.name == *plural) {
        return Ok(());
    }
    let mut text = String::new();
    for spec in specs.iter().filter(|s| s.is_required()) {
        if let Some(with_default) = spec.with_example_default() {
            text.push_str(&format!(
                "`{name}` would be a new required field of {resource}, whose table may \
                 have rows: give it a default, which those rows get \
                 (`apigen add field {resource} {with_default}`), or make it optional \
                 (`apigen add field {resource} {name}:{ty}?`)\n",
                name = spec.name,
                ty = spec.ty,
            ));
        }
    }
    if text.is_empty() {
        return Ok(());
    }
    text.push_str("Nothing was changed.");
    Err(Failure::Refused(text))
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

/// Renders the project `schema` describes; `dir`, the project's folder where there is
/// one, lends what its last generation laid out (see `layout`).
fn render_schema(
    schema: &Schema,
    state: &State,
    dir: Option<&Path>,
) -> Result<(FileSet, Evolution), Failure> {
    match dir {
        Some(dir) => crate::render_with_state(schema, state, &writer::laid_out_before(dir)),
        None => crate::render_with_state(schema, state, &|_, _| None),
    }
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

fn write_failure(error: writer::WriteError) -> Failure {
    match error {
        writer::WriteError::Conflicts(_) => Failure::Refused(error.to_string()),
        writer::WriteError::Io { .. } => Failure::Io(error.to_string()),
    }
}

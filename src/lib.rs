//! apigen: one declarative schema in, a complete Rust API crate out.
//!
//! The pipeline, one module per arrow (see STYLE.md):
//! `schema` (parse + check) -> `plan` (names, types, routes) -> `render` (a [`fileset::FileSet`]
//! in memory) -> `layout` (rustfmt where long names need it) -> `writer` (the only module
//! that touches the disk).

pub mod cli;
pub mod commands;
pub mod edit;
pub mod fileset;
pub mod layout;
pub mod migrate;
pub mod names;
pub mod openapi;
pub mod plan;
pub mod render;
pub mod schema;
pub mod starter;
pub mod writer;

/// Reads nothing, writes nothing: schema text in, every file of the generated project out.
pub fn generate_files(file_name: &str, source: &str) -> Result<fileset::FileSet, Failure> {
    let schema = schema::parse(file_name, source).map_err(|diagnostics| {
        Failure::Schema(schema::render_diagnostics(
            file_name,
            source,
            &diagnostics,
            false,
        ))
    })?;
    render_with_state(&schema, &migrate::State::empty(), &|_, _| None).map(|(files, _)| files)
}

/// Every file of the project `schema` describes, whose database is as `state` records it:
/// with a new migration (and state) when the schema changes the database.
///
/// `laid_out_before` gives the text an earlier generation laid out from the same text
/// (`writer::laid_out_before` reads it from a project), so that rustfmt runs only on what
/// changed; it never changes what is generated.
pub fn render_with_state(
    schema: &schema::Schema,
    state: &migrate::State,
    laid_out_before: &dyn Fn(&str, u64) -> Option<String>,
) -> Result<(fileset::FileSet, migrate::Evolution), Failure> {
    let plan = plan::Plan::build(schema).map_err(Failure::Unsupported)?;
    let evolution = migrate::evolve(state, &plan.tables()).map_err(|errors| {
        let mut text = String::from(
            "error: this change of apigen.toml cannot become a migration as it stands:\n",
        );
        for error in errors {
            text.push_str(&format!("  - {error}\n"));
        }
        text.push_str("Nothing was written.");
        Failure::Schema(text)
    })?;
    let mut files =
        render::render(&plan, &evolution).map_err(|e| Failure::Internal(e.to_string()))?;
    layout::lay_out(schema, &mut files, laid_out_before).map_err(Failure::Io)?;
    Ok((files, evolution))
}

/// Why a command did not succeed; each kind has its exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The schema has errors (already rendered, with file:line:col).
    Schema(String),
    /// A valid schema uses something this version cannot generate yet.
    Unsupported(String),
    /// The user asked for something that cannot be done (a non-empty folder, a
    /// regeneration that would overwrite hand edits, ...).
    Refused(String),
    /// `apigen check`: the project is not what its schema generates (already printed).
    Outdated(String),
    /// `apigen check` on a schema with errors: an error of the check itself (exit 2).
    CheckError(String),
    /// Reading or writing failed.
    Io(String),
    /// A bug in apigen: a template failed to render.
    Internal(String),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Schema(_)
            | Failure::Unsupported(_)
            | Failure::Refused(_)
            | Failure::Outdated(_) => 1,
            Failure::Io(_) | Failure::Internal(_) | Failure::CheckError(_) => 2,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Schema(text) | Failure::CheckError(text) => f.write_str(text.trim_end()),
            Failure::Unsupported(text)
            | Failure::Refused(text)
            | Failure::Outdated(text)
            | Failure::Io(text) => {
                write!(f, "error: {text}")
            }
            Failure::Internal(text) => write!(f, "error: internal error, please report it: {text}"),
        }
    }
}

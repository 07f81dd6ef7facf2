//! The command line: argument definitions and the dispatch to each command.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::commands;
use crate::schema::Database;

const AFTER_HELP: &str = "\
Exit codes:
  0  success
  1  the check found a problem (an invalid schema, a project that cannot be generated)
  2  usage or I/O error

Examples:
  apigen new shop --schema fixtures/shop.toml    create ./shop from a schema and generate it
  apigen new todo --yes                          create ./todo from the starter schema
  apigen validate shop/apigen.toml               check a schema, write nothing
  apigen generate shop --dry-run                 show what a regeneration would change
  apigen generate shop                           regenerate ./shop from its apigen.toml
  apigen check shop                              in CI: fail when ./shop is not up to date
  apigen add resource Comment body:text post:belongs_to:Post rating:int? --dir blog
  apigen add field Post views:int=0 subtitle:string? --dir blog";

/// Turns one declarative schema (apigen.toml) into a complete, runnable Rust API crate.
#[derive(Debug, Parser)]
#[command(name = "apigen", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// Say what was written, file by file.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new API project in DIR and generate it.
    ///
    /// Without --schema, on a terminal and without --yes, asks a few questions; otherwise
    /// starts from a small starter schema.
    New {
        /// The folder to create (it may exist if it is empty).
        dir: PathBuf,
        /// A schema to copy into the project as its apigen.toml.
        #[arg(long, value_name = "FILE")]
        schema: Option<PathBuf>,
        /// The production database; overrides the schema's `database`.
        #[arg(long, value_enum)]
        db: Option<Database>,
        /// Never ask: take the defaults.
        #[arg(long, short)]
        yes: bool,
    },
    /// Regenerate the project in DIR from DIR/apigen.toml.
    ///
    /// Rewrites only the files apigen generated, deletes only those it no longer
    /// generates, and stops without writing anything if one of them was edited by hand.
    Generate {
        /// The project folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Print what would be written, deleted or left, and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Overwrite generated files even where they were edited by hand.
        #[arg(long)]
        force: bool,
        /// Write a migration that drops tables or columns, narrows a column or removes
        /// enum values (without it, apigen lists those steps and writes nothing).
        #[arg(long)]
        allow_data_loss: bool,
    },
    /// Check that DIR is exactly what its apigen.toml generates (for CI); write nothing.
    ///
    /// Exit 0 when up to date; 1 when a regeneration would change the project, naming
    /// the pending migration and each file it would rewrite (`regenerated: PATH`; with -v,
    /// the unified diff of each instead); 2 on errors.
    Check {
        /// The project folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Add a resource or fields to apigen.toml (comments and layout kept), then regenerate.
    #[command(subcommand)]
    Add(AddCommand),
    /// Check a schema and write nothing.
    Validate {
        /// A schema file, or a project folder holding apigen.toml.
        #[arg(default_value = ".")]
        path: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum AddCommand {
    /// Add a resource: `apigen add resource Comment body:text post:belongs_to:Post rating:int?`
    ///
    /// A field is NAME:TYPE, with `?` after the type for an optional field, `:unique` for
    /// a unique one, the target resource after a relation type, and `=VALUE` at the end
    /// for a default (`priority:int=3`, `status:string=draft`, `price:decimal=19.99`,
    /// `active:bool=true`, `due:date=2024-12-31`; `note:string=""` is the empty string).
    /// Without fields, on a terminal, asks for them.
    ///
    /// With [auth], what `--access` does not name needs the last role (denied by
    /// default); on a terminal, without `--access`, asks who may read and who may write.
    Resource {
        /// PascalCase, singular.
        name: String,
        /// NAME:TYPE[?][:Resource][:unique][=DEFAULT]
        fields: Vec<String>,
        /// Who may do what, as OPERATION=RULE pairs: `--access read=public,write=staff`
        /// (operations list, get, create, update, delete, read, write; rules public,
        /// authenticated, owner or a role).
        #[arg(long, value_name = "RULES")]
        access: Option<String>,
        /// The project folder.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Write the migration even if it drops tables or columns, narrows a column or
        /// removes enum values (hand edits of apigen.toml since the last generate);
        /// without it, apigen lists those steps and changes nothing.
        #[arg(long)]
        allow_data_loss: bool,
    },
    /// Add fields to a resource: `apigen add field Product sku:string:unique stock:int=0`
    ///
    /// Fields are written as for `apigen add resource`. A resource's table may already
    /// have rows: a new required field needs a default for them (`stock:int=0`), or must
    /// be optional (`weight:float?`).
    Field {
        /// The resource to extend.
        resource: String,
        /// NAME:TYPE[?][:Resource][:unique][=DEFAULT]
        #[arg(required = true)]
        fields: Vec<String>,
        /// The project folder.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Write the migration even if it drops tables or columns, narrows a column or
        /// removes enum values (hand edits of apigen.toml since the last generate);
        /// without it, apigen lists those steps and changes nothing.
        #[arg(long)]
        allow_data_loss: bool,
    },
}

/// Runs the parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    let out = commands::Output::detect(cli.verbose);
    let result = match cli.command {
        Command::New {
            dir,
            schema,
            db,
            yes,
        } => commands::new(&out, &dir, schema.as_deref(), db, yes),
        Command::Generate {
            dir,
            dry_run,
            force,
            allow_data_loss,
        } => commands::generate(&out, &dir, dry_run, force, allow_data_loss),
        Command::Check { dir } => commands::check(&out, &dir),
        Command::Validate { path } => commands::validate(&out, &path),
        Command::Add(AddCommand::Resource {
            name,
            fields,
            access,
            dir,
            allow_data_loss,
        }) => commands::add(
            &out,
            &dir,
            commands::Addition::Resource {
                name: &name,
                access: access.as_deref(),
            },
            &fields,
            allow_data_loss,
        ),
        Command::Add(AddCommand::Field {
            resource,
            fields,
            dir,
            allow_data_loss,
        }) => commands::add(
            &out,
            &dir,
            commands::Addition::Fields(&resource),
            &fields,
            allow_data_loss,
        ),
    };
    match result {
        Ok(()) => 0,
        Err(failure) => {
            out.error(&failure);
            failure.exit_code()
        }
    }
}

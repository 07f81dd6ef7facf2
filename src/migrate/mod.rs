//! Migrations from schema changes: the state file records the database as the project's
//! migrations leave it; the difference between it and the current schema's database is
//! the next migration. Existing migrations are never written again.

pub mod code;
pub mod diff;
pub mod state;

use crate::plan::tables::Table;

pub use code::{MigrationCode, column_def, sql_default};
pub use diff::Diff;
pub use state::{STATE_FILE, State};

/// What a generation does to the migrations.
#[derive(Debug, Clone)]
pub struct Evolution {
    /// The state once the new migrations exist.
    pub state: State,
    /// The migrations to write (none when the database does not change).
    pub migrations: Vec<MigrationCode>,
    /// The difference, for messages (empty when nothing changes).
    pub diff: Diff,
}

impl Evolution {
    /// Every step of the new migrations, in words, each under its migration's name.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for m in &self.migrations {
            out.push_str(&format!("  {}:\n", m.module));
            for line in &m.summary {
                out.push_str(&format!("    {line}\n"));
            }
        }
        out
    }
}

/// The migrations that take the database of `state` to `tables`. A project's first
/// generation gets one migration per table; every later change, one migration.
pub fn evolve(state: &State, tables: &[Table]) -> Result<Evolution, Vec<String>> {
    // New tables that refer to each other (optional belongs_to both ways): the one created
    // first cannot name the other in a foreign key yet (PostgreSQL and MySQL refuse it),
    // so it is created without that key, which a migration after both adds.
    let staged = without_forward_keys(state, tables);
    if staged.as_slice() == tables {
        return evolve_once(state, tables);
    }
    let first = evolve_once(state, &staged)?;
    let second = evolve_once(&first.state, tables)?;
    let mut diff = first.diff;
    diff.steps.extend(second.diff.steps);
    diff.data_loss.extend(second.diff.data_loss);
    let mut migrations = first.migrations;
    migrations.extend(second.migrations);
    Ok(Evolution {
        state: second.state,
        migrations,
        diff,
    })
}

/// `tables` without the foreign keys of a new table to a new table created after it
/// (in the order the diff creates them: parents first, a cycle in the order given).
fn without_forward_keys(state: &State, tables: &[Table]) -> Vec<Table> {
    let exists = |name: &str| {
        state.tables.iter().any(|t| t.name == name)
            || tables
                .iter()
                .any(|t| t.name == name && t.renamed_from.is_some())
    };
    let new: Vec<&Table> = tables.iter().filter(|t| !exists(&t.name)).collect();
    let order: Vec<String> = diff::creation_order(&new)
        .iter()
        .map(|t| t.name.clone())
        .collect();
    let position = |name: &str| order.iter().position(|n| n == name);
    tables
        .iter()
        .map(|table| {
            let mut table = table.clone();
            if let Some(mine) = position(&table.name) {
                for column in &mut table.columns {
                    let later = column
                        .references
                        .as_ref()
                        .and_then(|r| position(&r.table))
                        .is_some_and(|theirs| theirs > mine);
                    if later {
                        column.references = None;
                    }
                }
            }
            table
        })
        .collect()
}

fn evolve_once(state: &State, tables: &[Table]) -> Result<Evolution, Vec<String>> {
    let diff = diff::diff(&state.tables, tables)?;
    let mut next = state.next_migration;
    let mut migrations = Vec::new();
    let mut module = |slug: String| {
        let name = format!("m{next:04}_{slug}");
        next += 1;
        name
    };
    if state.migrations.is_empty() && state.tables.is_empty() {
        for step in &diff.steps {
            let single = Diff {
                steps: vec![step.clone()],
                data_loss: Vec::new(),
            };
            migrations.push(code::migration(&module(single.slug()), &single));
        }
    } else if !diff.is_empty() {
        migrations.push(code::migration(&module(diff.slug()), &diff));
    }
    let mut recorded: Vec<String> = state.migrations.clone();
    recorded.extend(migrations.iter().map(|m| m.module.clone()));
    let tables = tables
        .iter()
        .map(|t| {
            let mut t = t.clone();
            t.renamed_from = None;
            for c in &mut t.columns {
                c.renamed_from = None;
                c.fill = None;
            }
            t
        })
        .collect();
    Ok(Evolution {
        state: State {
            next_migration: next,
            migrations: recorded,
            tables,
        },
        migrations,
        diff,
    })
}

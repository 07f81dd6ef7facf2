//! A migration's Rust: the statements of `up` and `down`, and the table definitions they
//! use, laid out as rustfmt lays them out.

use std::collections::BTreeSet;

use crate::names;
use crate::plan::tables::{Column, ColumnType, Fill, IndexKind, SqlDefault, Table};
use crate::schema::kind::Declared;

use super::diff::{Diff, Step, TableChange};

/// What the migration template fills in.
#[derive(Debug, Clone)]
pub struct MigrationCode {
    pub module: String,
    /// What it does, one line per step, for the doc comment.
    pub summary: Vec<String>,
    /// The `use` lines, in rustfmt's order: only what the code below uses (`DbBackend`
    /// where a branch or a table definition names it, the column helpers where one is
    /// called), so that the migration is clean under `-D warnings`.
    pub uses: Vec<String>,
    /// The statements of `up`, and of `down`.
    pub up: Block,
    pub down: Block,
    /// The table definitions `up` and `down` call (`fn comments_table() -> kit::TableDef`).
    pub defs: Vec<TableDef>,
}

/// A table as a migration defines it, for `kit::create_table` and `kit::rebuild_table`:
/// the migration template writes it as `fn <function>() -> kit::TableDef`.
#[derive(Debug, Clone)]
pub struct TableDef {
    /// `comments_table`.
    pub function: String,
    /// Its name in the database.
    pub table: String,
    /// What the migration does with it, for the doc (`creates`).
    pub verb: &'static str,
    /// A column's type depends on the database: the function takes `backend`.
    pub backend: bool,
    /// A join table's two key columns, its primary key; else an `id` key.
    pub key: Option<(String, String)>,
    /// Every other column.
    pub columns: Vec<Column>,
    pub foreign_keys: Vec<ForeignKeyDef>,
    pub indexes: Vec<IndexDef>,
}

#[derive(Debug, Clone)]
pub struct ForeignKeyDef {
    pub name: String,
    pub column: String,
    /// The table it refers to, by `id`.
    pub target: String,
    /// The `ForeignKeyAction` variant.
    pub action: &'static str,
}

#[derive(Debug, Clone)]
pub struct IndexDef {
    pub name: String,
    pub column: String,
    pub unique: bool,
}

impl MigrationCode {
    /// The name of `up`'s `manager` parameter: `_manager` when the body does nothing (so
    /// that `-D warnings` finds no unused variable).
    pub fn up_manager(&self) -> &'static str {
        manager_param(&self.up)
    }

    /// The same for `down` (a removed enum value has no way back: its `down` is empty).
    pub fn down_manager(&self) -> &'static str {
        manager_param(&self.down)
    }
}

fn manager_param(body: &Block) -> &'static str {
    if body.statements.is_empty() {
        "_manager"
    } else {
        "manager"
    }
}

/// The code of one migration making `diff`.
pub fn migration(module: &str, diff: &Diff) -> MigrationCode {
    let mut code = Emitter::default();
    // What can fail over the rows already there comes first: MySQL commits each schema
    // change by itself, so a step that failed after others would leave them applied.
    let mut up = Block::default();
    for step in &diff.steps {
        if let Step::AlterTable(change) = step {
            unique_checks(change, &mut up);
        }
    }
    let mut down_steps: Vec<Block> = Vec::new();
    for step in &diff.steps {
        let mut down = Block::default();
        match step {
            Step::RenameTable { from, to } => {
                up.call("kit::rename_table", &["manager", &lit(from), &lit(to)]);
                down.call("kit::rename_table", &["manager", &lit(to), &lit(from)]);
            }
            Step::CreateTable(table) => {
                let def = code.table_def(
                    table,
                    &format!("{}_table", names::stem(&table.name)),
                    &table.name,
                    "creates",
                );
                up.call_with("kit::create_table", &["manager", &def.text], def.backend);
                down.call("kit::drop_table", &["manager", &lit(&table.name)]);
            }
            Step::DropTable(table) => {
                let def = code.table_def(
                    table,
                    &format!("{}_table", names::stem(&table.name)),
                    &table.name,
                    "drops",
                );
                up.call("kit::drop_table", &["manager", &lit(&table.name)]);
                down.call_with("kit::create_table", &["manager", &def.text], def.backend);
            }
            Step::AlterTable(change) => {
                code.alter_up(change, &mut up);
                code.alter_down(change, &mut down);
            }
        }
        down_steps.push(down);
    }
    let mut down = Block::default();
    for block in down_steps.into_iter().rev() {
        down.extend(block);
    }
    let mut uses = Vec::new();
    if up.backend_type || down.backend_type || code.backend_type {
        uses.push("use sea_orm::DbBackend;".to_string());
    }
    if !code.types.is_empty() {
        let types: Vec<&str> = code.types.iter().copied().collect();
        uses.push(match types.as_slice() {
            [one] => format!("use sea_orm::prelude::{one};"),
            many => format!("use sea_orm::prelude::{{{}}};", many.join(", ")),
        });
    }
    uses.push("use sea_orm_migration::prelude::*;".to_string());
    if code.schema_helpers {
        uses.push("use sea_orm_migration::schema::*;".to_string());
    }
    MigrationCode {
        module: module.to_string(),
        summary: diff.describe(),
        uses,
        up,
        down,
        defs: code.defs,
    }
}

/// A Rust string literal.
fn lit(s: &str) -> String {
    names::rust_string_literal(s)
}

/// A column's definition in a migration (`string_len_null("name", 120).default("x")`).
pub fn column_def(column: &Column) -> String {
    let null = if column.null { "_null" } else { "" };
    let name = lit(&column.name);
    // A type that differs between databases comes from the generated kit.
    let kit = |helper: &str| {
        let nullable = if column.null { "null" } else { "not_null" };
        format!("kit::{helper}(backend, {name}).{nullable}()")
    };
    let base = match &column.ty {
        ColumnType::String(length) => format!("string_len{null}({name}, {length})"),
        ColumnType::Of(scalar) => match scalar.spec().declared {
            Declared::Kit(helper) => kit(helper),
            Declared::Schema(function) => format!("{function}{null}({name})"),
        },
    };
    match &column.default {
        Some(default) => format!("{base}.default({})", sql_default(default)),
        None => base,
    }
}

/// A database default as a Rust expression `ColumnDef::default` and `Expr::value` accept.
pub fn sql_default(default: &SqlDefault) -> String {
    match default {
        SqlDefault::Bool(b) => b.to_string(),
        // An unsuffixed literal is an `i32`.
        SqlDefault::Int(i) if i32::try_from(*i).is_err() => format!("{i}_i64"),
        SqlDefault::Int(i) => i.to_string(),
        SqlDefault::Float(f) => format!("{f:?}"),
        SqlDefault::Text(t) => names::rust_string_literal(t),
    }
}

/// Rust code, and whether it reads the `backend` variable of `up` or `down`.
struct Code {
    text: String,
    backend: bool,
}

/// The statements of `up` or `down`, which the migration template writes (rustfmt lays
/// them out).
#[derive(Debug, Clone, Default)]
pub struct Block {
    pub statements: Vec<Statement>,
    /// Reads `backend`: the body starts with `let backend = ...`.
    pub backend: bool,
    /// Names the type `DbBackend`.
    backend_type: bool,
}

/// A statement: a call of the migration kit, or calls that differ on SQLite.
#[derive(Debug, Clone)]
pub enum Statement {
    Call(Call),
    /// `if backend == DbBackend::Sqlite { sqlite } else { other }`.
    Branch {
        sqlite: Vec<Call>,
        other: Vec<Call>,
    },
}

impl Statement {
    pub fn as_call(&self) -> Option<&Call> {
        match self {
            Statement::Call(call) => Some(call),
            Statement::Branch { .. } => None,
        }
    }

    /// The calls on SQLite, and on the other databases, of a branch.
    pub fn as_branch(&self) -> Option<(&[Call], &[Call])> {
        match self {
            Statement::Call(_) => None,
            Statement::Branch { sqlite, other } => Some((sqlite, other)),
        }
    }
}

/// `function(args).await?;`: the arguments as Rust expressions.
#[derive(Debug, Clone)]
pub struct Call {
    pub function: &'static str,
    pub args: Vec<String>,
}

impl Block {
    /// `function(args).await?;`.
    fn call(&mut self, function: &'static str, args: &[&str]) {
        self.call_with(function, args, false);
    }

    /// [`Block::call`], with arguments that read `backend` when `backend` is true.
    fn call_with(&mut self, function: &'static str, args: &[&str], backend: bool) {
        let args = args.iter().map(|a| a.to_string()).collect();
        self.statements
            .push(Statement::Call(Call { function, args }));
        self.backend |= backend;
    }

    fn extend(&mut self, other: Block) {
        self.statements.extend(other.statements);
        self.backend |= other.backend;
        self.backend_type |= other.backend_type;
    }

    /// The calls of a block made of calls only (a branch's arms).
    fn calls(self) -> Vec<Call> {
        let calls = self.statements.into_iter().filter_map(|s| match s {
            Statement::Call(call) => Some(call),
            Statement::Branch { .. } => None,
        });
        calls.collect()
    }

    /// `if backend == DbBackend::Sqlite { sqlite } else { other }`.
    fn branch(&mut self, sqlite: Block, other: Block) {
        debug_assert!(
            sqlite
                .statements
                .iter()
                .chain(&other.statements)
                .all(|s| s.as_call().is_some()),
            "a branch's arms are calls"
        );
        self.backend = true;
        self.backend_type = true;
        self.statements.push(Statement::Branch {
            sqlite: sqlite.calls(),
            other: other.calls(),
        });
    }
}

#[derive(Default)]
struct Emitter {
    defs: Vec<TableDef>,
    /// Calls a column helper of `sea_orm_migration::schema` (`string_len`, `big_pk_auto`).
    schema_helpers: bool,
    /// A table definition takes `backend: DbBackend`.
    backend_type: bool,
    /// Types of `sea_orm::prelude` that fill values name (`Decimal`), in order.
    types: BTreeSet<&'static str>,
}

impl Emitter {
    /// Defines `fn name() -> kit::TableDef` for `table` (named `table_name` in the
    /// database, its indexes and keys named after `key_name`) and returns its call.
    fn table_def(&mut self, table: &Table, name: &str, key_name: &str, verb: &'static str) -> Code {
        // Its `id` (`big_pk_auto`) or its key columns (`big_integer`).
        self.schema_helpers = true;
        let backend = table.needs_backend();
        self.backend_type |= backend;
        let is_key = |column: &Column| {
            table
                .primary_key
                .as_ref()
                .is_some_and(|(l, r)| *l == column.name || *r == column.name)
        };
        let foreign_keys = table.columns.iter().filter_map(|column| {
            let reference = column.references.as_ref()?;
            Some(ForeignKeyDef {
                name: column.foreign_key_name(key_name),
                column: column.name.clone(),
                target: reference.table.clone(),
                action: reference.action(),
            })
        });
        let indexes = table.columns.iter().filter_map(|column| {
            Some(IndexDef {
                name: column.index_name(key_name)?,
                column: column.name.clone(),
                unique: column.index == IndexKind::Unique,
            })
        });
        self.defs.push(TableDef {
            function: name.to_string(),
            table: table.name.clone(),
            verb,
            backend,
            key: table.primary_key.clone(),
            columns: table
                .columns
                .iter()
                .filter(|c| !is_key(c))
                .cloned()
                .collect(),
            foreign_keys: foreign_keys.collect(),
            indexes: indexes.collect(),
        });
        let arg = if backend { "backend" } else { "" };
        Code {
            text: format!("{name}({arg})"),
            backend,
        }
    }

    /// The value of a fill, as an argument of `kit::fill_nulls`.
    fn fill_value(&mut self, fill: &Fill) -> String {
        match fill {
            Fill::Sql(default) => sql_default(default),
            Fill::Typed {
                import,
                value,
                methods,
            } => {
                self.types.insert(import);
                format!("{value}{}", methods.concat())
            }
        }
    }

    fn column_expr(&mut self, column: &Column) -> Code {
        let backend = column.ty.depends_on_backend();
        self.schema_helpers |= !backend;
        Code {
            text: column_def(column),
            backend,
        }
    }

    /// `column` added optional to the table `t` (a literal), and its rows given `fill`:
    /// it is made required by a later step.
    fn add_and_fill(&mut self, block: &mut Block, t: &str, column: &Column, fill: Option<&Fill>) {
        let mut optional = column.clone();
        optional.null = true;
        let expr = self.column_expr(&optional);
        block.call_with("kit::add_column", &["manager", t, &expr.text], expr.backend);
        if let Some(fill) = fill {
            let value = self.fill_value(fill);
            block.call(
                "kit::fill_nulls",
                &["manager", t, &lit(&column.name), &value],
            );
        }
    }

    fn alter_up(&mut self, c: &TableChange, up: &mut Block) {
        let t = lit(&c.after.name);
        let before = c.before_name();
        // Data first, under the old column names.
        for (column, values, with) in &c.removed_values {
            let old = old_name(c, column);
            replace_values(up, &t, &old, values, with.as_deref());
        }
        for (before_col, after_col) in &c.altered {
            let old = old_name(c, &after_col.name);
            if before_col.null
                && !after_col.null
                && let Some(fill) = &after_col.fill
            {
                let value = self.fill_value(fill);
                up.call("kit::fill_nulls", &["manager", &t, &lit(&old), &value]);
            }
            if let Some(length) = narrowed(before_col, after_col) {
                up.call(
                    "kit::truncate",
                    &["manager", &t, &lit(&old), &length.to_string()],
                );
            }
        }
        for (from, to) in &c.renamed {
            up.call("kit::rename_column", &["manager", &t, &lit(from), &lit(to)]);
        }
        // A new required column without a database default: added optional and filled
        // here, made required below (by the rebuild on SQLite).
        for column in &c.filled {
            self.add_and_fill(up, &t, column, column.fill.as_ref());
        }
        let mut other = Block::default();
        for (column, _, _) in c.dropped_foreign_keys() {
            let name = names::sql_name(format!("{before}_{column}_fkey"));
            other.call("kit::drop_foreign_key", &["manager", &t, &lit(&name)]);
        }
        for (name, _, _) in c.dropped_indexes() {
            other.call("kit::drop_index", &["manager", &t, &lit(&name)]);
        }
        for column in &c.dropped {
            other.call("kit::drop_column", &["manager", &t, &lit(&column.name)]);
        }
        for column in &c.added {
            let expr = self.column_expr(column);
            other.call_with(
                "kit::add_column",
                &["manager", &t, &expr.text],
                expr.backend,
            );
        }
        for after_col in c.altered.iter().map(|(_, after)| after).chain(&c.filled) {
            let expr = self.column_expr(after_col);
            other.call_with(
                "kit::alter_column",
                &["manager", &t, &expr.text],
                expr.backend,
            );
        }
        for (name, column, unique) in c.created_indexes() {
            other.call(
                "kit::create_index",
                &[
                    "manager",
                    &t,
                    &lit(&name),
                    &lit(&column),
                    &unique.to_string(),
                ],
            );
        }
        for (column, target, action) in c.created_foreign_keys() {
            let name = lit(&names::sql_name(format!("{}_{column}_fkey", c.after.name)));
            let action = format!("ForeignKeyAction::{action}");
            other.call(
                "kit::add_foreign_key",
                &["manager", &t, &name, &lit(&column), &lit(&target), &action],
            );
        }
        if c.needs_rebuild() {
            let def = self.table_def(
                &c.after,
                &format!("{}_after", c.after.name),
                &c.after.name,
                "leaves",
            );
            let mut sqlite = Block::default();
            let mut removes: Vec<String> = c.dropped.iter().map(|col| col.name.clone()).collect();
            removes.extend(c.dropped_indexes().into_iter().map(|(name, _, _)| name));
            sqlite.call_with(
                "kit::rebuild_table",
                &["manager", &def.text, &str_slice(&removes)],
                def.backend,
            );
            up.branch(sqlite, other);
        } else {
            up.extend(other);
        }
    }

    fn alter_down(&mut self, c: &TableChange, down: &mut Block) {
        let t = lit(&c.after.name);
        let before = c.before_name();
        for (column, values, with) in &c.added_values {
            replace_values(down, &t, column, values, with.as_deref());
        }
        for (before_col, after_col) in &c.altered {
            if !before_col.null && after_col.null {
                let value = self.fill_value(&Fill::restoring(before_col));
                down.call(
                    "kit::fill_nulls",
                    &["manager", &t, &lit(&after_col.name), &value],
                );
            }
            if let Some(length) = narrowed(after_col, before_col) {
                down.call(
                    "kit::truncate",
                    &["manager", &t, &lit(&after_col.name), &length.to_string()],
                );
            }
        }
        // A dropped required column without a database default comes back optional, its
        // rows get a filler, and it is made required below (by the rebuild on SQLite). A
        // foreign key column has no filler that refers to a row: it comes back optional.
        let restored: Vec<&Column> = c
            .dropped
            .iter()
            .filter(|col| !col.null && col.default.is_none() && !back_optional(col))
            .collect();
        for column in &restored {
            self.add_and_fill(down, &t, column, Some(&Fill::restoring(column)));
        }
        let rebuild = c.needs_rebuild() || !restored.is_empty();
        let mut renames_back = Block::default();
        for (from, to) in c.renamed.iter().rev() {
            renames_back.call("kit::rename_column", &["manager", &t, &lit(to), &lit(from)]);
        }
        let mut other = Block::default();
        for (column, _, _) in c.created_foreign_keys() {
            let name = names::sql_name(format!("{}_{column}_fkey", c.after.name));
            other.call("kit::drop_foreign_key", &["manager", &t, &lit(&name)]);
        }
        for (name, _, _) in c.created_indexes() {
            other.call("kit::drop_index", &["manager", &t, &lit(&name)]);
        }
        for column in c.added.iter().chain(&c.filled) {
            other.call("kit::drop_column", &["manager", &t, &lit(&column.name)]);
        }
        for column in &c.dropped {
            let mut back = column.clone();
            let restoring = restored.contains(&column);
            back.null |= back_optional(column);
            let expr = self.column_expr(&back);
            let callee = if restoring {
                "kit::alter_column"
            } else {
                "kit::add_column"
            };
            other.call_with(callee, &["manager", &t, &expr.text], expr.backend);
        }
        for (before_col, _) in &c.altered {
            let expr = self.column_expr(before_col);
            other.call_with(
                "kit::alter_column",
                &["manager", &t, &expr.text],
                expr.backend,
            );
        }
        other.extend(renames_back);
        for (name, column, unique) in c.dropped_indexes() {
            other.call(
                "kit::create_index",
                &[
                    "manager",
                    &t,
                    &lit(&name),
                    &lit(&column),
                    &unique.to_string(),
                ],
            );
        }
        for (column, target, action) in c.dropped_foreign_keys() {
            let name = lit(&names::sql_name(format!("{before}_{column}_fkey")));
            let action = format!("ForeignKeyAction::{action}");
            other.call(
                "kit::add_foreign_key",
                &["manager", &t, &name, &lit(&column), &lit(&target), &action],
            );
        }
        if rebuild {
            let mut shape = c.before.clone();
            shape.name = c.after.name.clone();
            // A dropped foreign key column comes back optional here too.
            for column in &mut shape.columns {
                let dropped = c.dropped.iter().any(|d| d.name == column.name);
                column.null |= dropped && back_optional(column);
            }
            let def = self.table_def(
                &shape,
                &format!("{}_before", c.after.name),
                &before,
                "finds",
            );
            let mut sqlite = Block::default();
            for (from, to) in c.renamed.iter().rev() {
                sqlite.call("kit::rename_column", &["manager", &t, &lit(to), &lit(from)]);
            }
            let mut removes: Vec<String> = (c.added.iter().chain(&c.filled))
                .map(|col| col.name.clone())
                .collect();
            removes.extend(c.created_indexes().into_iter().map(|(name, _, _)| name));
            sqlite.call_with(
                "kit::rebuild_table",
                &["manager", &def.text, &str_slice(&removes)],
                def.backend,
            );
            down.branch(sqlite, other);
        } else {
            down.extend(other);
        }
    }
}

/// `kit::check_unique` for every column `c` makes unique that already holds values and
/// was not unique before (an index only renamed needs none), under the names the table
/// and column have before the migration.
fn unique_checks(c: &TableChange, up: &mut Block) {
    use crate::plan::tables::IndexKind;
    let table = lit(&c.before_name());
    let new: Vec<&str> = c
        .added
        .iter()
        .chain(&c.filled)
        .map(|col| col.name.as_str())
        .collect();
    let was_unique = |column: &str| {
        c.before
            .columns
            .iter()
            .any(|col| col.name == column && col.index == IndexKind::Unique)
    };
    for (_, column, unique) in c.created_indexes() {
        if unique && !new.contains(&column.as_str()) && !was_unique(&column) {
            let old = old_name(c, &column);
            up.call("kit::check_unique", &["manager", &table, &lit(&old)]);
        }
    }
}

/// A dropped column that a `down` brings back optional, required as it was: a foreign key
/// without a default, for which no filler refers to a row.
fn back_optional(column: &Column) -> bool {
    column.references.is_some() && column.default.is_none()
}

/// The column's name before the migration.
fn old_name(c: &TableChange, column: &str) -> String {
    c.renamed
        .iter()
        .find(|(_, to)| to == column)
        .map_or_else(|| column.to_string(), |(from, _)| from.clone())
}

/// The length values must be cut to when `from` becomes `to`.
fn narrowed(from: &Column, to: &Column) -> Option<u32> {
    use crate::plan::tables::ColumnType::{self, String};
    match (&from.ty, &to.ty) {
        (String(a), String(b)) if b < a => Some(*b),
        (&ColumnType::TEXT, String(b)) => Some(*b),
        _ => None,
    }
}

fn replace_values(
    block: &mut Block,
    table: &str,
    column: &str,
    values: &[String],
    with: Option<&str>,
) {
    let list = str_slice(values);
    let with = with.map_or("None".to_string(), |w| format!("Some({})", lit(w)));
    block.call(
        "kit::replace_values",
        &["manager", table, &lit(column), &list, &with],
    );
}

/// `&["a", "b"]`.
fn str_slice(values: &[String]) -> String {
    let list: Vec<String> = values.iter().map(|v| lit(v)).collect();
    format!("&[{}]", list.join(", "))
}

//! The difference between two databases, as the steps of one migration.

use std::collections::BTreeMap;

use crate::names;
use crate::plan::tables::{Column, ColumnType, IndexKind, SqlDefault, Table};

/// One step of a migration, in the order `up` takes them.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A renamed table (before any other step, so later ones use the new name).
    RenameTable {
        from: String,
        to: String,
    },
    CreateTable(Table),
    AlterTable(Box<TableChange>),
    /// Loses the table's rows.
    DropTable(Table),
}

/// What changes in one table that exists before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct TableChange {
    /// The table as it was, already under its new name, its references under the new
    /// names of renamed tables.
    pub before: Table,
    pub after: Table,
    /// Renamed columns: (old name, new name).
    pub renamed: Vec<(String, String)>,
    pub added: Vec<Column>,
    /// New required columns whose default is no database default (decimal, uuid, date,
    /// datetime): added optional, filled with the default, then made required.
    pub filled: Vec<Column>,
    /// Loses the column's values.
    pub dropped: Vec<Column>,
    /// Columns whose type, nullability or default change: (before, after), both under the
    /// new name.
    pub altered: Vec<(Column, Column)>,
    /// Enum columns that lose values: (column, removed values, the value rows get).
    pub removed_values: Vec<(String, Vec<String>, Option<String>)>,
    /// Enum columns that gain values (a `down` must move rows off them):
    /// (column, added values, the value rows get back).
    pub added_values: Vec<(String, Vec<String>, Option<String>)>,
}

/// An index: (name, column, unique).
pub type IndexSpec = (String, String, bool);
/// A foreign key: (column, target table, `ForeignKeyAction` variant).
pub type ForeignKeySpec = (String, String, &'static str);

impl TableChange {
    fn is_empty(&self) -> bool {
        self.renamed.is_empty()
            && self.added.is_empty()
            && self.filled.is_empty()
            && self.dropped.is_empty()
            && self.altered.is_empty()
            && self.removed_values.is_empty()
            && self.dropped_indexes().is_empty()
            && self.created_indexes().is_empty()
            && self.dropped_foreign_keys().is_empty()
            && self.created_foreign_keys().is_empty()
    }

    /// `before` with its columns under their new names.
    fn before_renamed(&self) -> Vec<Column> {
        self.before
            .columns
            .iter()
            .map(|c| {
                let mut c = c.clone();
                if let Some((_, to)) = self.renamed.iter().find(|(from, _)| *from == c.name) {
                    c.name = to.clone();
                }
                c
            })
            .collect()
    }

    fn indexes(table: &str, columns: &[Column]) -> Vec<IndexSpec> {
        columns
            .iter()
            .filter_map(|c| {
                c.index_name(table)
                    .map(|name| (name, c.name.clone(), c.index == IndexKind::Unique))
            })
            .collect()
    }

    fn foreign_keys(columns: &[Column]) -> Vec<ForeignKeySpec> {
        columns
            .iter()
            .filter_map(|c| {
                c.references
                    .as_ref()
                    .map(|r| (c.name.clone(), r.table.clone(), r.action()))
            })
            .collect()
    }

    /// The indexes as they were, by their names then, columns under old names.
    pub fn before_indexes(&self) -> Vec<IndexSpec> {
        Self::indexes(&self.before_name(), &self.before.columns)
    }

    /// The name the table had before (its indexes and keys are named after it).
    pub fn before_name(&self) -> String {
        self.before
            .renamed_from
            .clone()
            .unwrap_or_else(|| self.before.name.clone())
    }

    /// `before`'s indexes with their columns under the new names (the index names as
    /// they were: an index on a renamed column is renamed too).
    fn before_indexes_mapped(&self) -> Vec<IndexSpec> {
        self.before_indexes()
            .into_iter()
            .map(|(name, column, unique)| {
                let column = self
                    .renamed
                    .iter()
                    .find(|(from, _)| *from == column)
                    .map_or(column, |(_, to)| to.clone());
                (name, column, unique)
            })
            .collect()
    }

    /// Indexes of `before` that `after` does not have as they are (by name, column, kind):
    /// dropped first, by name.
    pub fn dropped_indexes(&self) -> Vec<IndexSpec> {
        let after = Self::indexes(&self.after.name, &self.after.columns);
        self.before_indexes()
            .into_iter()
            .zip(self.before_indexes_mapped())
            .filter(|(_, mapped)| !after.contains(mapped))
            .map(|(index, _)| index)
            .collect()
    }

    /// Indexes of `after` that `before` did not have: created last.
    pub fn created_indexes(&self) -> Vec<IndexSpec> {
        let before = self.before_indexes_mapped();
        Self::indexes(&self.after.name, &self.after.columns)
            .into_iter()
            .filter(|index| !before.contains(index))
            .collect()
    }

    /// Foreign keys of `before` that change (their column, target, action or name):
    /// (column under its old name, target, action).
    pub fn dropped_foreign_keys(&self) -> Vec<ForeignKeySpec> {
        let after = Self::foreign_keys(&self.after.columns);
        let renamed_table = self.before.renamed_from.is_some();
        Self::foreign_keys(&self.before.columns)
            .into_iter()
            .zip(Self::foreign_keys(&self.before_renamed()))
            .filter(|(old, new)| renamed_table || old.0 != new.0 || !after.contains(new))
            .map(|(old, _)| old)
            .collect()
    }

    pub fn created_foreign_keys(&self) -> Vec<ForeignKeySpec> {
        let before = Self::foreign_keys(&self.before_renamed());
        let renamed_table = self.before.renamed_from.is_some();
        let renamed_columns: Vec<&String> = self.renamed.iter().map(|(_, to)| to).collect();
        Self::foreign_keys(&self.after.columns)
            .into_iter()
            .filter(|key| {
                renamed_table || renamed_columns.contains(&&key.0) || !before.contains(key)
            })
            .collect()
    }

    /// SQLite changes this table in place (add, drop and rename columns, indexes) unless a
    /// column changes type, nullability or default, or a foreign key changes: then the
    /// table is rebuilt.
    pub fn needs_rebuild(&self) -> bool {
        !self.altered.is_empty()
            || !self.filled.is_empty()
            || !self.dropped_foreign_keys().is_empty()
            || !self.created_foreign_keys().is_empty()
    }
}

/// The steps from `old` to `new`, and every step that loses data, in words.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diff {
    pub steps: Vec<Step>,
    pub data_loss: Vec<String>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// A name for the migration (`create_comments`, `add_posts_subtitle`, `alter_posts`).
    pub fn slug(&self) -> String {
        let slug = match self.steps.as_slice() {
            [Step::CreateTable(t)] => format!("create_{}", t.name),
            [Step::DropTable(t)] => format!("drop_{}", t.name),
            [Step::RenameTable { from, .. }] => format!("rename_{from}"),
            [Step::AlterTable(c)] => {
                let t = &c.after.name;
                let added: Vec<&Column> = c.added.iter().chain(&c.filled).collect();
                let count = added.len() + c.dropped.len() + c.renamed.len() + c.altered.len();
                match (&added[..], &c.dropped[..], &c.renamed[..], &c.altered[..]) {
                    ([a], [], [], []) => format!("add_{t}_{}", a.name),
                    ([], [d], [], []) => format!("drop_{t}_{}", d.name),
                    ([], [], [(from, _)], []) => format!("rename_{t}_{from}"),
                    ([], [], [], [(_, a)]) => format!("alter_{t}_{}", a.name),
                    // Only indexes, foreign keys or enum values change.
                    _ if count == 0 && !c.removed_values.is_empty() => format!("values_{t}"),
                    _ if count == 0 && references(&c.before) != references(&c.after) => {
                        format!("foreign_keys_{t}")
                    }
                    _ if count == 0 => format!("index_{t}"),
                    _ => format!("alter_{t}"),
                }
            }
            [Step::RenameTable { from, to }, Step::AlterTable(c)] if c.after.name == *to => {
                format!("rename_{from}")
            }
            _ => "alter_schema".to_string(),
        };
        let mut slug = slug.to_lowercase();
        slug.truncate(48);
        slug.trim_end_matches('_').to_string()
    }

    /// Each step in words, for `check`, `--dry-run` and the migration's doc comment.
    pub fn describe(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for step in &self.steps {
            match step {
                Step::RenameTable { from, to } => {
                    lines.push(format!("rename table {from} to {to}"))
                }
                Step::CreateTable(t) => lines.push(format!("create table {}", t.name)),
                Step::DropTable(t) => lines.push(format!("drop table {}", t.name)),
                Step::AlterTable(c) => {
                    let t = &c.after.name;
                    for (from, to) in &c.renamed {
                        lines.push(format!("rename column {t}.{from} to {to}"));
                    }
                    for column in c.added.iter().chain(&c.filled) {
                        lines.push(format!("add column {t}.{}", column.name));
                    }
                    for column in &c.dropped {
                        lines.push(format!("drop column {t}.{}", column.name));
                    }
                    for (before, after) in &c.altered {
                        lines.push(format!(
                            "alter column {t}.{}: {}",
                            after.name,
                            alteration(before, after)
                        ));
                    }
                    for (column, values, _) in &c.removed_values {
                        lines.push(format!("remove values {} of {t}.{column}", quoted(values)));
                    }
                    for (name, column, _) in c.dropped_indexes() {
                        if !c.dropped.iter().any(|d| d.name == column) {
                            lines.push(format!("drop index {name}"));
                        }
                    }
                    for (name, _, unique) in c.created_indexes() {
                        let kind = if unique { "unique index" } else { "index" };
                        lines.push(format!("create {kind} {name}"));
                    }
                    for (column, target, _) in c.created_foreign_keys() {
                        lines.push(format!("add foreign key {t}.{column} -> {target}"));
                    }
                }
            }
        }
        lines
    }
}

fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn alteration(before: &Column, after: &Column) -> String {
    let mut parts = Vec::new();
    if before.ty != after.ty {
        parts.push(format!(
            "{} -> {}",
            before.ty.describe(),
            after.ty.describe()
        ));
    }
    if before.null != after.null {
        parts.push(if after.null { "optional" } else { "required" }.to_string());
    }
    if before.default != after.default {
        parts.push(match &after.default {
            Some(d) => format!("default {}", d.describe()),
            None => "no default".to_string(),
        });
    }
    parts.join(", ")
}

/// How a column's type may change: in place, or losing what no longer fits.
enum TypeChange {
    Same,
    Widen,
    /// Values longer than this many characters are cut.
    Narrow(u32),
    Unsupported,
}

fn type_change(before: &ColumnType, after: &ColumnType) -> TypeChange {
    use ColumnType::String;
    match (before, after) {
        (a, b) if a == b => TypeChange::Same,
        (String(a), String(b)) if b > a => TypeChange::Widen,
        (String(_), String(b)) => TypeChange::Narrow(*b),
        (String(_), &ColumnType::TEXT) | (&ColumnType::INTEGER, &ColumnType::BIG_INTEGER) => {
            TypeChange::Widen
        }
        (&ColumnType::TEXT, String(b)) => TypeChange::Narrow(*b),
        _ => TypeChange::Unsupported,
    }
}

/// The value rows holding a value no longer allowed get: the default, else NULL where
/// allowed, else the first value.
fn replacement(column: &Column) -> Option<String> {
    match &column.default {
        Some(SqlDefault::Text(t)) => Some(t.clone()),
        _ if column.null => None,
        _ => column.values.first().cloned(),
    }
}

/// The steps that make `old` into `new`. Errors say what to change in the schema.
pub fn diff(old: &[Table], new: &[Table]) -> Result<Diff, Vec<String>> {
    let mut errors = Vec::new();
    let mut data_loss = Vec::new();
    // Match tables: same name, or a declared rename of a table that is gone.
    let mut matches: Vec<(usize, usize)> = Vec::new();
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    for (n, table) in new.iter().enumerate() {
        if let Some(o) = old.iter().position(|t| t.name == table.name) {
            matches.push((o, n));
        } else if let Some(o) = table.renamed_from.as_ref().and_then(|from| {
            let candidates = [from.clone(), names::plural(&names::snake_case(from))];
            old.iter().position(|t| {
                candidates.contains(&t.name) && !new.iter().any(|other| other.name == t.name)
            })
        }) {
            renames.insert(old[o].name.clone(), table.name.clone());
            matches.push((o, n));
        }
    }
    let mut steps = Vec::new();
    for (from, to) in &renames {
        steps.push(Step::RenameTable {
            from: from.clone(),
            to: to.clone(),
        });
    }
    let created: Vec<&Table> = new
        .iter()
        .enumerate()
        .filter(|(n, _)| !matches.iter().any(|(_, m)| m == n))
        .map(|(_, t)| t)
        .collect();
    for table in creation_order(&created) {
        steps.push(Step::CreateTable(table.clone()));
    }
    for &(o, n) in &matches {
        let mut before = old[o].clone();
        if let Some(to) = renames.get(&before.name) {
            before.renamed_from = Some(before.name.clone());
            before.name = to.clone();
        }
        for column in &mut before.columns {
            if let Some(reference) = &mut column.references
                && let Some(to) = renames.get(&reference.table)
            {
                reference.table = to.clone();
            }
        }
        let change = table_change(before, &new[n], &mut errors, &mut data_loss);
        if !change.is_empty() {
            steps.push(Step::AlterTable(Box::new(change)));
        }
    }
    let dropped: Vec<&Table> = old
        .iter()
        .enumerate()
        .filter(|(o, _)| !matches.iter().any(|(m, _)| m == o))
        .map(|(_, t)| t)
        .collect();
    let mut drops = creation_order(&dropped);
    drops.reverse();
    for table in drops {
        data_loss.push(format!("drop table {} (every row)", table.name));
        steps.push(Step::DropTable(table.clone()));
    }
    if errors.is_empty() {
        Ok(Diff { steps, data_loss })
    } else {
        Err(errors)
    }
}

/// The foreign keys of `table`: (column, referenced table).
fn references(table: &Table) -> Vec<(&str, &str)> {
    table
        .columns
        .iter()
        .filter_map(|c| Some((c.name.as_str(), c.references.as_ref()?.table.as_str())))
        .collect()
}

/// `tables`, each after the tables it references among them (stable otherwise).
pub(super) fn creation_order<'a>(tables: &[&'a Table]) -> Vec<&'a Table> {
    let mut done: Vec<&Table> = Vec::new();
    while done.len() < tables.len() {
        let ready = tables.iter().find(|t| {
            !done.iter().any(|d| d.name == t.name)
                && t.parents().all(|p| {
                    !tables.iter().any(|other| other.name == p) || done.iter().any(|d| d.name == p)
                })
        });
        let next = ready.or_else(|| {
            tables
                .iter()
                .find(|t| !done.iter().any(|d| d.name == t.name))
        });
        match next {
            Some(t) => done.push(t),
            None => break,
        }
    }
    done
}

fn table_change(
    before: Table,
    after: &Table,
    errors: &mut Vec<String>,
    data_loss: &mut Vec<String>,
) -> TableChange {
    let t = after.name.clone();
    let mut change = TableChange {
        before: before.clone(),
        after: after.clone(),
        renamed: Vec::new(),
        added: Vec::new(),
        filled: Vec::new(),
        dropped: Vec::new(),
        altered: Vec::new(),
        removed_values: Vec::new(),
        added_values: Vec::new(),
    };
    let mut kept_old: Vec<&str> = Vec::new();
    for column in &after.columns {
        let old = before.column(&column.name).or_else(|| {
            column
                .renamed_from
                .as_deref()
                .and_then(|from| before.column(from).filter(|_| after.column(from).is_none()))
        });
        let Some(old) = old else {
            if !column.null && column.default.is_none() {
                if column.fill.is_some() {
                    change.filled.push(column.clone());
                    continue;
                }
                errors.push(new_required_column(&t, column));
            }
            change.added.push(column.clone());
            continue;
        };
        kept_old.push(&old.name);
        if old.name != column.name {
            change.renamed.push((old.name.clone(), column.name.clone()));
        }
        let mut old_renamed = old.clone();
        old_renamed.name = column.name.clone();
        let ty = type_change(&old.ty, &column.ty);
        match ty {
            TypeChange::Unsupported => errors.push(format!(
                "{t}.{}: its type changes from {} to {}, which apigen does not convert: add a new \
                 field, move the data in a hook or a migration of your own, then drop the old field",
                column.name,
                old.ty.describe(),
                column.ty.describe()
            )),
            TypeChange::Narrow(length) => data_loss.push(format!(
                "narrow {t}.{} from {} to {} (longer values are cut to {length} characters)",
                column.name,
                old.ty.describe(),
                column.ty.describe()
            )),
            TypeChange::Same | TypeChange::Widen => {}
        }
        if old.null && !column.null && column.fill.is_none() {
            errors.push(format!(
                "{t}.{} becomes required, but rows may have no value: give the field a \
                 default, which those rows get: {}; or keep it optional",
                column.name,
                default_hint(column)
            ));
        }
        let removed: Vec<String> = old
            .values
            .iter()
            .filter(|v| !column.values.contains(v))
            .cloned()
            .collect();
        if !removed.is_empty() && !column.values.is_empty() {
            let with = replacement(column);
            data_loss.push(format!(
                "remove {} from {t}.{} (rows holding them get {})",
                quoted(&removed),
                column.name,
                with.as_deref()
                    .map_or("NULL".to_string(), |w| format!("{w:?}"))
            ));
            change
                .removed_values
                .push((column.name.clone(), removed, with));
        }
        let added: Vec<String> = column
            .values
            .iter()
            .filter(|v| !old.values.contains(v))
            .cloned()
            .collect();
        if !added.is_empty() && !old.values.is_empty() {
            let mut back = old_renamed.clone();
            back.null = old.null;
            change
                .added_values
                .push((column.name.clone(), added, replacement(&back)));
        }
        if old.ty != column.ty || old.null != column.null || old.default != column.default {
            change.altered.push((old_renamed, column.clone()));
        }
    }
    for column in &before.columns {
        if !kept_old.contains(&column.name.as_str()) {
            data_loss.push(format!("drop column {t}.{} (its values)", column.name));
            change.dropped.push(column.clone());
        }
    }
    change
}

fn new_required_column(table: &str, column: &Column) -> String {
    if column.references.is_some() {
        format!(
            "{table}.{} is a new required belongs_to on a table that may have rows, which \
             have no parent to point to: make it optional (`optional = true`), then make it \
             required once every row has one",
            column.name
        )
    } else if column.ty != ColumnType::JSON {
        format!(
            "{table}.{} is a new required field on a table that may have rows: give it a \
             default, which existing rows get: {}; or make it optional",
            column.name,
            default_hint(column)
        )
    } else {
        format!(
            "{table}.{} is a new required json field on a table that may have rows, and a \
             json field takes no default to fill them: make it optional",
            column.name
        )
    }
}

/// How to give the field of `column` a default in apigen.toml, with an example that
/// works for its type: ``add `default = 0` to the field, e.g. `views = { type = "int",
/// default = 0 }` ``.
fn default_hint(column: &Column) -> String {
    let name = &column.name;
    let (keyword, values, example) = match column.values.first() {
        Some(first) => (
            "enum",
            format!(", values = [{}]", quoted(&column.values)),
            format!("{first:?}"),
        ),
        None => (
            column.ty.field_keyword(),
            String::new(),
            example_default(&column.ty).to_string(),
        ),
    };
    format!(
        "add `default = {example}` to the field in apigen.toml, e.g. \
         `{name} = {{ type = \"{keyword}\"{values}, default = {example} }}`"
    )
}

/// A default of the type, as TOML, for examples in messages.
pub fn example_default(ty: &ColumnType) -> &'static str {
    match ty {
        ColumnType::String(_) => "\"\"",
        ColumnType::Of(scalar) => scalar.spec().toml_example,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The calls of a migration body, one a line, as the template writes them.
    fn calls(block: &crate::migrate::code::Block) -> String {
        let mut lines = Vec::new();
        for statement in &block.statements {
            let calls = match statement.as_branch() {
                Some((sqlite, other)) => sqlite.iter().chain(other).collect(),
                None => statement.as_call().into_iter().collect::<Vec<_>>(),
            };
            for call in calls {
                lines.push(format!("{}({})", call.function, call.args.join(", ")));
            }
        }
        lines.join("\n")
    }
    use crate::plan::Plan;

    fn tables(fields: &str) -> Vec<Table> {
        let source = format!("[api]\nname = \"t\"\n\n{fields}");
        let schema = crate::schema::parse("apigen.toml", &source).expect("a valid schema");
        Plan::build(&schema).expect("a plan").tables()
    }

    fn steps(before: &str, after: &str) -> Result<Diff, Vec<String>> {
        diff(&tables(before), &tables(after))
    }

    const POSTS: &str =
        "[resources.Post.fields]\ntitle = { type = \"string\", max_length = 100 }\n";

    #[test]
    fn the_same_schema_needs_no_migration() {
        assert!(steps(POSTS, POSTS).unwrap().is_empty());
    }

    #[test]
    fn a_dropped_resource_is_data_loss_and_a_declared_rename_is_not() {
        let gone = "[resources.Note.fields]\ntext = \"text\"\n";
        let dropped = steps(POSTS, gone).unwrap();
        assert_eq!(
            dropped.describe(),
            ["create table notes", "drop table posts"]
        );
        assert_eq!(dropped.data_loss, ["drop table posts (every row)"]);

        let renamed = "[resources.Article]\nrenamed_from = \"Post\"\n\n[resources.Article.fields]\ntitle = { type = \"string\", max_length = 100 }\n";
        let diff = steps(POSTS, renamed).unwrap();
        assert!(diff.data_loss.is_empty(), "{:?}", diff.data_loss);
        assert_eq!(diff.describe()[0], "rename table posts to articles");
        assert_eq!(diff.slug(), "rename_posts");
    }

    #[test]
    fn a_new_required_field_needs_a_default() {
        let errors = steps(POSTS, &format!("{POSTS}views = \"int\"\n")).unwrap_err();
        assert!(
            errors[0].contains("posts.views is a new required field"),
            "{errors:?}"
        );
        let ok = steps(
            POSTS,
            &format!("{POSTS}views = {{ type = \"int\", default = 0 }}\n"),
        )
        .unwrap();
        assert_eq!(ok.describe(), ["add column posts.views"]);
        assert_eq!(ok.slug(), "add_posts_views");
        let parent = "[resources.Author.fields]\nname = \"string\"\n\n";
        let errors = steps(
            &format!("{parent}{POSTS}"),
            &format!(
                "{parent}{POSTS}author = {{ type = \"belongs_to\", resource = \"Author\" }}\n"
            ),
        )
        .unwrap_err();
        assert!(errors[0].contains("make it optional"), "{errors:?}");
    }

    #[test]
    fn optional_to_required_needs_a_default_and_fills_the_rows_without_one() {
        let optional = "[resources.Post.fields]\nviews = \"int?\"\n";
        let errors = steps(optional, "[resources.Post.fields]\nviews = \"int\"\n").unwrap_err();
        assert!(errors[0].contains("becomes required"), "{errors:?}");
        let diff = steps(
            optional,
            "[resources.Post.fields]\nviews = { type = \"int\", default = 0 }\n",
        )
        .unwrap();
        assert_eq!(
            diff.describe(),
            ["alter column posts.views: required, default 0"]
        );
        let code = crate::migrate::code::migration("m0002_x", &diff);
        let up = calls(&code.up);
        assert!(
            up.contains("kit::fill_nulls(manager, \"posts\", \"views\", 0)"),
            "{}",
            up
        );
        assert!(up.contains("kit::rebuild"), "SQLite rebuilds: {}", up);
    }

    /// Every type that takes a default: (type, the field's keys, the default as TOML, the
    /// value rows without one get in the migration).
    const DEFAULTS: &[(&str, &str, &str, &str)] = &[
        ("int", "", "3", "3"),
        ("bigint", "", "7", "7"),
        ("float", "", "1.5", "1.5"),
        ("decimal", "", "\"19.99\"", "Decimal::new(1999, 2)"),
        ("decimal", "", "0", "Decimal::new(0, 0)"),
        ("bool", "", "true", "true"),
        ("string", "", "\"draft\"", "\"draft\""),
        ("text", "", "\"none yet\"", "\"none yet\""),
        (
            "enum",
            ", values = [\"low\", \"high\"]",
            "\"high\"",
            "\"high\"",
        ),
        (
            "uuid",
            "",
            "\"67e55044-10b1-426f-9247-bb680e5fe0c8\"",
            "Uuid::from_u128(0x67e5504410b1426f9247bb680e5fe0c8)",
        ),
        (
            "date",
            "",
            "\"2024-01-31\"",
            "Date::from_ymd_opt(2024, 1, 31)",
        ),
        ("date", "", "2024-02-29", "Date::from_ymd_opt(2024, 2, 29)"),
        (
            "datetime",
            "",
            "\"2024-01-31T12:00:00Z\"",
            "DateTimeUtc::from_timestamp(1706702400, 0).unwrap_or_default().fixed_offset()",
        ),
        ("time", "", "\"09:30:05\"", "Time::from_hms_opt(9, 30, 5)"),
        ("time", "", "23:59:59", "Time::from_hms_opt(23, 59, 59)"),
    ];

    /// `kit::fill_nulls(manager, "posts", "f", value)`.
    fn fill_call(value: &str) -> String {
        format!("kit::fill_nulls(manager, \"posts\", \"f\", {value})")
    }

    /// The import a typed value needs (`Decimal`), if any.
    fn import(value: &str) -> Option<&str> {
        ["Decimal", "Uuid", "Date", "DateTimeUtc", "Time"]
            .into_iter()
            .find(|t| value.starts_with(&format!("{t}::")))
    }

    #[test]
    fn optional_to_required_with_a_default_works_for_every_type_that_takes_one() {
        for (ty, keys, default, value) in DEFAULTS {
            let optional = format!(
                "[resources.Post.fields]\nf = {{ type = \"{ty}\"{keys}, optional = true }}\n"
            );
            let required = format!(
                "[resources.Post.fields]\nf = {{ type = \"{ty}\"{keys}, default = {default} }}\n"
            );
            let diff = steps(&optional, &required)
                .unwrap_or_else(|e| panic!("{ty} = {default}: refused: {e:?}"));
            assert!(diff.data_loss.is_empty(), "{ty}: {:?}", diff.data_loss);
            assert!(
                diff.describe()[0].starts_with("alter column posts.f: required"),
                "{ty}: {:?}",
                diff.describe()
            );
            let code = crate::migrate::code::migration("m0002_x", &diff);
            let up = calls(&code.up);
            let fill = fill_call(value);
            let (fills, rebuild) = (up.find(&fill), up.find("kit::rebuild"));
            assert!(
                fills.is_some() && fills < rebuild,
                "{ty} = {default}: rows get {value}, then SQLite rebuilds:\n{}",
                up
            );
            assert!(up.contains("kit::alter_column"), "{}", up);
            if let Some(import) = import(value) {
                assert!(
                    code.uses.iter().any(|u| u.contains(import)),
                    "{ty}: {:?}",
                    code.uses
                );
            }
        }
    }

    #[test]
    fn a_new_required_field_with_a_default_works_for_every_type_that_takes_one() {
        for (ty, keys, default, value) in DEFAULTS {
            let added = format!("{POSTS}f = {{ type = \"{ty}\"{keys}, default = {default} }}\n");
            let diff =
                steps(POSTS, &added).unwrap_or_else(|e| panic!("{ty} = {default}: refused: {e:?}"));
            assert_eq!(diff.describe(), ["add column posts.f"], "{ty}");
            assert_eq!(diff.slug(), "add_posts_f");
            let code = crate::migrate::code::migration("m0002_x", &diff);
            let up = calls(&code.up);
            if import(value).is_some() {
                // No database default: added optional, filled, then made required.
                let add = up.find("kit::add_column(");
                let fill = up.find(&fill_call(value));
                let rebuild = up.find("kit::rebuild");
                assert!(
                    add.is_some() && add < fill && fill < rebuild,
                    "{ty}:\n{}",
                    up
                );
                assert!(up.contains("kit::alter_column"), "{}", up);
                let down = calls(&code.down);
                assert!(down.contains("kit::drop_column"), "{down}");
            } else {
                // The database default fills the rows as the column is added.
                assert!(
                    up.contains(".default(") && !up.contains("kit::rebuild"),
                    "{ty}:\n{}",
                    up
                );
            }
        }
    }

    /// The default a refusal suggests: the ``e.g. `...` `` example of the message.
    fn suggested(error: &str) -> String {
        let example = error.split("e.g. `").nth(1).expect("an example");
        example[..example.find('`').expect("a closing `")].to_string()
    }

    #[test]
    fn a_refusal_for_a_missing_default_shows_the_syntax_that_works() {
        for (ty, keys, _, _) in DEFAULTS {
            let optional = format!(
                "[resources.Post.fields]\nf = {{ type = \"{ty}\"{keys}, optional = true }}\n"
            );
            let required = format!("[resources.Post.fields]\nf = {{ type = \"{ty}\"{keys} }}\n");
            let errors = steps(&optional, &required).unwrap_err();
            assert!(errors[0].contains("becomes required"), "{errors:?}");
            let fixed = format!("[resources.Post.fields]\n{}\n", suggested(&errors[0]));
            steps(&optional, &fixed).unwrap_or_else(|e| panic!("{ty}: {fixed}: {e:?}"));

            let added = format!("{POSTS}f = {{ type = \"{ty}\"{keys} }}\n");
            let errors = steps(POSTS, &added).unwrap_err();
            assert!(errors[0].contains("is a new required field"), "{errors:?}");
            let fixed = format!("{POSTS}{}\n", suggested(&errors[0]));
            steps(POSTS, &fixed).unwrap_or_else(|e| panic!("{ty}: {fixed}: {e:?}"));
        }
    }

    #[test]
    fn narrowing_and_removed_enum_values_are_data_loss_and_widening_is_not() {
        let wider = POSTS.replace("100", "200");
        assert!(steps(POSTS, &wider).unwrap().data_loss.is_empty());
        let narrower = steps(&wider, POSTS).unwrap();
        assert_eq!(
            narrower.data_loss,
            [
                "narrow posts.title from varchar(200) to varchar(100) (longer values are cut to 100 characters)"
            ]
        );

        let status = |values: &str| {
            format!(
                "[resources.Post.fields]\nstatus = {{ type = \"enum\", values = [{values}], default = \"draft\" }}\n"
            )
        };
        let added = steps(&status("\"draft\""), &status("\"draft\", \"live\"")).unwrap();
        assert!(added.is_empty() && added.data_loss.is_empty(), "{added:?}");
        let removed = steps(&status("\"draft\", \"live\""), &status("\"draft\"")).unwrap();
        assert_eq!(
            removed.data_loss,
            ["remove \"live\" from posts.status (rows holding them get \"draft\")"]
        );
        let code = crate::migrate::code::migration("m0002_x", &removed);
        let up = calls(&code.up);
        assert!(up.contains("&[\"live\"], Some(\"draft\")"), "{}", up);
    }

    #[test]
    fn a_type_change_is_refused_with_the_way_to_do_it() {
        let errors = steps(POSTS, "[resources.Post.fields]\ntitle = \"int\"\n").unwrap_err();
        assert!(
            errors[0].contains("from varchar(100) to integer"),
            "{errors:?}"
        );
        assert!(errors[0].contains("add a new field"), "{errors:?}");
    }

    #[test]
    fn a_declared_field_rename_keeps_the_column_and_its_index() {
        let before = "[resources.Post.fields]\nslug = { type = \"string\", unique = true }\n";
        let after = "[resources.Post.fields]\nhandle = { type = \"string\", unique = true, renamed_from = \"slug\" }\n";
        let diff = steps(before, after).unwrap();
        assert!(diff.data_loss.is_empty());
        assert_eq!(
            diff.describe(),
            [
                "rename column posts.slug to handle",
                "drop index posts_slug_key",
                "create unique index posts_handle_key"
            ]
        );
    }
}

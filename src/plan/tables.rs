//! The database a schema describes: tables, columns, indexes and foreign keys, in the
//! terms a migration speaks. The state file records this shape as of the last migration;
//! the next migration is the difference between it and the shape of the current schema.

use crate::names;
use crate::schema::kind::{Declared, Restoring};
use crate::schema::{DefaultValue, Field, FieldType, OnDelete, Scalar};

/// A column's SQL type, as the generated migrations declare it: a `varchar` of a length,
/// or the column of a scalar type, whose row ([`Scalar::spec`]) says how it is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnType {
    /// `varchar(n)`: string fields (and enums, whose values are stored as text).
    String(u32),
    /// The column of a scalar type other than `string`.
    Of(Scalar),
}

impl ColumnType {
    pub const TEXT: ColumnType = ColumnType::Of(Scalar::Text);
    pub const INTEGER: ColumnType = ColumnType::Of(Scalar::Int);
    pub const BIG_INTEGER: ColumnType = ColumnType::Of(Scalar::BigInt);
    /// `timestamp with time zone`; `datetime(6)` on MySQL (see the generated `kit::timestamp`).
    pub const TIMESTAMP: ColumnType = ColumnType::Of(Scalar::DateTime);
    pub const JSON: ColumnType = ColumnType::Of(Scalar::Json);

    /// The name in the state file (`string`, `bigint`, ...).
    pub fn keyword(&self) -> &'static str {
        match self {
            ColumnType::String(_) => "string",
            ColumnType::Of(scalar) => scalar.spec().column,
        }
    }

    /// The type named `keyword`, `length` for a string.
    pub fn from_keyword(keyword: &str, length: Option<u32>) -> Option<ColumnType> {
        match Scalar::of_column(keyword)? {
            Scalar::String => Some(ColumnType::String(length?)),
            scalar => Some(ColumnType::Of(scalar)),
        }
    }

    /// In words, for messages (`varchar(120)`, `bigint`).
    pub fn describe(&self) -> String {
        match self {
            ColumnType::String(length) => format!("varchar({length})"),
            other => other.keyword().to_string(),
        }
    }

    /// Declared by a helper of the generated kit that takes the backend (`kit::text`,
    /// `kit::exact_decimal`, `kit::timestamp`), not by a `sea_orm_migration::schema` one.
    pub fn depends_on_backend(&self) -> bool {
        matches!(self, ColumnType::Of(scalar) if matches!(scalar.spec().declared, Declared::Kit(_)))
    }

    /// The field type of the schema that makes such a column (`int`; `string` for an
    /// enum too, which its values tell apart).
    pub fn field_keyword(&self) -> &'static str {
        match self {
            ColumnType::String(_) => "string",
            ColumnType::Of(scalar) => scalar.keyword(),
        }
    }
}

/// A column's database default: what rows that existed before the column get.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlDefault {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
}

impl SqlDefault {
    /// As the schema would write it, for messages.
    pub fn describe(&self) -> String {
        match self {
            SqlDefault::Text(t) => format!("{t:?}"),
            SqlDefault::Int(i) => i.to_string(),
            other => crate::migrate::sql_default(other),
        }
    }
}

/// What rows without a value get when a column becomes required, or is added required:
/// the field's default, as the generated API writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Fill {
    /// The column's database default, which holds the same value (bool, numbers, text).
    Sql(SqlDefault),
    /// A decimal, uuid, date or datetime, which has no database default (each database
    /// stores them in its own way): a value of the type the API writes, which the
    /// migration imports from `sea_orm::prelude` (`Decimal::new(1999, 2)`), then the
    /// methods of a chain on it (`.unwrap_or_default()`).
    Typed {
        import: &'static str,
        value: String,
        methods: Vec<&'static str>,
    },
}

impl Fill {
    /// The fill of a field's default, if it can fill rows.
    fn of_field(field: &Field, default: &DefaultValue) -> Option<Fill> {
        if let Some(sql) = sql_default(field, default) {
            return Some(Fill::Sql(sql));
        }
        let DefaultValue::Text(text) = default else {
            return None;
        };
        let typed = |import, value, methods: &[&'static str]| Fill::Typed {
            import,
            value,
            methods: methods.to_vec(),
        };
        if field.ty.is(Scalar::Decimal) {
            return Some(typed("Decimal", names::decimal_literal(text), &[]));
        }
        let form = field.ty.scalar().and_then(Scalar::text_form)?;
        let (import, value, methods) = (form.fill)(text);
        Some(typed(import, value, methods))
    }

    /// The fill for a `down` that makes a column required again, when its values are
    /// gone or never were: its database default, else a value of its type that the
    /// previous release reads (an enum's first value, zero, the empty string, the nil
    /// uuid, 1970-01-01, the Unix epoch, JSON `null`).
    pub fn restoring(column: &Column) -> Fill {
        if let Some(default) = &column.default {
            return Fill::Sql(default.clone());
        }
        if let Some(first) = column.values.first() {
            return Fill::Sql(SqlDefault::Text(first.clone()));
        }
        let typed = |import, value: &str, methods: &[&'static str]| Fill::Typed {
            import,
            value: value.to_string(),
            methods: methods.to_vec(),
        };
        match column.ty {
            ColumnType::String(_) => Fill::Sql(SqlDefault::Text(String::new())),
            ColumnType::Of(scalar) => match scalar.spec().restoring {
                Restoring::Typed(import, value, methods) => typed(import, value, methods),
                Restoring::Text(text) => Fill::Sql(SqlDefault::Text(text.to_string())),
                Restoring::Int(int) => Fill::Sql(SqlDefault::Int(int)),
                Restoring::Float(float) => Fill::Sql(SqlDefault::Float(float)),
                Restoring::Bool(bool) => Fill::Sql(SqlDefault::Bool(bool)),
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexKind {
    None,
    /// `{table}_{column}_idx`: `index = true` and every foreign key column.
    Plain,
    /// `{table}_{column}_key`.
    Unique,
}

impl IndexKind {
    pub fn keyword(self) -> &'static str {
        match self {
            IndexKind::None => "none",
            IndexKind::Plain => "index",
            IndexKind::Unique => "unique",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub table: String,
    pub on_delete: OnDelete,
}

impl Reference {
    /// The `ForeignKeyAction` variant.
    pub fn action(&self) -> &'static str {
        match self.on_delete {
            OnDelete::Cascade => "Cascade",
            OnDelete::Restrict => "Restrict",
            OnDelete::SetNull => "SetNull",
        }
    }

    pub fn keyword(&self) -> &'static str {
        match self.on_delete {
            OnDelete::Cascade => "cascade",
            OnDelete::Restrict => "restrict",
            OnDelete::SetNull => "set_null",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub ty: ColumnType,
    pub null: bool,
    pub default: Option<SqlDefault>,
    pub index: IndexKind,
    pub references: Option<Reference>,
    /// An enum's values: rows holding a value that is no longer allowed must be changed.
    pub values: Vec<String>,
    /// The column's name before a declared rename (not recorded in the state).
    pub renamed_from: Option<String>,
    /// What rows without a value get when the column becomes required: the field's
    /// default (not recorded in the state).
    pub fill: Option<Fill>,
}

impl Column {
    pub fn new(name: &str, ty: ColumnType) -> Column {
        Column {
            name: name.to_string(),
            ty,
            null: false,
            default: None,
            index: IndexKind::None,
            references: None,
            values: Vec::new(),
            renamed_from: None,
            fill: None,
        }
    }

    /// The column of a schema field (`None` for many_to_many, which is a join table);
    /// `target_table` is the table a belongs_to references.
    pub fn of_field(field: &Field, enum_len: Option<usize>, target_table: &str) -> Option<Column> {
        let ty = match &field.ty {
            FieldType::Scalar(Scalar::String) => {
                ColumnType::String(field.max_length.unwrap_or(255))
            }
            FieldType::Scalar(scalar) => ColumnType::Of(*scalar),
            FieldType::BelongsTo { .. } => ColumnType::BIG_INTEGER,
            FieldType::Enum(_) => ColumnType::String(enum_len.unwrap_or(32) as u32),
            FieldType::ManyToMany { .. } => return None,
        };
        let belongs_to = |name: &str| format!("{name}_id");
        let (name, renamed_from, references) = match &field.ty {
            FieldType::BelongsTo { on_delete, .. } => (
                belongs_to(&field.name),
                field.renamed_from.as_deref().map(belongs_to),
                Some(Reference {
                    table: target_table.to_string(),
                    on_delete: *on_delete,
                }),
            ),
            _ => (field.name.clone(), field.renamed_from.clone(), None),
        };
        let index = if field.unique {
            IndexKind::Unique
        } else if field.index || references.is_some() {
            IndexKind::Plain
        } else {
            IndexKind::None
        };
        Some(Column {
            name,
            ty,
            null: field.optional,
            default: field.default.as_ref().and_then(|d| sql_default(field, d)),
            index,
            references,
            values: match &field.ty {
                FieldType::Enum(values) => values.clone(),
                _ => Vec::new(),
            },
            renamed_from,
            fill: field
                .default
                .as_ref()
                .and_then(|d| Fill::of_field(field, d)),
        })
    }

    /// The name of its index, if it has one.
    pub fn index_name(&self, table: &str) -> Option<String> {
        match self.index {
            IndexKind::None => None,
            IndexKind::Plain => Some(names::sql_name(format!("{table}_{}_idx", self.name))),
            IndexKind::Unique => Some(names::sql_name(format!("{table}_{}_key", self.name))),
        }
    }

    /// The name of its foreign key constraint.
    pub fn foreign_key_name(&self, table: &str) -> String {
        names::sql_name(format!("{table}_{}_fkey", self.name))
    }
}

/// The column's database default, for the types where one reads back the same on every
/// database (the application always writes a value; this one fills existing rows).
fn sql_default(field: &Field, default: &DefaultValue) -> Option<SqlDefault> {
    match (&field.ty, default) {
        (_, DefaultValue::Bool(b)) => Some(SqlDefault::Bool(*b)),
        (
            FieldType::Scalar(Scalar::Int) | FieldType::Scalar(Scalar::BigInt),
            DefaultValue::Int(i),
        ) => Some(SqlDefault::Int(*i)),
        (FieldType::Scalar(Scalar::Float), DefaultValue::Int(i)) => {
            Some(SqlDefault::Float(*i as f64))
        }
        (FieldType::Scalar(Scalar::Float), DefaultValue::Float(f)) => Some(SqlDefault::Float(*f)),
        (
            FieldType::Scalar(Scalar::String)
            | FieldType::Scalar(Scalar::Text)
            | FieldType::Enum(_),
            DefaultValue::Text(t),
        ) => Some(SqlDefault::Text(t.clone())),
        _ => None,
    }
}

/// A table: an `id` primary key, or the pair of columns of a join table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    /// A join table's composite key; `None` for `id bigint` auto-incremented.
    pub primary_key: Option<(String, String)>,
    /// Without `id`, in creation order.
    pub columns: Vec<Column>,
    /// The table's name before a declared rename (not recorded in the state).
    pub renamed_from: Option<String>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Every table this one references, itself aside.
    pub fn parents(&self) -> impl Iterator<Item = &str> {
        self.columns
            .iter()
            .filter_map(|c| c.references.as_ref())
            .map(|r| r.table.as_str())
            .filter(move |t| *t != self.name)
    }

    /// Has a column whose type depends on the database (text, decimal, timestamp):
    /// its definition takes the backend.
    pub fn needs_backend(&self) -> bool {
        self.columns.iter().any(|c| c.ty.depends_on_backend())
    }
}

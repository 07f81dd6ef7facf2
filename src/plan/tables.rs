//! The database a schema describes: tables, columns, indexes and foreign keys, in the
//! terms a migration speaks. The state file records this shape as of the last migration;
//! the next migration is the difference between it and the shape of the current schema.

use super::fields;
use crate::names;
use crate::schema::values;
use crate::schema::{DefaultValue, Field, FieldType, OnDelete};

/// A column's SQL type, as the generated migrations declare it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnType {
    /// `varchar(n)`: string fields (and enums, whose values are stored as text).
    String(u32),
    /// `text`; `longtext` on MySQL (see the generated `kit::text`).
    Text,
    Integer,
    BigInteger,
    Double,
    /// `numeric` on PostgreSQL, text on SQLite and MySQL (see the generated `exact_decimal`).
    Decimal,
    Boolean,
    Uuid,
    Date,
    /// `timestamp with time zone`; `datetime(6)` on MySQL (see the generated `kit::timestamp`).
    Timestamp,
    /// `jsonb` on PostgreSQL.
    Json,
}

impl ColumnType {
    /// The name in the state file (`string`, `bigint`, ...).
    pub fn keyword(&self) -> &'static str {
        match self {
            ColumnType::String(_) => "string",
            ColumnType::Text => "text",
            ColumnType::Integer => "integer",
            ColumnType::BigInteger => "bigint",
            ColumnType::Double => "double",
            ColumnType::Decimal => "decimal",
            ColumnType::Boolean => "boolean",
            ColumnType::Uuid => "uuid",
            ColumnType::Date => "date",
            ColumnType::Timestamp => "timestamp",
            ColumnType::Json => "json",
        }
    }

    /// The type named `keyword`, `length` for a string.
    pub fn from_keyword(keyword: &str, length: Option<u32>) -> Option<ColumnType> {
        Some(match keyword {
            "string" => ColumnType::String(length?),
            "text" => ColumnType::Text,
            "integer" => ColumnType::Integer,
            "bigint" => ColumnType::BigInteger,
            "double" => ColumnType::Double,
            "decimal" => ColumnType::Decimal,
            "boolean" => ColumnType::Boolean,
            "uuid" => ColumnType::Uuid,
            "date" => ColumnType::Date,
            "timestamp" => ColumnType::Timestamp,
            "json" => ColumnType::Json,
            _ => return None,
        })
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
        matches!(
            self,
            ColumnType::Text | ColumnType::Decimal | ColumnType::Timestamp
        )
    }

    /// The field type of the schema that makes such a column (`int`; `string` for an
    /// enum too, which its values tell apart).
    pub fn field_keyword(&self) -> &'static str {
        match self {
            ColumnType::String(_) => "string",
            ColumnType::Text => "text",
            ColumnType::Integer => "int",
            ColumnType::BigInteger => "bigint",
            ColumnType::Double => "float",
            ColumnType::Decimal => "decimal",
            ColumnType::Boolean => "bool",
            ColumnType::Uuid => "uuid",
            ColumnType::Date => "date",
            ColumnType::Timestamp => "datetime",
            ColumnType::Json => "json",
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
    /// As a Rust expression `ColumnDef::default` and `Expr::value` accept.
    pub fn rust(&self) -> String {
        match self {
            SqlDefault::Bool(b) => b.to_string(),
            // An unsuffixed literal is an `i32`.
            SqlDefault::Int(i) if i32::try_from(*i).is_err() => format!("{i}_i64"),
            SqlDefault::Int(i) => i.to_string(),
            SqlDefault::Float(f) => format!("{f:?}"),
            SqlDefault::Text(t) => names::rust_string_literal(t),
        }
    }

    /// As the schema would write it, for messages.
    pub fn describe(&self) -> String {
        match self {
            SqlDefault::Text(t) => format!("{t:?}"),
            SqlDefault::Int(i) => i.to_string(),
            other => other.rust(),
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
        Some(match &field.ty {
            FieldType::Decimal => typed("Decimal", fields::decimal_literal(text), &[]),
            FieldType::Uuid => typed(
                "Uuid",
                format!("Uuid::from_u128(0x{})", text.replace('-', "")),
                &[],
            ),
            // An `Option`, which the migration's `Into<Value>` takes as it is.
            FieldType::Date => typed(
                "Date",
                format!("Date::from_ymd_opt({})", fields::date_args(text)),
                &[],
            ),
            // Sent with its offset, as the API's `DbDateTime` sends it.
            FieldType::DateTime => {
                let (seconds, nanos) = values::datetime_instant(text);
                typed(
                    "DateTimeUtc",
                    format!("DateTimeUtc::from_timestamp({seconds}, {nanos})"),
                    &[".unwrap_or_default()", ".fixed_offset()"],
                )
            }
            _ => return None,
        })
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
            // Bound as a decimal: PostgreSQL does not take text for `numeric`.
            ColumnType::Decimal => typed("Decimal", "Decimal::ZERO", &[]),
            ColumnType::Uuid => typed("Uuid", "Uuid::nil()", &[]),
            ColumnType::Date => typed("Date", "Date::from_ymd_opt(1970, 1, 1)", &[]),
            ColumnType::Timestamp => typed(
                "DateTimeUtc",
                "DateTimeUtc::from_timestamp(0, 0)",
                &[".unwrap_or_default()", ".fixed_offset()"],
            ),
            ColumnType::Json => typed("Json", "Json::Null", &[]),
            ColumnType::String(_) | ColumnType::Text => Fill::Sql(SqlDefault::Text(String::new())),
            ColumnType::Integer | ColumnType::BigInteger => Fill::Sql(SqlDefault::Int(0)),
            ColumnType::Double => Fill::Sql(SqlDefault::Float(0.0)),
            ColumnType::Boolean => Fill::Sql(SqlDefault::Bool(false)),
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
            FieldType::String => ColumnType::String(field.max_length.unwrap_or(255)),
            FieldType::Text => ColumnType::Text,
            FieldType::Int => ColumnType::Integer,
            FieldType::BigInt | FieldType::BelongsTo { .. } => ColumnType::BigInteger,
            FieldType::Float => ColumnType::Double,
            FieldType::Decimal => ColumnType::Decimal,
            FieldType::Bool => ColumnType::Boolean,
            FieldType::Uuid => ColumnType::Uuid,
            FieldType::Date => ColumnType::Date,
            FieldType::DateTime => ColumnType::Timestamp,
            FieldType::Json => ColumnType::Json,
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

    /// The migration's column definition (`string_len_null("name", 120).default("x")`).
    pub fn expr(&self) -> String {
        let null = if self.null { "_null" } else { "" };
        let name = names::rust_string_literal(&self.name);
        // A type that differs between databases comes from the generated kit.
        let kit = |helper: &str| {
            let nullable = if self.null { "null" } else { "not_null" };
            format!("kit::{helper}(backend, {name}).{nullable}()")
        };
        let base = match &self.ty {
            ColumnType::String(length) => format!("string_len{null}({name}, {length})"),
            ColumnType::Text => kit("text"),
            ColumnType::Integer => format!("integer{null}({name})"),
            ColumnType::BigInteger => format!("big_integer{null}({name})"),
            ColumnType::Double => format!("double{null}({name})"),
            ColumnType::Decimal => kit("exact_decimal"),
            ColumnType::Boolean => format!("boolean{null}({name})"),
            ColumnType::Uuid => format!("uuid{null}({name})"),
            ColumnType::Date => format!("date{null}({name})"),
            ColumnType::Timestamp => kit("timestamp"),
            ColumnType::Json => format!("json_binary{null}({name})"),
        };
        match &self.default {
            Some(default) => format!("{base}.default({})", default.rust()),
            None => base,
        }
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
        (FieldType::Int | FieldType::BigInt, DefaultValue::Int(i)) => Some(SqlDefault::Int(*i)),
        (FieldType::Float, DefaultValue::Int(i)) => Some(SqlDefault::Float(*i as f64)),
        (FieldType::Float, DefaultValue::Float(f)) => Some(SqlDefault::Float(*f)),
        (FieldType::String | FieldType::Text | FieldType::Enum(_), DefaultValue::Text(t)) => {
            Some(SqlDefault::Text(t.clone()))
        }
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

//! The spanned document: `apigen.toml` as written, every value with its place in the
//! source, after the TOML shape has been checked (known keys, value types) but before any
//! meaning has (types, references, rules). The parser produces it, the checker consumes it.

use std::ops::Range;

/// A byte range in the source.
pub type Span = Range<usize>;

/// A value with the span of its text in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    /// `value`, found at `span`.
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }
}

/// A key as written, with the spans of the key and of its value.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyUse {
    pub name: String,
    pub key_span: Span,
    pub value_span: Span,
}

/// The whole document; `None` for a table that is absent or not a table.
#[derive(Debug, Default)]
pub struct RawSchema {
    pub api: Option<RawApi>,
    pub auth: Option<RawAuth>,
    pub resources: Vec<RawResource>,
}

/// `[api]`.
#[derive(Debug)]
pub struct RawApi {
    /// The `[api]` header.
    pub span: Span,
    pub name: Option<Spanned<String>>,
    pub database: Option<Spanned<String>>,
    pub base_path: Option<Spanned<String>>,
    pub license: Option<Spanned<String>>,
    pub swagger_ui: Option<Spanned<bool>>,
    pub brotli: Option<Spanned<bool>>,
    /// A key could not be read (already reported).
    pub broken: bool,
}

/// `[auth]`.
#[derive(Debug)]
pub struct RawAuth {
    /// The `[auth]` header.
    pub span: Span,
    pub roles: Option<Spanned<Vec<Spanned<String>>>>,
    pub token_ttl_minutes: Option<Spanned<i64>>,
    pub refresh_ttl_days: Option<Spanned<i64>>,
    pub registration: Option<Spanned<String>>,
    /// A key could not be read (already reported).
    pub broken: bool,
}

/// `[resources.<Name>]` and its fields.
#[derive(Debug)]
pub struct RawResource {
    /// The name, spanned on its first key in the source.
    pub name: Spanned<String>,
    pub plural: Option<Spanned<String>>,
    pub timestamps: Option<Spanned<bool>>,
    pub soft_delete: Option<Spanned<bool>>,
    pub owner: Option<Spanned<String>>,
    pub renamed_from: Option<Spanned<String>>,
    /// `cache`: seconds public reads may be cached.
    pub cache: Option<Spanned<i64>>,
    pub access: Option<RawAccess>,
    /// The known keys present in the resource table, in file order.
    pub keys: Vec<KeyUse>,
    /// The fields that could be read, in file order.
    pub fields: Vec<RawField>,
    /// Whether the `fields` table is present (even if broken).
    pub has_fields_table: bool,
    /// Part of the resource could not be read: the checker must not draw conclusions
    /// from what is missing.
    pub broken: bool,
}

/// An `access` table.
#[derive(Debug)]
pub struct RawAccess {
    pub key_span: Span,
    /// (operation, rule) pairs, in file order.
    pub rules: Vec<(Spanned<String>, Spanned<String>)>,
}

/// A field's `default`, as TOML typed it.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    /// A TOML date, time or date-time literal, as written.
    Datetime(String),
    /// An array or table: never a valid default.
    Other(&'static str),
}

/// A number as TOML typed it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RawNumber {
    Int(i64),
    Float(f64),
}

impl RawNumber {
    /// The number as a float (exact for integers up to 2^53).
    pub fn as_f64(self) -> f64 {
        match self {
            RawNumber::Int(i) => i as f64,
            RawNumber::Float(f) => f,
        }
    }
}

/// One field, from its shorthand string or its table; every key as written.
#[derive(Debug)]
pub struct RawField {
    pub name: Spanned<String>,
    /// The whole value (the shorthand string or the table).
    pub span: Span,
    /// Written as `"TYPE"` or `"TYPE?"`.
    pub shorthand: bool,
    /// `None` when missing (already reported).
    pub ty: Option<Spanned<String>>,
    pub optional: Option<Spanned<bool>>,
    pub unique: Option<Spanned<bool>>,
    pub index: Option<Spanned<bool>>,
    pub default: Option<Spanned<RawValue>>,
    pub min: Option<Spanned<RawNumber>>,
    pub max: Option<Spanned<RawNumber>>,
    pub min_length: Option<Spanned<i64>>,
    pub max_length: Option<Spanned<i64>>,
    pub precision: Option<Spanned<i64>>,
    pub scale: Option<Spanned<i64>>,
    pub pattern: Option<Spanned<String>>,
    pub format: Option<Spanned<String>>,
    pub values: Option<Spanned<Vec<Spanned<String>>>>,
    pub resource: Option<Spanned<String>>,
    pub on_delete: Option<Spanned<String>>,
    pub readonly: Option<Spanned<bool>>,
    pub private: Option<Spanned<bool>>,
    pub writable: Option<Spanned<String>>,
    pub doc: Option<Spanned<String>>,
    pub renamed_from: Option<Spanned<String>>,
    /// The known keys present (except `type`), in file order.
    pub keys: Vec<KeyUse>,
    /// A key of this field could not be read (already reported).
    pub broken: bool,
}

impl RawField {
    /// An empty field called `name`, written at `span`.
    pub fn new(name: Spanned<String>, span: Span) -> RawField {
        RawField {
            name,
            span,
            shorthand: false,
            ty: None,
            optional: None,
            unique: None,
            index: None,
            default: None,
            min: None,
            max: None,
            min_length: None,
            max_length: None,
            precision: None,
            scale: None,
            pattern: None,
            format: None,
            values: None,
            resource: None,
            on_delete: None,
            readonly: None,
            private: None,
            writable: None,
            doc: None,
            renamed_from: None,
            keys: Vec::new(),
            broken: false,
        }
    }

    /// Whether the field is optional, as far as could be read.
    pub fn is_optional(&self) -> bool {
        self.optional.as_ref().is_some_and(|o| o.value)
    }
}

//! What MySQL (8, and MariaDB 10.6 or later) cannot create, refused at `apigen validate`
//! for a schema whose `database` is `mysql`, rather than halfway through a migration: a
//! `varchar` longer than it holds, an index longer than InnoDB keys, a `text` column
//! with an index or a default, a row wider than 65535 bytes.

use super::Checker;
use crate::schema::diagnostic::Diagnostic;
use crate::schema::model::{DefaultValue, Field, FieldType, Resource, Scalar};
use crate::schema::raw::{RawField, RawSchema};

/// The longest `varchar` in `utf8mb4` (4 bytes a character, 65535 bytes).
pub const MAX_VARCHAR: u32 = 16_383;
/// The longest indexed `varchar` in `utf8mb4`: InnoDB keys hold 3072 bytes.
pub const MAX_INDEXED_VARCHAR: u32 = 768;
/// The most bytes a row's columns may take, `text` and `json` aside (stored off the row).
pub const MAX_ROW_BYTES: u64 = 65_535;
/// A `string` without `max_length`.
const DEFAULT_STRING_LENGTH: u32 = 255;

impl Checker<'_> {
    /// Every limit of MySQL the resources would pass.
    pub(super) fn mysql_limits(&mut self, resources: &[Resource], raw: &RawSchema) {
        for resource in resources {
            let Some(raw_resource) = raw.resources.iter().find(|r| r.name.value == resource.name)
            else {
                continue;
            };
            for field in &resource.fields {
                if let Some(raw_field) = raw_resource
                    .fields
                    .iter()
                    .find(|f| f.name.value == field.name)
                {
                    self.mysql_field(&resource.name, field, raw_field);
                }
            }
            // A string too long for a varchar is reported above, not twice.
            let too_long = resource.fields.iter().any(|f| {
                f.ty == FieldType::Scalar(Scalar::String)
                    && f.max_length.is_some_and(|n| n > MAX_VARCHAR)
            });
            let bytes = row_bytes(resource);
            if bytes > MAX_ROW_BYTES && !too_long {
                self.report(
                    Diagnostic::new(
                        format!(
                            "the columns of `{}` may take {bytes} bytes a row on MySQL, past \
                             the {MAX_ROW_BYTES} it allows",
                            resource.name
                        ),
                        raw_resource.name.span.clone(),
                    )
                    .with_label("row too wide for MySQL")
                    .with_help(
                        "make the longest `string` fields `text` (kept off the row), or lower \
                         their `max_length` (each character counts 4 bytes in utf8mb4)",
                    ),
                );
            }
        }
    }

    fn mysql_field(&mut self, resource: &str, field: &Field, raw: &RawField) {
        let name = format!("{resource}.{}", field.name);
        let indexed = field.unique || field.index;
        let index_span = raw
            .unique
            .as_ref()
            .map(|u| u.span.clone())
            .or_else(|| raw.index.as_ref().map(|i| i.span.clone()))
            .unwrap_or_else(|| raw.name.span.clone());
        match &field.ty {
            FieldType::Scalar(Scalar::String) => {
                let length = field.max_length.unwrap_or(DEFAULT_STRING_LENGTH);
                let span = raw
                    .max_length
                    .as_ref()
                    .map_or_else(|| raw.name.span.clone(), |m| m.span.clone());
                if length > MAX_VARCHAR {
                    self.report(
                        Diagnostic::new(
                            format!(
                                "`{name}` may be {length} characters long, and MySQL's varchar \
                                 holds {MAX_VARCHAR} at most"
                            ),
                            span,
                        )
                        .with_label("longer than MySQL's varchar")
                        .with_help("use `type = \"text\"`, which keeps `max_length` as a rule"),
                    );
                } else if indexed && length > MAX_INDEXED_VARCHAR {
                    self.report(
                        Diagnostic::new(
                            format!(
                                "`{name}` is indexed and may be {length} characters long, and a \
                                 MySQL index holds {MAX_INDEXED_VARCHAR} at most"
                            ),
                            span,
                        )
                        .with_label("too long for a MySQL index")
                        .with_help(format!(
                            "lower `max_length` to {MAX_INDEXED_VARCHAR} or less, or drop \
                             `unique` and `index`"
                        )),
                    );
                }
            }
            FieldType::Scalar(Scalar::Text) if indexed => {
                self.report(
                    Diagnostic::new(
                        format!("`{name}` is a `text` field, and MySQL cannot index one"),
                        index_span,
                    )
                    .with_label("an index on text")
                    .with_help(format!(
                        "use `type = \"string\"` with a `max_length` of {MAX_INDEXED_VARCHAR} \
                         or less, or drop `unique` and `index`"
                    )),
                );
            }
            FieldType::Scalar(Scalar::Text)
                if matches!(field.default, Some(DefaultValue::Text(_))) =>
            {
                let span = raw
                    .default
                    .as_ref()
                    .map_or_else(|| raw.name.span.clone(), |d| d.span.clone());
                self.report(
                    Diagnostic::new(
                        format!("`{name}` is a `text` field with a default, and MySQL 8 gives text columns none"),
                        span,
                    )
                    .with_label("a default on text")
                    .with_help(format!(
                        "use `type = \"string\"` (up to {MAX_VARCHAR} characters), or drop the \
                         default"
                    )),
                );
            }
            _ => {}
        }
    }
}

/// The most bytes a row of `resource` may take on MySQL, as InnoDB counts them: each
/// `varchar` at 4 bytes a character and its length prefix, `text` and `json` at the
/// pointer they leave in the row.
fn row_bytes(resource: &Resource) -> u64 {
    let varchar = |chars: u32| {
        let bytes = u64::from(chars) * 4;
        bytes + if bytes > 255 { 2 } else { 1 }
    };
    let mut bytes = 8; // id
    if resource.timestamps {
        bytes += 2 * 8;
    }
    if resource.soft_delete {
        bytes += 8;
    }
    if resource.owner.is_some() {
        bytes += 8;
    }
    for field in &resource.fields {
        bytes += match &field.ty {
            FieldType::Scalar(Scalar::String) => {
                varchar(field.max_length.unwrap_or(DEFAULT_STRING_LENGTH))
            }
            FieldType::Scalar(Scalar::Decimal) => varchar(40),
            FieldType::Scalar(scalar) => u64::from(scalar.spec().mysql_bytes),
            FieldType::BelongsTo { .. } => 8,
            FieldType::Enum(values) => {
                let longest = values.iter().map(|v| v.len()).max().unwrap_or(0);
                varchar(u32::try_from(longest).unwrap_or(u32::MAX).max(32))
            }
            FieldType::ManyToMany { .. } => 0,
        };
    }
    bytes
}

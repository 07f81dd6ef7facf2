// Do not edit: change apigen.toml instead.
use std::cmp::Ordering;

use sea_orm::prelude::Decimal;
use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, QueryResult, TryGetError, TryGetable, Value};
use utoipa::openapi::schema::{Object, ObjectBuilder, SchemaType, Type};

/// A `decimal` column that keeps every digit on every database.
///
/// PostgreSQL stores it as `numeric`. SQLite has no decimal type, and
/// sea-orm would read it back through an `f64`, losing digits and scale; MySQL's
/// `decimal` has one fixed scale for every row. On those two the migrations store
/// the digits as text, and this type reads the text back exactly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DbDecimal(pub Decimal);

impl From<Decimal> for DbDecimal {
    fn from(value: Decimal) -> Self {
        Self(value)
    }
}

impl DbDecimal {
    /// The value with `scale` places, as a field with a `scale` answers it (`5` and
    /// `5.000` are `5.00`; PostgreSQL keeps no places on a zero). A value with more
    /// places than zeros can fill (one written before the field had its `scale`) keeps
    /// them: none is rounded.
    pub fn with_scale(self, scale: u32) -> Decimal {
        let mut value = self.0.normalize();
        if value.scale() > scale {
            return self.0;
        }
        value.rescale(scale);
        value
    }
}

impl From<DbDecimal> for Decimal {
    fn from(value: DbDecimal) -> Self {
        value.0
    }
}

impl From<DbDecimal> for Value {
    fn from(value: DbDecimal) -> Self {
        Value::Decimal(Some(value.0))
    }
}

impl TryGetable for DbDecimal {
    fn try_get_by<I: ColIdx>(res: &QueryResult, index: I) -> Result<Self, TryGetError> {
        #[cfg(feature = "sqlite")]
        if res.try_as_sqlite_row().is_some() {
            return from_text(String::try_get_by(res, index)?);
        }
        #[cfg(feature = "mysql")]
        if res.try_as_mysql_row().is_some() {
            return from_text(String::try_get_by(res, index)?);
        }
        Decimal::try_get_by(res, index).map(Self)
    }
}

#[cfg(any(feature = "sqlite", feature = "mysql"))]
fn from_text(text: String) -> Result<DbDecimal, TryGetError> {
    text.parse().map(DbDecimal).map_err(|err| {
        TryGetError::DbErr(sea_orm::DbErr::TryIntoErr {
            from: "String",
            into: "Decimal",
            source: std::sync::Arc::new(err),
        })
    })
}

impl ValueType for DbDecimal {
    fn try_from(value: Value) -> Result<Self, ValueTypeErr> {
        <Decimal as ValueType>::try_from(value).map(Self)
    }

    fn type_name() -> String {
        "DbDecimal".to_owned()
    }

    fn array_type() -> ArrayType {
        ArrayType::Decimal
    }

    fn column_type() -> ColumnType {
        ColumnType::Decimal(None)
    }
}

impl Nullable for DbDecimal {
    fn null() -> Value {
        Value::Decimal(None)
    }
}

impl sea_orm::IntoActiveValue<DbDecimal> for DbDecimal {
    fn into_active_value(self) -> sea_orm::ActiveValue<DbDecimal> {
        sea_orm::ActiveValue::Set(self)
    }
}

/// The order of two decimals kept as text, as numbers and exactly: the SQLite collation
/// [`crate::query::DECIMAL_COLLATION`]. Text that is no decimal comes after every decimal.
pub fn compare_text(a: &str, b: &str) -> Ordering {
    match (a.parse::<Decimal>(), b.parse::<Decimal>()) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

/// A decimal in a request body, as the OpenAPI document says it: its text (`"9.99"`)
/// or a JSON number.
pub fn request_schema() -> Object {
    let types = [Type::String, Type::Number];
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter(types))
        .build()
}

/// An optional decimal in a request body: its text, a JSON number, or null.
pub fn optional_request_schema() -> Object {
    let types = [Type::String, Type::Number, Type::Null];
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter(types))
        .build()
}

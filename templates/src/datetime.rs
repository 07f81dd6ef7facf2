// {{ header }} Do not edit: change apigen.toml instead.
use sea_orm::prelude::DateTimeUtc;
use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, QueryResult, TryGetError, TryGetable, Value};

/// A point in time as the database stores it, in UTC, to the microsecond.
///
/// Requests and responses use `DateTimeUtc`; the entities use this type so that a
/// value reaches every database whole: the MySQL driver would send a `DateTimeUtc`
/// as a MySQL `TIMESTAMP`, which ends in 2038 (MariaDB stores NULL past it). This
/// type is sent as a date and time with its offset, which PostgreSQL keeps as
/// `timestamp with time zone`, MySQL as `datetime(6)` and SQLite as RFC 3339 text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DbDateTime(pub DateTimeUtc);

impl DbDateTime {
    pub fn now() -> Self {
        Self(sea_orm::prelude::ChronoUtc::now())
    }
}

impl From<DateTimeUtc> for DbDateTime {
    fn from(value: DateTimeUtc) -> Self {
        Self(value)
    }
}

impl From<DbDateTime> for DateTimeUtc {
    fn from(value: DbDateTime) -> Self {
        value.0
    }
}

impl From<DbDateTime> for Value {
    fn from(value: DbDateTime) -> Self {
        Value::ChronoDateTimeWithTimeZone(Some(value.0.fixed_offset()))
    }
}

impl TryGetable for DbDateTime {
    fn try_get_by<I: ColIdx>(res: &QueryResult, index: I) -> Result<Self, TryGetError> {
        DateTimeUtc::try_get_by(res, index).map(Self)
    }
}

impl ValueType for DbDateTime {
    fn try_from(value: Value) -> Result<Self, ValueTypeErr> {
        match value {
            Value::ChronoDateTimeUtc(Some(value)) => Ok(Self(value)),
            Value::ChronoDateTimeWithTimeZone(Some(value)) => Ok(Self(value.to_utc())),
            _ => Err(ValueTypeErr),
        }
    }

    fn type_name() -> String {
        "DbDateTime".to_owned()
    }

    fn array_type() -> ArrayType {
        ArrayType::ChronoDateTimeWithTimeZone
    }

    fn column_type() -> ColumnType {
        ColumnType::TimestampWithTimeZone
    }
}

impl Nullable for DbDateTime {
    fn null() -> Value {
        Value::ChronoDateTimeWithTimeZone(None)
    }
}

impl sea_orm::IntoActiveValue<DbDateTime> for DbDateTime {
    fn into_active_value(self) -> sea_orm::ActiveValue<DbDateTime> {
        sea_orm::ActiveValue::Set(self)
    }
}
